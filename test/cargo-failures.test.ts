/**
 * When Cargo cannot resolve a workspace, the error names the source it could
 * not reach (a git host, a registry) and the fix for that source: Cargo's
 * own messages are the input, and real cargo runs where it is installed.
 */
import { spawnSync } from 'child_process';
import { newProject, simpleCrate } from '../harness/projects';
import { skipNotice } from '../harness/temp';
import { RustDockerImage } from '../src';
import { failedSource, ResolutionError } from '../src/private/deps/cargo-run';
import { resolutionFix } from '../src/private/deps/resolve-graph';

/** Cargo 1.9x's words for an unreachable git dependency and an unreachable registry (as printed here). */
const GIT = [
  'error: failed to get `foo` as a dependency of package `app v0.1.0 (/w)`',
  'Caused by:', '  failed to load source for dependency `foo`',
  'Caused by:', '  unable to update https://git.example.invalid/acme/foo.git',
  'Caused by:', '  failed to clone into: /root/.cargo/git/db/foo-b46665e4712258dd',
  'Caused by:', '  failed to resolve address for git.example.invalid: Name or service not known; class=Net (12)',
].join('\n');
const REGISTRY = [
  'error: failed to get `serde` as a dependency of package `r v0.1.0 (/tmp/rr)`',
  'Caused by:', '  failed to query replaced source registry `crates-io`',
  'Caused by:', '  download of config.json failed',
  'Caused by:', '  failed to download from `https://index.crates.io/config.json`',
  'Caused by:', '  [7] Could not connect to server',
].join('\n');

test('an unreachable git dependency: its name, URL and host', () => {
  expect(failedSource(GIT)).toEqual({ kind: 'git', url: 'https://git.example.invalid/acme/foo.git', host: 'git.example.invalid', dependency: 'foo' });
  expect(failedSource('  unable to update git@git.corp.example:team/lib.git')).toMatchObject({ kind: 'git', host: 'git.corp.example' });
});

test('an unreachable registry: its host', () => {
  expect(failedSource(REGISTRY)).toMatchObject({ kind: 'registry', url: 'https://index.crates.io/config.json', host: 'index.crates.io' });
  expect(failedSource('error: some other failure')).toBeUndefined();
});

test('each cause gets its own fix: Rust to install, a git host to reach, a registry to reach', () => {
  expect(resolutionFix(new ResolutionError('x', 'no-cargo'), './')).toBe('install Rust (https://rustup.rs), then run `npx projen` again');
  const git = resolutionFix(new ResolutionError('x', failedSource(GIT)), 'svc/');
  expect(git).toMatch(/^give this machine access to git\.example\.invalid, where Cargo could not reach the git repository of foo \(https:\/\/git\.example\.invalid\/acme\/foo\.git\)/);
  expect(git).toMatch(/net\.git-fetch-with-cli = true in \.cargo\/config\.toml.*or run `cargo fetch --locked` in svc\/ where it can be reached, then `npx projen`/);
  expect(git).not.toContain('install Rust');
  expect(resolutionFix(new ResolutionError('x', failedSource(REGISTRY)), './')).toMatch(/^give this machine access to index\.crates\.io, the registry Cargo could not reach/);
});

const noCargo = spawnSync('cargo', ['--version']).status !== 0;
if (noCargo) skipNotice('a real unreachable git dependency: cargo is missing');

(noCargo ? test.skip : test)('for real: a workspace with a git dependency on an unreachable host is refused naming the host, not Rust or the crates registry', () => {
  const files = simpleCrate('app');
  files['Cargo.toml'] = files['Cargo.toml'].replace('[dependencies]\n', '[dependencies]\nfoo = { git = "https://git.example.invalid/acme/foo.git" }\n');
  // A lock that lists a crate that builds native code, so the generator must ask Cargo.
  files['Cargo.lock'] = 'version = 4\n\n[[package]]\nname = "app"\nversion = "1.2.3"\ndependencies = ["foo"]\n\n'
    + '[[package]]\nname = "foo"\nversion = "0.1.0"\nsource = "git+https://git.example.invalid/acme/foo.git#0123456789abcdef0123456789abcdef01234567"\n'
    + 'dependencies = ["openssl-sys"]\n\n[[package]]\nname = "openssl-sys"\nversion = "0.9.118"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n'
    + 'checksum = "0000000000000000000000000000000000000000000000000000000000000000"\n';
  const attempt = () => new RustDockerImage(newProject(files), {});
  expect(attempt).toThrow(/Fix: give this machine access to git\.example\.invalid, where Cargo could not reach the git repository of foo/);
});
