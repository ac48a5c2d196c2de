/**
 * What a fleet's shared registry cache saves, and what the remote path adds:
 * 1. bench-service (153 packages) with `ci.cache: CacheBackend.REGISTRY`, a
 *    local registry over HTTPS (harness/registry.ts) holding the published
 *    builder image, and the generated workflow's compile step run as buildx
 *    commands (its expressions evaluated as the runner does) on daemons whose
 *    roots start empty, as ephemeral runners' do:
 *    - runner A builds the commit cold and exports the cache (the bytes the
 *      registry then stores are counted);
 *    - runner B builds the next commit (a source edit) with that cache;
 *    - runner C builds the same commit as B without it (cache-from left out),
 *      as a fleet without a shared cache does;
 * 2. the example on one daemon reached two ways: its unix socket, and TCP
 *    with mutual TLS (harness/remote-buildkit.ts): a build with every step
 *    cached, and the binaries export, each three times (median).
 * Writes the `fleet` section of docs/benchmarks.md.
 *
 * Run: `npx ts-node -T -P test/tsconfig.json scripts/bench-fleet.ts` (root,
 * the tools of .ci/install-tools; about 20 minutes on 2 cores).
 */
import { cpSync, readFileSync } from 'fs';
import { cpus, loadavg, totalmem } from 'os';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { BuildResult, compiledIn, expectOk, stageRuns, standIns } from '../harness/buildkit';
import { edit, ImageProject, pushBuilderImage, synthProject } from '../harness/image-project';
import { freePort } from '../harness/ports';
import { EXAMPLE_OPTIONS, exampleSources } from '../harness/projects';
import { writeSection } from '../harness/record';
import { hostAddress, LocalRegistry, RegistryClientDaemon } from '../harness/registry';
import { buildxArgsOf, buildxBuild, dockerFront, frontendStandIn, makeTlsFiles, runStep, TlsBuildkitDaemon, workflowBuilder, WorkflowStep } from '../harness/remote-buildkit';
import { cleanUp, tempDir } from '../harness/temp';
import { pinnedVersion, toolEnv } from '../harness/tools';
import { BENCH_CASE, WORKSPACES } from '../harness/workspace-cases';
import { CacheBackend, Registry } from '../src';
import { imageInternals } from '../src/private/components/internals';

const lines: string[] = [];
function say(line = ''): void {
  lines.push(line);
  console.log(line);
}

