/**
 * Benchmarks from real builds on a BuildKit daemon (harness/buildkit.ts):
 * the example and a workspace of realistic size, each run with and without the
 * published builder; the host's bare cargo zigbuild as the floor; what the
 * production options cost; and sccache across a dependency bump. The naive
 * QEMU baseline is scripts/bench-arm64-builder.ts's.
 */
import { cpSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { BuildkitDaemon, BuildResult, compiledIn, expectOk, OciLayout, readOciArchive, StandIns, standIns, stepsNamed } from '../harness/buildkit';
import { builderImage, edit, imageRequest, ImageProject, synthProject, withPublishedBuilder } from '../harness/image-project';
import { exampleSources } from '../harness/projects';
import { tempDir, writeFiles } from '../harness/temp';
import { run } from '../harness/tools';
import { BENCH_CASE, WORKSPACES } from '../harness/workspace-cases';
import { CompilerCache, CompilerCacheKind, RustDockerImageOptions } from '../src';
import { imageInternals } from '../src/private/components/internals';

type Say = (line?: string) => void;

const TARGETS = ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'];

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** The RUN step of a stage (`cook`, `build`), with the platform prefix BuildKit adds for several platforms. */
function stageStep(r: BuildResult, name: string) {
  return stepsNamed(r, new RegExp(`^\\[(linux/[a-z0-9/]+ )?${name} \\d+/\\d+\\] RUN`)).find((s) => !s.cached);
}

/** Adds a dependency with cargo (Cargo.toml and Cargo.lock), as a developer would. */
function addDependency(dir: string, spec: string): void {
  run(`cargo add --quiet ${spec}`, dir);
}

interface Row { run: string; ms: number; cookS?: number; cooked?: number; built?: string }

/** The five runs of one workspace in one mode, on a fresh daemon. */
async function runSeries(label: string, sources: string, bases: StandIns, builder?: OciLayout): Promise<{ rows: Row[]; dir: string }> {
  const daemon = new BuildkitDaemon();
  await daemon.start();
  try {
    const p = synthProject(sources, {});
    const req = () => (builder ? withPublishedBuilder(imageRequest(p, bases), builder) : imageRequest(p, bases));
    const rows: Row[] = [];
    const measure = (name: string) => {
      const r = expectOk(daemon.build(req()), `${label} ${name}`);
      const cook = stageStep(r, 'cook');
      const build = stageStep(r, 'build');
      rows.push({ run: name, ms: r.ms, cookS: cook?.seconds, cooked: cook ? compiledIn(cook).length : 0, built: build ? compiledIn(build).join(' ') : '-' });
      console.log(`${label}: ${name}: ${r.ms} ms`);
    };
    measure('cold, linux/amd64 + linux/arm64');
    measure('no change');
    edit(join(p.dir, 'src/main.rs'), (t) => `${t}\n// edited\n`);
    measure('source edit');
    const name = /name = "([^"]+)"/.exec(readFileSync(join(p.dir, 'Cargo.toml'), 'utf-8'))![1];
    edit(join(p.dir, 'Cargo.toml'), (t) => t.replace('version = "0.1.0"', 'version = "0.1.1"'));
    edit(join(p.dir, 'Cargo.lock'), (t) => t.replace(new RegExp(`(name = "${name}"\\nversion = )"0\\.1\\.0"`), '$1"0.1.1"'));
    measure('version bump (with Cargo.lock)');
    addDependency(p.dir, 'hex@0.4');
    measure('dependency added (a cook miss)');
    return { rows, dir: p.dir };
  } finally {
    daemon.stop();
    daemon.clean();
  }
}

/** The host's bare cargo zigbuild of a workspace, both targets, clean target dir, warm zig cache. */
function hostFloor(dir: string): number {
  const copy = tempDir('prd-bench-floor-');
  cpSync(dir, copy, { recursive: true, filter: (s) => !/[\\/]target$/.test(s) });
  const warm = tempDir('prd-bench-warm-');
  run('cargo new --quiet --vcs none --bin w', warm);
  run(`cargo zigbuild --quiet --release ${TARGETS.map((t) => `--target ${t}`).join(' ')}`, join(warm, 'w'));
  return run(`cargo zigbuild --locked --release ${TARGETS.map((t) => `--target ${t}`).join(' ')}`, copy).ms;
}

function table(say: Say, rows: Row[]): void {
  say('| run | wall s | cook s | crates the cook compiled | build compiled |');
  say('|---|---:|---:|---:|---|');
  for (const r of rows) say(`| ${r.run} | ${seconds(r.ms)} | ${r.cookS?.toFixed(1) ?? 'cached'} | ${r.cooked ?? 0} | ${r.built ?? '-'} |`);
}

