/**
 * Recorded figures in docs/benchmarks.md: each benchmark script owns a
 * delimited section (`<!-- name:start -->` ... `<!-- name:end -->`) and
 * replaces only that, so scripts run at different times keep each other's
 * figures.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

export const BENCHMARKS = join(__dirname, '..', 'docs', 'benchmarks.md');

/** The text of a section, or undefined when the record has none. */
export function readSection(name: string, file = BENCHMARKS): string | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf-8');
  const start = text.indexOf(`<!-- ${name}:start -->`);
  const end = text.indexOf(`<!-- ${name}:end -->`);
  return start >= 0 && end > start ? text.slice(start, end + `<!-- ${name}:end -->`.length) : undefined;
}

/** Writes a section, replacing the one of the same name or appending it. */
export function writeSection(name: string, lines: string[], file = BENCHMARKS): void {
  const block = [`<!-- ${name}:start -->`, ...lines, `<!-- ${name}:end -->`].join('\n');
  const text = existsSync(file) ? readFileSync(file, 'utf-8') : '# Benchmarks\n';
  const old = readSection(name, file);
  writeFileSync(file, old ? text.replace(old, block) : `${text.replace(/\n*$/, '\n\n')}${block}\n`);
}
