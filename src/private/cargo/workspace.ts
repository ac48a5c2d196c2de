import { existsSync } from 'fs';
import { join, posix, relative, resolve } from 'path';
import { RustDockerConfigError } from '../errors';
import { CargoConfig, readCargoConfig } from './cargo-config';
import { expandDirGlob } from './glob';
import { Lockfile, readLockfile } from './lockfile';
import { BinTarget, binTargets } from './targets';
import { readTomlFile, stringAt, stringsAt, tableAt, TomlTable } from './toml-file';
import { readToolchainFile, ToolchainFile } from './toolchain';

/** Package metadata after `workspace.package` inheritance. */
export interface PackageMetadata {
  readonly version?: string;
  readonly description?: string;
  readonly license?: string;
  readonly repository?: string;
  readonly homepage?: string;
  readonly rustVersion?: string;
  readonly edition?: string;
}

/** A path dependency, patch or workspace dependency with a `path`. */
export interface PathDependency {
  /** Dependency key as written. */
  readonly name: string;
  /** Its folder, relative to the workspace root (may start with `..`). */
  readonly dir: string;
  /** Where it was declared, e.g. `crates/api/Cargo.toml [dependencies]`. */
  readonly declaredIn: string;
}

/** One package of the workspace. */
export interface CargoPackage {
  readonly name: string;
  /** Folder relative to the workspace root (`.` for the root package). */
  readonly dir: string;
  readonly metadata: PackageMetadata;
  readonly bins: BinTarget[];
  readonly defaultRun?: string;
  /** Feature names declared in `[features]`. */
  readonly features: string[];
  /** Optional dependencies, which are implicit features unless a feature names them as `dep:x`. */
  readonly optionalDependencies: string[];
}

/** A Cargo workspace (or a single package) as Cargo sees it. */
export interface CargoWorkspace {
  /** Absolute path of the workspace root. */
  readonly root: string;
  /** The workspace root as shown in messages, with a trailing slash (or empty). */
  readonly displayRoot: string;
  /** Whether the root manifest has `[workspace]`. */
  readonly isWorkspace: boolean;
  /** All members, the root package first when there is one, then by folder. */
  readonly packages: CargoPackage[];
  /** Names of the `default-members` packages, when the workspace sets them. */
  readonly defaultMembers?: string[];
  /** Path dependencies and `[patch]` paths anywhere in the workspace. */
  readonly pathDependencies: PathDependency[];
  /** `[patch]` path crates that are not workspace members (cargo-chef does not skeleton them). */
  readonly patchedPathCrates: string[];
  readonly lockfile?: Lockfile;
  readonly toolchain?: ToolchainFile;
  readonly cargoConfig?: CargoConfig;
}

const INHERITABLE = ['version', 'description', 'license', 'repository', 'homepage', 'rust-version', 'edition'] as const;

function inherit(pkg: TomlTable, wsPackage: TomlTable | undefined, key: string): string | undefined {
  const value = pkg[key];
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && (value as TomlTable).workspace === true) {
    return stringAt(wsPackage, key);
  }
  return undefined;
}

function dependencyTables(manifest: TomlTable): Array<[string, TomlTable]> {
  const tables: Array<[string, TomlTable]> = [];
  for (const kind of ['dependencies', 'dev-dependencies', 'build-dependencies']) {
    const t = tableAt(manifest, kind);
    if (t) tables.push([`[${kind}]`, t]);
  }
  for (const [cfg, value] of Object.entries(tableAt(manifest, 'target') ?? {})) {
    for (const kind of ['dependencies', 'dev-dependencies', 'build-dependencies']) {
      const t = tableAt(value as TomlTable, kind);
      if (t) tables.push([`[target.${cfg}.${kind}]`, t]);
    }
  }
  return tables;
}