async function workspaceSection(say: Say, bases: StandIns, title: string, sources: () => string): Promise<void> {
  say(`### ${title}`);
  say();
  const tools = new BuildkitDaemon();
  await tools.start();
  let builder: { layout: OciLayout; ms: number };
  try {
    builder = builderImage(tools, synthProject(sources(), {}), bases);
  } finally {
    tools.stop();
    tools.clean();
  }
  const inline = await runSeries(`${title}, inline builder`, sources(), bases);
  const published = await runSeries(`${title}, published builder`, sources(), bases, builder.layout);
  say('Without the published builder (the inline builder stage compiles the tools on the first build):');
  say();
  table(say, inline.rows);
  say();
  say(`With the published builder (built once from \`rust-builder.Dockerfile\` in ${seconds(builder.ms)} s, as CI's weekly builder workflow does, and passed as the \`rust-builder\` named context):`);
  say();
  table(say, published.rows);
  say();
  const floorMs = hostFloor(published.dir);
  const miss = published.rows[published.rows.length - 1];
  say(`The floor: the host's bare \`cargo zigbuild --release\` of the same workspace (after the dependency was added) for both targets, from a clean target directory with a warm zig cache: ${seconds(floorMs)} s. The cook miss took ${miss.cookS?.toFixed(1)} s in the image, ${(miss.cookS! * 1000 / floorMs).toFixed(2)}x the floor (whole build ${seconds(miss.ms)} s, ${(miss.ms / floorMs).toFixed(2)}x).`);
  say();
}

