import { github } from 'projen';
import { ACTIONS } from './actions';
import { checkoutStep } from './job-steps';

type Step = github.workflows.JobStep;

/** Step ids of the generated-files check. */
export const GENERATED_FILES_STEP = {
  setupNode: 'setup-node',
  setupPython: 'setup-python',
  installPython: 'install-python-packages',
  install: 'install',
  synth: 'synth',
  compare: 'compare',
} as const;

/** What the generated-files check needs to know. */
export interface GeneratedFilesInput {
  /** The projenrc is Python: pip installs requirements-dev.txt first. */
  readonly python: boolean;
  readonly runsOn: string[];
}

/** Says which files differ, and the fix; fails the job. */
const COMPARE = [
  'git add -A',
  'if ! git diff --cached --quiet; then',
  '  git diff --cached --stat',
  '  echo "::error::The generated files are out of date: Cargo.lock, a Cargo.toml or .projenrc changed without them. Run npx projen and commit the result."',
  '  exit 1',
  'fi',
].join('\n');

/**
 * The job that regenerates every file with `npx projen` and fails when
 * anything differs from the commit: a dependency update (Cargo.lock, a
 * manifest) that did not regenerate the Dockerfile, the crate graph or the
 * workflows is caught before it is built. It holds a read-only token.
 */
export function generatedFilesJob(input: GeneratedFilesInput): github.workflows.Job {
  const python: Step[] = input.python ? [
    { id: GENERATED_FILES_STEP.setupPython, name: 'Set up Python', uses: ACTIONS.setupPython, with: { 'python-version': '3.x' } },
    { id: GENERATED_FILES_STEP.installPython, name: 'Install the Python projenrc\'s packages', run: 'pip install -r requirements-dev.txt' },
  ] : [];
  return {
    name: 'Generated files are up to date',
    runsOn: input.runsOn,
    permissions: { contents: github.workflows.JobPermission.READ },
    steps: [
      checkoutStep(),
      { id: GENERATED_FILES_STEP.setupNode, name: 'Set up Node.js', uses: ACTIONS.setupNode, with: { 'node-version': 'lts/*' } },
      ...python,
      { id: GENERATED_FILES_STEP.install, name: 'Install projen and the library', run: 'npm ci' },
      // Cargo (on the runner) refreshes a stale crate graph.
      { id: GENERATED_FILES_STEP.synth, name: 'Regenerate the files', run: 'npx projen' },
      { id: GENERATED_FILES_STEP.compare, name: 'Compare with the commit', run: COMPARE },
    ],
  };
}
