import { existsSync } from 'fs';
import { join, posix, relative, resolve } from 'path';
import { CargoConfig, readCargoConfig } from './cargo-config';
import { expandDirGlob } from './glob';
import { Lockfile, readLockfile } from './lockfile';
import { declaredDependencies, DeclaredDependency } from './manifest';
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
  /** The Rust edition (`2015` when the manifest names none, as Cargo reads it). */
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

/**
 * A workspace member that a `[patch]` also points at (cargo-hakari's
 * published workspace-hack: members require the registry's stub, and the
 * patch makes it the member). cargo-chef masks the member's version to
 * 0.0.1, so the planner gives it back (recipe-repair.ts).
 */
export interface PatchedMember {
  /** The member's package name. */
  readonly name: string;
  /** Its version, as its manifest says (what the patch must match). */
  readonly version: string;
  /** Its folder, relative to the workspace root. */
  readonly dir: string;
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
  /** Every dependency the manifest declares (all kinds and targets). */
  readonly dependencies: DeclaredDependency[];
}

/** A Cargo workspace (or a single package) as Cargo sees it. */
export interface CargoWorkspace {
  /** Absolute path of the workspace root. */
  readonly root: string;
  /** The workspace root as shown in messages, with a trailing slash (or empty). */
  readonly displayRoot: string;
  /** Whether the root manifest has a `[workspace]` table. */
  readonly isWorkspace: boolean;
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
  /** Members a `[patch]` points at, by name. */
  readonly patchedMembers: PatchedMember[];
  /** Every manifest read (absolute paths, sorted): what the dependency graph depends on. */
  readonly manifestFiles: string[];
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

/** Display path of the manifest in folder `dir` (relative to the workspace root). */
function manifestDisplay(displayRoot: string, dir: string): string {
  return `${displayRoot}${dir === '.' ? '' : dir + '/'}Cargo.toml`;
}

/** The root manifest and the workspace tables it holds. */
interface RootManifest {
  readonly manifest: TomlTable;
  readonly ws?: TomlTable;
  readonly wsPackage?: TomlTable;
  readonly wsDeps: { deps: TomlTable; display: string };
}

function readRootManifest(root: string, displayRoot: string): RootManifest {
  const file = join(root, 'Cargo.toml');
  if (!existsSync(file)) {
    throw new RustDockerConfigError(
      'cratePath',
      `no Cargo.toml found at ${displayRoot}Cargo.toml`,
      'set cratePath to the folder that holds the Cargo workspace root (the folder with Cargo.toml and Cargo.lock)',
    );
  }
  const manifest = readTomlFile(file, `${displayRoot}Cargo.toml`);
  const ws = tableAt(manifest, 'workspace');
  return { manifest, ws, wsPackage: tableAt(ws, 'package'), wsDeps: { deps: tableAt(ws, 'dependencies') ?? {}, display: `${displayRoot}Cargo.toml` } };
}

/**
 * Walks a workspace the way Cargo does: the root package, `members` globs
 * minus `exclude`, and path dependencies inside the workspace folder, which
 * are members too; path crates outside it (or `[patch]` paths that are not
 * members) are collected apart.
 */
class WorkspaceScan {
  /** Member manifests by folder (relative to the root). */
  public readonly members = new Map<string, TomlTable>();
  /** Non-member path crates by folder, with their manifest when it exists. */
  public readonly nonMembers = new Map<string, TomlTable | undefined>();
  public readonly manifestFiles = new Set<string>();
  public readonly pathDependencies: PathDependency[] = [];
  /** `[patch]` entries whose path is a member: the folder, and where the patch is declared. */
  public readonly patchedMemberDirs: Array<{ dir: string; declaredIn: string }> = [];
  private readonly excluded: string[];
  private readonly scanned = new Set<string>();

  constructor(private readonly root: string, private readonly displayRoot: string, private readonly rootManifest: RootManifest) {
    this.manifestFiles.add(join(root, 'Cargo.toml'));
    if (rootManifest.manifest.package) this.members.set('.', rootManifest.manifest);
    this.excluded = (stringsAt(rootManifest.ws, 'exclude') ?? []).map((e) => posix.normalize(e).replace(/\/$/, ''));
  }

  private isExcluded(dir: string): boolean {
    return this.excluded.some((e) => dir === e || dir.startsWith(`${e}/`));
  }

  private visitMember(dir: string): void {
    if (this.members.has(dir)) return;
    const file = join(this.root, dir, 'Cargo.toml');
    const manifest = readTomlFile(file, manifestDisplay(this.displayRoot, dir));
    this.manifestFiles.add(file);
    if (manifest.package) this.members.set(dir, manifest); // a nested virtual manifest is not a package
  }

  private visitNonMember(dir: string, readManifest: boolean): void {
    if (this.members.has(dir) || this.nonMembers.has(dir)) return;
    const file = join(this.root, dir, 'Cargo.toml');
    const exists = existsSync(file);
    if (exists) this.manifestFiles.add(file);
    this.nonMembers.set(dir, exists && readManifest ? readTomlFile(file, manifestDisplay(this.displayRoot, dir)) : undefined);
  }