/**
 * Reads the Cargo workspace rooted at `root`: the root manifest, every member
 * (globs, `exclude`, `default-members`, implicit path-dependency members),
 * `workspace.package` inheritance, binary targets, Cargo.lock, the toolchain
 * file and `.cargo/config.toml`.
 *
 * @param root absolute path of the folder holding the root Cargo.toml
 * @param displayRoot how the folder is shown in messages (e.g. `rust/`)
 */
export function readWorkspace(root: string, displayRoot: string): CargoWorkspace {
  const rootManifestPath = join(root, 'Cargo.toml');
  if (!existsSync(rootManifestPath)) {
    throw new RustDockerConfigError(
      'cratePath',
      `no Cargo.toml found at ${displayRoot}Cargo.toml`,
      'set cratePath to the folder that holds the Cargo workspace root (the folder with Cargo.toml and Cargo.lock)',
    );
  }
  const rootManifest = readTomlFile(rootManifestPath, `${displayRoot}Cargo.toml`);
  const ws = tableAt(rootManifest, 'workspace');
  const wsPackage = tableAt(ws, 'package');
  const wsDeps = tableAt(ws, 'dependencies') ?? {};

  const manifests = new Map<string, TomlTable>();
  if (rootManifest.package) manifests.set('.', rootManifest);

  const excluded = (stringsAt(ws, 'exclude') ?? []).map((e) => posix.normalize(e).replace(/\/$/, ''));
  const isExcluded = (dir: string) => excluded.some((e) => dir === e || dir.startsWith(`${e}/`));

  const queue: string[] = [];
  for (const pattern of stringsAt(ws, 'members') ?? []) {
    const dirs = expandDirGlob(root, pattern).filter((d) => existsSync(join(root, d, 'Cargo.toml')));
    if (dirs.length === 0 && !/[*?[]/.test(pattern)) {
      throw new RustDockerConfigError(
        `${displayRoot}Cargo.toml`,
        `workspace member "${pattern}" has no Cargo.toml`,
        'fix the [workspace] members list, or restore the member folder',
      );
    }
    queue.push(...dirs.filter((d) => !isExcluded(d)));
  }

  const pathDependencies: PathDependency[] = [];
  const addPathDeps = (dir: string, manifest: TomlTable, display: string) => {
    for (const [where, table] of dependencyTables(manifest)) {
      for (const [name, spec] of Object.entries(table)) {
        if (!spec || typeof spec !== 'object') continue;
        let path = stringAt(spec as TomlTable, 'path');
        if (!path && (spec as TomlTable).workspace === true) {
          const wsSpec = wsDeps[name];
          const wsPath = wsSpec && typeof wsSpec === 'object' ? stringAt(wsSpec as TomlTable, 'path') : undefined;
          if (wsPath) {
            pathDependencies.push({ name, dir: posix.normalize(wsPath), declaredIn: `${displayRoot}Cargo.toml [workspace.dependencies]` });
          }
          continue;
        }
        if (path) pathDependencies.push({ name, dir: posix.normalize(posix.join(dir, path)), declaredIn: `${display} ${where}` });
      }
    }
  };

  for (const [name, spec] of Object.entries(wsDeps)) {
    const path = spec && typeof spec === 'object' ? stringAt(spec as TomlTable, 'path') : undefined;
    if (path) pathDependencies.push({ name, dir: posix.normalize(path), declaredIn: `${displayRoot}Cargo.toml [workspace.dependencies]` });
  }
  const patchedPathCrates: string[] = [];
  for (const [registry, patches] of Object.entries(tableAt(rootManifest, 'patch') ?? {})) {
    for (const [name, spec] of Object.entries(patches as TomlTable)) {
      const path = spec && typeof spec === 'object' ? stringAt(spec as TomlTable, 'path') : undefined;
      if (path) {
        const dir = posix.normalize(path);
        pathDependencies.push({ name, dir, declaredIn: `${displayRoot}Cargo.toml [patch.${registry}]` });
        patchedPathCrates.push(dir);
      }
    }
  }

  const visit = (dir: string) => {
    if (manifests.has(dir)) return;
    const display = `${displayRoot}${dir}/Cargo.toml`;
    const manifest = readTomlFile(join(root, dir, 'Cargo.toml'), display);
    if (!manifest.package) return; // a nested virtual manifest is not a package
    manifests.set(dir, manifest);
  };
  queue.forEach(visit);

  // Path dependencies inside the workspace folder are members too (Cargo's implicit membership).
  const scanned = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [dir, manifest] of [...manifests]) {
      if (scanned.has(dir)) continue;
      scanned.add(dir);
      const before = pathDependencies.length;
      addPathDeps(dir, manifest, `${displayRoot}${dir === '.' ? '' : dir + '/'}Cargo.toml`);
      if (!ws) continue;
      for (const dep of pathDependencies.slice(before)) {
        if (dep.dir.startsWith('..') || isExcluded(dep.dir) || manifests.has(dep.dir)) continue;
        if (!existsSync(join(root, dep.dir, 'Cargo.toml'))) continue;
        visit(dep.dir);
        grew = true;
      }
    }
  }
  const patchedNonMembers = [...new Set(patchedPathCrates)].filter((d) => !manifests.has(d) && !d.startsWith('..')).sort();

  const packages: CargoPackage[] = [...manifests.entries()]
    .sort(([a], [b]) => (a === '.' ? -1 : b === '.' ? 1 : a.localeCompare(b)))
    .map(([dir, manifest]) => toPackage(root, dir, manifest, wsPackage, displayRoot));

  const defaultMemberDirs = stringsAt(ws, 'default-members');
  let defaultMembers: string[] | undefined;
  if (defaultMemberDirs) {
    const dirs = new Set(defaultMemberDirs.flatMap((d) => (d === '.' ? ['.'] : expandDirGlob(root, d))));
    defaultMembers = packages.filter((p) => dirs.has(p.dir)).map((p) => p.name);
  }

  return {
    root,
    displayRoot,
    isWorkspace: ws !== undefined,
    packages,
    defaultMembers,
    pathDependencies: dedupe(pathDependencies),
    patchedPathCrates: patchedNonMembers,
    lockfile: readLockfile(root, `${displayRoot}Cargo.lock`),
    toolchain: readToolchainFile(root, displayRoot),
    cargoConfig: readCargoConfig(root, displayRoot),
  };
}

