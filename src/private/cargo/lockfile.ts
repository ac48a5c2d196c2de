import { join } from 'path';
import { readOptionalTomlFile, stringAt, TomlTable } from './toml-file';

/** A package recorded in Cargo.lock. */
export interface LockedPackage {
  readonly name: string;
  readonly version: string;
  /** `registry+...`, `git+...`, or undefined for workspace/path packages. */
  readonly source?: string;
}

/** The packages recorded in a Cargo.lock. */
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
      .map((p) => ({ name: stringAt(p, 'name') ?? '', version: stringAt(p, 'version') ?? '', source: stringAt(p, 'source') }))
      .filter((p) => p.name !== ''),
  };
}

/** The versions of `name` in the lock file (empty when absent). */
export function lockedVersions(lock: Lockfile | undefined, name: string): string[] {
  return (lock?.packages ?? []).filter((p) => p.name === name).map((p) => p.version);
}
