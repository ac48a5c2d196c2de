import { github, Project, Testing } from 'projen';
import { parse as parseYaml } from 'yaml';
import { BuildStrategy, CacheBackend, Defaults, Platform, Registry, RustDockerImage, RustDockerImageOptions } from '../src';
import { actionlintProblems } from './util';
import { newProject, simpleCrate, synthImage } from '../harness/projects';
import { tempDir, writeFiles } from '../harness/temp';

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

describe('cross-compile workflow', () => {
  const { wf, builder } = workflows({ ci: { smokeTestArgs: ['--version'] } });
  const steps = wf.jobs.build.steps;
  const step = (id: string) => steps.find((s: any) => s.id === id);

  test('triggers on the default branch, v* tags, pull requests and dispatch', () => {
    expect(wf.on.push).toEqual({ branches: ['main'], tags: ['v*'] });
    expect(wf.on.pull_request).toEqual({});
    expect(wf.on.workflow_dispatch).toEqual({});
  });

  test('one job, all platforms, no QEMU', () => {
    expect(Object.keys(wf.jobs)).toEqual(['build']);
    expect(step('build-app').with.platforms).toBe('linux/amd64,linux/arm64');
    expect(JSON.stringify(wf)).not.toContain('setup-qemu-action');
  });

  test('every step has an explicit id', () => {
    for (const job of Object.values<any>(wf.jobs)) for (const s of job.steps) expect(s.id).toBeDefined();
  });

  test('pull requests never push; only same-repository ones log in (to read a private builder), forks fall back', () => {
    expect(step('login').if).toBe("github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository");
    expect(step('build-app').with.outputs).toBe("type=image,push=${{ github.event_name != 'pull_request' }},rewrite-timestamp=true");
    expect(step('builder').run).toContain('not found or not readable: the inline builder stage will build the tools');
  });

  test('the smoke test gates the push: build and load, run, and only then build and push', () => {
    const ids: string[] = steps.map((x: any) => x.id);
    expect(ids.indexOf('smoke-build-app')).toBeLessThan(ids.indexOf('smoke-run-app'));
    expect(ids.indexOf('smoke-run-app')).toBeLessThan(ids.indexOf('build-app'));
    expect(step('smoke-build-app').with.load).toBe(true);
    expect(step('smoke-build-app').with.outputs).toBeUndefined();
    // No step before the smoke run can push.
    for (const x of steps.slice(0, ids.indexOf('smoke-run-app'))) expect(JSON.stringify(x.with ?? {})).not.toContain('push=');
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

  test('uses the published builder through a named context, falling back to the inline stage', () => {
    expect(step('builder').run).toContain('docker buildx imagetools inspect "$BUILDER_REF"');
    expect(step('build-app').with['build-contexts']).toBe('${{ steps.builder.outputs.context }}');
    expect(step('names').run).toMatch(new RegExp(`builder=.*ghcr.io/\\$\\{GITHUB_REPOSITORY\\}/rust-builder:${Defaults.RUST_VERSION.replace(/\./g, '\\.')}-[0-9a-f]{12}`));
  });

  test('least privilege', () => {
    expect(wf.jobs.build.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(wf.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
  });

  test('smoke test runs the runner-platform image with the given args', () => {
    expect(step('smoke-build-app').with.platforms).toBe('linux/amd64');
    expect(step('smoke-run-app').run).toBe("docker run --rm smoke-app:ci '--version'");
  });

  test('builder workflow: native runners, schedule, dockerfile path trigger, version tags', () => {
    expect(builder.on.schedule).toEqual([{ cron: '17 4 * * 1' }]);
    expect(builder.on.push.paths).toEqual(['rust-builder.Dockerfile', BUILDER_WF]);
    expect(builder.jobs.build.strategy.matrix.include).toEqual([
      { platform: 'linux/amd64', runner: '["ubuntu-24.04"]', arch: 'amd64', smoke: true },
      { platform: 'linux/arm64', runner: '["ubuntu-24.04-arm"]', arch: 'arm64', smoke: true },
    ]);
    expect(builder.jobs.build['runs-on']).toBe('${{ fromJSON(matrix.runner) }}');
    const meta = builder.jobs.merge.steps.find((s: any) => s.id === 'meta-builder');
    const v = Defaults.RUST_VERSION.replace(/\./g, '\\.');
    expect(meta.with.tags).toMatch(new RegExp(`type=raw,value=${v}-[0-9a-f]{12}\ntype=raw,value=${v}`));
  });

  test('action pins: projen\'s own for checkout and artifacts, current majors for Docker\'s', () => {
    const jobs = [...Object.values<any>(wf.jobs), ...Object.values<any>(builder.jobs)];
    const uses = new Set<string>(jobs.flatMap((j) => j.steps.map((x: any) => x.uses).filter(Boolean)));
    expect([...uses].filter((u) => u.startsWith('docker/')).sort()).toEqual([
      'docker/build-push-action@v7', 'docker/login-action@v4', 'docker/metadata-action@v6', 'docker/setup-buildx-action@v4',
    ]);
    const projenCheckout = github.WorkflowSteps.checkout().uses;
    expect(step('checkout').uses).toBe(projenCheckout);
    expect(builder.jobs.build.steps.find((x: any) => x.id === 'upload-digests').uses).toBe(github.WorkflowSteps.uploadArtifact({ with: { path: '.' } }).uses);
    expect(builder.jobs.merge.steps.find((x: any) => x.id === 'download-digests').uses).toBe(github.WorkflowSteps.downloadArtifact().uses);
  });
});

describe('native-runner workflow', () => {
  const { wf, out } = workflows({ ci: { strategy: BuildStrategy.NATIVE_RUNNERS, nativeRunners: { arm64: ['self-hosted', 'arm64'] }, smokeTestArgs: ['--version'] } });

  test('matrix per platform pushing by digest; per-platform Dockerfile layout', () => {
    expect(wf.jobs.build.strategy.matrix.include[1]).toEqual({ platform: 'linux/arm64', runner: '["self-hosted","arm64"]', arch: 'arm64', smoke: true });
    const build = wf.jobs.build.steps.find((s: any) => s.id === 'build-app');
    expect(build.with.outputs).toContain('push-by-digest=true,name-canonical=true');
    expect(build.with['cache-from']).toBe('type=gha,scope=app-${{ matrix.arch }}');
    expect(out.Dockerfile).toContain('FROM rust-builder AS cook\nARG TARGETPLATFORM\n');
  });

  test('each runner smoke-tests its platform before it pushes; platforms without a runner of their own are cross-compiled and not run', () => {
    const ids: string[] = wf.jobs.build.steps.map((x: any) => x.id);
    expect(ids.indexOf('smoke-run-app')).toBeLessThan(ids.indexOf('build-app'));
    expect(wf.jobs.build.steps.find((x: any) => x.id === 'smoke-run-app').if).toBe('matrix.smoke');
    const platforms = [Platform.LINUX_AMD64, Platform.LINUX_ARM_V7, Platform.LINUX_RISCV64];
    const withArm = parseYaml(synthImage(simpleCrate(), { platforms, ci: { strategy: BuildStrategy.NATIVE_RUNNERS } }).files[WF]);
    expect(withArm.jobs.build.strategy.matrix.include).toEqual([
      { platform: 'linux/amd64', runner: '["ubuntu-24.04"]', arch: 'amd64', smoke: true },
      { platform: 'linux/arm/v7', runner: '["ubuntu-24.04"]', arch: 'armv7', smoke: false },
      { platform: 'linux/riscv64', runner: '["ubuntu-24.04"]', arch: 'riscv64', smoke: false },
    ]);
  });

  test('merge job creates and inspects the manifest list with imagetools', () => {
    const merge = wf.jobs.merge;
    expect([merge.needs].flat()).toEqual(['build']);
    expect(merge.steps.find((s: any) => s.id === 'manifest-app').run).toContain('docker buildx imagetools create');
    expect(merge.steps.find((s: any) => s.id === 'manifest-app').run).toContain('select(startswith("index:"))');
    expect(merge.steps.find((s: any) => s.id === 'inspect-app').run).toContain('docker buildx imagetools inspect');
  });
});

describe('registries and options', () => {
  test('ECR uses OIDC with id-token: write only there', () => {
    const { wf } = workflows({ ci: { registry: registries[3][1] } });
    expect(wf.jobs.build.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
    expect(wf.jobs.build.steps.find((s: any) => s.id === 'aws-credentials').with['role-to-assume']).toContain('role/gha');
  });

  test('Docker Hub uses named secrets and no packages permission', () => {
    const { wf } = workflows({ ci: { registry: registries[1][1] } });
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
    expect(wf.jobs.build.steps.find((s: any) => s.id === 'buildx').with).toEqual({ driver: 'remote', endpoint: 'tcp://buildkitd:1234' });
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
  });
});
