import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { compatibilityMarkdown } from './compat-table';
import { FIXTURE_NAMES } from './fixture-util';

const DOC = join(__dirname, '..', 'docs', 'compatibility.md');

(FIXTURE_NAMES.length ? describe : describe.skip)('docs/compatibility.md', () => {
  const fresh = compatibilityMarkdown();

  test('lists every fixture with a binary and no generation error', () => {
    for (const name of FIXTURE_NAMES) expect(fresh).toMatch(new RegExp(`^\\| \\[${name}\\]\\(`, 'm'));
    expect(fresh).not.toMatch(/\| error \|/);
  });

  test('is current (regenerate with npx projen docs:compat)', () => {
    expect(existsSync(DOC)).toBe(true);
    expect(readFileSync(DOC, 'utf-8')).toBe(fresh);
  });
});
