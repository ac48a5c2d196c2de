/**
 * The builder image for arm64 without an arm64 runner, and the naive QEMU
 * baseline. Real BuildKit builds on this amd64 machine, with qemu-aarch64
 * registered through binfmt_misc only while an emulated build runs
 * (harness/arm64.ts):
 *
 * A. 1. rust-builder.Dockerfile built for linux/amd64 + linux/arm64 on one amd64
 *       daemon, as CI's builder workflow does: the tools cross-compile on the build
 *       platform, and the log shows which steps ran for linux/arm64 (emulated) and
 *       that none of them compiles.
 *    2. Whether zig's cache, warmed by the build-platform stage (amd64 zig), serves
 *       the arm64 zig: a probe links a crate for both targets under emulation with
 *       the copied cache and with an empty one, and lists what zig added.
 *    3. The example built with that arm64 builder on a daemon whose worker platform
 *       is linux/arm64 ($BUILDPLATFORM = linux/arm64, everything emulated): its
 *       binaries for both targets run (amd64 natively, arm64 under qemu-aarch64-static).
 * B. The naive Dockerfile (one stage, `COPY . .`, `cargo build --release`) built
 *    for linux/arm64 under QEMU against the generated build (linux/amd64 +
 *    linux/arm64 on the amd64 daemon, no emulation), on bench-service (153
 *    packages), cold and after a source edit.
 *
 * Writes its figures between markers in docs/benchmarks.md
 * (`<!-- arm64-builder:start -->`, `<!-- naive-qemu:start -->`), leaving the
 * rest of the file as it is. Run: `npx ts-node -T -P test/tsconfig.json scripts/bench-arm64-builder.ts`
 * (root, the tools of .ci/install-tools). BENCH_PARTS=builder or =naive runs one
 * part; BENCH_ZIG_COLD=0 skips the probe with an empty zig cache under emulation;
 * BENCH_NAIVE_CRATE=<name>@<version> runs part B on a service published in the
 * crates registry (its sources and Cargo.lock, downloaded) instead of bench-service.
 */
import { execFileSync } from 'child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'fs';
import { cpus, loadavg, totalmem } from 'os';
import { join } from 'path';
import { Arm64StandIns, arm64StandIns, arm64Unavailable, archiveToLayout, binfmtRegistered, PlatformBuildkitDaemon, withQemuAarch64 } from '../harness/arm64';
import { BuildkitDaemon, BuildRequest, BuildResult, BuildStep, compiledIn, expectOk, OciLayout, readOciArchive } from '../harness/buildkit';
import { downloadCrate } from '../harness/corpus';
import { edit, elfMachine, imageRequest, ImageProject, isStatic, synthProject, withPublishedBuilder } from '../harness/image-project';
import { EXAMPLE_OPTIONS, exampleSources } from '../harness/projects';
import { writeSection } from '../harness/record';
import { cleanUp, tempDir, writeFiles } from '../harness/temp';
import { pinnedVersion, runBinary } from '../harness/tools';
import { BENCH_CASE, WORKSPACES } from '../harness/workspace-cases';
import { Defaults } from '../src';
import { imageInternals } from '../src/private/components/internals';
import { BUILDER_IMAGE_STAGES } from '../src/private/dockerfile/builder-stage';

const TARGETS = ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'];
const PARTS = (process.env.BENCH_PARTS ?? 'builder,naive').split(',');

type Lines = string[];

function s(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function min(ms: number): string {
  return (ms / 60000).toFixed(1);
}

/** Steps that ran (not cached), with their time. */
function ran(r: BuildResult): BuildStep[] {
  return r.steps.filter((st) => !st.cached && st.seconds !== undefined && /^\[[^\]]+\] /.test(st.name));
}

function sum(steps: BuildStep[]): number {
  return steps.reduce((t, st) => t + (st.seconds ?? 0) * 1000, 0);
}

/** The RUN step of a stage (`cook`, `build`), whatever platform prefix BuildKit gives it. */
function stageRun(r: BuildResult, stage: string): BuildStep | undefined {
  return r.steps.find((st) => new RegExp(`^\\[([^\\]]* )?${stage} \\d+/\\d+\\] RUN`).test(st.name) && !st.cached);
}