/** What auditable binaries, split debug symbols and a healthcheck cost. */
async function featureSection(say: Say, bases: StandIns): Promise<void> {
  say('### What the production options cost');
  say();
  const daemon = new BuildkitDaemon();
  await daemon.start();
  try {
    const measure = (label: string, sources: string, options: RustDockerImageOptions) => {
      const p = synthProject(sources, options);
      const archive = join(tempDir('prd-bench-feature-'), 'image.tar');
      const r = expectOk(daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` })), label);
      const img = readOciArchive(archive).find((i) => i.platform === 'linux/amd64')!;
      const bin = join(img.rootfs, 'usr/local/bin', p.image.binaries[0]);
      let debug = '-';
      if (options.debugSymbols) {
        const out = tempDir('prd-bench-symbols-');
        expectOk(daemon.build(imageRequest(p, bases, { platforms: ['linux/amd64'], target: 'debug-symbols', output: `type=local,dest=${out}` })), `${label} symbols`);
        debug = String(statSync(join(out, 'linux/amd64', `${p.image.binaries[0]}.debug`)).size);
      }
      return { label, cook: stageStep(r, 'cook')?.seconds, build: stageStep(r, 'build')?.seconds, size: statSync(bin).size, debug };
    };
    const rows = [
      measure('bench-service, auditable off', join(WORKSPACES, BENCH_CASE.dir), { auditable: false }),
      measure('bench-service, auditable (the default)', join(WORKSPACES, BENCH_CASE.dir), {}),
      measure('bench-service, auditable + split debug symbols', join(WORKSPACES, BENCH_CASE.dir), { debugSymbols: true }),
      measure('example, auditable off', exampleSources(), { auditable: false }),
      measure('example, auditable + healthcheck', exampleSources(), { runtime: { healthcheck: { args: ['--version'] } } }),
    ];
    say('All rows on one daemon. A row reuses an earlier cook only when its builder and profile are the same: turning auditable off removes a tool from the builder, so that row cooks on a builder of its own.');
    say();
    say('| image | cook s | build s | amd64 binary bytes | amd64 debug file bytes |');
    say('|---|---:|---:|---:|---:|');
    for (const r of rows) say(`| ${r.label} | ${r.cook?.toFixed(1) ?? 'cached'} | ${r.build?.toFixed(1) ?? 'cached'} | ${r.size} | ${r.debug} |`);
    say();
    say('auditable adds the compressed dependency list to each binary and does not touch the cook. Split debug symbols change the profile (line tables), so the cook compiles every dependency with debug info once, and the debug file is kept out of the image. The healthcheck is image configuration only.');
    say();
  } finally {
    daemon.stop();
    daemon.clean();
  }
}

/** Counts the files in the sccache cache mount of a daemon (a bench-only Dockerfile that mounts the same cache id). */
function sccacheEntries(daemon: BuildkitDaemon, p: ImageProject, bases: StandIns, nonce: string): number {
  const dir = tempDir('prd-bench-stats-');
  writeFiles(dir, {
    'Stats.Dockerfile': [
      `FROM ${imageInternals(p.image).resolved.builder.baseImage} AS count`,
      'ARG NONCE',
      'RUN --mount=type=cache,target=/usr/local/sccache,id=sccache,sharing=locked echo "$NONCE" && find /usr/local/sccache -type f | wc -l > /entries',
      'FROM scratch',
      'COPY --from=count /entries /entries',
      '',
    ].join('\n'),
  });
  const out = tempDir('prd-bench-stats-out-');
  expectOk(daemon.build({
    context: dir,
    dockerfile: 'Stats.Dockerfile',
    platforms: ['linux/amd64'],
    buildArgs: { NONCE: nonce },
    images: { [imageInternals(p.image).resolved.builder.baseImage]: bases.builder },
    output: `type=local,dest=${out}`,
  }), 'sccache entries');
  return Number(readFileSync(join(out, 'entries'), 'utf-8').trim());
}

/** sccache across a dependency bump on the realistic workspace, with and without it. */
async function sccacheSection(say: Say, bases: StandIns): Promise<void> {
  say('### sccache across a dependency bump');
  say();
  const rows: string[] = [];
  for (const [label, options] of [
    ['cargo-chef only', { compilerCache: CompilerCache.none() }],
    ['cargo-chef + sccache (cache mount)', { compilerCache: CompilerCache.sccache({ githubActionsCache: false }) }],
  ] as Array<[string, RustDockerImageOptions]>) {
    const daemon = new BuildkitDaemon();
    await daemon.start();
    try {
      const p = synthProject(join(WORKSPACES, BENCH_CASE.dir), options);
      const sccache = options.compilerCache?.kind === CompilerCacheKind.SCCACHE;
      const first = expectOk(daemon.build(imageRequest(p, bases)), `${label} cold`);
      const before = sccache ? sccacheEntries(daemon, p, bases, 'cold') : 0;
      // Bump one dependency as `cargo update -p` does: the recipe changes, so the cook misses.
      run('cargo update --quiet -p base64 --precise 0.22.0', p.dir);
      const bumped = expectOk(daemon.build(imageRequest(p, bases)), `${label} bump`);
      const cook = stageStep(bumped, 'cook')!;
      const compiled = compiledIn(cook).length;
      const misses = sccache ? sccacheEntries(daemon, p, bases, 'bump') - before : compiled;
      rows.push(`| ${label} | ${stageStep(first, 'cook')?.seconds?.toFixed(1)} | ${cook.seconds?.toFixed(1)} | ${compiled} | ${sccache ? `${misses} new cache entries; the other units were hits or not cacheable` : 'all compiled'} | ${seconds(bumped.ms)} |`);
      console.log(`${label}: cook after the bump ${cook.seconds} s`);
    } finally {
      daemon.stop();
      daemon.clean();
    }
  }
  say('bench-service (153 packages), both targets, on a fresh daemon each. After the cold build, `cargo update -p base64 --precise 0.22.0` changes Cargo.lock, so the recipe changes and cargo-chef re-cooks every dependency. cargo prints `Compiling` for every crate either way; with sccache, a unit is compiled again only when it misses the cache (sccache cannot cache units that invoke the linker: binaries, build scripts, proc macros).');
  say();
  say('| setup | cold cook s | cook after the bump s | crates the cook compiled | compiler work | whole build after the bump s |');
  say('|---|---:|---:|---:|---|---:|');
  for (const r of rows) say(r);
  say();
}

/** All the real-build sections, or why they cannot run here. */
export async function realBuildBenchmarks(say: Say): Promise<void> {
  say('## 4. Real image builds');
  say();
  const why = BuildkitDaemon.unavailable();
  if (why) {
    say(`Not measured on this machine: ${why}.`);
    say();
    return;
  }
  say('Each series runs on a BuildKit daemon of its own (fresh root), building the generated Dockerfile unchanged for linux/amd64 and linux/arm64 with the base images stood in (see test/buildkit/make-standins.sh). "cook s" is the cook step\'s own time as BuildKit reports it.');
  say();
  const bases = standIns();
  await workspaceSection(say, bases, 'The example (3 dependencies)', exampleSources);
  await workspaceSection(say, bases, 'bench-service (153 packages)', () => {
    const dir = tempDir('prd-bench-service-');
    cpSync(join(WORKSPACES, BENCH_CASE.dir), dir, { recursive: true });
    return dir;
  });
  await featureSection(say, bases);
  await sccacheSection(say, bases);
  say('The naive QEMU baseline, and the arm64 builder image, are recorded by `scripts/bench-arm64-builder.ts` in their own sections below.');
  say();
}
