/**
 * The cook's cargo target cache as the generated cook script keeps it, with a
 * stand-in for Cargo that does what Cargo does to a target folder: it keeps
 * what is there and adds the units of this cook. The script restores the
 * last folder, saves this one, and starts empty once stale units have grown
 * the folder past 1.5x its size when a cook last started empty. Between
 * runners, the seed puts a restored folder into the mount, the collect
 * exports only what the cook wrote after it, and the workflow's merge step
 * makes the restored folder and that export into the mount's content again.
 * test/integration/cargo-target-cache.test.ts and
 * test/integration/cargo-target-ci.test.ts build them for real.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { simpleCrate, synthImage } from '../harness/projects';
import { busyboxPath } from '../harness/recipes';
import { runStep, WorkflowStep } from '../harness/remote-buildkit';
import { StageRunner } from '../harness/stage-runner';
import { commandsDir, filesOf, tempDir } from '../harness/temp';
import { CompilerCache } from '../src';
import { imageInternals } from '../src/private/components/internals';
import { STAGES } from '../src/private/dockerfile/app-dockerfile';

/**
 * A `cargo` that records the target folder it found, then adds 100 KiB per
 * unit of $UNITS that is not there yet (or fails with $FAIL). It writes
 * again the units of $REWRITE, and adds those of $OLD with a time in 2000,
 * as a build script may leave a file it unpacks. Its `rustc -V` names
 * $RUSTC_VERSION.
 */
function fakeCargo(): string {
  return commandsDir('prd-fake-cargo-', {
    cargo: [
      '#!/usr/bin/env sh',
      'set -eu',
      'mkdir -p target',
      'ls target > "$SEEN"',
      'if [ -n "${FAIL:-}" ]; then echo "error: could not compile" >&2; exit 101; fi',
      'for u in $UNITS; do [ -f "target/$u" ] || head -c 102400 /dev/zero > "target/$u"; done',
      'for u in ${REWRITE:-}; do echo again > "target/$u"; done',
      'for u in ${OLD:-}; do mkdir -p "target/${u%/*}" && echo unpacked > "target/$u" && touch -t 200001010000 "target/$u"; done',
    ],
    rustc: ['#!/usr/bin/env sh', 'echo "rustc $RUSTC_VERSION"'],
  });
}

/** The shells the cook runs in: the build platform's (the suite's builder stand-in has coreutils), and BusyBox's, as in Alpine's rust image. */
const BUSYBOX = busyboxPath(['sh', 'cp', 'du', 'cut', 'find', 'rm', 'mkdir', 'cat', 'ls', 'head', '[', 'test', 'touch', 'sort', 'uniq', 'wc', 'tr', 'xargs', 'echo', 'date', 'mktemp']);
const SHELLS: Array<[string, string | undefined]> = [['sh with coreutils', undefined], ...(BUSYBOX ? [['BusyBox', BUSYBOX] as [string, string]] : [])];
if (!BUSYBOX) console.log('skipped: the cook script under BusyBox (Alpine\'s shell and tools) needs busybox on PATH');

/** A cook: what it printed, its exit status, and the target folder the stand-in Cargo found. */
type Cook = (units: string[], fail?: boolean, more?: { rewrite?: string[]; old?: string[]; rustc?: string }) =>
{ out: string; status: number; seen: string[] };

