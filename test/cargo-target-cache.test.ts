/**
 * The cook's cargo target cache as the generated cook script keeps it, with a
 * stand-in for Cargo that does what Cargo does to a target folder: it keeps
 * what is there and adds the units of this cook. The script restores the
 * last folder, saves this one, and starts empty once stale units have grown
 * the folder past 1.5x its size when a cook last started empty.
 * test/integration/cargo-target-cache.test.ts builds it for real.
 */
import { spawnSync } from 'child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { join } from 'path';
import { simpleCrate, synthImage } from '../harness/projects';
import { busyboxPath } from '../harness/recipes';
import { StageRunner } from '../harness/stage-runner';
import { commandsDir, tempDir } from '../harness/temp';
import { CompilerCache } from '../src';
import { imageInternals } from '../src/private/components/internals';
import { STAGES } from '../src/private/dockerfile/app-dockerfile';

/** A `cargo` that records the target folder it found, then adds 100 KiB per unit of $UNITS that is not there yet (or fails with $FAIL). */
function fakeCargo(): string {
  return commandsDir('prd-fake-cargo-', {
    cargo: [
      '#!/usr/bin/env sh',
      'set -eu',
      'mkdir -p target',
      'ls target > "$SEEN"',
      'if [ -n "${FAIL:-}" ]; then echo "error: could not compile" >&2; exit 101; fi',
      'for u in $UNITS; do [ -f "target/$u" ] || head -c 102400 /dev/zero > "target/$u"; done',
    ],
  });
}

/** The shells the cook runs in: the build platform's (the suite's builder stand-in has coreutils), and BusyBox's, as in Alpine's rust image. */
const BUSYBOX = busyboxPath(['sh', 'cp', 'du', 'cut', 'find', 'rm', 'mkdir', 'cat', 'ls', 'head', '[', 'test']);
const SHELLS: Array<[string, string | undefined]> = [['sh with coreutils', undefined], ...(BUSYBOX ? [['BusyBox', BUSYBOX] as [string, string]] : [])];
if (!BUSYBOX) console.log('skipped: the cook script under BusyBox (Alpine\'s shell and tools) needs busybox on PATH');

/** A cook: what it printed, its exit status, and the target folder the stand-in Cargo found. */
type Cook = (units: string[], fail?: boolean) => { out: string; status: number; seen: string[] };

function cookRunner(busybox?: string): { cook: Cook; mount: () => string } {
  const synth = synthImage(simpleCrate());
  const runner = new StageRunner(imageInternals(synth.image).model, tempDir());
  const [script] = runner.scripts(STAGES.cook);
  const bin = fakeCargo();
  const seenFile = join(tempDir(), 'seen');
  const cook = (units: string[], fail = false) => {
    const work = tempDir('prd-cook-');
    const r = spawnSync(busybox ? join(busybox, 'sh') : 'sh', ['-c', script], {
      cwd: work,
      encoding: 'utf-8',
      env: { PATH: `${bin}:${busybox ?? process.env.PATH}`, RUST_TARGETS: 'x86_64-unknown-linux-musl', UNITS: units.join(' '), SEEN: seenFile, FAIL: fail ? '1' : '' },
    });
    return { out: `${r.stdout}${r.stderr}`, status: r.status ?? -1, seen: readFileSync(seenFile, 'utf-8').split('\n').filter(Boolean) };
  };
  return { cook, mount: () => runner.cacheMount('app-cargo-target')! };
}

const units = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, n) => `unit-${String(from + n).padStart(2, '0')}`);

describe.each(SHELLS)('the cook script keeps the cargo target cache (%s)', (_shell, busybox) => {
  const { cook, mount } = cookRunner(busybox);
  const kept = () => readdirSync(join(mount(), 'target')).sort();
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
    expect(readdirSync(join(mount(), 'target')).sort()).toEqual(units(1, 3));
  }
});