/** Keeps a build's log in BENCH_LOG_DIR, when set, for a look afterwards. */
function keepLog(name: string, r: BuildResult): void {
  if (process.env.BENCH_LOG_DIR) writeFileSync(join(process.env.BENCH_LOG_DIR, `${name}.log`), r.log);
}

/** A step name for a table cell: one line, pipes escaped, shortened. */
function cell(name: string): string {
  const short = name.length > 150 ? `${name.slice(0, 147)}...` : name;
  return short.replace(/\|/g, '\\|');
}

function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, BuildKit ${pinnedVersion('BUILDKIT_VERSION')}`;
}

/** The files under `paths` of one platform's image in an OCI archive, without unpacking the rest. */
function extractFromArchive(archive: string, platform: string, paths: string[]): string {
  const dir = tempDir('prd-oci-part-');
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  const json = (digest: string) => JSON.parse(readFileSync(join(dir, 'blobs', 'sha256', digest.replace('sha256:', '')), 'utf-8'));
  let manifests = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf-8')).manifests;
  if (manifests.length === 1 && manifests[0].mediaType.includes('index')) manifests = json(manifests[0].digest).manifests;
  const m = manifests.find((x: any) => x.platform && `${x.platform.os}/${x.platform.architecture}` === platform);
  if (!m) throw new Error(`no ${platform} image in ${archive}`);
  const out = tempDir('prd-oci-files-');
  for (const layer of json(m.digest).layers) {
    try {
      execFileSync('tar', ['-xf', join(dir, 'blobs', 'sha256', layer.digest.replace('sha256:', '')), '-C', out, '--wildcards', ...paths], { stdio: 'ignore' });
    } catch {
      // this layer has none of the paths
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A. The arm64 builder

interface BuilderBuild {
  readonly layout: OciLayout;
  readonly result: BuildResult;
  readonly emulated: BuildStep[];
  /** Steps on the build platform (native): the shared cross stage and zig cache, and each platform's tools. */
  readonly native: BuildStep[];
  readonly zigWarmMs: number;
  readonly tools: Record<string, Array<{ name: string; machine: string; static: boolean }>>;
}

/** rust-builder.Dockerfile for both platforms on the amd64 daemon, with QEMU for the arm64 final stage. */
async function buildBuilder(p: ImageProject, bases: Arm64StandIns): Promise<BuilderBuild> {
  const daemon = new BuildkitDaemon();
  await daemon.start();
  try {
    const archive = join(tempDir('prd-arm64-builder-'), 'builder.tar');
    const result = expectOk(await withQemuAarch64(() => daemon.build({
      context: p.dir,
      dockerfile: p.image.builderDockerfilePath,
      platforms: ['linux/amd64', 'linux/arm64'],
      images: { [imageInternals(p.image).resolved.builder.baseImage]: bases.builderMulti },
      output: `type=oci,dest=${archive}`,
    })), 'builder image (linux/amd64 + linux/arm64)');
    keepLog('builder', result);
    const steps = ran(result);
    // The final stage is the only one on the target platform: BuildKit names it stage-<index>.
    const finalStage = `stage-${Object.keys(BUILDER_IMAGE_STAGES).length}`;
    const emulated = steps.filter((st) => st.name.startsWith(`[linux/arm64 ${finalStage} `));
    const native = steps.filter((st) => /^\[linux\/amd64(->arm64)? /.test(st.name) && !/^\[linux\/amd64 stage-/.test(st.name));
    const zigWarmMs = sum(native.filter((st) => st.name.includes(` ${BUILDER_IMAGE_STAGES.zigCache} `) && st.name.includes('RUN')));
    const tools: BuilderBuild['tools'] = {};
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const dir = extractFromArchive(archive, platform, ['usr/local/cargo/bin/cargo-*', 'usr/local/cargo/bin/sccache']);
      tools[platform] = imageInternals(p.image).resolved.builder.tools.map((t) => {
        const bin = join(dir, 'usr/local/cargo/bin', t.crate);
        return { name: t.crate, machine: existsSync(bin) ? elfMachine(bin) : 'missing', static: existsSync(bin) && isStatic(bin) };
      });
    }
    return { layout: archiveToLayout(archive), result, emulated, native, zigWarmMs, tools };
  } finally {
    daemon.stop();
    daemon.clean();
  }
}

/** A probe of zig's cache: links a crate for both targets with the image's cache (warm) or an empty one (cold). */
const ZIG_PROBE = [
  'FROM rust-builder AS warm',
  'RUN find "$ZIG_GLOBAL_CACHE_DIR" -type f | sort > /before.txt',
  `RUN cargo new --quiet --vcs none --bin /tmp/probe && cd /tmp/probe && cargo zigbuild --release ${TARGETS.map((t) => `--target ${t}`).join(' ')}`
    + ' && find "$ZIG_GLOBAL_CACHE_DIR" -type f | sort > /after.txt && comm -13 /before.txt /after.txt > /new.txt && wc -l < /before.txt > /count.txt && echo done > /status.txt',
  'FROM rust-builder AS cold',
  '# Capped: under emulation zig builds the C libraries slowly.',
  'ARG CAP=1800',
  `RUN cargo new --quiet --vcs none --bin /tmp/probe && cd /tmp/probe && if ZIG_GLOBAL_CACHE_DIR=/tmp/zig-empty timeout "$CAP" cargo zigbuild --release ${TARGETS.map((t) => `--target ${t}`).join(' ')}; `
    + 'then echo done > /status.txt; else echo "stopped after $CAP s" > /status.txt; fi && (find /tmp/zig-empty -type f | sort > /new.txt) && echo 0 > /count.txt',
  'FROM scratch AS warm-out',
  'COPY --from=warm /new.txt /count.txt /status.txt /',
  'FROM scratch AS cold-out',
  'COPY --from=cold /new.txt /count.txt /status.txt /',
  '',
].join('\n');

const COLD_CAP = Number(process.env.BENCH_ZIG_COLD_CAP ?? 1800);

interface ZigProbe { readonly linkMs: number; readonly cacheFiles: number; readonly added: string[]; readonly status: string }

function zigProbe(daemon: BuildkitDaemon, platform: string, builder: OciLayout, mode: 'warm' | 'cold'): ZigProbe {
  const dir = tempDir('prd-zig-probe-');
  writeFiles(dir, { 'Probe.Dockerfile': ZIG_PROBE });
  const out = tempDir('prd-zig-probe-out-');
  const r = daemon.build({
    context: dir,
    dockerfile: 'Probe.Dockerfile',
    platforms: [platform],
    target: `${mode}-out`,
    buildArgs: { CAP: String(COLD_CAP) },
    images: { 'rust-builder': builder },
    output: `type=local,dest=${out}`,
  });
  keepLog(`zig-probe-${platform.replace('/', '-')}-${mode}`, r);
  expectOk(r, `zig probe (${platform}, ${mode})`);
  const link = r.steps.find((st) => st.name.includes('cargo zigbuild') && !st.cached)!;
  const probe = {
    linkMs: (link.seconds ?? 0) * 1000,
    cacheFiles: Number(readFileSync(join(out, 'count.txt'), 'utf-8').trim()),
    added: readFileSync(join(out, 'new.txt'), 'utf-8').split('\n').filter(Boolean),
    status: readFileSync(join(out, 'status.txt'), 'utf-8').trim(),
  };
  console.log(`zig probe ${platform} ${mode}: ${s(probe.linkMs)} s, ${probe.status}, ${probe.added.length} files added`);
  return probe;
}

/** What zig added to its cache, summarised: the C library archives and objects it built. */
function summariseAdded(added: string[]): string {
  const names = added.map((f) => f.split('/').pop()!);
  const libs = names.filter((n) => /\.(a|o)$/.test(n));
  const shown = [...new Set(libs)].sort().slice(0, 8).join(', ');
  return `${added.length} files${libs.length ? `, ${libs.length} archives/objects (${shown}${new Set(libs).size > 8 ? ', ...' : ''})` : ', no archive or object'}`;
}

interface AppBuild {
  readonly result: BuildResult;
  readonly cook?: BuildStep;
  readonly build?: BuildStep;
  readonly binaries: Array<{ platform: string; machine: string; static: boolean; version: string }>;
}

/** The example built with the builder image on `daemon`, its binaries run. */
function buildApp(daemon: BuildkitDaemon, p: ImageProject, bases: Arm64StandIns, builder: OciLayout, what: string): AppBuild {
  const archive = join(tempDir('prd-arm64-app-'), 'app.tar');
  const result = daemon.build(withPublishedBuilder(imageRequest(p, bases.amd64, { output: `type=oci,dest=${archive}` }), builder));
  keepLog(what.replace(/\W+/g, '-'), result);
  expectOk(result, what);
  const binary = p.image.binaries[0];
  const binaries = readOciArchive(archive).map((img) => {
    const path = join(img.rootfs, 'usr/local/bin', binary);
    return { platform: img.platform, machine: elfMachine(path), static: isStatic(path), version: runBinary(img.platform, path, ['--version']).trim() };
  });
  return { result, cook: stageRun(result, 'cook'), build: stageRun(result, 'build'), binaries };
}

async function builderPart(bases: Arm64StandIns): Promise<OciLayout> {
  const lines: Lines = [];
  const say = (l = '') => {
    lines.push(l);
    console.log(l);
  };
  const p = synthProject(exampleSources(), EXAMPLE_OPTIONS);
  const spec = imageInternals(p.image).resolved.builder;

  console.log('A1: rust-builder.Dockerfile for linux/amd64 + linux/arm64 on the amd64 daemon');
  const b = await buildBuilder(p, bases);
  const compiling = b.emulated.filter((st) => /cargo (install|build|zigbuild)|rustc /.test(st.name));
  if (compiling.length) throw new Error(`compiling steps ran emulated: ${compiling.map((st) => st.name).join('; ')}`);
  if (/linux\/arm64 [^\]]*\] RUN cargo install/.test(b.result.log)) throw new Error('cargo install ran for linux/arm64');
  const badTools = Object.entries(b.tools).flatMap(([pl, ts]) => ts.filter((t) => t.machine !== (pl === 'linux/arm64' ? 'AArch64' : 'Advanced Micro Devices X86-64') || !t.static).map((t) => `${pl} ${t.name}: ${t.machine}`));
  if (badTools.length) throw new Error(`tools of the wrong machine or not static: ${badTools.join(', ')}`);

  console.log('A3: the example on a daemon whose worker platform is linux/arm64 (everything emulated)');
  const arm = new PlatformBuildkitDaemon('linux/arm64');
  await arm.start();
  let emulatedApp: AppBuild;
  let warm: ZigProbe;
  let cold: ZigProbe | undefined;
  try {
    emulatedApp = await withQemuAarch64(() => buildApp(arm, synthProject(exampleSources(), EXAMPLE_OPTIONS), bases, b.layout, 'example on the arm64 worker'));
    if (emulatedApp.result.log.includes('cargo install')) throw new Error('the emulated app build ran cargo install');
    console.log('A2: zig cache probe under emulation');
    warm = await withQemuAarch64(() => zigProbe(arm, 'linux/arm64', b.layout, 'warm'));
    if (process.env.BENCH_ZIG_COLD !== '0') cold = await withQemuAarch64(() => zigProbe(arm, 'linux/arm64', b.layout, 'cold'));
  } finally {
    arm.stop();
    arm.clean();
  }

  console.log('A2/A3 native reference: the same on the amd64 daemon, no emulation');
  const native = new BuildkitDaemon();
  await native.start();
  let nativeApp: AppBuild;
  let nativeWarm: ZigProbe;
  let nativeCold: ZigProbe | undefined;
  try {
    if (binfmtRegistered()) console.log('note: qemu-aarch64 is registered by someone else during the native reference');
    nativeApp = buildApp(native, synthProject(exampleSources(), EXAMPLE_OPTIONS), bases, b.layout, 'example on the amd64 worker');
    nativeWarm = zigProbe(native, 'linux/amd64', b.layout, 'warm');
    if (cold) nativeCold = zigProbe(native, 'linux/amd64', b.layout, 'cold');
  } finally {
    native.stop();
    native.clean();
  }

  const equivalent = warm.status === 'done' && warm.added.filter((f) => /\.(a|o)$/.test(f)).length === 0;
  say('## arm64 builder image without an arm64 runner (scripts/bench-arm64-builder.ts)');
  say();
  say(`Recorded ${new Date().toISOString().slice(0, 10)} on ${machine()}, a machine shared with other builds (load average ${loadavg()[0].toFixed(1)} at the end), with qemu-aarch64 (Debian qemu-user-static) registered through binfmt_misc only while an emulated build ran. Stand-ins: \`${spec.baseImage}\` is Debian bookworm with Rust ${spec.rustVersion} for each architecture (the arm64 one made with debootstrap --foreign and its second stage under QEMU, with the aarch64 rustup and the aarch64 zig from PyPI's ziglang wheels), see harness/buildkit/make-arm64-standins.sh.`);
  say();
  say('### rust-builder.Dockerfile built for linux/amd64 + linux/arm64 on one amd64 daemon');
  say();
  say(`The tools (${spec.tools.map((t) => `${t.crate} ${t.version}`).join(', ')}) compile in the \`tools\` stage on the build platform with cargo-zigbuild, once per target platform; zig's cache is warmed once in \`zig-cache\`. Whole build ${s(b.result.ms)} s (${min(b.result.ms)} min) from a fresh daemon.`);
  say();
  say('Steps that ran on the build platform (linux/amd64, native): the `cross` and `zig-cache` stages once for both platforms, `tools` once per target platform (`linux/amd64->arm64` compiles the arm64 tools). They run in parallel, so their times overlap.');
  say();
  say('| step (build platform) | s |');
  say('|---|---:|');
  for (const st of b.native) say(`| \`${cell(st.name)}\` | ${st.seconds?.toFixed(1)} |`);
  say();
  say(`Steps that ran emulated (the linux/arm64 final stage): ${b.emulated.length} steps, ${s(sum(b.emulated))} s in all; none of them runs cargo or rustc.`);
  say();
  say('| emulated step (linux/arm64) | s |');
  say('|---|---:|');
  for (const st of b.emulated) say(`| \`${cell(st.name)}\` | ${st.seconds?.toFixed(1)} |`);
  say();
  say('The tools in the exported images:');
  say();
  say('| platform | tool | machine | static |');
  say('|---|---|---|---|');
  for (const [pl, ts] of Object.entries(b.tools)) for (const t of ts) say(`| ${pl} | ${t.name} | ${t.machine} | ${t.static ? 'yes' : 'no'} |`);
  say();
  say('### Is zig\'s cache from the build platform good for the arm64 zig?');
  say();
  say(`A probe links a new crate for ${TARGETS.join(' and ')} with \`cargo zigbuild --release\`, once with the image's cache (warmed by the amd64 zig in the \`zig-cache\` stage) and once with an empty cache, and lists the files zig added to the cache.`);
  say();
  say('| zig | cache | link step s | result | files zig added |');
  say('|---|---|---:|---|---|');
  say(`| arm64, emulated | copied from the build platform (${warm.cacheFiles} files) | ${s(warm.linkMs)} | ${warm.status} | ${summariseAdded(warm.added)} |`);
  if (cold) say(`| arm64, emulated | empty | ${s(cold.linkMs)} | ${cold.status} | ${summariseAdded(cold.added)} (when it stopped) |`);
  say(`| amd64, native | warmed by the same zig (${nativeWarm.cacheFiles} files) | ${s(nativeWarm.linkMs)} | ${nativeWarm.status} | ${summariseAdded(nativeWarm.added)} |`);
  if (nativeCold) say(`| amd64, native | empty | ${s(nativeCold.linkMs)} | ${nativeCold.status} | ${summariseAdded(nativeCold.added)} |`);
  say();
  say(equivalent
    ? `Equivalent: the arm64 zig builds no C library with the copied cache, so the builder copies the cache from the build-platform stage (where the amd64 zig warmed it in ${s(b.zigWarmMs)} s).${cold ? ` Warming it in the emulated final stage instead would cost ${cold.status === 'done' ? `about ${s(cold.linkMs - warm.linkMs)} s` : `more than ${s(cold.linkMs - warm.linkMs)} s (${cold.status})`} more per builder build.` : ''}`
    : `Not equivalent: the arm64 zig rebuilt C libraries with the copied cache${cold ? `; warming in the emulated final stage costs ${cold.status === 'done' ? 'about' : 'more than'} ${s(cold.linkMs - warm.linkMs)} s` : ''}.`);
  say();
  say('### The example built with the arm64 builder on an arm64 build platform');
  say();
  say('A daemon whose worker platform is linux/arm64 (`--oci-worker-platform linux/arm64`), so `$BUILDPLATFORM` is linux/arm64 and every RUN step runs under QEMU, as on an arm64 host; the arm64 builder image is the `rust-builder` named context. For comparison, the same build on the amd64 daemon with the amd64 builder image (no emulation).');
  say();
  say('| build platform | whole build s | cook s | crates the cook compiled | build s | cargo install in the log |');
  say('|---|---:|---:|---:|---:|---|');
  for (const [label, a] of [['linux/arm64 (emulated)', emulatedApp], ['linux/amd64 (native)', nativeApp]] as Array<[string, AppBuild]>) {
    say(`| ${label} | ${s(a.result.ms)} | ${a.cook?.seconds?.toFixed(1) ?? 'cached'} | ${a.cook ? compiledIn(a.cook).length : 0} | ${a.build?.seconds?.toFixed(1) ?? 'cached'} | ${a.result.log.includes('cargo install') ? 'yes' : 'no'} |`);
  }
  say();
  say('The binaries of the emulated build, run here (amd64 natively, arm64 under qemu-aarch64-static):');
  say();
  say('| platform | machine | static | `--version` |');
  say('|---|---|---|---|');
  for (const bin of emulatedApp.binaries) say(`| ${bin.platform} | ${bin.machine} | ${bin.static ? 'yes' : 'no'} | ${bin.version} |`);
  say();
  writeSection('arm64-builder', lines);
  return b.layout;
}

