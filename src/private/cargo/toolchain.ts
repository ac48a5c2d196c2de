import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseToml } from './toml-parser';
import { RustDockerConfigError } from '../errors';
import { readTomlFile, stringAt, stringsAt, tableAt } from './toml-file';

/** What a `rust-toolchain(.toml)` file asks for. */
export interface ToolchainFile {
  /** The file name, relative to the workspace root. */
  readonly file: string;
  readonly channel?: string;
  readonly targets: string[];
  readonly components: string[];
}

/**
 * Reads `rust-toolchain.toml`, or the legacy `rust-toolchain` (a bare channel
 * name or the same TOML), from the workspace root. Rustup prefers the legacy
 * file when both exist.
 */
export function readToolchainFile(workspaceRoot: string, displayRoot: string): ToolchainFile | undefined {
  const legacy = join(workspaceRoot, 'rust-toolchain');
  if (existsSync(legacy)) {
    const text = readFileSync(legacy, 'utf-8').trim();
    if (!text.includes('[')) {
      return { file: 'rust-toolchain', channel: text || undefined, targets: [], components: [] };
    }
    try {
      return fromTable('rust-toolchain', parseToml(text) as Record<string, unknown>);
    } catch (e) {
      throw new RustDockerConfigError(`${displayRoot}rust-toolchain`, `invalid TOML: ${(e as Error).message.split('\n')[0]}`, 'write a channel name or a [toolchain] table');
    }
  }
  const modern = join(workspaceRoot, 'rust-toolchain.toml');
  if (existsSync(modern)) {
    return fromTable('rust-toolchain.toml', readTomlFile(modern, `${displayRoot}rust-toolchain.toml`));
  }
  return undefined;
}

function fromTable(file: string, table: Record<string, unknown>): ToolchainFile {
  const toolchain = tableAt(table, 'toolchain');
  return {
    file,
    channel: stringAt(toolchain, 'channel'),
    targets: stringsAt(toolchain, 'targets') ?? [],
    components: stringsAt(toolchain, 'components') ?? [],
  };
}
