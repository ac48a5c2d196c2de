/**
 * Regenerates docs/compatibility.md: every section this checkout can produce
 * (the real projects need ../shared/fixtures beside the repository; the
 * published binaries come from docs/corpus.json, written by `npx projen
 * corpus`). A section it cannot produce is kept as it was, and named.
 */
import { COMPATIBILITY, writeCompatibility } from '../harness/compat-table';

const kept = writeCompatibility();
console.log(`wrote ${COMPATIBILITY}`);
for (const name of kept) {
  console.log(`kept the "${name}" section as it was: ${name === 'real-projects' ? 'the fixtures in ../shared/fixtures are absent' : 'docs/corpus.json is absent (run npx projen corpus)'}`);
}