// ---------------------------------------------------------------------------------------------
// B. The naive QEMU baseline

/** The naive single-stage Dockerfile: copy everything, cargo build on the target platform. */
const NAIVE = `FROM rust:${Defaults.RUST_VERSION}\nWORKDIR /app\nCOPY . .\nRUN cargo build --release --locked\n`;

/** Part B's service: BENCH_NAIVE_CRATE (`name@version`, from the crates registry), else bench-service. */
const NAIVE_CRATE = process.env.BENCH_NAIVE_CRATE?.split('@');

function benchSources(): string {
  if (NAIVE_CRATE) return downloadCrate(NAIVE_CRATE[0], NAIVE_CRATE[1]);
  const dir = tempDir('prd-bench-service-');
  cpSync(join(WORKSPACES, BENCH_CASE.dir), dir, { recursive: true });
  return dir;
}

/** Part B's service, as the figures name it. */
function benchName(): string {
  if (!NAIVE_CRATE) return 'test/workspaces/bench-service (153 packages, ring among them)';
  const lock = readFileSync(join(benchSources(), 'Cargo.lock'), 'utf-8');
  return `${NAIVE_CRATE[0]} ${NAIVE_CRATE[1]} from the crates registry (its Cargo.lock: ${(lock.match(/^name = /gm) ?? []).length} packages)`;
}

