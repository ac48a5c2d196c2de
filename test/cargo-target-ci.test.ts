/**
 * The cargo target cache carried across CI runners, as generated: the
 * Dockerfile stages that move the cook's cache mount in and out of BuildKit,
 * and the workflow steps around the compile (actions/cache keyed by the
 * dependency set). test/integration/cargo-target-ci.test.ts runs them.
 */
import { Testing } from 'projen';
import { parse as parseYaml } from 'yaml';
import { BuildStrategy, CompilerCache, RustDockerImage, RustDockerImageOptions } from '../src';
import { actionlintProblems, dockerfileProblems } from './util';
import { CARGO_TARGET_JOB_STEPS } from '../harness/actions-runner';
import { newProject, simpleCrate, synthImage } from '../harness/projects';
import { ACTIONS } from '../src/private/ci/actions';

const CARRY = CARGO_TARGET_JOB_STEPS;

function synth(options: RustDockerImageOptions = {}) {
  const files = synthImage(simpleCrate(), options).files;
  const wf = files['.github/workflows/docker-app.yml'] as string;
  return { dockerfile: files.Dockerfile as string, workflow: wf, jobs: parseYaml(wf).jobs as Record<string, { steps: any[] }> };
}

const ids = (job: { steps: any[] }) => job.steps.map((s) => s.id).filter((id: string) => CARRY.includes(id));
const step = (job: { steps: any[] }, id: string) => job.steps.find((s) => s.id === id);

describe('the Dockerfile stages that carry the cook\'s cache mount', () => {
  const { dockerfile } = synth();

  test('cargo-target-seed fills the mount from the cargo-target-import context and records what it put in; cargo-target-export is what the cook wrote after it, or the whole mount', () => {
    expect(dockerfileProblems(dockerfile)).toEqual([]);
    const mount = '--mount=type=cache,target=/var/cache/cargo-target,id=test-app-cargo-target,sharing=locked';
    expect(dockerfile).toContain(`FROM rust-builder AS cargo-target-seed\nARG CARGO_TARGET_RUN\nRUN ${mount} \\\n    --mount=type=bind,from=cargo-target-import,target=/seed <<'EOF'\nset -eu\n`
      + 'find /var/cache/cargo-target -mindepth 1 -maxdepth 1 -exec rm -rf {} +\ncp -a /seed/. /var/cache/cargo-target/\n');
    expect(dockerfile).toContain('find target ! -type d | LC_ALL=C sort > seeded-files\necho "$CARGO_TARGET_RUN" > seeded-by\ntouch -d "@$(($(date +%s) - 1))" seeded-by\nEOF\n');
    expect(dockerfile).toContain(`FROM rust-builder AS cargo-target-collect\nARG CARGO_TARGET_RUN\nRUN ${mount} <<'EOF'\nset -eu\nmkdir /cargo-target\ncd /var/cache/cargo-target\nlists=$(mktemp -d)\n`
      + 'if [ -n "${CARGO_TARGET_RUN:-}" ] && [ "$(cat seeded-by 2>/dev/null)" = "$CARGO_TARGET_RUN" ]; then\n');
    expect(dockerfile).toContain('  echo "$CARGO_TARGET_RUN" > /cargo-target/delta-of\nelse\n');
    expect(dockerfile).toContain('FROM scratch AS cargo-target-export\nCOPY --from=cargo-target-collect /cargo-target/ /\n');
  });

  test('no image stage reads them, and the runtime stage stays the last (the default target)', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\S+))?$/gm)].map((m) => ({ from: m[1], name: m[2] }));
    expect(stages[stages.length - 1].name).toBe('runtime');
    const readers = stages.filter((s) => ['cargo-target-seed', 'cargo-target-collect', 'cargo-target-export'].includes(s.from));
    expect(readers).toEqual([]);
    expect(dockerfile.match(/from=cargo-target-collect/g) ?? []).toHaveLength(1);
  });

  test('off with CompilerCache.none()', () => {
    const df = synthImage(simpleCrate(), { compilerCache: CompilerCache.none() }).files.Dockerfile as string;
    expect(df).not.toContain('cargo-target');
  });
});

