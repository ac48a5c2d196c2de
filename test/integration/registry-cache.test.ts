/**
 * A fleet's shared registry cache, for real: with `ci.cache:
 * CacheBackend.REGISTRY`, two independent builders (two buildkitd daemons
 * with empty roots of their own, as two ephemeral runners have) share the
 * cook through a local registry (distribution's `registry`, over HTTPS with
 * the suite's own CA). The first runs the generated workflow's compile step as
 * a push to the default branch does, and exports its cache there; the second,
 * empty, runs the same step for the next commit (a source edit) and then the
 * binaries export, and compiles the edited crate only. The steps are the workflow's own build-push inputs, their
 * expressions evaluated as the runner does (harness/workflow-expressions.ts),
 * run as buildx commands on each daemon; the published builder is passed as
 * the builder step passes it.
 */
import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { BuildkitDaemon, BuildResult, compiledIn, expectExitZero, expectOk, parseProgress, stageRuns, standIns, SUITE_ROOT } from '../../harness/buildkit';
import { edit, ImageProject, pushBuilderImage, suiteBuilderSource, synthProject } from '../../harness/image-project';
import { EXAMPLE_OPTIONS, exampleSources } from '../../harness/projects';
import { hostAddress, LocalRegistry, RegistryClientDaemon } from '../../harness/registry';
import { buildxArgsOf, buildxBuild, dockerFront, frontendStandIn, makeTlsFiles, runStep, TlsFiles, workflowBuilder, WorkflowStep } from '../../harness/remote-buildkit';
import { skipNotice, tempDir } from '../../harness/temp';
import { runBinary, toolEnv, TOOLS_BIN } from '../../harness/tools';
import { CacheBackend, Registry } from '../../src';
import { imageInternals } from '../../src/private/components/internals';

jest.setTimeout(60 * 60 * 1000);

const why = BuildkitDaemon.unavailable() ?? LocalRegistry.unavailable()
  ?? (existsSync(join(TOOLS_BIN, 'buildx')) && existsSync(join(TOOLS_BIN, 'dockerfile-frontend')) ? undefined : 'buildx or the Dockerfile frontend is not built (.ci/install-tools)');
if (why && process.env.CI) throw new Error(`CI is set, but the registry-cache checks cannot run: ${why}`);
if (why) skipNotice(`a registry cache shared by two builders: ${why}`);

