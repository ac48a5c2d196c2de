/**
 * smol-toml, loaded through its CommonJS build. Its type declarations are
 * written for ES modules only, so the few members used here are typed by hand.
 */
interface SmolToml {
  readonly TomlError: abstract new (...args: never[]) => Error & { line: number; column: number };
  readonly parse: (text: string) => Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const smolToml: SmolToml = require('smol-toml');

/** Parses TOML text; throws `TomlError` with `line`/`column` on a syntax error. */
export const parseToml = smolToml.parse;

/** The error class smol-toml throws. */
export const TomlError = smolToml.TomlError;