describe('the workflow steps that carry it across runners', () => {
  const { jobs, workflow } = synth();

  test('around the compile, in both jobs: looked up, restored and seeded before it, exported, merged and saved after; actionlint finds nothing', async () => {
    expect(ids(jobs.build)).toEqual(CARRY);
    expect(ids(jobs.test)).toEqual(CARRY);
    expect(await actionlintProblems(workflow, '.github/workflows/docker-app.yml')).toEqual([]);
  });

  test('keyed by the image, the builder, the architectures and the dependency set; restored from the newest earlier set', () => {
    const lookup = step(jobs.build, 'cargo-target-lookup');
    expect(lookup.uses).toBe(ACTIONS.cacheRestore);
    expect(lookup.with.key).toMatch(/^cargo-target-app-1\.\d+\.\d+-[0-9a-f]{12}-amd64-arm64-\$\{\{ hashFiles\('Cargo\.lock', '\*\*\/Cargo\.toml'\) \}\}$/);
    expect(lookup.with['restore-keys']).toBe(lookup.with.key.replace(/\$\{\{.*\}\}$/, ''));
    expect(lookup.with['lookup-only']).toBe(true);
    for (const id of ['cargo-target-restore', 'cargo-target-save']) expect(step(jobs.build, id).with.key).toBe(lookup.with.key);
    expect(step(jobs.build, 'cargo-target-save').uses).toBe(ACTIONS.cacheSave);
  });

  test('an exact hit skips the rest (that set\'s cook is in the layer cache); the seed runs only when something was restored', () => {
    const missed = "steps.cargo-target-lookup.outputs.cache-hit != 'true'";
    for (const id of ['cargo-target-restore', 'cargo-target-export', 'cargo-target-merge', 'cargo-target-save']) expect(step(jobs.build, id).if).toBe(missed);
    expect(step(jobs.build, 'cargo-target-seed').if).toBe(`${missed} && steps.cargo-target-restore.outputs.cache-matched-key != ''`);
  });

  test('the seed and the export build their own stages, never from the layer cache (the run\'s id is a build argument), with the builder the compile uses', () => {
    const runArg = 'CARGO_TARGET_RUN=${{ github.run_id }}-${{ github.run_attempt }}';
    const seed = step(jobs.build, 'cargo-target-seed').with;
    expect(seed).toMatchObject({ 'target': 'cargo-target-seed', 'build-args': runArg, 'outputs': 'type=cacheonly' });
    expect(seed['build-contexts']).toBe('${{ steps.builder.outputs.context }}\ncargo-target-import=${{ runner.temp }}/cargo-target');
    expect(seed['cache-from']).toBeUndefined();
    const exp = step(jobs.build, 'cargo-target-export').with;
    expect(exp).toMatchObject({ 'target': 'cargo-target-export', 'build-args': runArg, 'outputs': 'type=local,dest=${{ runner.temp }}/cargo-target-saved' });
    expect(JSON.stringify(jobs.build.steps)).not.toContain('no-cache');
    expect(exp['build-contexts']).toBe(step(jobs.build, 'compile').with['build-contexts']);
    // The export goes beside the restored folder; the merge makes that the folder to save.
    const merge = step(jobs.build, 'cargo-target-merge');
    expect(merge.env).toEqual({ RESTORED: '${{ runner.temp }}/cargo-target', EXPORTED: '${{ runner.temp }}/cargo-target-saved', MARK: 'delta-of' });
    expect(merge.shell).toBe('bash');
    expect(step(jobs.build, 'cargo-target-save').with.path).toBe('${{ runner.temp }}/cargo-target');
  });

  test('a pull request saves only where pull requests write caches', () => {
    const { jobs: readOnly } = synth({ ci: { cacheOnPullRequests: false } });
    expect(ids(readOnly.test)).toEqual(['cargo-target-lookup', 'cargo-target-restore', 'cargo-target-seed', 'compile']);
    expect(ids(readOnly.build)).toEqual(CARRY);
  });

  test('one key series per platform with a job per platform', () => {
    const { jobs: native } = synth({ ci: { strategy: BuildStrategy.NATIVE_RUNNERS } });
    expect(step(native.build, 'cargo-target-lookup').with['restore-keys']).toMatch(/-\$\{\{ matrix\.arch \}\}-$/);
  });

  test('a crate below the repository root hashes its own lock and manifests', () => {
    const project = newProject(Object.fromEntries(Object.entries(simpleCrate()).map(([f, t]) => [`services/app/${f}`, t])));
    new RustDockerImage(project, { cratePath: 'services/app', compilerCache: CompilerCache.cargoTarget() });
    const wf = Testing.synth(project)['.github/workflows/docker-app.yml'] as string;
    expect(parseYaml(wf).jobs.build.steps.find((s: any) => s.id === 'cargo-target-lookup').with.key)
      .toContain("${{ hashFiles('services/app/Cargo.lock', 'services/app/**/Cargo.toml') }}");
  });

  test('none with a remote builder, whose daemon keeps the mount; none with CompilerCache.none()', () => {
    const { jobs: remote } = synth({ ci: { remoteBuilder: { driver: 'remote', endpoint: 'tcp://buildkit.internal:1234' } } });
    expect(ids(remote.build)).toEqual(['compile']);
    const plain = parseYaml(synthImage(simpleCrate(), { compilerCache: CompilerCache.none() }).files['.github/workflows/docker-app.yml'] as string).jobs;
    expect(ids(plain.build)).toEqual(['compile']);
  });
});
