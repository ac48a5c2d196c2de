/**
 * Temp folders and cleanups shared by the tests, benchmarks and corpus runs.
 * Image builds leave gigabytes behind (builder archives, OCI layouts), so
 * every run removes what it made.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, relative } from 'path';

/** What the current test file (or script) must undo when it ends, last registered first. */
const cleanups: Array<() => void> = [];

/** Registers `undo` to run when the current test file ends (see test/clean-up.ts). */
export function onCleanup(undo: () => void): void {
  cleanups.push(undo);
}

/**
 * Runs every registered cleanup, the last registered first: a daemon started
 * in a temp folder stops before the folder goes.
 */
export function cleanUp(): void {
  while (cleanups.length) cleanups.pop()!();
}

/** A fresh temp folder, removed by `cleanUp` (set PRD_KEEP_TEMP=1 to keep it for a look). */
export function tempDir(prefix = 'prd-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => {
    if (!process.env.PRD_KEEP_TEMP) rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/**
 * Says why checks skip. It writes to stderr directly: jest drops the console
 * output of a test file whose tests all skip, which is when the reason matters.
 */
export function skipNotice(reason: string): void {
  process.stderr.write(`SKIP ${reason}\n`);
}

/** Writes files (path -> content) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/**
 * Marks this run's edits to sources and manifests: a BuildKit root kept from
 * an earlier run (the suite keeps one between runs) holds the layers of the
 * same edit made then, so an edit without it would be cached, not built.
 */
export const RUN_ID = `${Date.now()}`;

/** A fresh temp folder of executable scripts, one per command name, each from its lines: stand-ins to put first on PATH. */
export function commandsDir(prefix: string, commands: Record<string, string[]>): string {
  const dir = tempDir(prefix);
  for (const [name, lines] of Object.entries(commands)) writeFileSync(join(dir, name), [...lines, ''].join('\n'), { mode: 0o755 });
  return dir;
}

/**
 * Every file under `dir` (not folders), sorted, each as `path size mtime`:
 * the modification time in milliseconds, or whole seconds with `seconds`
 * (BusyBox's cp keeps no more).
 */
export function filesOf(dir: string, seconds = false): string[] {
  const out: string[] = [];
  const walk = (d: string): void => readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const path = join(d, e.name);
    if (e.isDirectory()) return walk(path);
    const st = statSync(path);
    out.push(`${relative(dir, path)} ${st.size} ${Math.floor(seconds ? st.mtimeMs / 1000 : st.mtimeMs)}`);
  });
  walk(dir);
  return out.sort();
}