function sourceEdit(dir: string): void {
  edit(join(dir, 'src/main.rs'), (t) => `${t}\n// edited ${Date.now()}\n`);
}

/** One series: a cold build and a build after a source edit, filled in as they finish. */
interface Series {
  cold?: BuildResult;
  edited?: BuildResult;
  error?: string;
}

/**
 * The naive Dockerfile on a fresh amd64 daemon: for linux/arm64 under QEMU,
 * or for linux/amd64, which runs natively here (the same compile without
 * emulation: the ratio of the two is what QEMU costs).
 */
async function naiveBuilds(bases: Arm64StandIns, platform: 'linux/arm64' | 'linux/amd64', series: Series, done: () => void): Promise<void> {
  const dir = benchSources();
  writeFiles(dir, { 'Naive.Dockerfile': NAIVE });
  const daemon = new BuildkitDaemon();
  await daemon.start();
  const label = `naive-${platform.split('/')[1]}`;
  try {
    const base = platform === 'linux/arm64' ? bases.builderArm64 : bases.amd64.builder;
    const req: BuildRequest = { context: dir, dockerfile: 'Naive.Dockerfile', platforms: [platform], images: { [`rust:${Defaults.RUST_VERSION}`]: base } };
    const run = () => {
      console.log(`B: ${label}, cold`);
      const cold = daemon.build(req);
      keepLog(`${label}-cold`, cold);
      series.cold = expectOk(cold, `${label} cold`);
      done();
      console.log(`B: ${label} cold ${s(cold.ms)} s; after a source edit`);
      sourceEdit(dir);
      const edited = daemon.build(req);
      keepLog(`${label}-edit`, edited);
      series.edited = expectOk(edited, `${label} after an edit`);
      console.log(`B: ${label} edit ${s(edited.ms)} s`);
    };
    if (platform === 'linux/arm64') await withQemuAarch64(run);
    else run();
  } finally {
    daemon.stop();
    daemon.clean();
  }
}

