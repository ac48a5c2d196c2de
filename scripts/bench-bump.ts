/**
 * What a one-crate dependency bump costs, against what Cargo itself needs for
 * it. bench-service (153 packages), both musl targets:
 * 1. for each setup (cargo-chef alone, `CompilerCache.none()`; the default,
 *    `CompilerCache.cargoTarget()`), on a
 *    daemon of its own: the builder's tools once (not timed), the image cold,
 *    then `cargo update -p base64 --precise 0.22.0` and the image again: the
 *    cook's and the build's seconds, and the crates the cook compiled;
 * 2. `CompilerCache.cargoTarget()` as CI runs it: the generated workflow's
 *    cargo-target steps and compile (harness/actions-runner.ts), a runner of
 *    its own (an empty daemon) for the commit before the bump and one for
 *    the bump, which restores the first one's saved folder; the seed's, the
 *    export's and the merge's seconds too (the copy to and from GitHub's
 *    cache service is not in them), and the whole folder's export on the
 *    first runner;
 * 3. the same with `ci.remoteBuilder`, as a fleet runs it: one daemon
 *    kept between the two commits, reached over TCP with mutual TLS through
 *    the builder the workflow's setup-buildx step makes; the workflow has no
 *    cargo-target steps then (the daemon keeps the cache mount);
 * 4. the oracle: the same bump with cargo-zigbuild on this machine, in a
 *    target folder that holds the cold build: the crates Cargo compiles again
 *    and the seconds it takes, with the builder's Rust.
 * Writes the `dependency-bump` section of docs/benchmarks.md.
 *
 * Run: `npx ts-node -T -P test/tsconfig.json scripts/bench-bump.ts` (root,
 * the tools of .ci/install-tools; about 35 minutes on 2 cores).
 */
import { cpSync, readFileSync } from 'fs';
import { cpus, loadavg, totalmem } from 'os';
import { join } from 'path';
import { CARGO_TARGET_JOB_STEPS, CiRunners, KeptRemoteDaemon, Runner, runSteps } from '../harness/actions-runner';
import { BuildkitDaemon, BuildResult, compiledIn, expectOk, stageRuns, standIns } from '../harness/buildkit';
import { BuilderSource, builderImage, imageRequest, synthProject } from '../harness/image-project';
import { freePort } from '../harness/ports';
import { writeSection } from '../harness/record';
import { buildxBuild, makeTlsFiles, TlsBuildkitDaemon } from '../harness/remote-buildkit';
import { cleanUp, tempDir } from '../harness/temp';
import { pinnedVersion, run } from '../harness/tools';
import { BENCH_CASE, WORKSPACES } from '../harness/workspace-cases';
import { CompilerCache, Defaults, RustDockerImageOptions } from '../src';
import { STEP } from '../src/private/ci/step-ids';

const BUMP = 'cargo update --quiet -p base64 --precise 0.22.0';
const TARGETS = ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'];
const lines: string[] = [];

