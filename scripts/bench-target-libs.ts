/**
 * What the libraries built for every target cost (OpenSSL, libpq, SQLite,
 * libxml2: their `target-<library>` stages), on the workspace that links all
 * four the system way (test/workspaces/l-target-libs), on one fresh BuildKit
 * daemon of its own (base images stood in):
 * 1. the builder's tool layers (`rust-tools`), once, timed apart;
 * 2. each library's stage alone, cold, for each musl target alone
 *    (the image synthesized with one platform) and for both;
 * 3. on a second empty daemon, the whole image for linux/amd64 +
 *    linux/arm64 cold, then after a source edit, a version bump and a
 *    dependency bump: which library steps ran again; then the builder image
 *    (`rust-builder.Dockerfile`, which carries the libraries);
 * 4. on a third empty daemon, the app built cold with that builder image as
 *    the `rust-builder` named context, against the cold build of 3.
 * Writes the `target-libs` section of docs/benchmarks.md.
 *
 * Run: `npx ts-node -T -P test/tsconfig.json scripts/bench-target-libs.ts`
 * (root, the tools of .ci/install-tools; about 35 minutes on 2 cores).
 */
import { readFileSync } from 'fs';
import { cpus, loadavg, totalmem } from 'os';
import { join } from 'path';
import { BuildkitDaemon, BuildResult, expectOk, standIns, stepsNamed } from '../harness/buildkit';
import { builderImage, edit, imageRequest, ImageProject, synthProject, withPublishedBuilder } from '../harness/image-project';
import { writeSection } from '../harness/record';
import { cleanUp, RUN_ID, tempDir } from '../harness/temp';
import { pinnedVersion, run } from '../harness/tools';
import { TARGET_LIBRARY_CASE, WORKSPACES } from '../harness/workspace-cases';
import { Platform, RustDockerImageOptions } from '../src';
import { imageInternals } from '../src/private/components/internals';

const SOURCES = join(WORKSPACES, TARGET_LIBRARY_CASE.dir);
const LIBRARIES = ['openssl', 'libpq', 'sqlite', 'libxml2'];
const lines: string[] = [];

function say(line = ''): void {
  lines.push(line);
  console.log(line);
}

function s(ms: number | undefined): string {
  return ms === undefined ? '-' : (ms / 1000).toFixed(1);
}

/** Seconds of the RUN steps of a stage that ran (not cached), over every platform. */
function ranSeconds(r: BuildResult, stage: string): number {
  return stepsNamed(r, new RegExp(`^\\[(linux/[a-z0-9/]+ )?${stage} \\d+/\\d+\\] RUN`)).filter((st) => !st.cached).reduce((t, st) => t + (st.seconds ?? 0), 0);
}

/** The library steps that ran, as `openssl 12.3 s`, or `none` (why). */
function libraryRuns(r: BuildResult, none = 'none (cached)'): string {
  const ran = LIBRARIES.map((l) => [l, ranSeconds(r, `target-${l}`)] as const).filter(([, sec]) => sec > 0);
  return ran.length ? ran.map(([l, sec]) => `${l} ${sec.toFixed(1)} s`).join(', ') : none;
}

function project(platforms?: Platform[]): ImageProject {
  const options: RustDockerImageOptions = { ...TARGET_LIBRARY_CASE.options, ...(platforms ? { platforms } : {}) };
  return synthProject(SOURCES, options);
}

function version(p: ImageProject, id: string): string {
  const lib = imageInternals(p.image).resolved.builder.targetLibraries.find((l) => l.id === id)!;
  return `${lib.name} ${lib.version}`;
}

async function fresh<T>(use: (d: BuildkitDaemon) => T): Promise<T> {
  const daemon = new BuildkitDaemon(tempDir('prd-bench-libs-buildkitd-'));
  await daemon.start();
  try {
    return use(daemon);
  } finally {
    daemon.stop();
    daemon.clean();
  }
}