/** The generated Dockerfile for both platforms on a fresh amd64 daemon, nothing emulated. */
async function generatedBuilds(bases: Arm64StandIns, builder: OciLayout | undefined, series: Series, done: () => void): Promise<void> {
  // A published service may ship Docker files of its own (bore-cli does): the generated ones take their place.
  const p = synthProject(benchSources(), NAIVE_CRATE ? { adoptExistingFiles: true } : BENCH_CASE.options);
  const daemon = new BuildkitDaemon();
  await daemon.start();
  const label = builder ? 'builder' : 'inline';
  try {
    if (binfmtRegistered()) console.log('note: qemu-aarch64 is registered (by someone else) during the generated build; it does not need it');
    const req = () => (builder ? withPublishedBuilder(imageRequest(p, bases.amd64), builder) : imageRequest(p, bases.amd64));
    const cold = daemon.build(req());
    keepLog(`generated-${label}-cold`, cold);
    series.cold = expectOk(cold, `generated (${label}) cold`);
    done();
    console.log(`B: generated (${label}) cold ${s(cold.ms)} s`);
    sourceEdit(p.dir);
    const edited = daemon.build(req());
    keepLog(`generated-${label}-edit`, edited);
    series.edited = expectOk(edited, `generated (${label}) after an edit`);
    console.log(`B: generated (${label}) edit ${s(edited.ms)} s`);
  } finally {
    daemon.stop();
    daemon.clean();
  }
}

