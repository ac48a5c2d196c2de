/**
 * A stale Cargo.lock is reported as exactly that, from the files alone (no
 * cargo), with the fix that works (the real-tool suite runs it), whether or
 * not the image has a stored dependency graph. Also: a cratePath inside a
 * workspace names the workspace root and the options to use.
 */
import { cpSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { newProject, simpleCrate, WORKSPACES } from '../harness/projects';
import { tempDir, writeFiles } from '../harness/temp';
import { RustDockerImage } from '../src';

/** A copy of a hand-made workspace (its lock written by cargo), changed by `change`. */
function changed(dir: string, change: (root: string) => void): string {
  const root = tempDir();
  cpSync(join(WORKSPACES, dir), root, { recursive: true });
  change(root);
  return root;
}

function edit(file: string, f: (text: string) => string): void {
  writeFileSync(file, f(readFileSync(file, 'utf-8')));
}

const synth = (root: string, options = {}) => () => new RustDockerImage(newProject({}, root), options);

/** A crate with no C dependencies (so no stored graph) declaring `dependency`, its lock recording itoa or not. */
function withItoa(dependency: string, locked: boolean): string {
  const root = tempDir();
  const files = simpleCrate('app');
  const lock = locked
    ? 'version = 4\n\n[[package]]\nname = "app"\nversion = "1.2.3"\ndependencies = [\n "itoa",\n]\n\n[[package]]\nname = "itoa"\nversion = "1.0.19"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n'
    : files['Cargo.lock'];
  writeFiles(root, { ...files, 'Cargo.toml': files['Cargo.toml'].replace('[dependencies]\n', `[dependencies]\n${dependency}\n`), 'Cargo.lock': lock });
  return root;
}

describe('a stale Cargo.lock', () => {
  test('the lock cargo wrote is current: no error', () => {
    expect(synth(changed('c-zstd', () => undefined))).not.toThrow();
  });

  test('a dependency added to Cargo.toml but not to the lock, with a stored graph: the lock is named, with cargo update --workspace', () => {
    const root = changed('c-zstd', (r) => edit(join(r, 'Cargo.toml'), (t) => t.replace('zstd = "0.13"', 'zstd = "0.13"\nitoa = "1"')));
    expect(synth(root)).toThrow(/Cargo.lock: is out of date for the manifests \(package c-zstd depends on itoa, which Cargo.lock does not record for it\).*Fix: run `cargo update --workspace` in \.\//);
  });

  test('the same without a stored graph (a crate with no C dependencies) fails the same way instead of passing', () => {
    expect(synth(withItoa('itoa = "1"', false))).toThrow(/package app depends on itoa, which Cargo.lock does not record/);
  });

  test('a removed dependency, a renamed one and a version bump without the lock are each named', () => {
    const removed = changed('c-zstd', (r) => edit(join(r, 'Cargo.toml'), (t) => t.replace('zstd = "0.13"', '')));
    expect(synth(removed)).toThrow(/Cargo.lock records zstd as a dependency of c-zstd, which its manifest no longer declares/);
    const bumped = changed('c-zstd', (r) => edit(join(r, 'Cargo.toml'), (t) => t.replace('version = "0.1.0"', 'version = "0.2.0"')));
    expect(synth(bumped)).toThrow(/package c-zstd is version 0.2.0 in its manifest but 0.1.0 in Cargo.lock/);
  });

  test('a renamed dependency keeps its package: the lock records packages, not keys', () => {
    expect(synth(withItoa('compress = { package = "itoa", version = "1" }', true))).not.toThrow();
  });

  test('with locked: false the build updates the lock itself: a warning, not an error', () => {
    const img = synth(withItoa('itoa = "1"', false), { locked: false })();
    expect(img.warnings.join('\n')).toMatch(/Cargo.lock is out of date \(package app depends on itoa.*Fix: run `cargo update --workspace`/);
  });
});

describe('a cratePath inside a workspace', () => {
  test('names the workspace root and the options to use', () => {
    const root = tempDir();
    writeFiles(root, {
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
      'crates/api/Cargo.toml': '[package]\nname = "api-server"\nversion = "0.1.0"\nedition = "2021"\n\n[[bin]]\nname = "api"\npath = "src/main.rs"\n',
      'crates/api/src/main.rs': 'fn main() {}\n',
      'Cargo.lock': 'version = 4\n\n[[package]]\nname = "api-server"\nversion = "0.1.0"\n',
    });
    expect(synth(root, { cratePath: 'crates/api' }))
      .toThrow(/cratePath: "crates\/api" holds package api-server, a member of the Cargo workspace at "\.".*Fix: set cratePath: "\." and binary: "api"/);
    // The fix works.
    expect(synth(root, { cratePath: '.', binary: 'api' })().binaries).toEqual(['api']);
  });

  test('a package folder that is not a member of the workspace above it is its own root', () => {
    const root = tempDir();
    writeFiles(root, {
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nexclude = ["tools"]\n',
      ...Object.fromEntries(Object.entries(simpleCrate('tool')).map(([p, c]) => [`tools/tool/${p}`, c])),
    });
    expect(synth(root, { cratePath: 'tools/tool' })().binaries).toEqual(['tool']);
  });
});