function dedupe(deps: PathDependency[]): PathDependency[] {
  const seen = new Set<string>();
  return deps.filter((d) => {
    const key = `${d.name} ${d.dir} ${d.declaredIn}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toPackage(root: string, dir: string, manifest: TomlTable, wsPackage: TomlTable | undefined, displayRoot: string): CargoPackage {
  const pkg = manifest.package as TomlTable;
  const name = stringAt(pkg, 'name');
  if (!name) {
    throw new RustDockerConfigError(`${displayRoot}${dir === '.' ? '' : dir + '/'}Cargo.toml`, '[package] has no name', 'add name = "..." under [package]');
  }
  const [version, description, license, repository, homepage, rustVersion, edition] = INHERITABLE.map((k) => inherit(pkg, wsPackage, k));
  return {
    name,
    dir,
    metadata: { version, description, license, repository, homepage, rustVersion, edition },
    bins: binTargets(manifest, join(root, dir), name),
    defaultRun: stringAt(pkg, 'default-run'),
    features: Object.keys(tableAt(manifest, 'features') ?? {}),
    optionalDependencies: dependencyTables(manifest)
      .filter(([where]) => !where.includes('dev-dependencies'))
      .flatMap(([, table]) => Object.entries(table))
      .filter(([, spec]) => !!spec && typeof spec === 'object' && (spec as TomlTable).optional === true)
      .map(([dep]) => dep),
  };
}

/** True when `dir` (relative to the workspace root) lies outside `root`. */
export function isOutside(root: string, dir: string): boolean {
  const rel = relative(root, resolve(root, dir));
  return rel.startsWith('..') || resolve(rel) === rel;
}