/** A RUN's script with the stage's own absolute paths (the seed's bind mount, the collect's folder) moved under `root`. */
function onHost(script: string, root: string): string {
  return script.replace(/(^|[\s'"=<>])(\/seed|\/cargo-target)(?=[/\s'");]|$)/g, (_m, before: string, path: string) => `${before}${root}${path}`);
}

function cookRunner(busybox?: string) {
  const synth = synthImage(simpleCrate());
  const { model, resolved } = imageInternals(synth.image);
  const runner = new StageRunner(model, tempDir());
  const [script] = runner.scripts(STAGES.cook);
  const bin = fakeCargo();
  const seenFile = join(tempDir(), 'seen');
  const shell = (body: string, env: NodeJS.ProcessEnv, cwd = tempDir('prd-cook-')) => spawnSync(busybox ? join(busybox, 'sh') : 'sh', ['-c', body], {
    cwd, encoding: 'utf-8', env: { PATH: `${bin}:${busybox ?? process.env.PATH}`, ...env },
  });
  const cook: Cook = (units, fail = false, more = {}) => {
    const r = shell(script, {
      RUST_TARGETS: 'x86_64-unknown-linux-musl',
      UNITS: units.join(' '),
      SEEN: seenFile,
      FAIL: fail ? '1' : '',
      REWRITE: (more.rewrite ?? []).join(' '),
      OLD: (more.old ?? []).join(' '),
      RUSTC_VERSION: more.rustc ?? RUSTC,
    });
    return { out: `${r.stdout}${r.stderr}`, status: r.status ?? -1, seen: readFileSync(seenFile, 'utf-8').split('\n').filter(Boolean) };
  };
  /** Runs a transfer stage's RUN (seed or collect) with the run's id; its absolute paths under `root`. */
  const transfer = (stage: string, run: string, root: string) => {
    const [body] = runner.scripts(stage);
    const r = shell(onHost(body, root), { CARGO_TARGET_RUN: run });
    if (r.status !== 0) throw new Error(`${stage} failed: ${r.stdout}${r.stderr}`);
    return `${r.stdout}${r.stderr}`;
  };
  /** The seed of run `run`, from a copy of the folder `from` (as the import context holds it). */
  const seed = (run: string, from: string) => {
    const root = tempDir('prd-seed-');
    mkdirSync(join(root, 'seed'));
    execFileSync('cp', ['-a', `${from}/.`, join(root, 'seed')]);
    return transfer('cargo-target-seed', run, root);
  };
  return { cook, transfer, seed, mount: () => runner.cacheMount(resolved.cargoTargetCache!)!, workflow: synth.files['.github/workflows/docker-app.yml'] as string };
}

/** The stand-in compiler's version, unless a cook names another. */
const RUSTC = '1.99.1 (stand-in)';

const units = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, n) => `unit-${String(from + n).padStart(2, '0')}`);

describe.each(SHELLS)('the cook script keeps the cargo target cache (%s)', (_shell, busybox) => {
  const { cook, mount } = cookRunner(busybox);
  /** The units in the kept folder (beside them, the file that names their compiler). */
  const kept = () => readdirSync(join(mount(), 'target')).filter((f) => f !== '.rustc-version').sort();
  const compilerOf = () => readFileSync(join(mount(), 'target', '.rustc-version'), 'utf-8');
  const cleanKib = () => Number(readFileSync(join(mount(), 'clean-kib'), 'utf-8'));

  test('an empty mount: the cook starts empty, and its folder is kept with its size as the clean size', () => {
    const r = cook(units(1, 10));
    expect(r.status).toBe(0);
    expect(r.out).toContain('cargo target cache: none, or over 1.5x its size when a cook last started empty: this cook starts empty');
    expect(r.seen).toEqual([]);
    expect(kept()).toEqual(units(1, 10));
    expect(cleanKib()).toBeGreaterThanOrEqual(1000);
  });

  test('the next cook starts from the kept folder; a bump adds its unit and the stale one stays, as Cargo leaves it', () => {
    const clean = cleanKib();
    const inode = () => statSync(join(mount(), 'target', 'unit-01')).ino;
    const before = inode();
    const r = cook([...units(1, 9), 'unit-11']);
    // Only what the cook wrote is copied back: the unchanged unit is the same file.
    expect(inode()).toBe(before);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/cargo target cache: the last cook's folder, \d+ MiB \(\d+ MiB when a cook last started empty\)/);
    expect(r.seen).toEqual(units(1, 10));
    expect(kept()).toEqual(units(1, 11));
    expect(cleanKib()).toBe(clean);
  });

  test('a failed cook leaves the kept folder as it was', () => {
    const r = cook(units(20, 30), true);
    expect(r.status).not.toBe(0);
    expect(kept()).toEqual(units(1, 11));
  });

  test('past 1.5x the clean size, the next cook starts empty, and its folder sets the clean size again', () => {
    // 16 units of 100 KiB against a clean 10: over the limit.
    expect(cook([...units(1, 5), ...units(12, 16)]).seen).toEqual(units(1, 11));
    expect(kept()).toEqual(units(1, 16));
    const r = cook(units(12, 19));
    expect(r.out).toContain('cargo target cache: none, or over 1.5x its size when a cook last started empty: this cook starts empty');
    expect(r.seen).toEqual([]);
    expect(kept()).toEqual(units(12, 19));
    expect(cleanKib()).toBeLessThan(1000);
    expect(cook(units(12, 19)).seen).toEqual(units(12, 19));
  });

  test('a folder another compiler wrote: the cook starts empty, naming both, so the folder does not double; the next cook starts from the new one', () => {
    expect(compilerOf()).toBe(`rustc ${RUSTC}\n`);
    const upgraded = '1.100.0 (stand-in)';
    const r = cook(units(12, 19), false, { rustc: upgraded });
    expect(r.status).toBe(0);
    expect(r.out).toContain(`cargo target cache: the last cook's folder is of rustc ${RUSTC}, this cook's compiler is rustc ${upgraded}: this cook starts empty`);
    expect(r.seen).toEqual([]);
    expect(kept()).toEqual(units(12, 19));
    expect(compilerOf()).toBe(`rustc ${upgraded}\n`);
    expect(cleanKib()).toBeLessThan(1000);
    expect(cook(units(12, 19), false, { rustc: upgraded }).seen).toEqual(units(12, 19));
  });

  test('a folder without the compiler\'s file (kept before it was written) counts as this compiler\'s', () => {
    rmSync(join(mount(), 'target', '.rustc-version'));
    const r = cook(units(12, 19));
    expect(r.out).toMatch(/cargo target cache: the last cook's folder, \d+ MiB/);
    expect(r.seen).toEqual(units(12, 19));
    expect(compilerOf()).toBe(`rustc ${RUSTC}\n`);
  });
});

test('CompilerCache.none(): the cook script names no cache', () => {
  const synth = synthImage(simpleCrate(), { compilerCache: CompilerCache.none() });
  const [script] = new StageRunner(imageInternals(synth.image).model, tempDir()).scripts(STAGES.cook);
  expect(script).not.toContain('cargo target cache');
  expect(script).not.toContain('/var/cache/cargo-target');
});

test('a mount without its size record, or without the folder, starts empty', () => {
  for (const leave of ['clean-kib', 'target']) {
    const { cook, mount } = cookRunner();
    cook(units(1, 3));
    rmSync(join(mount(), leave === 'clean-kib' ? 'target' : 'clean-kib'), { recursive: true });
    const r = cook(units(1, 3));
    expect(r.status).toBe(0);
    expect(r.seen).toEqual([]);
    expect(readdirSync(join(mount(), 'target')).sort()).toEqual(['.rustc-version', ...units(1, 3)]);
  }
});

describe.each(SHELLS)('the folder carried between runners: seed, export and merge (%s)', (_shell, busybox) => {
  const first = cookRunner(busybox);
  const restored = join(tempDir('prd-runner-temp-'), 'cargo-target');
  const merge = (workflow: string, exported: string) => {
    const step: WorkflowStep = parseYaml(workflow).jobs.build.steps.find((st: WorkflowStep) => st.id === 'cargo-target-merge');
    runStep({ ...step, env: { ...step.env, EXPORTED: exported } }, { 'runner.temp': join(restored, '..') }, process.env);
  };

  test('the first runner (nothing restored, the cook starts empty) exports the whole folder, which the merge takes as it is', () => {
    first.cook(units(1, 10));
    const root = tempDir('prd-collect-');
    expect(first.transfer('cargo-target-collect', 'run-1', root)).toContain('exporting the whole folder');
    expect(existsSync(join(root, 'cargo-target', 'delta-of'))).toBe(false);
    merge(first.workflow, join(root, 'cargo-target'));
    expect(filesOf(restored, true)).toEqual(filesOf(first.mount(), true));
    expect(readdirSync(restored).sort()).toEqual(['clean-kib', 'target']);
  });

  test('the next runner seeds its empty mount with the restored folder; the export is what the cook wrote, and the merge makes the restored folder the mount\'s content', () => {
    const next = cookRunner(busybox);
    // The restored folder is of an earlier run: the first cook's units are dated a day before.
    execFileSync('find', [restored, '-type', 'f', '-exec', 'touch', '-d', `@${Math.floor(Date.now() / 1000) - 86400}`, '{}', '+']);
    next.seed('run-2', restored);
    const r = next.cook([...units(1, 9), 'unit-11'], false, { rewrite: ['unit-03'], old: ['build/out/unpacked.h'] });
    expect(r.seen).toEqual(units(1, 10));
    const collected = tempDir('prd-collect-');
    expect(next.transfer('cargo-target-collect', 'run-2', collected)).toContain('exporting what the cook wrote after this run\'s seed, 4 files');
    const exported = join(collected, 'cargo-target');
    // New paths whatever their time (the unpacked file is dated 2000), and files written again (the compiler's file,
    // every cook); nothing the cook only read.
    expect(filesOf(exported, true).map((f) => f.split(' ')[0])).toEqual(['delta-of', 'target/.rustc-version', 'target/build/out/unpacked.h', 'target/unit-03', 'target/unit-11']);
    expect(readFileSync(join(exported, 'delta-of'), 'utf-8').trim()).toBe('run-2');
    merge(next.workflow, exported);
    const mount = filesOf(next.mount(), true).filter((f) => !f.startsWith('seeded-'));
    expect(filesOf(restored, true)).toEqual(mount);
    expect(mount.some((f) => f.startsWith('target/unit-01 '))).toBe(true);
  });

  test('a mount seeded by another run exports the whole folder (the merge then replaces the restored folder)', () => {
    const next = cookRunner(busybox);
    next.seed('run-3', restored);
    next.cook(units(1, 3));
    const collected = tempDir('prd-collect-');
    expect(next.transfer('cargo-target-collect', 'run-4', collected)).toContain('exporting the whole folder');
    expect(readdirSync(join(collected, 'cargo-target')).sort()).toEqual(['clean-kib', 'target']);
  });
});