(why ? describe.skip : describe)('two empty builders share the cook through a registry cache', () => {
  let tls: TlsFiles;
  let registry: LocalRegistry;
  let p: ImageProject;
  let front: string;
  let steps: WorkflowStep[];
  let context: Record<string, string>;
  let env: NodeJS.ProcessEnv;
  const builders: string[] = [];
  const daemons: RegistryClientDaemon[] = [];
  const config = tempDir('prd-buildx-config-');
  const run = (builder: number, id: string, extra: Record<string, string> = {}): BuildResult => {
    const step = steps.find((s) => s.id === id)!;
    return buildxBuild(front, builders[builder], buildxArgsOf(step.with!, { ...context, ...extra }), p.dir);
  };
  const cooks = (r: BuildResult) => stageRuns(r, 'cook');

  beforeAll(async () => {
    tls = makeTlsFiles(tempDir('prd-registry-tls-'), ['localhost'], [hostAddress()!]);
    registry = new LocalRegistry(tls);
    await registry.start();
    for (let i = 0; i < 3; i++) {
      const daemon = new RegistryClientDaemon(registry, tls.ca);
      await daemon.start();
      daemons.push(daemon);
    }
    // The team's registry is the local one; a developer's local builds reach the third daemon as CI's remote builder.
    p = synthProject(exampleSources(), {
      ...EXAMPLE_OPTIONS,
      builder: { image: `${registry.address}/acme/rust-builder` },
      ci: {
        ...EXAMPLE_OPTIONS.ci,
        cache: CacheBackend.REGISTRY,
        registry: Registry.generic({ host: registry.address, repositoryPrefix: 'acme' }),
        remoteBuilder: { driver: 'remote', endpoint: daemons[2].address },
      },
    });
    const bases = standIns();
    const r = imageInternals(p.image).resolved;
    // The builder image, published to the registry as the builder workflow does, from the suite's daemon (where its layers are cached).
    const suite = new RegistryClientDaemon(registry, tls.ca, SUITE_ROOT);
    await suite.start();
    const builderRef = pushBuilderImage(suite, p, bases, suiteBuilderSource());
    suite.stop();
    front = dockerFront({ 'docker/dockerfile:1': frontendStandIn(), [r.binaries[0].runtime.baseImage]: bases.runtime }, config);
    env = { ...toolEnv(), PATH: `${front}:${toolEnv().PATH}`, SSL_CERT_FILE: tls.ca };
    steps = parseYaml(p.files['.github/workflows/docker-hello-service.yml']).jobs.build.steps;
    context = { 'github.event_name': 'push', 'steps.names.outputs.image_hello_service': `${registry.address}/acme/hello-service`, 'steps.names.outputs.builder': builderRef };
    // The workflow's builder step, run as the runner runs it: it finds the published builder and names it as a build context.
    const found = runStep(steps.find((s) => s.id === 'builder')!, context, env);
    expect(found.stdout).toContain(`Builder image: ${builderRef}@sha256:`);
    context['steps.builder.outputs.context'] = found.outputs.context;
    for (const daemon of daemons.slice(0, 2)) builders.push(workflowBuilder({ with: { driver: 'remote', endpoint: daemon.address } }, {}, config));
  });

  test('the workflow\'s compile step names the registry cache, and writes it only on a push', () => {
    const compile = steps.find((s) => s.id === 'compile')!;
    const ref = `${registry.address}/acme/hello-service:buildcache-hello-service-amd64-arm64`;
    expect(buildxArgsOf(compile.with!, context)).toEqual(expect.arrayContaining([
      '--cache-from', `type=registry,ref=${ref}`, '--cache-to', `type=registry,ref=${ref},mode=max,ignore-error=true`, '--output', 'type=cacheonly',
    ]));
    expect(buildxArgsOf(compile.with!, { ...context, 'github.event_name': 'pull_request' })).not.toContain('--cache-to');
  });

  test('the first builder, empty, compiles everything and exports its cache to the registry', async () => {
    const r = run(0, 'compile');
    expectOk(r);
    expect(cooks(r).length).toBeGreaterThan(0);
    expect(cooks(r).map((s) => s.output.length > 0 && !s.cached)).toEqual(cooks(r).map(() => true));
    expect(cooks(r).flatMap(compiledIn)).toEqual(expect.arrayContaining(['itoa', 'memchr', 'smallvec']));
    expect(await registry.tags('acme/hello-service')).toEqual(['buildcache-hello-service-amd64-arm64']);
    expect(registry.storedBytes()).toBeGreaterThan(1024 * 1024);
  });

  test('the second builder, empty too, builds the next commit (a source edit) with the cook from the registry: only the edited crate compiles, and its binaries run', () => {
    edit(join(p.dir, 'src', 'main.rs'), (t) => `${t}\n// the next commit\n`);
    const r = run(1, 'compile');
    expectOk(r);
    expect(r.log).toMatch(/importing cache manifest from .*buildcache-hello-service-amd64-arm64/);
    expect(cooks(r).length).toBeGreaterThan(0);
    // A step taken from an imported cache shows its layers' pulls, and no output of its command (which prints its targets first).
    expect(cooks(r).map((s) => ({ step: s.name, commandOutput: s.output }))).toEqual(cooks(r).map((s) => ({ step: s.name, commandOutput: [] })));
    expect(r.steps.flatMap(compiledIn)).toEqual(['hello-service']);
    const out = tempDir('prd-fleet-binaries-');
    const b = run(1, 'binaries', { 'runner.temp': out });
    expectOk(b);
    expect(b.steps.flatMap(compiledIn)).toEqual([]);
    const dirs = readdirSync(join(out, 'binaries')).sort();
    expect(dirs).toEqual(['linux_amd64', 'linux_arm64']);
    for (const d of dirs) expect(runBinary(d.replace('_', '/'), join(out, 'binaries', d, 'hello-service'), ['--version']).trim()).toBe('hello-service 0.1.0');
  });

  test('a developer\'s build of a further edit, on a third empty builder, reads the same cache: the generated build-all compiles only the edited crate', () => {
    edit(join(p.dir, 'src', 'main.rs'), (t) => `${t}\n// a developer's edit\n`);
    const script = readFileSync(join(p.dir, 'docker-hello-service.sh'), 'utf-8');
    expect(script).toContain("tags='buildcache-hello-service-amd64-arm64'");
    const r = spawnSync('sh', ['docker-hello-service.sh', 'build-all'], {
      cwd: p.dir, encoding: 'utf-8', env: { ...env, BUILDER: 'remote', BUILDKIT_PROGRESS: 'plain' },
    });
    const log = `${r.stdout}${r.stderr}`;
    expectExitZero(r);
    expect(log).toContain(`importing cache manifest from ${registry.address}/acme/hello-service:buildcache-hello-service-amd64-arm64`);
    const result: BuildResult = { ok: true, log, ms: 0, steps: parseProgress(log) };
    expect(cooks(result).length).toBeGreaterThan(0);
    expect(cooks(result).map((s) => s.output)).toEqual(cooks(result).map(() => []));
    expect(result.steps.flatMap(compiledIn)).toEqual(['hello-service']);
  });
});