async function main(): Promise<void> {
  const why = BuildkitDaemon.unavailable();
  if (why) throw new Error(`the benchmark needs a BuildKit daemon: ${why}`);
  const bases = standIns();
  const both = project();
  const amd64 = project([Platform.LINUX_AMD64]);
  const arm64 = project([Platform.LINUX_ARM64]);
  const start = new Date().toISOString().slice(0, 10);
  say('## Libraries built for every target (scripts/bench-target-libs.ts)');
  say();
  say(`Recorded ${start} on ${cpus().length} cores and ${Math.round(totalmem() / 2 ** 30)} GiB (load average ${loadavg()[0].toFixed(1)} at the start), BuildKit ${pinnedVersion('BUILDKIT_VERSION')}, base images stood in. `
    + `test/workspaces/l-target-libs links ${LIBRARIES.map((l) => version(both, l)).join(', ')} the system way (no vendored or bundled feature), so the image builds each in a stage of its own, with zig cc on the build platform.`);
  say();

  const rows: string[][] = [];
  let toolsMs = 0;
  // Daemon 1: the tool layers once, then each library alone for one target, the other, and both (the stage's
  // content names its targets, so each of the three is cold).
  await fresh((daemon) => {
    toolsMs = expectOk(daemon.build({ ...imageRequest(both, bases), target: 'rust-tools', platforms: ['linux/amd64'] }), 'rust-tools').ms;
    for (const lib of LIBRARIES) {
      const row = [version(both, lib)];
      for (const p of [amd64, arm64, both]) {
        // The stage runs on the build platform whatever the image's platforms: one platform builds it.
        const r = expectOk(daemon.build({ ...imageRequest(p, bases), target: `target-${lib}`, platforms: ['linux/amd64'] }), `target-${lib}`);
        row.push((ranSeconds(r, `target-${lib}`)).toFixed(1));
        if (p === both) row.push(s(r.ms));
      }
      rows.push(row);
      console.log(`  ${row.join(' | ')}`);
    }
  });
  // Daemon 2, empty: the whole image cold with the inline builder (tools, libraries, cook, build), then the changes
  // a project sees every day, then the builder image (its stages are the image's: cached).
  const whole: Array<[string, BuildResult]> = [];
  const builder = await fresh((daemon) => {
    whole.push(['cold, empty daemon: the inline builder\'s tools and the libraries compiled in the build', expectOk(daemon.build(imageRequest(both, bases)), 'cold')]);
    edit(join(both.dir, 'src/main.rs'), (t) => `${t}\n// edited ${RUN_ID}\n`);
    whole.push(['source edit', expectOk(daemon.build(imageRequest(both, bases)), 'edit')]);
    edit(join(both.dir, 'Cargo.toml'), (t) => t.replace(/^version = "0\.1\.0"/m, 'version = "0.1.1"'));
    edit(join(both.dir, 'Cargo.lock'), (t) => t.replace(/(name = "l-target-libs"\nversion = )"0\.1\.0"/, '$1"0.1.1"'));
    whole.push(['version bump (Cargo.toml and Cargo.lock)', expectOk(daemon.build(imageRequest(both, bases)), 'version bump')]);
    const libc = /name = "libc"\nversion = "0\.2\.(\d+)"/.exec(readFileSync(join(both.dir, 'Cargo.lock'), 'utf-8'))!;
    const older = `0.2.${Number(libc[1]) - 1}`;
    run(`cargo update --quiet -p libc --precise ${older}`, both.dir);
    whole.push([`dependency bump (cargo update -p libc --precise ${older}: the cook runs again)`, expectOk(daemon.build(imageRequest(both, bases)), 'dependency bump')]);
    return builderImage(daemon, project(), bases);
  });
  // Daemon 3, empty: the app with the published builder as the rust-builder named context.
  const withPublished = await fresh((daemon) => expectOk(daemon.build(withPublishedBuilder(imageRequest(project(), bases), builder.layout, true)), 'published builder cold'));
  const inline = whole[0][1];

  say(`The builder's tool layers (\`rust-tools\`: cargo-chef, cargo-zigbuild, cargo-auditable, the musl targets, zig's libc warmed) took ${s(toolsMs)} s on an empty daemon; the stage rows reuse them.`);
  say();
  say('### Each library\'s stage, cold');
  say();
  say('The stage alone (`--target target-<library>`), with the tool layers built: the seconds of its RUN steps for the target of linux/amd64 only, '
    + 'of linux/arm64 only (the image synthesized with that one platform), and for both (as the default image builds it), and the wall time of the last. '
    + 'In an image build the stages of the libraries run side by side.');
  say();
  say('| library | x86_64 musl: s | aarch64 musl: s | both targets: s | both: wall s |');
  say('|---|---:|---:|---:|---:|');
  for (const r of rows) say(`| ${r.join(' | ')} |`);
  say();
  say('### The image: cold, then an edit, a version bump, a dependency bump');
  say();
  say('On a second empty daemon, linux/amd64 + linux/arm64. The library stages are keyed on what they build only: once built, nothing the project changes runs them again.');
  say();
  say('| build | wall s | library steps that ran | cook s |');
  say('|---|---:|---|---:|');
  for (const [label, r] of whole) say(`| ${label} | ${s(r.ms)} | ${libraryRuns(r)} | ${ranSeconds(r, 'cook') ? ranSeconds(r, 'cook').toFixed(1) : 'cached'} |`);
  say();
  say('### What the published builder saves an app build');
  say();
  say('`rust-builder.Dockerfile` carries the same library stages when the project\'s graph asks for them (built on that daemon afterwards, as CI\'s builder workflow publishes it). '
    + 'On a third empty daemon, the app build with it as the `rust-builder` named context, against the cold build above:');
  say();
  say('| app build, both platforms, empty daemon | wall s | library steps that ran | cook s |');
  say('|---|---:|---|---:|');
  say(`| inline builder (tools and libraries compiled in the build) | ${s(inline.ms)} | ${libraryRuns(inline)} | ${ranSeconds(inline, 'cook').toFixed(1)} |`);
  say(`| published builder | ${s(withPublished.ms)} | ${libraryRuns(withPublished, 'none: the builder image carries the libraries')} | ${ranSeconds(withPublished, 'cook').toFixed(1)} |`);
  say();
  say(`The published builder saves ${s(inline.ms - withPublished.ms)} s of each cold app build (${((100 * (inline.ms - withPublished.ms)) / inline.ms).toFixed(0)}%).`);
  writeSection('target-libs', lines);
}

main().then(() => cleanUp(), (e) => {
  console.error(e);
  cleanUp();
  process.exit(1);
});