function s(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** Seconds of the cook's RUN steps whose command ran (a step taken from an imported cache prints no output). */
function cookSeconds(r: BuildResult): number {
  return stageRuns(r, 'cook').filter((st) => st.output.length > 0).reduce((t, st) => t + (st.seconds ?? 0), 0);
}

/** Seconds of the cache export (buildx prints it as a step without a stage). */
function exportSeconds(r: BuildResult): number {
  const id = /^#(\d+) exporting cache to registry$/m.exec(r.log)?.[1];
  const done = id ? new RegExp(`^#${id} DONE ([0-9.]+)s$`, 'm').exec(r.log) : null;
  return done ? Number(done[1]) : 0;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const address = hostAddress();
  if (!address) throw new Error('the benchmark needs an IPv4 address that is not loopback, for the registry');
  const bases = standIns();
  const tls = makeTlsFiles(tempDir('prd-bench-fleet-tls-'), ['localhost', 'buildkitd'], [address, '127.0.0.1']);
  const registry = new LocalRegistry(tls);
  await registry.start();
  const daemon = async () => {
    const d = new RegistryClientDaemon(registry, tls.ca);
    await d.start();
    return d;
  };
  const sources = tempDir('prd-bench-fleet-src-');
  cpSync(join(WORKSPACES, BENCH_CASE.dir), sources, { recursive: true });
  const p: ImageProject = synthProject(sources, {
    ...BENCH_CASE.options,
    builder: { image: `${registry.address}/acme/rust-builder` },
    ci: { cache: CacheBackend.REGISTRY, registry: Registry.generic({ host: registry.address, repositoryPrefix: 'acme' }) },
  });
  const image = imageInternals(p.image).resolved.binaries[0];
  const config = tempDir('prd-bench-fleet-buildx-');
  const front = dockerFront({ 'docker/dockerfile:1': frontendStandIn(), [image.runtime.baseImage]: bases.runtime }, config);
  const env = { ...toolEnv(), PATH: `${front}:${toolEnv().PATH}`, SSL_CERT_FILE: tls.ca };

  // The builder image, published as the builder workflow does (not timed: every runner pulls it).
  const publisher = await daemon();
  const builderRef = pushBuilderImage(publisher, p, bases);
  publisher.stop();
  const builderBytes = registry.storedBytes();

  const steps = parseYaml(p.files[`.github/workflows/docker-${image.slug}.yml`]).jobs.build.steps as WorkflowStep[];
  const compile = steps.find((st) => st.id === 'compile')!.with!;
  const imageOutput = /steps\.names\.outputs\.(image_\w+)/.exec(String(compile['cache-from']))![1];
  const context: Record<string, string> = {
    'github.event_name': 'push',
    [`steps.names.outputs.${imageOutput}`]: `${registry.address}/acme/${image.imageName}`,
    'steps.names.outputs.builder': builderRef,
  };
  context['steps.builder.outputs.context'] = runStep(steps.find((st) => st.id === 'builder')!, context, env).outputs.context;

  const runner = async (label: string, withCache: boolean): Promise<BuildResult> => {
    const d = await daemon();
    const builder = workflowBuilder({ with: { driver: 'remote', endpoint: d.address } }, {}, config);
    const inputs = withCache ? compile : { ...compile, 'cache-from': '', 'cache-to': '' };
    const result = expectOk(buildxBuild(front, builder, buildxArgsOf(inputs, context), p.dir), label);
    d.stop();
    d.clean();
    console.log(`  ${label}: ${s(result.ms)} s`);
    return result;
  };
  const start = new Date().toISOString().slice(0, 10);
  const a = await runner('runner A, cold', true);
  const cacheBytes = registry.storedBytes() - builderBytes;
  edit(join(p.dir, 'src', 'main.rs'), (t) => `${t}\n// the next commit\n`);
  const b = await runner('runner B, the next commit, shared cache', true);
  const c = await runner('runner C, the next commit, no shared cache', false);

  // The remote path: one daemon, reached by its socket and over TCP with mutual TLS.
  const example = synthProject(exampleSources(), EXAMPLE_OPTIONS);
  const exampleFront = dockerFront({
    'docker/dockerfile:1': frontendStandIn(),
    [imageInternals(example.image).resolved.builder.baseImage]: bases.builder,
    [imageInternals(example.image).resolved.binaries[0].runtime.baseImage]: bases.runtime,
  }, config);
  const tcp = `tcp://127.0.0.1:${await freePort()}`;
  const both = new TlsBuildkitDaemon(tempDir('prd-bench-fleet-tls-daemon-'), tcp, tls);
  await both.start();
  const local = workflowBuilder({ with: { driver: 'remote', endpoint: both.address } }, {}, config);
  const secrets = { BUILDER_NODE_0_AUTH_TLS_CACERT: 'BUILDKIT_CA_CERT', BUILDER_NODE_0_AUTH_TLS_CERT: 'BUILDKIT_CLIENT_CERT', BUILDER_NODE_0_AUTH_TLS_KEY: 'BUILDKIT_CLIENT_KEY' };
  const tlsEnv = Object.fromEntries(Object.entries(secrets).map(([v, secret]) => [v, `\${{ secrets.${secret} }}`]));
  const remote = workflowBuilder({ with: { 'driver': 'remote', 'endpoint': tcp, 'driver-opts': 'servername=buildkitd' }, env: tlsEnv }, {
    BUILDKIT_CA_CERT: readFileSync(tls.ca, 'utf-8'), BUILDKIT_CLIENT_CERT: readFileSync(tls.clientCert, 'utf-8'), BUILDKIT_CLIENT_KEY: readFileSync(tls.clientKey, 'utf-8'),
  }, config);
  const exampleSteps = parseYaml(example.files['.github/workflows/docker-hello-service.yml']).jobs.build.steps as WorkflowStep[];
  const exportInputs = exampleSteps.find((st) => st.id === 'binaries')!.with!;
  const timed = (builder: string, what: 'cached' | 'export') => {
    const out = tempDir('prd-bench-fleet-out-');
    const args = buildxArgsOf(what === 'export' ? exportInputs : { ...exportInputs, outputs: 'type=cacheonly' }, { 'runner.temp': out });
    return expectOk(buildxBuild(exampleFront, builder, args, example.dir), `${what} on ${builder}`).ms;
  };
  buildxBuild(exampleFront, local, buildxArgsOf(exportInputs, { 'runner.temp': tempDir('prd-bench-fleet-warm-') }), example.dir); // warm the daemon
  const path: Record<string, Record<string, number>> = {};
  for (const [name, builder] of [['unix socket', local], ['TCP with mutual TLS', remote]] as const) {
    path[name] = {};
    for (const what of ['cached', 'export'] as const) path[name][what] = median([0, 1, 2].map(() => timed(builder, what)));
  }
  both.stop();

  say('## A fleet\'s shared registry cache, and the remote path (scripts/bench-fleet.ts)');
  say();
  say(`Recorded ${start} on ${cpus().length} cores and ${Math.round(totalmem() / 2 ** 30)} GiB (load average ${loadavg()[0].toFixed(1)} at the end), BuildKit ${pinnedVersion('BUILDKIT_VERSION')}, `
    + `buildx ${pinnedVersion('BUILDX_VERSION')}, distribution's registry ${pinnedVersion('REGISTRY_VERSION')} over HTTPS on this machine, base images stood in.`);
  say();
  say('### Three runners, each starting empty, one registry');
  say();
  say('bench-service (153 packages) with `ci.cache: CacheBackend.REGISTRY`: the generated workflow\'s compile step (both platforms; cache written as a push to the default branch writes it), '
    + 'run with buildx on a daemon whose root starts empty, as an ephemeral runner\'s does, with the published builder image pulled from the registry. '
    + 'Runner B builds the next commit (a source edit in the binary\'s crate) with the cache runner A exported; runner C builds the same commit without it.');
  say();
  say('| runner | wall s | cook s (its command ran) | crates compiled | cache export s |');
  say('|---|---:|---:|---:|---:|');
  for (const [label, res] of [['A: cold, exports the cache', a], ['B: next commit, reads the shared cache', b], ['C: next commit, no shared cache', c]] as const) {
    say(`| ${label} | ${s(res.ms)} | ${cookSeconds(res).toFixed(1)} | ${res.steps.flatMap(compiledIn).length} | ${exportSeconds(res).toFixed(1)} |`);
  }
  say();
  say(`The cache runner A exported (mode=max: the cook and every stage before it, for both targets) added ${(cacheBytes / 2 ** 20).toFixed(0)} MiB to the registry, `
    + `beside the builder image's ${(builderBytes / 2 ** 20).toFixed(0)} MiB. With it, runner B took ${s(b.ms)} s where runner C took ${s(c.ms)} s: `
    + `${s(c.ms - b.ms)} s saved (${((100 * (c.ms - b.ms)) / c.ms).toFixed(0)}%).`);
  say();
  say('### What the remote path adds over a local daemon');
  say();
  say('The example on one daemon, reached by its unix socket and over TCP with mutual TLS (loopback), with buildx\'s remote driver both ways; the median of three runs, the daemon warm. '
    + '"Every step cached" is the binaries export\'s build with `type=cacheonly` output; "the binaries export" writes both platforms\' binaries to the client.');
  say();
  say('| path | every step cached: s | the binaries export: s |');
  say('|---|---:|---:|');
  for (const [name, t] of Object.entries(path)) say(`| ${name} | ${s(t.cached)} | ${s(t.export)} |`);
  say();
  say('On loopback the TLS handshake and the session add no measurable time. Over a network, the path adds what it carries: the build context up (the changed files), '
    + 'and the exported binaries or image down.');
  writeSection('fleet', lines);
}

main().then(() => cleanUp(), (e) => {
  console.error(e);
  cleanUp();
  process.exit(1);
});