function say(line = ''): void {
  lines.push(line);
  console.log(line);
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

interface Row {
  label: string;
  coldCook: number;
  bumpCook: number;
  bumpBuild: number;
  compiled: string[];
  /**
   * As CI runs it: the seed's, the export's and the merge's seconds, the
   * files exported, the saved folder's size, and the first runner's export
   * (the whole folder).
   */
  seed?: number;
  saved?: number;
  merge?: number;
  exportedFiles?: number;
  cacheMiB?: number;
  wholeExport?: number;
  /** Cargo's line on what the cook after the bump downloaded (a fresh runner's registry cache mount is empty), if it downloaded. */
  downloaded?: string;
}

async function image(label: string, options: RustDockerImageOptions): Promise<Row> {
  const bases = standIns();
  const daemon = new BuildkitDaemon();
  await daemon.start();
  try {
    const p = synthProject(sources(), options);
    expectOk(daemon.build({ ...imageRequest(p, bases), target: 'rust-builder', platforms: ['linux/amd64'] }), `${label}: tools`);
    const cold = expectOk(daemon.build(imageRequest(p, bases)), `${label}: cold`);
    run(BUMP, p.dir);
    const bumped = expectOk(daemon.build(imageRequest(p, bases)), `${label}: bump`);
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

/**
 * `CompilerCache.cargoTarget()` as CI runs it: a fresh runner (an empty
 * daemon, driven through buildx with the workflow's own step inputs) per
 * commit, the target folder carried between them in a stand-in of GitHub's
 * cache service. The published builder is a named context, as the builder
 * step passes it, loaded and unpacked on each runner before the timed steps
 * (by the planner, which the compile runs first anyway).
 */
async function asCiRunsIt(label: string, remote = false): Promise<Row> {
  const bases = standIns();
  let kept: KeptRemoteDaemon | undefined;
  let options: RustDockerImageOptions = {};
  if (remote) {
    const tls = makeTlsFiles(tempDir('prd-bench-bump-tls-'));
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    const daemon = new TlsBuildkitDaemon(tempDir('prd-bench-bump-fleet-'), endpoint, tls);
    await daemon.start();
    kept = { daemon, secrets: { BUILDKIT_CA_CERT: readFileSync(tls.ca, 'utf-8'), BUILDKIT_CLIENT_CERT: readFileSync(tls.clientCert, 'utf-8'), BUILDKIT_CLIENT_KEY: readFileSync(tls.clientKey, 'utf-8') } };
    options = { ci: { remoteBuilder: { driver: 'remote', endpoint, tls: { serverName: 'buildkitd' } } } };
  }
  const p = synthProject(sources(), options);
  const tools = new BuildkitDaemon();
  await tools.start();
  let builder;
  try {
    builder = builderImage(tools, p, bases, BuilderSource.INLINE_STAGE).layout;
  } finally {
    tools.stop();
    tools.clean();
  }
  const runners = new CiRunners(p, bases, builder, kept);
  const carry = CARGO_TARGET_JOB_STEPS.filter((id) => id !== STEP.compile);
  const present = carry.filter((id) => runners.steps.some((st) => st.id === id));
  if (remote && present.length) throw new Error(`with a remote builder the job should carry no cargo target folder, but it has ${present.join(', ')}`);
  const steps = remote ? [STEP.compile] : CARGO_TARGET_JOB_STEPS;
  const runner = async (): Promise<Runner> => {
    const r = await runners.next();
    // The builder image, loaded and unpacked as a job's first build does it (not timed): the planner runs on it, as the compile would first.
    expectOk(buildxBuild(r.front, r.builder, ['--target', 'planner', '--build-context', r.context['steps.builder.outputs.context'], '--output', 'type=cacheonly', '.'], p.dir), `${label}: builder`);
    return r;
  };
  try {
    const cold = runSteps(runners.steps, steps, await runner());
    run(BUMP, p.dir);
    const bumped = runSteps(runners.steps, steps, await runner());
    const cook = ran(bumped.compile.build!, 'cook');
    const saved = runners.cache.entries();
    const row: Row = {
      label,
      coldCook: ran(cold.compile.build!, 'cook')?.seconds ?? 0,
      bumpCook: cook?.seconds ?? 0,
      bumpBuild: ran(bumped.compile.build!, 'build')?.seconds ?? 0,
      compiled: [...new Set(cook ? compiledIn(cook) : [])].sort(),
      ...(remote ? {} : {
        seed: bumped['cargo-target-seed'].build!.ms / 1000,
        saved: bumped['cargo-target-export'].build!.ms / 1000,
        merge: bumped['cargo-target-merge'].ms! / 1000,
        exportedFiles: Number(/exporting what the cook wrote after this run's seed, (\d+) files/.exec(bumped['cargo-target-export'].build!.log)?.[1] ?? NaN),
        cacheMiB: runners.cache.bytes(saved[saved.length - 1].key) / 2 ** 20,
        wholeExport: cold['cargo-target-export'].build!.ms / 1000,
      }),
      downloaded: cook?.output.map((l) => l.trim()).find((l) => /^Downloaded \d+ crates?\b/.test(l)),
    };
    console.log(`  ${label}: ${JSON.stringify(row)}`);
    return row;
  } finally {
    runners.stop();
    kept?.daemon.stop();
    kept?.daemon.clean();
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
  // The CI setup first: it has the most moving parts, so a failure shows early.
  const ci = await asCiRunsIt('the default, as CI runs it (a fresh runner per commit)');
  const fleet = await asCiRunsIt('the default, as CI runs it with ci.remoteBuilder (a daemon the fleet keeps, over TCP with mutual TLS)', true);
  const rows = [
    await image('cargo-chef alone (CompilerCache.none())', { compilerCache: CompilerCache.none() }),
    await image('CompilerCache.cargoTarget() (the default)', {}),
    ci,
    fleet,
  ];
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
  const transfers = ci.seed! + ci.saved! + ci.merge!;
  say(`As CI runs it, the runner of the bump first puts the saved folder (${ci.cacheMiB!.toFixed(0)} MiB) into the cook's cache mount in ${ci.seed!.toFixed(1)} s `
    + '(the builder image already unpacked, by the planner that the compile runs first anyway). '
    + `After the compile it exports only what the cook wrote (${ci.exportedFiles} files) in ${ci.saved!.toFixed(1)} s, and merges them into the restored folder in ${ci.merge!.toFixed(1)} s `
    + `(the first runner, whose cook started empty, exported the whole folder in ${ci.wholeExport!.toFixed(1)} s). `
    + `${ci.downloaded ? `Its cook first downloads the crates, as the runner's registry cache mount is empty (Cargo: "${ci.downloaded}"). ` : ''}`
    + `With those ${transfers.toFixed(1)} s, the bump costs ${((ci.bumpCook + ci.bumpBuild + transfers) / native.seconds).toFixed(2)}x Cargo's own. `
    + 'Moving the folder to and from GitHub\'s cache service (actions/cache) is not in these figures: the stand-in copies it on this disk.');
  say();
  say('With `ci.remoteBuilder`, the workflow has none of those steps: the daemon the fleet keeps holds the cook\'s cache mount from one run to the next, '
    + `so the bump, through the same workflow steps, costs ${((fleet.bumpCook + fleet.bumpBuild) / native.seconds).toFixed(2)}x Cargo's own with nothing to move.`);
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
