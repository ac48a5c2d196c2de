/**
 * Regenerates docs/compatibility.md from the real-project fixtures in
 * ../shared/fixtures. It needs that folder beside the repository, and refuses
 * to run without it rather than write an empty table.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { compatibilityMarkdown } from '../harness/compat-table';
import { FIXTURES_ABSENT } from '../harness/fixtures';

if (FIXTURES_ABSENT) {
  console.error('docs:compat needs the real-project fixtures in ../shared/fixtures (each with a FIXTURE.json), and that folder is absent here.');
  console.error('Put the shared material beside the repository (../shared) and run `npx projen docs:compat` again.');
  process.exit(1);
}
const text = compatibilityMarkdown();
mkdirSync(join(__dirname, '..', 'docs'), { recursive: true });
writeFileSync(join(__dirname, '..', 'docs', 'compatibility.md'), text);
console.log(text);
