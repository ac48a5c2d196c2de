import { existsSync } from 'fs';
import { join, posix, relative, resolve } from 'path';
import { CargoConfig, readCargoConfig } from './cargo-config';
import { expandDirGlob } from './glob';
import { Lockfile, readLockfile } from './lockfile';
import { BinTarget, binTargets } from './targets';
import { readTomlFile, stringAt, stringsAt, tableAt, TomlTable } from './toml-file';
import { readToolchainFile, ToolchainFile } from './toolchain';
import { RustDockerConfigError } from '../errors';

/** Package metadata after `workspace.package` inheritance. */
export interface PackageMetadata {
  readonly version?: string;
  readonly description?: string;
  readonly license?: string;
  readonly repository?: string;
  readonly homepage?: string;
  readonly rustVersion?: string;
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
  /** All members, the root package first when there is one, then by folder. */
  readonly packages: CargoPackage[];
  /** Names of the `default-members` packages, when the workspace sets them. */
  readonly defaultMembers?: string[];
  /** Path dependencies and `[patch]` paths anywhere in the workspace. */
  readonly pathDependencies: PathDependency[];
  /**
   * Path crates that are not workspace members (`[patch]` paths, path
   * dependencies outside the workspace folder), relative to the workspace
   * root. cargo-chef does not skeleton them, so the cook needs their sources.
   */
  readonly nonMemberPathCrates: string[];
  /** Every manifest read (absolute paths, sorted): what the dependency graph depends on. */
  readonly manifestFiles: string[];
  readonly lockfile?: Lockfile;
  readonly toolchain?: ToolchainFile;
  readonly cargoConfig?: CargoConfig;
}

const INHERITABLE = ['version', 'description', 'license', 'repository', 'homepage', 'rust-version'] as const;
const DEPENDENCY_KINDS = ['dependencies', 'dev-dependencies', 'build-dependencies'];

function inherit(pkg: TomlTable, wsPackage: TomlTable | undefined, key: string): string | undefined {
  const value = pkg[key];
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && (value as TomlTable).workspace === true) {
    return stringAt(wsPackage, key);
  }
  return undefined;
}

/** The dependency tables of a manifest, with where they stand (`[dependencies]`, `[target.x.build-dependencies]`). */
function dependencyTables(manifest: TomlTable): Array<[string, TomlTable]> {
  const tables: Array<[string, TomlTable]> = [];
  for (const kind of DEPENDENCY_KINDS) {
    const t = tableAt(manifest, kind);
    if (t) tables.push([`[${kind}]`, t]);
  }
  for (const [cfg, value] of Object.entries(tableAt(manifest, 'target') ?? {})) {
    for (const kind of DEPENDENCY_KINDS) {
      const t = tableAt(value as TomlTable, kind);
      if (t) tables.push([`[target.${cfg}.${kind}]`, t]);
    }
  }
  return tables;
}

/** The `path` of a dependency spec, or undefined. */
function specPath(spec: unknown): string | undefined {
  return spec && typeof spec === 'object' ? stringAt(spec as TomlTable, 'path') : undefined;
}

/**
 * The path dependencies a manifest declares, with folders relative to the
 * workspace root. `workspace = true` entries take the path of
 * `[workspace.dependencies]`, which is relative to the workspace root.
 */
function manifestPathDeps(manifest: TomlTable, dir: string, display: string, wsDeps: TomlTable, displayRoot: string): PathDependency[] {
  const deps: PathDependency[] = [];
  for (const [where, table] of dependencyTables(manifest)) {
    for (const [name, spec] of Object.entries(table)) {
      if (spec && typeof spec === 'object' && (spec as TomlTable).workspace === true) {
        const wsPath = specPath(wsDeps[name]);
        if (wsPath) deps.push({ name, dir: posix.normalize(wsPath), declaredIn: `${displayRoot}Cargo.toml [workspace.dependencies]` });
        continue;
      }
      const path = specPath(spec);
      if (path) deps.push({ name, dir: posix.normalize(posix.join(dir, path)), declaredIn: `${display} ${where}` });
    }
  }
  return deps;
}

/** Display path of the manifest in folder `dir` (relative to the workspace root). */
function manifestDisplay(displayRoot: string, dir: string): string {
  return `${displayRoot}${dir === '.' ? '' : dir + '/'}Cargo.toml`;
}

