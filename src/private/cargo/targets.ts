import { existsSync, statSync } from 'fs';
import { join } from 'path';
import { TomlTable, stringAt, stringsAt } from './toml-file';
import { listDir } from '../fs-util';

/** A binary target of a package. */
export interface BinTarget {
  /** The binary name (`--bin`). */
  readonly name: string;
  /** Source path relative to the package folder. */
  readonly path: string;
  /** `required-features` of the target. */
  readonly requiredFeatures: string[];
}

function exists(dir: string, rel: string): boolean {
  return existsSync(join(dir, rel));
}


/**
 * The binaries Cargo infers from the file layout: `src/main.rs` (named after
 * the package), `src/bin/<name>.rs` and `src/bin/<name>/main.rs`.
 */
function inferredBins(packageDir: string, packageName: string): BinTarget[] {
  const bins: BinTarget[] = [];
  if (exists(packageDir, 'src/main.rs')) bins.push({ name: packageName, path: 'src/main.rs', requiredFeatures: [] });
  const binDir = join(packageDir, 'src/bin');
  for (const entry of listDir(binDir)) {
    if (entry.endsWith('.rs')) {
      bins.push({ name: entry.slice(0, -3), path: `src/bin/${entry}`, requiredFeatures: [] });
    } else if (statSync(join(binDir, entry)).isDirectory() && exists(binDir, `${entry}/main.rs`)) {
      bins.push({ name: entry, path: `src/bin/${entry}/main.rs`, requiredFeatures: [] });
    }
  }
  return bins;
}

/** The default source path of an explicit `[[bin]]` without `path`, as Cargo picks it. */
function defaultBinPath(packageDir: string, packageName: string, binName: string): string {
  for (const candidate of [`src/bin/${binName}.rs`, `src/bin/${binName}/main.rs`]) {
    if (exists(packageDir, candidate)) return candidate;
  }
  if (binName === packageName && exists(packageDir, 'src/main.rs')) return 'src/main.rs';
  return `src/bin/${binName}.rs`;
}

/**
 * All binary targets of a package, following Cargo's rules: explicit
 * `[[bin]]` entries first, then inferred ones (unless `autobins = false`),
 * where an explicit target replaces an inferred one of the same name or path.
 */
export function binTargets(manifest: TomlTable, packageDir: string, packageName: string): BinTarget[] {
  const pkg = (manifest.package ?? {}) as TomlTable;
  const explicit: BinTarget[] = [];
  const bins = Array.isArray(manifest.bin) ? (manifest.bin as TomlTable[]) : [];
  for (const bin of bins) {
    const name = stringAt(bin, 'name') ?? packageName;
    explicit.push({
      name,
      path: (stringAt(bin, 'path') ?? defaultBinPath(packageDir, packageName, name)).replace(/^\.\//, ''),
      requiredFeatures: stringsAt(bin, 'required-features') ?? [],
    });
  }
  const autobins = pkg.autobins !== false;
  if (!autobins) return explicit;
  const names = new Set(explicit.map((b) => b.name));
  const paths = new Set(explicit.map((b) => b.path));
  const inferred = inferredBins(packageDir, packageName).filter((b) => !names.has(b.name) && !paths.has(b.path));
  return [...explicit, ...inferred];
}
