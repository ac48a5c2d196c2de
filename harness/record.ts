/**
 * Recorded results in docs/: each script owns a delimited section
 * (`<!-- name:start -->` ... `<!-- name:end -->`) of a record
 * (docs/benchmarks.md, docs/compatibility.md) and replaces only that, so
 * scripts run at different times keep each other's figures.
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

/** A section as `writeSection` writes it. */
export function sectionBlock(name: string, lines: string[]): string {
  return [`<!-- ${name}:start -->`, ...lines, `<!-- ${name}:end -->`].join('\n');
}

/** Writes a section, replacing the one of the same name or appending it (to a new record headed `title`). */
export function writeSection(name: string, lines: string[], file = BENCHMARKS, title = '# Benchmarks'): void {
  const block = sectionBlock(name, lines);
  const text = existsSync(file) ? readFileSync(file, 'utf-8') : `${title}\n`;
  const old = readSection(name, file);
  writeFileSync(file, old ? text.replace(old, block) : `${text.replace(/\n*$/, '\n\n')}${block}\n`);
}
