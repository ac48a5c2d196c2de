import { github, Project, Testing } from 'projen';
import { parse as parseYaml } from 'yaml';
import { BuildStrategy, CacheBackend, Defaults, Platform, Registry, RustDockerImage, RustDockerImageOptions, SignedAttestations } from '../src';
import { actionlintProblems } from './util';
import { newProject, simpleCrate, synthImage } from '../harness/projects';
import { tempDir, writeFiles } from '../harness/temp';
import { ACTIONS } from '../src/private/ci/actions';

const WF = '.github/workflows/docker-app.yml';
const BUILDER_WF = '.github/workflows/rust-builder.yml';

function workflows(options: RustDockerImageOptions, files = simpleCrate()) {
  const out = synthImage(files, options).files;
  return { out, wf: parseYaml(out[WF]), builder: parseYaml(out[BUILDER_WF]) };
}

const registries: Array<[string, Registry]> = [
  ['ghcr', Registry.ghcr()],
  ['docker hub', Registry.dockerHub({ repositoryPrefix: 'acme' })],
  ['generic', Registry.generic({ host: 'registry.example.com:5000', repositoryPrefix: 'team/apps' })],
  ['ecr', Registry.ecr({ accountId: '123456789012', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/gha' })],
];

function inSubfolder(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [`services/app/${k}`, v]));
}

describe('actionlint finds nothing in any generated workflow', () => {
  for (const strategy of [BuildStrategy.CROSS_COMPILE, BuildStrategy.NATIVE_RUNNERS]) {
    for (const [name, registry] of registries) {
      for (const cache of [CacheBackend.GITHUB_ACTIONS, CacheBackend.REGISTRY]) {
        for (const subfolder of [false, true]) {
          test(`${strategy} / ${name} / ${cache}${subfolder ? ' / subfolder crate' : ''}`, async () => {
            const options = { cratePath: subfolder ? 'services/app' : undefined, ci: { strategy, registry, cache, smokeTestArgs: ['--version'] } };
            const out = synthImage(subfolder ? inSubfolder(simpleCrate()) : simpleCrate(), options).files;
            expect(await actionlintProblems(out[WF], WF)).toEqual([]);
            expect(await actionlintProblems(out[BUILDER_WF], BUILDER_WF)).toEqual([]);
          });
        }
      }
    }
  }

  test('the linter really runs: a broken workflow is reported', async () => {
    const broken = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.nope.nope }}\n      - run: echo ${{ steps.missing.outputs.x }}\n';
    expect((await actionlintProblems(broken)).length).toBeGreaterThan(0);
  });
});

