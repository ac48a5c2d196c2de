import { existsSync, readFileSync } from 'fs';
import { parseToml, TomlError } from './toml-parser';
import { RustDockerConfigError } from '../errors';

/** A parsed TOML table. */
export type TomlTable = Record<string, unknown>;

/**
 * Reads and parses a TOML file. A syntax error names the file, the line and
 * the column.
 *
 * @param file absolute path
 * @param display the path to show in messages
 */
export function readTomlFile(file: string, display: string): TomlTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf-8');
  } catch (e) {
    throw new RustDockerConfigError(display, `cannot read the file (${(e as Error).message})`, 'check that the file exists and is readable');
  }
  try {
    return parseToml(text) as TomlTable;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split('\n')[0];
      throw new RustDockerConfigError(
        display,
        `invalid TOML at line ${e.line}, column ${e.column}: ${first}`,
        `correct the syntax at ${display}:${e.line}:${e.column}`,
      );
    }
    throw e;
  }
}

/** Like `readTomlFile`, but returns undefined when the file does not exist. */
export function readOptionalTomlFile(file: string, display: string): TomlTable | undefined {
  return existsSync(file) ? readTomlFile(file, display) : undefined;
}

/** A sub-table, or undefined when the key is missing or not a table. */
export function tableAt(table: TomlTable | undefined, key: string): TomlTable | undefined {
  const value = table?.[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as TomlTable) : undefined;
}

/** A string value, or undefined. */
export function stringAt(table: TomlTable | undefined, key: string): string | undefined {
  const value = table?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** A list of strings, or undefined. */
export function stringsAt(table: TomlTable | undefined, key: string): string[] | undefined {
  const value = table?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}
