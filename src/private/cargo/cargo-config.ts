import { existsSync } from 'fs';
import { join } from 'path';
import { readTomlFile, stringAt, tableAt, TomlTable } from './toml-file';

/** The parts of `.cargo/config.toml` that affect a cross build. */
export interface CargoConfig {
  /** The file, relative to the workspace root. */
  readonly file: string;
  /** `build.target`, when set. */
  readonly buildTarget?: string | string[];
  /** Whether `build.rustflags` is set. */
  readonly hasBuildRustflags: boolean;
  /** Per-target tables: `target.<triple or cfg(...)>`. */
  readonly targets: Record<string, { linker?: string; hasRustflags: boolean }>;
}

/** Reads `.cargo/config.toml` (or the legacy `.cargo/config`) from the workspace root. */
export function readCargoConfig(workspaceRoot: string, displayRoot: string): CargoConfig | undefined {
  for (const name of ['.cargo/config.toml', '.cargo/config']) {
    const file = join(workspaceRoot, name);
    if (!existsSync(file)) continue;
    const table = readTomlFile(file, `${displayRoot}${name}`);
    const build = tableAt(table, 'build');
    const targets: CargoConfig['targets'] = {};
    for (const [key, value] of Object.entries(tableAt(table, 'target') ?? {})) {
      const t = value as TomlTable;
      targets[key] = { linker: stringAt(t, 'linker'), hasRustflags: t.rustflags !== undefined };
    }
    const buildTarget = build?.target;
    return {
      file: name,
      buildTarget: typeof buildTarget === 'string' || Array.isArray(buildTarget) ? (buildTarget as string | string[]) : undefined,
      hasBuildRustflags: build?.rustflags !== undefined,
      targets,
    };
  }
  return undefined;
}
