/**
 * The shell of the cook and build steps, as script lines (each RUN renders
 * them as a heredoc after `set -eu`, so the first failing command ends the
 * step, with its own message last): the targets, the compile, and the
 * checks of each target's binaries that name the target, the path and, for
 * a dynamic binary, the libraries it needs.
 */
import { TARGETS_VAR } from './cargo-flags';
import { LibcKind } from '../../libc';
import { CompileLayout } from '../../options';
import { ResolvedImage } from '../config/resolved';

/** The section cargo-auditable writes the dependency list to. */
export const AUDITABLE_SECTION = '.dep-v0';

/** The width a script line is wrapped at (with a trailing backslash). */
const WRAP = 140;

/**
 * A command of many words on lines of at most about `WRAP` characters,
 * continued with a backslash (inside a heredoc script, the shell joins them).
 */
export function wrapCommand(words: string[], indent = ''): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const w of words) {
    if (line.trim() && line.length + 1 + w.length > WRAP) {
      lines.push(`${line} \\`);
      line = `${indent}  ${w}`;
    } else {
      line = line.trim() ? `${line} ${w}` : `${line}${w}`;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * The targets of the step, as `--target` pairs in the shell's positional
 * parameters (no unquoted expansion splits words): from the `RUST_TARGETS`
 * build argument with one compile for all platforms (all by default; a local
 * build for the host passes one), from `TARGETPLATFORM` per target platform.
 */
export function targetLines(image: ResolvedImage): string[] {
  const lines: string[] = [];
  if (image.layout === CompileLayout.PER_TARGET_PLATFORM) {
    lines.push('case "$TARGETPLATFORM" in');
    for (const t of image.targets) lines.push(`  ${t.platform}) ${TARGETS_VAR}=${t.zigTarget} ;;`);
    lines.push('  *) echo "error: no Rust target for the platform $TARGETPLATFORM" >&2; exit 1 ;;', 'esac');
  }
  lines.push(`echo "targets: $${TARGETS_VAR}"`, 'set --', `for t in $${TARGETS_VAR}; do set -- "$@" --target "$t"; done`);
  return lines;
}

/** A line that fails, naming the target `$t` and the path `$f`, unless `$f` is an ELF binary (cargo left none there, or something else). */
function elfCheck(indent: string): string[] {
  return [`${indent}readelf -h "$f" >/dev/null 2>&1 || { echo "error: $t: no ELF binary at $f" >&2; exit 1; }`];
}

/** Lines that fail unless the binary `$f` is static, naming the libraries it needs when it is not. */
export function staticCheckLines(indent = ''): string[] {
  return [
    ...elfCheck(indent),
    `${indent}needs=$(readelf -dW "$f" | sed -n 's/.*(NEEDED).*\\[\\(.*\\)\\]$/\\1/p' | tr '\\n' ' ')`,
    `${indent}if [ -n "$needs" ] || readelf -lW "$f" | grep -q 'program interpreter'; then`,
    `${indent}  echo "error: $t: $f is not static, it needs: \${needs:-a program interpreter}" >&2; exit 1`,
    `${indent}fi`,
  ];
}

/** Lines that fail when the binary `$f` needs a glibc symbol version newer than `floor` (from `readelf -V`). */
export function glibcFloorCheckLines(floor: string, indent = ''): string[] {
  return [
    ...elfCheck(indent),
    `${indent}need=$(readelf -VW "$f" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)`,
    `${indent}if [ -n "$need" ] && [ "$(printf '%s\\n%s\\n' "$need" ${floor} | sort -V | tail -n 1)" != ${floor} ]; then`,
    `${indent}  echo "error: $t: $f needs glibc $need, newer than the floor ${floor}" >&2; exit 1`,
    `${indent}fi`,
  ];
}

/** The check of one binary `$f` for the image's libc. */
function binaryCheck(image: ResolvedImage, indent: string): string[] {
  return image.libc.kind === LibcKind.GLIBC ? glibcFloorCheckLines(image.libc.glibcVersion!, indent) : staticCheckLines(indent);
}

/** Where cargo leaves a binary of a target (the Rust target, without a glibc suffix), relative to the Cargo root. */
export function binaryPath(image: ResolvedImage, rustTarget: string, binary: string): string {
  return `target/${rustTarget}/${image.profileDir}/${binary}`;
}

/** llvm-objcopy of the builder's Rust, which handles every target's binaries. */
const OBJCOPY = 'objcopy="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n \'s/^host: //p\')/bin/llvm-objcopy"';

/** Lines that move `$f`'s debug information to `$f.debug` and strip `$f`, tied by a GNU debuglink. */
function splitDebugLines(image: ResolvedImage, indent: string): string[] {
  // --strip-all would drop cargo-auditable's dependency list (.dep-v0) too: keep it.
  const keep = image.auditable ? ` --keep-section=${AUDITABLE_SECTION}` : '';
  return [
    `${indent}"$objcopy" --only-keep-debug "$f" "$f.debug"`,
    `${indent}"$objcopy" --strip-all${keep} --add-gnu-debuglink="$f.debug" "$f"`,
  ];
}

/**
 * Lines that check every target's binaries where cargo left them: each one
 * is there, an ELF binary, and links as the image needs (static, or within
 * the glibc floor); with debug symbols, its debug information is split off.
 * A failure names the target and the path (and a dynamic binary's libraries).
 */
export function checkLines(image: ResolvedImage): string[] {
  const names = image.binaries.map((b) => b.name);
  const several = names.length > 1;
  const indent = several ? '    ' : '  ';
  // cargo-zigbuild's glibc targets carry the floor as a suffix (x86_64-unknown-linux-gnu.2.28); the folder does not.
  const path = binaryPath(image, '${t%%.*}', several ? '$b' : names[0]);
  return [
    ...(image.debugSymbols ? [OBJCOPY] : []),
    `for t in $${TARGETS_VAR}; do`,
    ...(several ? [`  for b in ${names.join(' ')}; do`] : []),
    `${indent}f="${path}"`,
    ...binaryCheck(image, indent),
    ...(image.debugSymbols ? splitDebugLines(image, indent) : []),
    ...(several ? ['  done'] : []),
    'done',
  ];
}
