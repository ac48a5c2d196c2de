/**
 * What a one-crate dependency bump costs, against what Cargo itself needs for
 * it. bench-service (153 packages), both musl targets:
 * 1. for each setup (cargo-chef alone; `CompilerCache.cargoTarget()`), on a
 *    daemon of its own: the builder's tools once (not timed), the image cold,
 *    then `cargo update -p base64 --precise 0.22.0` and the image again: the
 *    cook's and the build's seconds, and the crates the cook compiled;
 * 2. the oracle: the same bump with cargo-zigbuild on this machine, in a
 *    target folder that holds the cold build: the crates Cargo compiles again
 *    and the seconds it takes, with the builder's Rust.
 * Writes the `dependency-bump` section of docs/benchmarks.md.
 *
 * Run: `npx ts-node -T -P test/tsconfig.json scripts/bench-bump.ts` (root,
 * the tools of .ci/install-tools; about 20 minutes on 2 cores).
 */
import { cpSync } from 'fs';
import { cpus, loadavg, totalmem } from 'os';
import { join } from 'path';
import { BuildkitDaemon, BuildResult, compiledIn, stageRuns, standIns, failureOf } from '../harness/buildkit';
import { imageRequest, synthProject } from '../harness/image-project';
import { writeSection } from '../harness/record';
import { cleanUp, tempDir } from '../harness/temp';
import { pinnedVersion, run } from '../harness/tools';
import { BENCH_CASE, WORKSPACES } from '../harness/workspace-cases';
import { CompilerCache, Defaults, RustDockerImageOptions } from '../src';

const BUMP = 'cargo update --quiet -p base64 --precise 0.22.0';
const TARGETS = ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'];
const lines: string[] = [];

function say(line = ''): void {
  lines.push(line);
  console.log(line);
}

function ok(r: BuildResult, what: string): BuildResult {
  if (!r.ok) throw new Error(`${what} failed:\n${failureOf(r.log)}`);
  return r;
}

/** The RUN step of a stage that ran (not cached). */
function ran(r: BuildResult, stage: string) {
  return stageRuns(r, stage).find((s) => !s.cached);
}

function sources(): string {
  const dir = tempDir('prd-bench-bump-');
  cpSync(join(WORKSPACES, BENCH_CASE.dir), dir, { recursive: true });
  return dir;
}

interface Row { label: string; coldCook: number; bumpCook: number; bumpBuild: number; compiled: string[] }

async function image(label: string, options: RustDockerImageOptions): Promise<Row> {
  const bases = standIns();
  const daemon = new BuildkitDaemon();
  await daemon.start();
  try {
    const p = synthProject(sources(), options);
    ok(daemon.build({ ...imageRequest(p, bases), target: 'rust-builder', platforms: ['linux/amd64'] }), `${label}: tools`);
    const cold = ok(daemon.build(imageRequest(p, bases)), `${label}: cold`);
    run(BUMP, p.dir);
    const bumped = ok(daemon.build(imageRequest(p, bases)), `${label}: bump`);
    const cook = ran(bumped, 'cook');
    const row = {
      label,
      coldCook: ran(cold, 'cook')?.seconds ?? 0,
      bumpCook: cook?.seconds ?? 0,
      bumpBuild: ran(bumped, 'build')?.seconds ?? 0,
      compiled: [...new Set(cook ? compiledIn(cook) : [])].sort(),
    };
    console.log(`  ${label}: ${JSON.stringify(row)}`);
    return row;
  } finally {
    daemon.stop();
    daemon.clean();
  }
}

/** cargo-zigbuild on this machine: cold, then the bump; what the second compiled and how long it took. */
function oracle(): { seconds: number; compiled: string[] } {
  const dir = sources();
  const build = `cargo +${Defaults.RUST_VERSION} zigbuild --locked --release ${TARGETS.map((t) => `--target ${t}`).join(' ')}`;
  run(build, dir);
  run(BUMP, dir);
  const r = run(build, dir);
  const compiled = [...new Set(r.out.split('\n').filter((l) => /^\s*Compiling /.test(l)).map((l) => l.trim().split(' ')[1]))].sort();
  return { seconds: r.ms / 1000, compiled };
}

async function main(): Promise<void> {
  const why = BuildkitDaemon.unavailable();
  if (why) throw new Error(`the benchmark needs a BuildKit daemon: ${why}`);
  const start = new Date().toISOString().slice(0, 10);
  const rows = [await image('cargo-chef alone (the default)', {}), await image('CompilerCache.cargoTarget()', { compilerCache: CompilerCache.cargoTarget() })];
  const native = oracle();
  const own = native.compiled.filter((n) => n !== 'bench-service');

  say('## A dependency bump (scripts/bench-bump.ts)');
  say();
  say(`Recorded ${start} on ${cpus().length} cores and ${Math.round(totalmem() / 2 ** 30)} GiB (load average ${loadavg()[0].toFixed(1)} at the end), BuildKit ${pinnedVersion('BUILDKIT_VERSION')}, `
    + `Rust ${Defaults.RUST_VERSION}, base images stood in. bench-service (153 packages), linux/amd64 + linux/arm64, a daemon of its own per setup. The bump is \`${BUMP.replace(' --quiet', '')}\`: `
    + `Cargo itself (cargo-zigbuild on this machine, both targets, in a target folder holding the cold build) compiles ${own.length} ${own.length === 1 ? 'dependency' : 'dependencies'} again (${own.join(', ')}) and the service, in ${native.seconds.toFixed(1)} s.`);
  say();
  say('| setup | cold cook s | cook after the bump s | build after the bump s | dependencies the cook compiled | after the bump / Cargo\'s own |');
  say('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    say(`| ${r.label} | ${r.coldCook.toFixed(1)} | ${r.bumpCook.toFixed(1)} | ${r.bumpBuild.toFixed(1)} | ${r.compiled.filter((n) => n !== 'bench-service').length} | ${((r.bumpCook + r.bumpBuild) / native.seconds).toFixed(2)}x |`);
  }
  say();
  const [before, after] = rows;
  const change = ((after.coldCook - before.coldCook) / before.coldCook) * 100;
  say(`The cold cook with the cargo-target cache took ${after.coldCook.toFixed(1)} s against ${before.coldCook.toFixed(1)} s without it (${change >= 0 ? '+' : ''}${change.toFixed(0)}%, `
    + 'copying the target folder into the cache mount included). The last column divides the cook and build after the bump by the seconds Cargo itself needed for the same bump.');
  writeSection('dependency-bump', lines);
}

main().then(() => cleanUp(), (e) => {
  console.error(e);
  cleanUp();
  process.exit(1);
});
