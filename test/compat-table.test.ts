import { existsSync } from 'fs';
import { compatibilityMarkdown, COMPATIBILITY, corpusSectionMarkdown, CORPUS_RESULTS, workspaceShapesMarkdown } from '../harness/compat-table';
import { describeWithFixtures, FIXTURE_NAMES } from '../harness/fixtures';
import { readSection, sectionBlock } from '../harness/record';
import { SHAPE_CASES } from '../harness/workspace-cases';

/** The section as docs/compatibility.md holds it when it is current. */
const block = (name: string, text: string) => sectionBlock(name, text.replace(/\n+$/, '').split('\n'));

describeWithFixtures('docs/compatibility.md: real projects', () => {
  const fresh = compatibilityMarkdown();

  test('lists every fixture, generated, refused with the fix, or not run here (a fact of this machine) with why', () => {
    expect(FIXTURE_NAMES.length).toBeGreaterThan(0);
    for (const name of FIXTURE_NAMES) expect(fresh).toMatch(new RegExp(`^\\| \\[${name}\\]\\(.*\\| (generated.*|refused|not run here) \\|$`, 'm'));
    const notRun = fresh.match(/^#### .*\n\nNot run here: .*$/gm) ?? [];
    expect(notRun.length).toBe((fresh.match(/\| not run here \|$/gm) ?? []).length);
    // A machine's error is never the verdict: no refusal is for cargo missing.
    expect(fresh.match(/^#### .*\n\nRefused, with the fix: .*$/gm)?.filter((r) => /ENOENT|cargo could not be run/.test(r)) ?? []).toEqual([]);
    const refused = fresh.match(/^#### .*\n\nRefused, with the fix: .*$/gm) ?? [];
    expect(refused.length).toBe((fresh.match(/\| refused \|$/gm) ?? []).length);
    for (const r of refused) expect(r).toContain('Fix: ');
  });

  test('does not depend on whether cargo is on PATH', () => {
    expect(fresh).not.toMatch(/network failure|failed to resolve address/);
  });

  test('is current (regenerate with npx projen docs:compat)', () => {
    expect(readSection('real-projects', COMPATIBILITY)).toBe(block('real-projects', fresh));
  });
});

describe('docs/compatibility.md: workspace shapes', () => {
  const fresh = workspaceShapesMarkdown();

  test('has a row for every shape, with its result', () => {
    expect(SHAPE_CASES.length).toBeGreaterThan(0);
    for (const s of SHAPE_CASES) expect(fresh).toMatch(new RegExp(`^\\| \`${s.dir}\`: .*\\| (builds for both platforms|refused at synthesis. Fix: ).*\\|$`, 'm'));
  });

  test('is current (regenerate with npx projen docs:compat)', () => {
    expect(readSection('workspace-shapes', COMPATIBILITY)).toBe(block('workspace-shapes', fresh));
  });
});

describe('docs/compatibility.md: published binaries', () => {
  test('the recorded corpus results exist', () => {
    expect(existsSync(CORPUS_RESULTS)).toBe(true);
  });

  test('is current with docs/corpus.json (regenerate with npx projen docs:compat)', () => {
    const fresh = corpusSectionMarkdown()!;
    expect(readSection('published-binaries', COMPATIBILITY)).toBe(block('published-binaries', fresh));
  });
});
