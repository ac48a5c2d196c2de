import { posix } from 'path';
import { stringAt, tableAt, TomlTable } from './toml-file';

/** The dependency kinds of a manifest, with the underscore spellings Cargo still accepts. */
const DEPENDENCY_KINDS: ReadonlyArray<[string, DependencyKind]> = [
  ['dependencies', 'normal'],
  ['dev-dependencies', 'dev'],
  ['dev_dependencies', 'dev'],
  ['build-dependencies', 'build'],
  ['build_dependencies', 'build'],
];

export type DependencyKind = 'normal' | 'dev' | 'build';

/** One dependency as a manifest declares it. */
export interface DeclaredDependency {
  /** The key it is declared under (the name the code uses). */
  readonly key: string;
  /** The Cargo package it names (`package = "..."` renames). */
  readonly packageName: string;
  readonly kind: DependencyKind;
  readonly optional: boolean;
  /** Its `path`, relative to the workspace root, when it is a path dependency. */
  readonly path?: string;
  /** Where it is declared, e.g. `crates/api/Cargo.toml [target.'cfg(unix)'.dependencies]`. */
  readonly declaredIn: string;
}

/** The dependency tables of a manifest, with where they stand (`[dependencies]`, `[target.x.build-dependencies]`). */
export function dependencyTables(manifest: TomlTable): Array<{ where: string; kind: DependencyKind; table: TomlTable }> {
  const tables: Array<{ where: string; kind: DependencyKind; table: TomlTable }> = [];
  for (const [name, kind] of DEPENDENCY_KINDS) {
    const table = tableAt(manifest, name);
    if (table) tables.push({ where: `[${name}]`, kind, table });
  }
  for (const [cfg, value] of Object.entries(tableAt(manifest, 'target') ?? {})) {
    for (const [name, kind] of DEPENDENCY_KINDS) {
      const table = tableAt(value as TomlTable, name);
      if (table) tables.push({ where: `[target.${cfg}.${name}]`, kind, table });
    }
  }
  return tables;
}

function specTable(spec: unknown): TomlTable | undefined {
  return spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? (spec as TomlTable) : undefined;
}

/**
 * The dependencies a manifest declares. A `workspace = true` entry takes its
 * package and path from `[workspace.dependencies]`, whose paths are relative
 * to the workspace root; other paths are relative to the manifest's folder.
 *
 * @param manifest the parsed manifest
 * @param dir the manifest's folder, relative to the workspace root
 * @param display the manifest as shown in messages
 * @param ws the root's `[workspace.dependencies]`, and the root manifest as shown in messages
 */
export function declaredDependencies(
  manifest: TomlTable, dir: string, display: string, ws: { deps: TomlTable; display: string },
): DeclaredDependency[] {
  const deps: DeclaredDependency[] = [];
  for (const { where, kind, table } of dependencyTables(manifest)) {
    for (const [key, spec] of Object.entries(table)) {
      const own = specTable(spec);
      const inherited = own?.workspace === true ? specTable(ws.deps[key]) : undefined;
      const source = inherited ?? own;
      const path = stringAt(source, 'path');
      deps.push({
        key,
        packageName: stringAt(source, 'package') ?? key,
        kind,
        optional: own?.optional === true,
        path: path === undefined ? undefined : posix.normalize(inherited ? path : posix.join(dir, path)),
        declaredIn: inherited ? `${ws.display} [workspace.dependencies]` : `${display} ${where}`,
      });
    }
  }
  return deps;
}