/**
 * Reads the Cargo workspace rooted at `root`: the root manifest, every member
 * (globs, `exclude`, `default-members`, implicit path-dependency members),
 * `workspace.package` inheritance, binary targets, non-member path crates,
 * Cargo.lock, the toolchain file and `.cargo/config.toml`.
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
  const manifestFiles = new Set<string>([rootManifestPath]);

  const members = new Map<string, TomlTable>();
  if (rootManifest.package) members.set('.', rootManifest);

  const excluded = (stringsAt(ws, 'exclude') ?? []).map((e) => posix.normalize(e).replace(/\/$/, ''));
  const isExcluded = (dir: string) => excluded.some((e) => dir === e || dir.startsWith(`${e}/`));

  const visitMember = (dir: string) => {
    if (members.has(dir)) return;
    const file = join(root, dir, 'Cargo.toml');
    const manifest = readTomlFile(file, manifestDisplay(displayRoot, dir));
    manifestFiles.add(file);
    if (manifest.package) members.set(dir, manifest); // a nested virtual manifest is not a package
  };
  for (const pattern of stringsAt(ws, 'members') ?? []) {
    const dirs = expandDirGlob(root, pattern).filter((d) => existsSync(join(root, d, 'Cargo.toml')));
    if (dirs.length === 0 && !/[*?[]/.test(pattern)) {
      throw new RustDockerConfigError(`${displayRoot}Cargo.toml`, `workspace member "${pattern}" has no Cargo.toml`, 'fix the [workspace] members list, or restore the member folder');
    }
    dirs.filter((d) => !isExcluded(d)).forEach(visitMember);
  }

  const pathDependencies: PathDependency[] = [];
  for (const [name, spec] of Object.entries(wsDeps)) {
    const path = specPath(spec);
    if (path) pathDependencies.push({ name, dir: posix.normalize(path), declaredIn: `${displayRoot}Cargo.toml [workspace.dependencies]` });
  }
  const patched: string[] = [];
  for (const [registry, patches] of Object.entries(tableAt(rootManifest, 'patch') ?? {})) {
    for (const [name, spec] of Object.entries(patches as TomlTable)) {
      const path = specPath(spec);
      if (!path) continue;
      const dir = posix.normalize(path);
      pathDependencies.push({ name, dir, declaredIn: `${displayRoot}Cargo.toml [patch.${registry}]` });
      patched.push(dir);
    }
  }

  // Path dependencies inside the workspace folder are members too (Cargo's
  // implicit membership); the others are path crates cargo-chef cannot skeleton.
  const nonMembers = new Map<string, TomlTable | undefined>();
  const scanned = new Set<string>();
  const pending = (): Array<[string, TomlTable]> => [
    ...[...members].filter(([d]) => !scanned.has(`m:${d}`)).map(([d, m]): [string, TomlTable] => [`m:${d}`, m]),
    ...[...nonMembers].filter(([d, m]) => m && !scanned.has(`n:${d}`)).map(([d, m]): [string, TomlTable] => [`n:${d}`, m!]),
  ];
  for (let batch = pending(); batch.length; batch = pending()) {
    for (const [key, manifest] of batch) {
      scanned.add(key);
      const dir = key.slice(2);
      for (const dep of manifestPathDeps(manifest, dir, manifestDisplay(displayRoot, dir), wsDeps, displayRoot)) {
        pathDependencies.push(dep);
        if (members.has(dep.dir) || nonMembers.has(dep.dir)) continue;
        const file = join(root, dep.dir, 'Cargo.toml');
        const inside = !dep.dir.startsWith('..') && !isExcluded(dep.dir);
        if (ws && inside && existsSync(file)) {
          visitMember(dep.dir);
        } else {
          if (existsSync(file)) manifestFiles.add(file);
          nonMembers.set(dep.dir, existsSync(file) ? readTomlFile(file, manifestDisplay(displayRoot, dep.dir)) : undefined);
        }
      }
    }
  }
  for (const dir of patched) {
    if (!members.has(dir) && !nonMembers.has(dir)) {
      const file = join(root, dir, 'Cargo.toml');
      if (existsSync(file)) manifestFiles.add(file);
      nonMembers.set(dir, undefined);
    }
  }

  const packages: CargoPackage[] = [...members.entries()]
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
    packages,
    defaultMembers,
    pathDependencies: dedupe(pathDependencies),
    nonMemberPathCrates: [...nonMembers.keys()].sort(),
    manifestFiles: [...manifestFiles].sort(),
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
    throw new RustDockerConfigError(manifestDisplay(displayRoot, dir), '[package] has no name', 'add name = "..." under [package]');
  }
  const [version, description, license, repository, homepage, rustVersion] = INHERITABLE.map((k) => inherit(pkg, wsPackage, k));
  return {
    name,
    dir,
    metadata: { version, description, license, repository, homepage, rustVersion },
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

/** True when `dir` (relative to `root`, or absolute) lies outside `root`. */
export function isOutside(root: string, dir: string): boolean {
  const rel = relative(root, resolve(root, dir));
  return rel.startsWith('..') || resolve(rel) === rel;
}
