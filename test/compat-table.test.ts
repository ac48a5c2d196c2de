import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { compatibilityMarkdown } from '../harness/compat-table';
import { describeWithFixtures, FIXTURE_NAMES } from '../harness/fixtures';

const DOC = join(__dirname, '..', 'docs', 'compatibility.md');

describeWithFixtures('docs/compatibility.md', () => {
  const fresh = compatibilityMarkdown();

  test('lists every fixture, generated or refused with the fix', () => {
    for (const name of FIXTURE_NAMES) expect(fresh).toMatch(new RegExp(`^\\| \\[${name}\\]\\(.*\\| (generated.*|refused) \\|$`, 'm'));
    for (const refused of fresh.match(/^### .*\n\nRefused, with the fix: .*$/gm) ?? []) expect(refused).toContain('Fix: ');
  });

  test('is current (regenerate with npx projen docs:compat)', () => {
    expect(existsSync(DOC)).toBe(true);
    expect(readFileSync(DOC, 'utf-8')).toBe(fresh);
  });
});