/** The crates a build compiled, from every step's `Compiling` lines. */
function compiledCount(r: BuildResult): number {
  return r.steps.reduce((n, st) => n + compiledIn(st).length, 0);
}

async function naivePart(bases: Arm64StandIns, builder: OciLayout | undefined): Promise<void> {
  const naive: Series = {};
  const native: Series = {};
  const gen: Series = {};
  const inline: Series = {};
  const runs: Array<[string, Series]> = [['naive, linux/arm64 under QEMU', naive], ['naive, linux/amd64 (native here, no emulation)', native]];
  if (builder) runs.push(['generated, linux/amd64 + linux/arm64, builder image', gen]);
  runs.push(['generated, linux/amd64 + linux/arm64, inline builder', inline]);
  const started = new Date().toISOString().slice(0, 10);
  const loadAtStart = loadavg()[0];

  /** Writes the section with what has finished so far, so an interrupted run keeps it. */
  const render = () => {
    const lines: Lines = [];
    const say = (l = '') => lines.push(l);
    say('## The naive QEMU baseline against the generated build (scripts/bench-arm64-builder.ts)');
    say();
    say(`Recorded ${started} on ${machine()}, load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} when this was written (on 2 cores, about 2 is this run alone). Service: ${benchName()}. Each series on a fresh daemon.`);
    say();
    say(`- **Naive**: one stage, \`FROM rust:${Defaults.RUST_VERSION}\`, \`COPY . .\`, \`RUN cargo build --release --locked\`, built for linux/arm64 only, so the whole build runs under QEMU (binfmt_misc, registered for it only). Base: the arm64 Debian bookworm stand-in with Rust for aarch64 (harness/buildkit/make-arm64-standins.sh). The same Dockerfile for linux/amd64 runs natively on this amd64 machine (base: the amd64 stand-in): the same compile without emulation.`);
    say(`- **Generated**: the generated Dockerfile for linux/amd64 + linux/arm64 on the amd64 daemon without binfmt (nothing emulated)${builder
      ? ', with the builder image built from rust-builder.Dockerfile as the `rust-builder` named context, and with the inline builder stage'
      : ', with the inline builder stage (this run built no builder image: BENCH_PARTS=naive)'} (the inline stage's first build compiles the tools, which its crate count includes).`);
    say('- **After a source edit**: a comment appended to src/main.rs, then the same build on the same daemon.');
    say();
    say('| build | cold s | cold min | crates compiled | after a source edit s | after a source edit min | crates compiled |');
    say('|---|---:|---:|---:|---:|---:|---:|');
    for (const [label, r] of runs) {
      const cell2 = (b?: BuildResult) => (b ? `${s(b.ms)} | ${min(b.ms)} | ${compiledCount(b)}` : `${r.error ? 'failed' : 'not run yet'} | | `);
      say(`| ${label} | ${cell2(r.cold)} | ${cell2(r.edited)} |`);
    }
    say();
    for (const [label, r] of runs) if (r.error) say(`${label}: not measured: ${r.error}`);
    if (runs.some(([, r]) => r.error)) say();
    const ratio = (a?: BuildResult, b?: BuildResult) => (a && b ? `${(a.ms / b.ms).toFixed(1)}x` : 'n/a');
    if (naive.cold && native.cold) {
      say(`What QEMU costs, the naive build for linux/arm64 emulated / the same for linux/amd64 natively: cold ${ratio(naive.cold, native.cold)}; after a source edit ${ratio(naive.edited, native.edited)}.`);
      say();
    }
    if (naive.cold) {
      const best = builder ? gen : inline;
      say(`Ratio, naive arm64 only / generated for both platforms: cold ${ratio(naive.cold, best.cold)} with ${builder ? 'the builder image' : 'the inline builder (tools compiled included)'}${builder ? `, ${ratio(naive.cold, inline.cold)} with the inline builder` : ''}; after a source edit ${ratio(naive.edited, best.edited)}${builder ? ` (${ratio(naive.edited, inline.edited)} with the inline builder)` : ''}.`);
      say();
      say('The seed\'s write-up reported 50 -> 13 min (3.8x) for a first build and 7 -> 3 min (2.3x) after a code change. The naive Dockerfile here has no dependency layer, so a source edit recompiles every crate under QEMU again; the generated build keeps the cook cached and compiles only the service crate, once per target.');
    } else {
      say('The ratio needs the naive build' + (naive.error ? ', which could not run here (see above).' : ', which has not finished yet.'));
    }
    writeSection('naive-qemu', lines);
  };

  const attempt = async (series: Series, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      series.error = String((e as Error).message).split('\n')[0];
      console.error(String((e as Error).message).slice(0, 4000));
    }
    render();
  };
  render();
  if (builder) await attempt(gen, () => generatedBuilds(bases, builder, gen, render));
  await attempt(inline, () => generatedBuilds(bases, undefined, inline, render));
  await attempt(native, () => naiveBuilds(bases, 'linux/amd64', native, render));
  await attempt(naive, () => naiveBuilds(bases, 'linux/arm64', naive, render));
}

