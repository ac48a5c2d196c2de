import { RustDockerConfigError } from '../errors';

/**
 * Characters that could break out of a Dockerfile line, a shell word or a
 * YAML scalar: line breaks, quotes, backslashes, backticks, `$(` and `${`.
 */
const UNSAFE = /[\r\n\u2028\u2029"'`\\]|\$[({]|[\u0000-\u001f\u007f]/;

/** Throws when `value` holds a character that could inject into generated files. */
export function assertSafe(field: string, value: string): void {
  if (UNSAFE.test(value)) {
    throw new RustDockerConfigError(
      field,
      `${JSON.stringify(value)} contains a character that could break out of a Dockerfile line or a YAML value (line breaks, quotes, backslashes, backticks, "$(" or "\${")`,
      'remove those characters from the value',
    );
  }
}

/** Throws unless `value` matches `pattern`. */
export function assertPattern(field: string, value: string, pattern: RegExp, expected: string): void {
  assertSafe(field, value);
  if (!pattern.test(value)) {
    throw new RustDockerConfigError(field, `${JSON.stringify(value)} is not ${expected}`, `use ${expected}`);
  }
}

/** Cargo package, binary and profile names. */
export const CARGO_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
/** Cargo feature names, including `dep:x` and `pkg/feature` forms. */
export const CARGO_FEATURE = /^[A-Za-z0-9_][A-Za-z0-9_+.\-:/]*$/;
/** Environment variable names. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Alpine package names with an optional version constraint (`zig~0.15`, `cmake`). */
export const APK_PACKAGE = /^[a-z0-9][a-z0-9+._-]*([~=<>]{1,2}[A-Za-z0-9._+-]+)?$/;
/** Crate version requirements such as `0.1.77`. */
export const TOOL_VERSION = /^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/;
/** Rust toolchain versions: `1.87`, `1.87.0`, or `stable`/`beta`/`nightly[-YYYY-MM-DD]`. */
export const RUST_CHANNEL = /^([0-9]+\.[0-9]+(\.[0-9]+)?|stable|beta|nightly)(-[0-9]{4}-[0-9]{2}-[0-9]{2})?$/;
/** Safe relative paths inside the build context. */
export const RELATIVE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9_.@+\-/]+$/;
/** Absolute paths inside the image. */
export const IMAGE_PATH = /^\/[A-Za-z0-9_.@+\-/]*$/;
