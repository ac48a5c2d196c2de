import { existsSync, readFileSync, rmSync } from 'fs';
import { join, posix } from 'path';
import { readWorkspace } from '../cargo/workspace';
import { existingFile } from '../components/file-guard';
import { RustDockerConfigError } from '../errors';
import { isDir, listDir } from '../fs-util';

/** Folders never searched for a Cargo root. */
const SKIPPED = new Set(['node_modules', 'target', '.git', '.github', '.projen']);

/**
 * The Cargo root of a repository: its top folder, or else the one topmost
 * folder below it (at most three levels down) that holds a Cargo.toml.
 *
 * @returns the folder relative to `outdir` ('.' for the top)
 */
export function findCargoRoot(outdir: string): string {
  if (existsSync(join(outdir, 'Cargo.toml'))) return '.';
  const found: string[] = [];
  const visit = (rel: string, depth: number) => {
    for (const entry of listDir(join(outdir, rel)).sort()) {
      if (SKIPPED.has(entry) || entry.startsWith('.')) continue;
      const child = rel ? posix.join(rel, entry) : entry;
      if (!isDir(join(outdir, child))) continue;
      if (existsSync(join(outdir, child, 'Cargo.toml'))) found.push(child);
      else if (depth < 3) visit(child, depth + 1);
    }
  };
  visit('', 1);
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    throw new RustDockerConfigError('cratePath', 'no Cargo.toml in this folder or the three levels below it', 'run projen in a Rust repository, or set cratePath to the folder of the Cargo workspace root');
  }
  throw new RustDockerConfigError('cratePath', `several Cargo roots: ${found.join(', ')}`, `choose one with cratePath (--crate-path ${found[0]}), and add a RustDockerImage for each other one in .projenrc`);
}

/**
 * The lines of a hand-written file (one projen did not generate) at `file`,
 * verbatim: comments, blank lines and order kept, line endings made LF, and
 * trailing blank lines dropped. What must survive projen taking the file over.
 */
export function handWrittenLines(outdir: string, file: string): string[] {
  const existing = existingFile(outdir, file);
  if (existing.kind !== 'hand-written') return [];
  const lines = existing.text.split(/\r?\n/);
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  return lines;
}

/** Whether one of `lines` (a .gitignore's) already ignores the folder `dir` (relative to the repository, no slashes around it). */
export function ignoresFolder(lines: string[], dir: string): boolean {
  const name = dir.split('/').pop()!;
  const same = new Set([`/${dir}`, `/${dir}/`, `${dir}/`, ...(dir.includes('/') ? [dir] : []), name, `${name}/`, `**/${name}`, `**/${name}/`]);
  return lines.some((l) => same.has(l.trim()));
}

/**
 * The licence of the packages that ship `binaries`, as Cargo.toml says it,
 * for package.json (Cargo's old `MIT/Apache-2.0` form written as the SPDX
 * expression npm reads); undefined when none says one.
 */
export function cargoLicense(outdir: string, cratePath: string, binaries: string[]): string | undefined {
  const ws = readWorkspace(join(outdir, cratePath), cratePath === '.' ? '' : `${cratePath}/`);
  const shipped = ws.packages.filter((p) => p.bins.some((b) => binaries.includes(b.name)));
  const license = shipped.map((p) => p.metadata.license).find(Boolean);
  return license?.split('/').map((l) => l.trim()).join(' OR ');
}

/** The hand-written Docker files standing where the image would write them. */
export function handWrittenDockerFiles(outdir: string, cratePath: string): string[] {
  return ['Dockerfile', '.dockerignore'].map((f) => posix.join(cratePath, f)).filter((f) => existingFile(outdir, f).kind === 'hand-written');
}

/** What `projen new --from` installs before it runs the project type: projen, this library, and what they need. */
const PROJEN_NEW_PACKAGES = new Set(['projen', 'projen-rust-docker', 'constructs']);

/** The package.json at `outdir`, parsed; undefined when there is none or it is not JSON. */
function readPackageJson(outdir: string): Record<string, unknown> | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(outdir, 'package.json'), 'utf-8'));
    return pkg && typeof pkg === 'object' && !Array.isArray(pkg) ? pkg : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pkg` is what `projen new --from` leaves: nothing but its devDependencies on projen and this library. */
function isProjenNewInstall(pkg: Record<string, unknown>): boolean {
  const keys = Object.keys(pkg);
  const dev = pkg.devDependencies as Record<string, string> | undefined;
  return keys.length === 1 && keys[0] === 'devDependencies' && !!dev && Object.keys(dev).every((d) => PROJEN_NEW_PACKAGES.has(d));
}

/**
 * Whether the repository has a package.json of its own: one projen did not
 * write and `projen new` did not leave (a frontend's, or the repository's
 * tooling's). Such a file stays the repository's: the project writes no
 * package.json, and its dependencies are the user's to keep.
 */
export function hasOwnPackageJson(outdir: string): boolean {
  if (existingFile(outdir, 'package.json').kind !== 'hand-written') return false;
  const pkg = readPackageJson(outdir);
  return pkg !== undefined && !isProjenNewInstall(pkg);
}

/**
 * The npm packages of `needed` that the repository's own package.json does
 * not list (in dependencies or devDependencies), by name.
 */
export function missingPackages(outdir: string, needed: readonly string[]): string[] {
  const pkg = readPackageJson(outdir) ?? {};
  const listed = new Set([pkg.dependencies, pkg.devDependencies].flatMap((d) => (d && typeof d === 'object' ? Object.keys(d) : [])));
  return needed.filter((n) => !listed.has(n));
}

/**
 * Removes what `projen new` installed before this project type refused the
 * repository: a package.json that holds nothing but its devDependencies on
 * projen and this library (npm wrote it; the repository had none), and the
 * node_modules beside it. A package.json with anything else is the
 * repository's, and stays.
 *
 * @returns whether it removed them
 */
export function undoProjenNewInstall(outdir: string): boolean {
  const pkg = readPackageJson(outdir);
  if (!pkg || !isProjenNewInstall(pkg)) return false;
  rmSync(join(outdir, 'package.json'));
  rmSync(join(outdir, 'node_modules'), { recursive: true, force: true });
  rmSync(join(outdir, 'package-lock.json'), { force: true });
  return true;
}
