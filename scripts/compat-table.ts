/** Regenerates docs/compatibility.md from the fixtures in ../shared/fixtures. */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { compatibilityMarkdown } from '../test/compat-table';

const text = compatibilityMarkdown();
mkdirSync(join(__dirname, '..', 'docs'), { recursive: true });
writeFileSync(join(__dirname, '..', 'docs', 'compatibility.md'), text);
console.log(text);