/** The image references the `names` step of a workflow's build job computes (before lowercasing), by output key. */
function namesOf(workflow: string): Record<string, string> {
  const run: string = parseYaml(workflow).jobs.build.steps.find((x: any) => x.id === 'names').run;
  return Object.fromEntries([...run.matchAll(/echo "(\w+)=\$\(printf '%s' "([^"]+)" \| tr/g)].map((m) => [m[1], m[2]]));
}

/** The ids of a job's steps, in order. */
function ids(job: any): string[] {
  return job.steps.map((x: any) => x.id);
}

/** Steps that push: an image output with push enabled, the manifest list, or a push-by-digest build. */
function pushIndexes(job: any): number[] {
  return job.steps.map((s: any, i: number) => ((s.with?.outputs ?? '').includes('push=true') || (s.run ?? '').includes('imagetools create') ? i : -1)).filter((i: number) => i >= 0);
}

describe('cross-compile workflow', () => {
  const { wf, builder } = workflows({ ci: { smokeTestArgs: ['--version'] } });
  const steps = wf.jobs.build.steps;
  const step = (id: string) => steps.find((s: any) => s.id === id);

  test('triggers on pushes to any branch and v* tags; the job keeps the default branch\'s, whatever its name', () => {
    expect(wf.on.push).toEqual({ branches: ['**'], tags: ['v*'] });
    expect(wf.on.pull_request).toEqual({});
    expect(wf.on.workflow_dispatch).toEqual({});
    expect(wf.jobs.build.if).toBe("github.event_name != 'pull_request' && (github.event_name != 'push' || github.ref_type == 'tag' || github.ref_name == github.event.repository.default_branch)");
    expect(wf.jobs.test.if).toBe("github.event_name == 'pull_request'");
    expect(JSON.stringify(wf)).not.toContain('main');
  });

  test('ci.defaultBranch overrides: the trigger names it and the job has no branch condition', () => {
    const w = workflows({ ci: { defaultBranch: 'release' } }).wf;
    expect(w.on.push).toEqual({ branches: ['release'], tags: ['v*'] });
    expect(w.jobs.build.if).toBe("github.event_name != 'pull_request'");
  });

  test('a job for pull requests and one that publishes, all platforms on one runner; QEMU only runs the finished binaries of other architectures', () => {
    expect(Object.keys(wf.jobs)).toEqual(['test', 'build']);
    expect(step('build-app').with.platforms).toBe('linux/amd64,linux/arm64');
    expect(step('qemu').uses).toBe(ACTIONS.setupQemu);
    // Without smoke tests nothing runs emulated, so there is no QEMU.
    expect(JSON.stringify(workflows({}).wf)).not.toContain('setup-qemu-action');
  });

  test('every step has an explicit id', () => {
    for (const w of [wf, builder]) for (const job of Object.values<any>(w.jobs)) for (const s of job.steps) expect(s.id).toBeDefined();
  });

  test('pull requests run a job of their own that reads: no push, no signing, no token that writes; only same-repository ones log in', () => {
    const pr = wf.jobs.test;
    expect(pr.permissions).toEqual({ contents: 'read', packages: 'read' });
    expect(ids(pr)).not.toEqual(expect.arrayContaining(['build-app']));
    expect(ids(pr).filter((id) => /attest|sbom-|signing|^build-app$/.test(id))).toEqual([]);
    expect(pushIndexes(pr)).toEqual([]);
    // Same-repository pull requests log in to read a private builder; forks skip it and fall back to the inline builder.
    expect(pr.steps.find((s: any) => s.id === 'login').if).toBe("github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository");
    // It tests what the publishing job tests: the compile, every smoke test and the gate.
    expect(ids(pr)).toEqual(ids(wf.jobs.build).filter((id) => !/^(build-app|sbom-app|attest-|signing-skipped)/.test(id)));
    expect(step('build-app').with.outputs).toBe('type=image,push=true,rewrite-timestamp=true');
    for (const id of ['sbom-app', 'attest-provenance-app', 'attest-sbom-app']) expect(step(id).if).toMatch(/^github\.event_name != 'pull_request' && /);
  });

  test('the compile has a step of its own, before the per-platform loads: all platforms at once, its layers written to the cache', () => {
    const order = ids(wf.jobs.build);
    expect(order.indexOf('compile')).toBeLessThan(order.indexOf('smoke-build-app-amd64'));
    expect(step('compile').name).toBe('Compile app for linux/amd64,linux/arm64');
    expect(step('compile').with).toEqual(expect.objectContaining({
      'target': 'build',
      'platforms': 'linux/amd64,linux/arm64',
      'outputs': 'type=cacheonly',
      'cache-from': 'type=gha,scope=app-amd64-arm64',
      'cache-to': step('build-app').with['cache-to'],
    }));
    // A pull request's compile writes the cache where pull requests may (ci.cacheOnPullRequests, on by default).
    expect(wf.jobs.test.steps.find((s: any) => s.id === 'compile').with['cache-to']).toBe('type=gha,mode=max,scope=app-amd64-arm64,ignore-error=true');
    const closed = workflows({ ci: { cacheOnPullRequests: false } }).wf.jobs.test.steps.find((s: any) => s.id === 'compile');
    expect(closed.with['cache-to']).toBeUndefined();
  });

  test('every platform is smoke-tested, and the vulnerability gate passes, before any push', () => {
    const order = ids(wf.jobs.build);
    const firstPush = Math.min(...pushIndexes(wf.jobs.build));
    expect(firstPush).toBe(order.indexOf('build-app'));
    for (const arch of ['amd64', 'arm64']) {
      expect(order.indexOf(`smoke-build-app-${arch}`)).toBeLessThan(order.indexOf(`smoke-run-app-${arch}`));
      expect(order.indexOf(`smoke-run-app-${arch}`)).toBeLessThan(firstPush);
    }
    expect(order.indexOf('qemu')).toBeLessThan(order.indexOf('smoke-run-app-arm64'));
    expect(order.indexOf('audit')).toBeLessThan(firstPush);
    expect(order.indexOf('binaries')).toBeLessThan(order.indexOf('audit'));
    expect(step('smoke-build-app-arm64').with).toEqual(expect.objectContaining({ platforms: 'linux/arm64', load: true, tags: 'smoke-app-arm64:ci' }));
    expect(step('smoke-run-app-arm64').run).toBe("docker run --rm --platform linux/arm64 smoke-app-arm64:ci '--version'");
    // The tested layers are the pushed ones: same build arguments, SOURCE_DATE_EPOCH and cache as the push.
    for (const arch of ['amd64', 'arm64']) {
      const smoke = step(`smoke-build-app-${arch}`);
      expect(smoke.env).toEqual(step('build-app').env);
      for (const k of ['context', 'file', 'target', 'build-contexts', 'build-args', 'cache-from']) expect({ k, v: smoke.with[k] }).toEqual({ k, v: step('build-app').with[k] });
    }
  });

  test('the gate: binaries of every platform, cargo-audit, the script\'s policy, and the reports kept even on failure', () => {
    expect(step('binaries').with).toEqual(expect.objectContaining({ target: 'binaries', platforms: 'linux/amd64,linux/arm64', outputs: 'type=local,dest=${{ runner.temp }}/binaries' }));
    expect(step('install-cargo-audit')).toEqual(expect.objectContaining({ uses: ACTIONS.installTool, with: { tool: 'cargo-audit' } }));
    expect(step('audit').run).toBe('sh docker-app.sh audit-bins "$RUNNER_TEMP/binaries" "$RUNNER_TEMP/audit"');
    expect(step('upload-audit')).toEqual(expect.objectContaining({ if: 'always()' }));
    expect(step('upload-audit').with.path).toBe('${{ runner.temp }}/audit');
    // Turned off, or without cargo-auditable's list, there is no gate.
    for (const options of [{ vulnerabilityGate: { enabled: false } }, { auditable: false }]) {
      expect(ids(workflows(options).wf.jobs.build)).not.toContain('audit');
    }
  });

  test('signed attestations use the pushed digest; the job that pushes is the only one with id-token and attestations', () => {
    const digest = '${{ steps.build-app.outputs.digest }}';
    expect(step('attest-provenance-app')).toEqual(expect.objectContaining({
      uses: ACTIONS.attestProvenance, with: { 'subject-name': '${{ steps.names.outputs.image_app }}', 'subject-digest': digest, 'push-to-registry': true },
    }));
    expect(step('sbom-app').with.image).toBe(`\${{ steps.names.outputs.image_app }}@${digest}`);
    expect(step('attest-sbom-app').with).toEqual(expect.objectContaining({ 'subject-digest': digest, 'sbom-path': step('sbom-app').with['output-file'] }));
    const order = ids(wf.jobs.build);
    expect(order.indexOf('build-app')).toBeLessThan(order.indexOf('sbom-app'));
    expect(wf.jobs.build.permissions).toEqual({ 'contents': 'read', 'packages': 'write', 'id-token': 'write', 'attestations': 'write' });
  });

  test('signing: public repositories by default, with a notice in private ones; always; never', () => {
    expect(step('attest-provenance-app').if).toBe("github.event_name != 'pull_request' && github.event.repository.visibility == 'public'");
    expect(step('signing-skipped').if).toBe("github.event_name != 'pull_request' && github.event.repository.visibility != 'public'");
    expect(step('signing-skipped').run).toContain('GITHUB_STEP_SUMMARY');
    const always = workflows({ ci: { signedAttestations: SignedAttestations.ALWAYS } }).wf.jobs.build;
    expect(always.steps.find((s: any) => s.id === 'attest-provenance-app').if).toBe("github.event_name != 'pull_request'");
    expect(ids(always)).not.toContain('signing-skipped');
    const never = workflows({ ci: { signedAttestations: SignedAttestations.NEVER } }).wf.jobs.build;
    expect(ids(never).filter((id) => /attest|sbom-|signing/.test(id))).toEqual([]);
    expect(never.permissions).toEqual({ contents: 'read', packages: 'write' });
  });

  test('tags: branch, pr, semver with no bare major for 0.x, sha', () => {
    const tags = step('meta-app').with.tags;
    expect(tags).toContain('type=ref,event=branch');
    expect(tags).toContain('type=ref,event=pr');
    expect(tags).toContain('type=semver,pattern={{version}}');
    expect(tags).toContain('type=semver,pattern={{major}}.{{minor}}');
    expect(tags).toContain("type=semver,pattern={{major}},enable=${{ !startsWith(github.ref, 'refs/tags/v0.') }}");
    expect(tags).toContain('type=sha');
  });

  test('labels are reproducible: created is the commit time, the source is the building repository, the version comes from the tag', () => {
    const labels = step('meta-app').with.labels as string;
    expect(labels).toContain("org.opencontainers.image.created={{commit_date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}");
    expect(labels).not.toContain('org.opencontainers.image.source');
    expect(labels).not.toContain('org.opencontainers.image.version');
    expect(labels).toContain('org.opencontainers.image.description=An app');
    expect(step('build-app').with['build-args']).toBe('IMAGE_VERSION=${{ steps.meta-app.outputs.version }}');
  });

  test('GHCR shows the description: annotations at index and manifest level', () => {
    expect(step('meta-app').env).toEqual({ DOCKER_METADATA_ANNOTATIONS_LEVELS: 'index,manifest' });
    expect(step('build-app').with.annotations).toBe('${{ steps.meta-app.outputs.annotations }}');
  });

  test('GHCR name is lowercased at run time', () => {
    expect(step('names').run).toContain('  echo "image_app=$(printf \'%s\' "ghcr.io/${GITHUB_REPOSITORY}/app" | tr \'[:upper:]\' \'[:lower:]\')"\n');
    expect(step('names').run).toMatch(/^\{\n[\s\S]*\n\} >> "\$GITHUB_OUTPUT"$/);
  });

  test('gha cache scoped per image and platform set, attestations, reproducible', () => {
    const w = step('build-app').with;
    expect(w['cache-from']).toBe('type=gha,scope=app-amd64-arm64');
    expect(w['cache-to']).toBe('type=gha,mode=max,scope=app-amd64-arm64,ignore-error=true');
    expect(w.provenance).toBe('mode=max');
    expect(w.sbom).toBe(true);
    expect(step('build-app').env.SOURCE_DATE_EPOCH).toBe('${{ steps.source-date-epoch.outputs.epoch }}');
    expect(step('source-date-epoch').run).toContain('git log -1 --pretty=%ct');
  });

  test('uses the published builder pinned by digest, and says in the log and summary why it falls back', () => {
    const run = step('builder').run as string;
    expect(run).toContain('docker buildx imagetools inspect "$BUILDER_REF" --format \'{{json .Manifest}}\'');
    expect(run).toContain('echo "context=rust-builder=docker-image://$BUILDER_REF@$digest" >> "$GITHUB_OUTPUT"');
    expect(run).toMatch(/not found.*why="it is not published yet/);
    expect(run).toMatch(/denied.*why="this workflow's token cannot read it/);
    expect(run).toContain('echo "::warning title=Inline builder::');
    expect(run).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(step('build-app').with['build-contexts']).toBe('${{ steps.builder.outputs.context }}');
    expect(step('names').run).toMatch(new RegExp(`builder=.*ghcr.io/\\$\\{GITHUB_REPOSITORY\\}/rust-builder:${Defaults.RUST_VERSION.replace(/\./g, '\\.')}-[0-9a-f]{12}`));
  });

  test('superseded pull-request runs are cancelled', () => {
    expect(wf.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
  });

  test('builder workflow: one amd64 runner for both platforms, QEMU for the arm64 image\'s cheap steps, each platform\'s tools run before the push', () => {
    expect(builder.on.schedule).toEqual([{ cron: '17 4 * * 1' }]);
    expect(builder.on.push).toEqual({ branches: ['**'], paths: ['rust-builder.Dockerfile', BUILDER_WF] });
    expect(Object.keys(builder.jobs)).toEqual(['test', 'build']);
    expect(builder.jobs.build['runs-on']).toBe('ubuntu-24.04');
    const b = (id: string) => builder.jobs.build.steps.find((s: any) => s.id === id);
    expect(b('qemu')).toBeDefined();
    expect(b('build-builder').with.platforms).toBe('linux/amd64,linux/arm64');
    expect(b('smoke-run-builder-arm64').run).toBe("docker run --rm --platform linux/arm64 smoke-builder-arm64:ci 'cargo' 'zigbuild' '--version'");
    const v = Defaults.RUST_VERSION.replace(/\./g, '\\.');
    expect(b('meta-builder').with.tags).toMatch(new RegExp(`type=raw,value=${v}-[0-9a-f]{12}\ntype=raw,value=${v}`));
  });

  test('action pins: projen\'s own for checkout and artifacts; every other action, in jobs with a write or OIDC token, by commit', () => {
    const jobs = [...Object.values<any>(wf.jobs), ...Object.values<any>(builder.jobs)];
    const uses = new Set<string>(jobs.flatMap((j) => j.steps.map((x: any) => x.uses).filter(Boolean)));
    expect([...uses].filter((u) => !u.startsWith('actions/checkout@') && !u.startsWith('actions/upload-artifact@')).sort()).toEqual([
      ACTIONS.attestProvenance, ACTIONS.attestSbom, ACTIONS.sbom, ACTIONS.buildPush, ACTIONS.login, ACTIONS.metadata,
      ACTIONS.setupBuildx, ACTIONS.setupQemu, ACTIONS.installTool, ACTIONS.cacheRestore, ACTIONS.cacheSave,
    ].sort());
    for (const u of uses) expect(u).toMatch(/@[0-9a-f]{40}$/);
    expect(step('checkout').uses).toBe(github.WorkflowSteps.checkout().uses);
    expect(step('upload-audit').uses).toBe(github.WorkflowSteps.uploadArtifact({ with: { path: '.' } }).uses);
  });

  test('a pin is the user\'s to move, through projen\'s github.actions', () => {
    const project = new Project({ name: 'pins', outdir: tempDir() });
    writeFiles(project.outdir, simpleCrate());
    const gh = new github.GitHub(project, { mergify: false, pullRequestLint: false });
    gh.actions.set('docker/build-push-action', 'docker/build-push-action@0123456789abcdef0123456789abcdef01234567');
    new RustDockerImage(project, {});
    const moved = parseYaml(Testing.synth(project)[WF]);
    expect(moved.jobs.build.steps.find((s: any) => s.id === 'build-app').uses).toBe('docker/build-push-action@0123456789abcdef0123456789abcdef01234567');
  });
});

describe('no job waits for a runner the repository cannot have', () => {
  test.each([BuildStrategy.CROSS_COMPILE, BuildStrategy.NATIVE_RUNNERS])('%s: with default options, no arm64 runner label anywhere', (strategy) => {
    const { out } = workflows({ ci: { strategy, smokeTestArgs: ['--version'] } });
    for (const f of [WF, BUILDER_WF]) expect({ f, arm: /ubuntu-[0-9.]+-arm|arm64\b.*runs-on|self-hosted/.test(out[f]) }).toEqual({ f, arm: false });
    expect(JSON.stringify(parseYaml(out[WF]))).not.toContain('-arm"');
  });
});

describe('native-runner workflow', () => {
  const { wf, out } = workflows({ ci: { strategy: BuildStrategy.NATIVE_RUNNERS, nativeRunners: { arm64: ['ubuntu-24.04-arm'] }, smokeTestArgs: ['--version'] } });
  const job = wf.jobs.build;
  const step = (id: string) => job.steps.find((s: any) => s.id === id);

  test('matrix per platform pushing by digest; per-platform Dockerfile layout; a runner is used only where configured', () => {
    expect(job.strategy.matrix.include).toEqual([
      { platform: 'linux/amd64', runner: '["ubuntu-24.04"]', arch: 'amd64' },
      { platform: 'linux/arm64', runner: '["ubuntu-24.04-arm"]', arch: 'arm64' },
    ]);
    expect(step('build-app').with.outputs).toContain('push-by-digest=true,name-canonical=true');
    expect(step('build-app').with['cache-from']).toBe('type=gha,scope=app-${{ matrix.arch }}');
    expect(out.Dockerfile).toContain('FROM rust-builder AS cook\nARG TARGETPLATFORM\n');
  });

  test('each platform is smoke-tested and gated on its job before it pushes; without a runner of its own it runs under QEMU there', () => {
    const order = ids(job);
    expect(order.indexOf('smoke-run-app')).toBeLessThan(order.indexOf('build-app'));
    expect(order.indexOf('audit')).toBeLessThan(order.indexOf('build-app'));
    expect(step('smoke-run-app').if).toBeUndefined();
    expect(step('binaries').with.platforms).toBe('${{ matrix.platform }}');
    const platforms = [Platform.LINUX_AMD64, Platform.LINUX_ARM_V7, Platform.LINUX_RISCV64];
    const others = parseYaml(synthImage(simpleCrate(), { platforms, ci: { strategy: BuildStrategy.NATIVE_RUNNERS, smokeTestArgs: ['--version'] } }).files[WF]);
    expect(others.jobs.build.strategy.matrix.include).toEqual([
      { platform: 'linux/amd64', runner: '["ubuntu-24.04"]', arch: 'amd64' },
      { platform: 'linux/arm/v7', runner: '["ubuntu-24.04"]', arch: 'armv7' },
      { platform: 'linux/riscv64', runner: '["ubuntu-24.04"]', arch: 'riscv64' },
    ]);
    expect(ids(others.jobs.build)).toContain('qemu');
  });

  test('the merge job creates the tags, reads the index digest and signs it; only it has id-token and attestations', () => {
    const merge = wf.jobs.merge;
    expect([merge.needs].flat()).toEqual(['build']);
    const manifest = merge.steps.find((s: any) => s.id === 'manifest-app');
    expect(manifest.run).toContain('docker buildx imagetools create');
    expect(manifest.run).toContain('select(startswith("index:"))');
    expect(manifest.run).toContain('echo "digest=$(docker buildx imagetools inspect "$IMAGE:$VERSION" --format \'{{json .Manifest}}\' | jq -r .digest)" >> "$GITHUB_OUTPUT"');
    const attest = merge.steps.find((s: any) => s.id === 'attest-provenance-app');
    expect(attest.with['subject-digest']).toBe('${{ steps.manifest-app.outputs.digest }}');
    expect(merge.permissions).toEqual({ 'contents': 'read', 'packages': 'write', 'id-token': 'write', 'attestations': 'write' });
    expect(job.permissions).toEqual({ contents: 'read', packages: 'write' });
  });
});

describe('registries and options', () => {
  test('ECR uses OIDC: id-token: write for the login', () => {
    const { wf } = workflows({ ci: { registry: registries[3][1], signedAttestations: SignedAttestations.NEVER } });
    expect(wf.jobs.build.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
    expect(wf.jobs.build.steps.find((s: any) => s.id === 'aws-credentials').with['role-to-assume']).toContain('role/gha');
  });

  test('Docker Hub uses named secrets and no packages permission', () => {
    const { wf } = workflows({ ci: { registry: registries[1][1], signedAttestations: SignedAttestations.NEVER } });
    expect(wf.jobs.build.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.build.steps.find((s: any) => s.id === 'login').with.password).toBe('${{ secrets.DOCKERHUB_TOKEN }}');
  });

  test('registry cache', () => {
    const { wf } = workflows({ ci: { cache: CacheBackend.REGISTRY } });
    const w = wf.jobs.build.steps.find((s: any) => s.id === 'build-app').with;
    expect(w['cache-from']).toBe('type=registry,ref=${{ steps.names.outputs.image_app }}:buildcache-app-amd64-arm64');
    expect(w['cache-to']).toContain('mode=max,ignore-error=true');
  });

  test('pull requests can be kept from writing the cache, for large workspaces', () => {
    const { wf } = workflows({ ci: { cacheOnPullRequests: false } });
    const w = wf.jobs.build.steps.find((s: any) => s.id === 'build-app').with;
    expect(w['cache-to']).toBe("${{ github.event_name != 'pull_request' && 'type=gha,mode=max,scope=app-amd64-arm64,ignore-error=true' || '' }}");
    expect(w['cache-from']).toBe('type=gha,scope=app-amd64-arm64');
  });

  test('remote BuildKit builder', () => {
    const { wf } = workflows({ ci: { remoteBuilder: { driver: 'remote', endpoint: 'tcp://buildkitd:1234' } } });
    const step = wf.jobs.build.steps.find((s: any) => s.id === 'buildx');
    expect(step.with).toEqual({ driver: 'remote', endpoint: 'tcp://buildkitd:1234' });
    expect(step.env).toBeUndefined();
  });

  test('a remote buildkitd over plain TCP gets a warning with the TLS fix; with TLS, or a cloud builder, none; the key secret is named only in the workflow expression', () => {
    const plain = synthImage(simpleCrate(), { ci: { remoteBuilder: { driver: 'remote', endpoint: 'tcp://buildkitd:1234' } } });
    expect(plain.image.warnings).toEqual([expect.stringMatching(/^ci\.remoteBuilder: tcp:\/\/buildkitd:1234 is reached over plain TCP.*Fix: serve buildkitd with --tlscacert, --tlscert and --tlskey, and set ci\.remoteBuilder\.tls/)]);
    const tls = synthImage(simpleCrate(), { ci: { remoteBuilder: { driver: 'remote', endpoint: 'tcp://buildkitd:1234', tls: {} } } });
    expect(tls.image.warnings).toEqual([]);
    expect(synthImage(simpleCrate(), { ci: { remoteBuilder: { driver: 'cloud', endpoint: 'acme/builder' } } }).image.warnings).toEqual([]);
    // The secrets are named only as expressions the runner fills in: no file carries a secret's value or a path to one.
    const mentions = Object.values(tls.files).filter((f): f is string => typeof f === 'string').flatMap((f) => f.match(/.{0,12}BUILDKIT_CLIENT_KEY.{0,3}/g) ?? []);
    expect(mentions.length).toBeGreaterThan(0);
    expect([...new Set(mentions)]).toEqual(['${{ secrets.BUILDKIT_CLIENT_KEY }}']);
  });

  test('remote BuildKit with mutual TLS: the certificates come from repository secrets, as setup-buildx-action reads them for node 0', async () => {
    const defaults = workflows({ ci: { remoteBuilder: { driver: 'remote', endpoint: 'tcp://buildkitd:1234', tls: {} } } });
    const step = defaults.wf.jobs.build.steps.find((s: any) => s.id === 'buildx');
    expect(step.with).toEqual({ driver: 'remote', endpoint: 'tcp://buildkitd:1234' });
    expect(step.env).toEqual({
      BUILDER_NODE_0_AUTH_TLS_CACERT: '${{ secrets.BUILDKIT_CA_CERT }}',
      BUILDER_NODE_0_AUTH_TLS_CERT: '${{ secrets.BUILDKIT_CLIENT_CERT }}',
      BUILDER_NODE_0_AUTH_TLS_KEY: '${{ secrets.BUILDKIT_CLIENT_KEY }}',
    });
    const named = workflows({ ci: { remoteBuilder: { driver: 'remote', endpoint: 'tcp://10.0.0.9:1234', tls: { caCertSecret: 'FLEET_CA', certSecret: 'FLEET_CERT', keySecret: 'FLEET_KEY', serverName: 'buildkitd.fleet' } } } });
    const custom = named.wf.jobs.build.steps.find((s: any) => s.id === 'buildx');
    expect(custom.with['driver-opts']).toBe('servername=buildkitd.fleet');
    expect(Object.values(custom.env)).toEqual(['${{ secrets.FLEET_CA }}', '${{ secrets.FLEET_CERT }}', '${{ secrets.FLEET_KEY }}']);
    expect(await actionlintProblems(named.out[WF], WF)).toEqual([]);
  });

  test('subfolder crate: paths filters and working directory', () => {
    const out = synthImage(inSubfolder(simpleCrate()), { cratePath: 'services/app' }).files;
    const wf = parseYaml(out[WF]);
    expect(wf.on.push.paths).toEqual(['services/app/**', WF]);
    expect(wf.jobs.build.defaults.run['working-directory']).toBe('services/app');
    expect(wf.jobs.build.steps.find((s: any) => s.id === 'build-app').with.file).toBe('services/app/Dockerfile');
  });

  test('action versions come from one table and follow github.actions overrides', () => {
    const project = newProject(simpleCrate());
    github.GitHub.of(project)!.actions.set('docker/build-push-action', 'docker/build-push-action@0123456789abcdef0123456789abcdef01234567');
    new RustDockerImage(project, {});
    const wf = parseYaml(Testing.synth(project)[WF]);
    expect(wf.jobs.build.steps.find((s: any) => s.id === 'build-app').uses).toBe('docker/build-push-action@0123456789abcdef0123456789abcdef01234567');
  });

  test('a subproject writes its workflow at the root with its paths', () => {
    const root = newProject({});
    writeFiles(root.outdir, Object.fromEntries(Object.entries(simpleCrate()).map(([k, v]) => [`packages/svc/${k}`, v])));
    const sub = new Project({ name: 'svc', parent: root, outdir: 'packages/svc' });
    new RustDockerImage(sub, {});
    const out = Testing.synth(root);
    const wf = parseYaml(out[WF]);
    expect(wf.jobs.build.steps.find((s: any) => s.id === 'build-app').with.context).toBe('packages/svc');
    expect(wf.on.push.paths).toEqual(['packages/svc/**', WF]);
    expect(out['packages/svc/Dockerfile']).toBeDefined();
  });

  test('no GitHub support: a warning and no workflows', () => {
    const outdir = tempDir();
    writeFiles(outdir, simpleCrate());
    const project = new Project({ name: 'x', outdir, github: false } as any);
    const warn = jest.spyOn(project.logger, 'warn');
    new RustDockerImage(project, {});
    const out = Testing.synth(project);
    expect(Object.keys(out).some((k) => k.startsWith('.github/'))).toBe(false);
    expect(warn.mock.calls.join(' ')).toContain('no GitHub support');
  });

  test('two images with the same builder settings share one builder workflow', () => {
    const project = newProject({
      ...Object.fromEntries(Object.entries(simpleCrate('api')).map(([k, v]) => [`api/${k}`, v])),
      ...Object.fromEntries(Object.entries(simpleCrate('worker')).map(([k, v]) => [`worker/${k}`, v])),
    });
    new RustDockerImage(project, { cratePath: 'api' });
    new RustDockerImage(project, { cratePath: 'worker' });
    const out = Testing.synth(project);
    expect(Object.keys(out).filter((k) => k.startsWith('.github/workflows/')).sort()).toEqual([
      '.github/workflows/docker-api.yml', '.github/workflows/docker-worker.yml', '.github/workflows/rust-builder.yml',
    ]);
    expect(Object.keys(out).filter((k) => /rust-builder.*\.Dockerfile$/.test(k))).toEqual(['rust-builder.Dockerfile']);
    // Both image workflows read the one builder the builder workflow pushes.
    const builderRef = (wf: string) => namesOf(out[wf]).builder;
    expect(builderRef('.github/workflows/docker-api.yml')).toBe(builderRef('.github/workflows/docker-worker.yml'));
  });

  test('two images with different builder settings: two builders, each pushed to its own repository; the local tag is CI\'s name and tag', () => {
    const project = newProject({
      ...Object.fromEntries(Object.entries(simpleCrate('api')).map(([k, v]) => [`api/${k}`, v])),
      ...Object.fromEntries(Object.entries(simpleCrate('worker')).map(([k, v]) => [`worker/${k}`, v])),
    });
    const api = new RustDockerImage(project, { cratePath: 'api' });
    const worker = new RustDockerImage(project, { cratePath: 'worker', builder: { extraPackages: ['cmake'] } });
    const out = Testing.synth(project);
    expect([api.builderDockerfilePath, worker.builderDockerfilePath]).toEqual(['rust-builder.Dockerfile', 'rust-builder-2.Dockerfile']);
    expect(api.builderTag).not.toBe(worker.builderTag);
    // What each builder workflow pushes: its own repository, under the hash tag and the floating Rust-version tag.
    const pushed = (wf: string) => {
      const job = parseYaml(out[wf]).jobs.build;
      const repo = namesOf(out[wf]).builder;
      const tags = job.steps.find((x: any) => x.id === 'meta-builder').with.tags.split('\n').filter(Boolean);
      return { repo, tags };
    };
    const first = pushed('.github/workflows/rust-builder.yml');
    const second = pushed('.github/workflows/rust-builder-2.yml');
    expect(first.repo).toBe('ghcr.io/${GITHUB_REPOSITORY}/rust-builder');
    expect(second.repo).toBe('ghcr.io/${GITHUB_REPOSITORY}/rust-builder-2');
    expect(first.tags).toContain(`type=raw,value=${Defaults.RUST_VERSION}`);
    expect(second.tags).toContain(`type=raw,value=${Defaults.RUST_VERSION}`);
    // The image workflows read their own builder.
    const readRef = (wf: string) => namesOf(out[wf]).builder;
    expect(readRef('.github/workflows/docker-api.yml')).toContain(`/rust-builder:${api.builderTag}`);
    expect(readRef('.github/workflows/docker-worker.yml')).toContain(`/rust-builder-2:${worker.builderTag}`);
    // The local builder task tags what CI pushes, without the registry.
    const tasks = out['.projen/tasks.json'].tasks;
    expect(tasks['docker:rust-builder-2:build'].steps[0].exec).toContain(`-t rust-builder-2:${worker.builderTag} `);
    expect(tasks['docker:rust-builder:build'].steps[0].exec).toContain(`-t rust-builder:${api.builderTag} `);
  });
});

describe('a failed registry login says what the registry needs', () => {
  const expected: Record<string, RegExp> = {
    'ghcr': /no secret: the workflow's GITHUB_TOKEN with packages: write/,
    'docker hub': /the repository secrets DOCKERHUB_USERNAME \(the Docker Hub username\) and DOCKERHUB_TOKEN \(a Docker Hub access token/,
    'generic': /the repository secrets REGISTRY_USERNAME and REGISTRY_PASSWORD \(a username of registry\.example\.com:5000/,
    'ecr': /the IAM role arn:aws:iam::123456789012:role\/gha, trusting GitHub's OIDC provider/,
  };
  for (const [name, registry] of registries) {
    test(`${name}: right after the login steps, on their failure only, into the run's summary`, () => {
      const { wf } = workflows({ ci: { registry } });
      const steps: any[] = wf.jobs.build.steps;
      const help = steps.findIndex((s) => s.id === 'login-help');
      expect(steps[help - 1].id).toBe('login');
      const logins = steps.slice(0, help).filter((s) => s.id === 'login' || s.id === 'aws-credentials').map((s) => `steps.${s.id}.outcome == 'failure'`);
      expect(steps[help].if).toBe(`failure() && (${logins.join(' || ')})`);
      expect(steps[help].env.NEEDS).toMatch(expected[name]);
      expect(steps[help].run).toBe(`echo "**Logging in to ${registry.host} failed.** The login needs $NEEDS." >> "$GITHUB_STEP_SUMMARY"`);
    });
  }

  test('custom secret names are the ones named', () => {
    const { wf } = workflows({ ci: { registry: Registry.dockerHub({ repositoryPrefix: 'acme', usernameSecret: 'HUB_USER', passwordSecret: 'HUB_PAT' }) } });
    expect(wf.jobs.build.steps.find((s: any) => s.id === 'login-help').env.NEEDS).toMatch(/secrets HUB_USER .* and HUB_PAT /);
  });
});
