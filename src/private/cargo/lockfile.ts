import { join } from 'path';
import { readOptionalTomlFile, stringAt, stringsAt, TomlTable } from './toml-file';

/** A package recorded in Cargo.lock. */
export interface LockedPackage {
  readonly name: string;
  readonly version: string;
  /** Where it comes from; undefined for the workspace's own (path) packages. */
  readonly source?: string;
  /** The names of the packages it depends on (the lock's "name version (source)" entries, name only). */
  readonly dependencies: string[];
}

/** The packages recorded in a Cargo.lock: the union over every member, feature and target. */
export interface Lockfile {
  readonly packages: LockedPackage[];
}

/** Reads `Cargo.lock` from the workspace root, or undefined when there is none. */
export function readLockfile(workspaceRoot: string, display: string): Lockfile | undefined {
  const lock = readOptionalTomlFile(join(workspaceRoot, 'Cargo.lock'), display);
  if (!lock) return undefined;
  const list = Array.isArray(lock.package) ? (lock.package as TomlTable[]) : [];
  return {
    packages: list
      .map((p) => ({
        name: stringAt(p, 'name') ?? '',
        version: stringAt(p, 'version') ?? '',
        source: stringAt(p, 'source'),
        dependencies: (stringsAt(p, 'dependencies') ?? []).map((d) => d.split(' ')[0]),
      }))
      .filter((p) => p.name !== ''),
  };
}

/** Whether any of `names` is recorded in the lock file. */
export function lockHasAny(lock: Lockfile | undefined, names: ReadonlySet<string>): boolean {
  return (lock?.packages ?? []).some((p) => names.has(p.name));
}