  /** The `members` globs, minus `exclude`. */
  public addGlobMembers(): void {
    for (const pattern of stringsAt(this.rootManifest.ws, 'members') ?? []) {
      const dirs = expandDirGlob(this.root, pattern).filter((d) => existsSync(join(this.root, d, 'Cargo.toml')));
      if (dirs.length === 0 && !/[*?[]/.test(pattern)) {
        throw new RustDockerConfigError(`${this.displayRoot}Cargo.toml`, `workspace member "${pattern}" has no Cargo.toml`, 'fix the [workspace] members list, or restore the member folder');
      }
      dirs.filter((d) => !this.isExcluded(d)).forEach((d) => this.visitMember(d));
    }
  }

  /** `[workspace.dependencies]` paths. */
  public addWorkspaceDependencyPaths(): void {
    for (const [name, spec] of Object.entries(this.rootManifest.wsDeps.deps)) {
      const path = spec && typeof spec === 'object' ? stringAt(spec as TomlTable, 'path') : undefined;
      if (path) this.pathDependencies.push({ name, dir: posix.normalize(path), declaredIn: `${this.displayRoot}Cargo.toml [workspace.dependencies]` });
    }
  }

  /**
   * Follows the path dependencies of every member and path crate, until no
   * new folder turns up. Inside the workspace folder they are members
   * (Cargo's implicit membership); the others are path crates.
   */
  public followPathDependencies(): void {
    for (let batch = this.pending(); batch.length; batch = this.pending()) {
      for (const [key, dir, manifest] of batch) {
        this.scanned.add(key);
        const display = manifestDisplay(this.displayRoot, dir);
        const deps = declaredDependencies(manifest, dir, display, this.rootManifest.wsDeps).filter((d) => d.path !== undefined);
        for (const dep of deps) {
          this.pathDependencies.push({ name: dep.key, dir: dep.path!, declaredIn: dep.declaredIn });
          const inside = !dep.path!.startsWith('..') && !this.isExcluded(dep.path!);
          if (this.rootManifest.ws && inside && existsSync(join(this.root, dep.path!, 'Cargo.toml'))) this.visitMember(dep.path!);
          else this.visitNonMember(dep.path!, true);
        }
      }
    }
  }

  private pending(): Array<[string, string, TomlTable]> {
    const members = [...this.members].map(([d, m]): [string, string, TomlTable] => [`m:${d}`, d, m]);
    const others = [...this.nonMembers].filter(([, m]) => m).map(([d, m]): [string, string, TomlTable] => [`n:${d}`, d, m!]);
    return [...members, ...others].filter(([key]) => !this.scanned.has(key));
  }

  /** `[patch.<registry>]` paths: path crates unless they are members. */
  public addPatchPaths(): void {
    for (const [registry, patches] of Object.entries(tableAt(this.rootManifest.manifest, 'patch') ?? {})) {
      for (const [name, spec] of Object.entries(patches as TomlTable)) {
        const path = spec && typeof spec === 'object' ? stringAt(spec as TomlTable, 'path') : undefined;
        if (!path) continue;
        const dir = posix.normalize(path);
        const where = `${this.displayRoot}Cargo.toml [patch.${registry}]`;
        if (this.members.has(dir)) {
          this.patchedMemberDirs.push({ dir, declaredIn: where });
          continue;
        }
        this.pathDependencies.push({ name, dir, declaredIn: where });
        this.visitNonMember(dir, false);
      }
    }
  }
}

/**
 * Reads the Cargo workspace rooted at `root`: the root manifest, every member
 * (globs, `exclude`, `default-members`, implicit path-dependency members),
 * `workspace.package` inheritance, binary targets, declared dependencies,
 * non-member path crates, Cargo.lock, the toolchain file and
 * `.cargo/config.toml`.
 *
 * @param root absolute path of the folder holding the root Cargo.toml
 * @param displayRoot how the folder is shown in messages (e.g. `rust/`)
 */
export function readWorkspace(root: string, displayRoot: string): CargoWorkspace {
  const rootManifest = readRootManifest(root, displayRoot);
  const scan = new WorkspaceScan(root, displayRoot, rootManifest);
  scan.addGlobMembers();
  scan.addWorkspaceDependencyPaths();
  scan.followPathDependencies();
  scan.addPatchPaths();

  const packages: CargoPackage[] = [...scan.members.entries()]
    .sort(([a], [b]) => (a === '.' ? -1 : b === '.' ? 1 : a.localeCompare(b)))
    .map(([dir, manifest]) => toPackage(root, dir, manifest, rootManifest, displayRoot));

  const defaultMemberDirs = stringsAt(rootManifest.ws, 'default-members');
  let defaultMembers: string[] | undefined;
  if (defaultMemberDirs) {
    const dirs = new Set(defaultMemberDirs.flatMap((d) => (d === '.' ? ['.'] : expandDirGlob(root, d))));
    defaultMembers = packages.filter((p) => dirs.has(p.dir)).map((p) => p.name);
  }

  const lockfile = readLockfile(root, `${displayRoot}Cargo.lock`);
  return {
    root,
    displayRoot,
    isWorkspace: rootManifest.ws !== undefined,
    packages,
    defaultMembers,
    pathDependencies: dedupe(scan.pathDependencies),
    nonMemberPathCrates: [...scan.nonMembers.keys()].sort(),
    patchedMembers: patchedMembers(scan.patchedMemberDirs, packages, lockfile),
    manifestFiles: [...scan.manifestFiles].sort(),
    lockfile,
    toolchain: readToolchainFile(root, displayRoot),
    cargoConfig: readCargoConfig(root, displayRoot),
  };
}

/**
 * The members a `[patch]` points at. The cook builds members from
 * cargo-chef's dummy sources, so a registry crate that depends on one would
 * compile against the dummy there: refused, with the fix. A member that only
 * members depend on (cargo-hakari's workspace-hack) builds.
 */
function patchedMembers(
  patches: Array<{ dir: string; declaredIn: string }>, packages: CargoPackage[], lockfile: Lockfile | undefined,
): PatchedMember[] {
  const out: PatchedMember[] = [];
  for (const { dir, declaredIn } of patches) {
    const member = packages.find((p) => p.dir === dir)!;
    const registryDependents = (lockfile?.packages ?? []).filter((l) => l.source !== undefined && l.dependencies.includes(member.name)).map((l) => `${l.name} ${l.version}`);
    if (registryDependents.length) {
      throw new RustDockerConfigError(
        declaredIn,
        `${member.name} is patched with ${dir}, which is also a workspace member, and crates of the registry depend on it (${registryDependents.join(', ')}): `
        + 'the cook compiles them against cargo-chef\'s dummy sources of the member, where they would not build',
        `take ${dir} out of the workspace (remove it from [workspace] members, or add it to [workspace] exclude): the cook then copies its sources as a path crate`,
      );
    }
    // A member without a version is 0.0.0, which the repair restores for every such member already.
    if (member.metadata.version !== undefined) out.push({ name: member.name, version: member.metadata.version, dir });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
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

function toPackage(root: string, dir: string, manifest: TomlTable, rootManifest: RootManifest, displayRoot: string): CargoPackage {
  const pkg = manifest.package as TomlTable;
  const display = manifestDisplay(displayRoot, dir);
  const name = stringAt(pkg, 'name');
  if (!name) {
    throw new RustDockerConfigError(display, '[package] has no name', 'add name = "..." under [package]');
  }
  const [version, description, license, repository, homepage, rustVersion, edition] = INHERITABLE.map((k) => inherit(pkg, rootManifest.wsPackage, k));
  const dependencies = declaredDependencies(manifest, dir, display, rootManifest.wsDeps);
  return {
    name,
    dir,
    metadata: { version, description, license, repository, homepage, rustVersion, edition },
    bins: binTargets(manifest, join(root, dir), name),
    defaultRun: stringAt(pkg, 'default-run'),
    features: Object.keys(tableAt(manifest, 'features') ?? {}),
    optionalDependencies: dependencies.filter((d) => d.optional && d.kind !== 'dev').map((d) => d.key),
    dependencies,
  };
}

/** True when `dir` (relative to `root`, or absolute) lies outside `root`. */
export function isOutside(root: string, dir: string): boolean {
  const rel = relative(root, resolve(root, dir));
  return rel.startsWith('..') || resolve(rel) === rel;
}

/**
 * The workspace that a package folder belongs to when its manifest has no
 * `[workspace]` of its own, as Cargo finds it: the folder its
 * `package.workspace` key names, else the nearest parent folder with a
 * `[workspace]`, when that workspace counts the folder as a member.
 *
 * @param dir absolute path of the package folder
 * @returns the workspace root's absolute path, or undefined
 */
export function enclosingWorkspace(dir: string): string | undefined {
  let manifest: TomlTable;
  try {
    manifest = readTomlFile(join(dir, 'Cargo.toml'), 'Cargo.toml');
  } catch {
    return undefined;
  }
  if (tableAt(manifest, 'workspace')) return undefined;
  const named = stringAt(tableAt(manifest, 'package'), 'workspace');
  const candidates = named !== undefined ? [resolve(dir, named)] : parentFolders(dir);
  for (const parent of candidates) {
    const file = join(parent, 'Cargo.toml');
    if (!existsSync(file)) continue;
    try {
      if (!tableAt(readTomlFile(file, file), 'workspace')) continue;
      const ws = readWorkspace(parent, '');
      const rel = relative(parent, dir).split(/[\\/]/).join('/');
      return ws.packages.some((p) => p.dir === rel) ? parent : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function parentFolders(dir: string): string[] {
  const out: string[] = [];
  for (let p = resolve(dir, '..'); ; p = resolve(p, '..')) {
    out.push(p);
    if (resolve(p, '..') === p) return out;
  }
}
