/**
 * Builds the corpus of published Rust binaries for real (harness/corpus.ts):
 *
 *   ts-node -T -P test/tsconfig.json scripts/corpus.ts [crate ...]
 *
 * With no crate named, all of them not yet recorded with the current library
 * code (git's tree of src/: the run resumes where it stopped; named crates
 * always run). A crate recorded by other library code is confirmed instead of
 * built when this code generates the same files for it (its fingerprints,
 * harness/corpus.ts recordStillHolds). One BuildKit daemon root serves every
 * crate: the builder stage's tool layers are built once (first, on the
 * example project, and timed apart), and after each crate everything else is
 * pruned, so the disk holds one crate's build at a time. The results go to
 * docs/corpus.json after each crate (a run of named crates replaces only their
 * entries), and the Markdown section is printed at the end. Temp folders are
 * removed when it ends, also on Ctrl-C or SIGTERM (taken between crates: the
 * build under way ends first, or stop its buildctl).
 *
 * `scripts/corpus.ts --confirm [crate ...]` only confirms: the records that
 * hold for the current library by their fingerprints are stamped with it,
 * nothing is built, and the crates that would be built are named.
 *
 * `scripts/corpus.ts --reclassify` derives the reasons again without building:
 * refusals' from their messages, build failures' from the logs PRD_CORPUS_LOGS
 * kept.
 *
 * Environment: PRD_BUILDKIT_ROOT reuses a daemon root (default: a fresh temp
 * folder), emptied first so that nothing of other builds makes a crate warm; PRD_CORPUS_OUT writes elsewhere than docs/corpus.json;
 * PRD_CORPUS_LOGS keeps each build's full BuildKit log in that folder (keep it
 * outside the repository).
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { BuildkitDaemon, expectOk, standIns } from '../harness/buildkit';
import { classifyBuildFailure, classifyRefusal, CorpusAttempt, CORPUS, corpusMarkdown, CorpusResult, recordStillHolds, runCorpusCrate } from '../harness/corpus';
import { imageRequest, synthProject } from '../harness/image-project';
import { EXAMPLE_OPTIONS, exampleSources } from '../harness/projects';
import { cleanUp, tempDir } from '../harness/temp';
import { pinnedVersion, toolEnv, TOOLS_BIN } from '../harness/tools';
import { Defaults } from '../src';

const OUT = process.env.PRD_CORPUS_OUT ?? join(__dirname, '..', 'docs', 'corpus.json');

/** The record on disk. */
interface CorpusFile {
  readonly generatedAt: string;
  readonly rustVersion: string;
  readonly machine: string;
  /** Seconds the builder stage's tools took, once, before the first crate (0: cached). */
  readonly builderWarmupSeconds?: number;
  /** Wall time of the run that wrote the file, seconds so far. */
  readonly runWallSeconds: number;
  readonly results: CorpusResult[];
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function readExisting(): CorpusResult[] {
  if (!existsSync(OUT)) return [];
  try {
    return (JSON.parse(readFileSync(OUT, 'utf-8')) as CorpusFile).results ?? [];
  } catch {
    return [];
  }
}

/** The cache records of the daemon (ids), as `buildctl du --verbose` lists them. */
function cacheRecordIds(daemon: BuildkitDaemon): string[] {
  const r = spawnSync(join(TOOLS_BIN, 'buildctl'), ['--addr', daemon.address, 'du', '--verbose'], { encoding: 'utf-8', env: toolEnv() });
  return [...(r.stdout ?? '').matchAll(/^ID:\s+(\S+)/gm)].map((m) => m[1]);
}

/** Prunes every cache record except `keep` (the builder's tool layers). */
function pruneExcept(daemon: BuildkitDaemon, keep: string[]): void {
  const filter = keep.map((id) => `id!=${id}`).join(',');
  const args = ['--addr', daemon.address, 'prune', '--all', ...(filter ? ['--filter', filter] : [])];
  const r = spawnSync(join(TOOLS_BIN, 'buildctl'), args, { encoding: 'utf-8', env: toolEnv() });
  if (r.status !== 0) say(`  prune failed: ${`${r.stdout}${r.stderr}`.trim().split('\n').slice(-2).join(' / ')}`);
}

/** Prunes every cache record; checks that none is left. */
function pruneAll(daemon: BuildkitDaemon): void {
  const r = spawnSync(join(TOOLS_BIN, 'buildctl'), ['--addr', daemon.address, 'prune', '--all'], { encoding: 'utf-8', env: toolEnv() });
  const left = cacheRecordIds(daemon).length;
  if (r.status !== 0 || left > 0) throw new Error(`emptying the daemon root failed (${left} cache records left): ${`${r.stdout}${r.stderr}`.trim().split('\n').slice(-2).join(' / ')}`);
}

/**
 * `--reclassify`: derives the reasons again after the taxonomy changed, without
 * building: refusals' from their messages, build failures' (and their lines)
 * from the logs kept in PRD_CORPUS_LOGS.
 */
function reclassify(): void {
  const logs = process.env.PRD_CORPUS_LOGS;
  const again = (name: string, version: string, fix: boolean, a: CorpusAttempt): CorpusAttempt => {
    if (a.outcome === 'refused' && a.message) return { ...a, reason: classifyRefusal(a.message) };
    const file = logs ? join(logs, `${name}-${version}${fix ? '-fix' : ''}.log`) : undefined;
    if (a.outcome !== 'failed' || a.stage === 'run' || a.stage === 'synth' || !file || !existsSync(file)) return a;
    const f = classifyBuildFailure(readFileSync(file, 'utf-8'));
    return { ...a, stage: f.stage, reason: f.reason, errorLines: f.lines };
  };
  const file = JSON.parse(readFileSync(OUT, 'utf-8')) as CorpusFile;
  const results = file.results.map((r) => ({
    ...r,
    ...again(r.name, r.version, false, r),
    ...(r.fix ? { fix: { ...again(r.name, r.version, true, r.fix), note: r.fix.note } } : {}),
  }));
  writeFileSync(OUT, `${JSON.stringify({ ...file, results }, null, 2)}\n`);
  say(corpusMarkdown(results));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--reclassify') return reclassify();
  const confirmOnly = process.argv[2] === '--confirm';
  const why = confirmOnly ? undefined : BuildkitDaemon.unavailable();
  if (why) {
    console.error(`The corpus needs a BuildKit daemon: ${why}`);
    process.exit(1);
  }
  const wanted = process.argv.slice(confirmOnly ? 3 : 2);
  const unknown = wanted.filter((n) => !CORPUS.some((c) => c.name === n));
  if (unknown.length) {
    console.error(`Not in the corpus: ${unknown.join(', ')}. Known: ${CORPUS.map((c) => c.name).join(', ')}`);
    process.exit(2);
  }
  const crates = wanted.length ? CORPUS.filter((c) => wanted.includes(c.name)) : [...CORPUS];
  // The synth asks Cargo (cargo tree), and cargo metadata runs for the native deps: the tools come first on PATH.
  process.env.PATH = toolEnv().PATH;

  const runStart = Date.now();
  const results = new Map(readExisting().map((r) => [r.name, r]));
  // The library code the results are recorded with: a crate recorded with it already is not run again (the run
  // resumes), unless it is named.
  const librarySource = execFileSync('git', ['rev-parse', 'HEAD:src'], { cwd: join(__dirname, '..'), encoding: 'utf-8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: join(__dirname, '..'), encoding: 'utf-8' }).trim();
  if (dirty) throw new Error(`src/ has changes not committed: commit them first, so the results name the library code that made them\n${dirty}`);
  let builderWarmupSeconds: number | undefined;
  const write = () => {
    const ordered = CORPUS.map((c) => results.get(c.name)).filter((r): r is CorpusResult => !!r);
    const file: CorpusFile = {
      generatedAt: new Date().toISOString(),
      rustVersion: Defaults.RUST_VERSION,
      machine: `2 cores, 24 GiB; BuildKit ${pinnedVersion('BUILDKIT_VERSION')} (OCI worker); base images stood in (harness/buildkit/make-standins.sh)`,
      builderWarmupSeconds,
      runWallSeconds: Math.round((Date.now() - runStart) / 1000),
      results: ordered,
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(file, null, 2)}\n`);
  };

  // A record made by other library code still holds when this code generates the same files for the crate: it is
  // confirmed by a synth (seconds), not built again (minutes).
  const todo: typeof crates = [];
  for (const c of crates) {
    const record = results.get(c.name);
    if ((wanted.length && !confirmOnly) || !record) {
      todo.push(c);
    } else if (record.librarySource !== librarySource) {
      const stale = recordStillHolds(c, record);
      say(`${c.name} ${c.version}: ${stale ? `built again (${stale})` : `confirmed: this library generates the same files as ${(record.builtWith ?? record.librarySource ?? 'earlier').slice(0, 12)}`}`);
      if (stale) {
        todo.push(c);
      } else {
        results.set(c.name, { ...record, librarySource, builtWith: record.builtWith ?? record.librarySource });
        write();
      }
    }
  }
  // Crates not recorded yet first: they are what the record lacks.
  todo.sort((a, b) => Number(results.has(a.name)) - Number(results.has(b.name)));
  if (todo.length < crates.length) say(`resuming: ${crates.length - todo.length} crate(s) hold for this library (src ${librarySource.slice(0, 12)})`);
  if (!todo.length || confirmOnly) {
    if (confirmOnly && todo.length) say(`not built (--confirm): ${todo.map((c) => c.name).join(', ')}`);
    say(corpusMarkdown(CORPUS.map((c) => results.get(c.name)).filter((r): r is CorpusResult => !!r)));
    return;
  }

  const daemon = new BuildkitDaemon(process.env.PRD_BUILDKIT_ROOT ?? tempDir('prd-corpus-buildkitd-'));
  const bases = standIns();
  await daemon.start();

  // A reused daemon root holds other builds' layers (a library stage, a cook, the CI sample's): it is emptied, so
  // every crate's library stages and cook run cold and their seconds are theirs.
  pruneAll(daemon);
  // The builder stage's tool layers, once, on the example: every crate's builder stage shares them.
  say('builder tools: building the rust-builder stage once (on the example project)');
  const example = synthProject(exampleSources(), EXAMPLE_OPTIONS);
  const warm = daemon.build(imageRequest(example, bases, { target: 'rust-builder', platforms: ['linux/amd64'] }));
  expectOk(warm, 'the builder stage');
  builderWarmupSeconds = Math.round(warm.ms / 1000);
  say(`builder tools: ${builderWarmupSeconds} s`);
  const keep = cacheRecordIds(daemon);

  for (const [i, c] of todo.entries()) {
    // The builds block the event loop: yield between crates, so a SIGINT or SIGTERM ends the run here, cleaned up.
    await new Promise((resolve) => setImmediate(resolve));
    say(`[${i + 1}/${todo.length}] ${c.name} ${c.version}`);
    const r = runCorpusCrate(c, { daemon, bases, basesFor: (v) => standIns(v), say: (l) => say(l), logDir: process.env.PRD_CORPUS_LOGS });
    results.set(c.name, { ...r, librarySource });
    write();
    say(`  => ${r.outcome}${r.reason ? ` (${r.reason})` : ''}; build ${r.coldBuildSeconds ?? '-'} s; wall ${r.wallSeconds} s`
      + (r.fix ? `; fix: ${r.fix.outcome}${r.fix.reason ? ` (${r.fix.reason})` : ''}` : ''));
    pruneExcept(daemon, keep);
  }
  write();
  say('');
  say(corpusMarkdown(CORPUS.map((c) => results.get(c.name)).filter((r): r is CorpusResult => !!r)));
  say(`corpus wall time: ${Math.round((Date.now() - runStart) / 1000)} s`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

main().then(() => cleanUp(), (e) => {
  console.error(e);
  cleanUp();
  process.exit(1);
});
