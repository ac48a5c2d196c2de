/** projen projects for the tests and benchmarks: the example, small crates and the hand-made workspaces. */
import { cpSync } from 'fs';
import { join } from 'path';
import { github, Project, Testing } from 'projen';
import { tempDir, writeFiles } from './temp';
import { RustDockerImage, RustDockerImageOptions } from '../src';
import { readWorkspace } from '../src/private/cargo/workspace';

export const EXAMPLE_CRATE = join(__dirname, '..', 'examples', 'hello-service');
export const FIXTURES = join(__dirname, '..', '..', 'shared', 'fixtures');
/** The hand-made workspaces (data; their cases are in workspace-cases.ts). */
export const WORKSPACES = join(__dirname, '..', 'test', 'workspaces');

/** A minimal single-binary crate. */
export function simpleCrate(name = 'app', extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Cargo.toml': `[package]\nname = "${name}"\nversion = "1.2.3"\nedition = "2021"\ndescription = "An app"\nlicense = "MIT"\nrepository = "https://example.com/app"\n\n[dependencies]\n\n[features]\na = []\nb = []\nx = []\nmetrics = []\ntls = []\n`,
    'Cargo.lock': `version = 4\n\n[[package]]\nname = "${name}"\nversion = "1.2.3"\n`,
    'src/main.rs': 'fn main() {}\n',
    ...extra,
  };
}

/**
 * The crate of simpleCrate with a git dependency (a pure-Rust library, so no
 * graph is needed), from `url` at a fixed revision, in Cargo.toml and Cargo.lock.
 */
export function gitDependencyCrate(url = 'https://git.example.com/acme/helper.git', name = 'app'): Record<string, string> {
  const base = simpleCrate(name);
  const rev = '0123456789abcdef0123456789abcdef01234567';
  return {
    ...base,
    'Cargo.toml': base['Cargo.toml'].replace('[dependencies]\n', `[dependencies]\nhelper = { git = "${url}", rev = "${rev.slice(0, 7)}" }\n`),
    'Cargo.lock': `version = 4\n\n[[package]]\nname = "${name}"\nversion = "1.2.3"\ndependencies = ["helper"]\n\n`
      + `[[package]]\nname = "helper"\nversion = "0.1.0"\nsource = "git+${url}?rev=${rev.slice(0, 7)}#${rev}"\n`,
  };
}

/** A project named `name` with GitHub support in a temp outdir, with `files` written into it. */
export function newProject(files: Record<string, string> = {}, outdir = tempDir(), name = 'test'): Project {
  writeFiles(outdir, files);
  const project = new Project({ name, outdir });
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

/** A project holding a copy of the example crate, named as examples/hello-service/.projenrc.ts names it. */
export function exampleProject(): Project {
  return newProject({}, exampleSources(), 'hello-service');
}

/** The example's options, as in examples/hello-service/.projenrc.ts. */
export const EXAMPLE_OPTIONS: RustDockerImageOptions = { runtime: { ports: [8080], env: { RUST_LOG: 'info' } }, ci: { smokeTestArgs: ['--version'] } };

/** A project holding a copy of a hand-made workspace from test/workspaces (with its stored graphs). */
export function workspaceProject(dir: string): Project {
  const outdir = tempDir();
  cpSync(join(WORKSPACES, dir), outdir, { recursive: true });
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

/**
 * A Cargo.lock that records what the manifests in `files` declare, as cargo
 * would write it: each workspace member with its version and the packages it
 * depends on, and one registry entry per other dependency. For tests about
 * something else than the lock (hand-made workspaces with no real registry
 * crates); the lock checks themselves use locks that cargo wrote.
 *
 * @param root the Cargo root inside `files` ('' for the top)
 */
export function lockFor(files: Record<string, string>, root = ''): string {
  const dir = tempDir('prd-lock-');
  writeFiles(dir, Object.fromEntries(Object.entries(files).filter(([p]) => !p.endsWith('Cargo.lock'))));
  const ws = readWorkspace(join(dir, root), '');
  const members = new Set(ws.packages.map((p) => p.name));
  const entries = new Map<string, string>();
  for (const p of ws.packages) {
    const deps = [...new Set(p.dependencies.map((d) => d.packageName))].sort();
    const list = deps.length ? `dependencies = [\n${deps.map((d) => ` "${d}",`).join('\n')}\n]\n` : '';
    entries.set(p.name, `[[package]]\nname = "${p.name}"\nversion = "${p.metadata.version ?? '0.0.0'}"\n${list}`);
    for (const d of p.dependencies.filter((x) => !members.has(x.packageName) && x.path === undefined)) {
      entries.set(d.packageName, `[[package]]\nname = "${d.packageName}"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`);
    }
  }
  return `version = 4\n\n${[...entries.keys()].sort().map((k) => entries.get(k)).join('\n')}`;
}