async function main(): Promise<void> {
  const why = arm64Unavailable();
  if (why) {
    const line = [`Not measured on this machine: ${why}.`];
    if (PARTS.includes('builder')) writeSection('arm64-builder', ['## arm64 builder image without an arm64 runner (scripts/bench-arm64-builder.ts)', '', ...line]);
    if (PARTS.includes('naive')) writeSection('naive-qemu', ['## The naive QEMU baseline against the generated build (scripts/bench-arm64-builder.ts)', '', ...line]);
    console.log(line[0]);
    return;
  }
  const bases = await arm64StandIns();
  let builder: OciLayout | undefined;
  if (PARTS.includes('builder')) {
    try {
      builder = await builderPart(bases);
    } catch (e) {
      const message = String((e as Error).message);
      console.error(message.slice(0, 6000));
      writeSection('arm64-builder', ['## arm64 builder image without an arm64 runner (scripts/bench-arm64-builder.ts)', '', `Not measured in the last run: ${message.split('\n')[0]}`]);
      process.exitCode = 1;
    }
  }
  if (PARTS.includes('naive')) await naivePart(bases, builder);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    // Stops the daemons, unregisters qemu-aarch64 and removes the temp folders, also after a failure.
    cleanUp();
    if (binfmtRegistered()) console.log('note: qemu-aarch64 is still registered (it was registered before this run, or by another process)');
  });
