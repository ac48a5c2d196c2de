/**
 * Every native crate the image compiles is accounted for, from the graph
 * (build scripts, `links`, and what the build scripts use), not from a list
 * of names: covered by a rule, bundled C built with zig, or a probe for a
 * system library (refused on the target, with the fix). Stored graphs do not
 * depend on the rules, so a library upgrade that adds one leaves them
 * current. Known breakages of locked versions are warned about.
 */
import { cpSync } from 'fs';
import { join } from 'path';
import { newProject, simpleCrate, WORKSPACES } from '../harness/projects';
import { tempDir, writeFiles } from '../harness/temp';
import { RustDockerImage } from '../src';
import { imageInternals } from '../src/private/components/internals';
import { assertNoCDependencyErrors } from '../src/private/config/resolve-builder';
import { CompiledCrate, CrateGraph } from '../src/private/deps/crate-graph';
import { cDependencyDecisions } from '../src/private/deps/decisions';
import { knownBreakageWarnings } from '../src/private/deps/known-breakages';
import { Rule, RULES } from '../src/private/deps/rules';

const T = ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'];

/** A graph with the same crates compiled for the target side of every target, and `host` compiled for the build platform. */
function graph(target: CompiledCrate[], host: CompiledCrate[] = []): CrateGraph {
  return { fingerprint: 'x', targets: Object.fromEntries(T.map((t) => [t, { target, host }])) };
}

const crate = (name: string, extra: Partial<CompiledCrate> = {}): CompiledCrate => ({ crate: name, version: '1.0.0', features: [], ...extra });

describe('native crates no rule knows, classified by their build dependencies', () => {
  test('a compiler among the build dependencies: bundled native code, compiled with zig cc', () => {
    const [d] = cDependencyDecisions(graph([crate('libwebp-sys', { buildScript: true, links: 'webp', buildDeps: ['cc', 'glob'] })]));
    expect(d).toEqual(expect.objectContaining({ crate: 'libwebp-sys', level: 'info', targets: T.slice().sort() }));
    expect(d.summary).toBe('libwebp-sys: bundled native code compiled with zig cc (build script uses cc; a native crate no rule knows)');
  });

  test('a probe next to a compiler is still bundled: the probe finds nothing for another target and the sources build', () => {
    const [d] = cDependencyDecisions(graph([crate('onig_sys', { buildScript: true, links: 'onig', buildDeps: ['cc', 'pkg-config'] })]));
    expect(d.level).toBe('info');
    expect(d.summary).toMatch(/^onig_sys: bundled native code compiled with zig cc \(build script uses cc, pkg-config;/);
  });

  test('a probe alone, linked into the binary: refused, naming the probe and the fix', () => {
    const [d] = cDependencyDecisions(graph([crate('libdbus-sys', { buildScript: true, links: 'dbus', buildDeps: ['pkg-config'] })]));
    expect(d.level).toBe('error');
    expect(d.summary).toMatch(/^libdbus-sys looks for a system library with pkg-config and builds none of its own/);
    expect(d.fix).toMatch(/enable a feature of libdbus-sys, or of the crate that pulls it in, that builds the library from source \(often "vendored", "bundled" or "static"\)/);
  });

  test('a probe alone for build-time code finds the builder\'s own library: a warning', () => {
    const [d] = cDependencyDecisions(graph([], [crate('libgit2-sys', { buildScript: true, links: 'git2', buildDeps: ['pkg-config'] })]));
    expect(d).toEqual(expect.objectContaining({ level: 'warning', hostOnly: true }));
  });

  test('links with neither compiler nor probe is noted; a build script that builds nothing native, or a proc macro, is not a native crate', () => {
    const decisions = cDependencyDecisions(graph([
      crate('foo-sys', { buildScript: true, links: 'foo' }),
      crate('serde', { buildScript: true }),
      crate('serde_derive', { procMacro: true }),
    ]));
    expect(decisions.map((d) => d.crate)).toEqual(['foo-sys']);
    expect(decisions[0].summary).toBe('foo-sys: links = "foo", with no compiler or probe among its build dependencies: what it links comes from its dependencies (a native crate no rule knows)');
  });

  test('a rule wins over the classification, and builder.ignoreCrates silences both', () => {
    const g = graph([crate('openssl-sys', { buildScript: true, links: 'openssl', buildDeps: ['cc', 'pkg-config', 'vcpkg'] })]);
    expect(cDependencyDecisions(g).map((d) => [d.crate, d.level, d.libraries])).toEqual([['openssl-sys', 'info', ['openssl']]]);
    expect(cDependencyDecisions(g, ['openssl-sys'])).toEqual([]);
  });

  test('one refusal names every native crate that cannot build, each with its fix', () => {
    const decisions = cDependencyDecisions(graph([
      crate('unwind-sys', { buildScript: true, links: 'unwind', buildDeps: ['pkg-config'] }),
      crate('libdbus-sys', { buildScript: true, links: 'dbus', buildDeps: ['pkg-config'] }),
      crate('curl-sys', { buildScript: true, links: 'curl', buildDeps: ['cc', 'pkg-config'] }),
      crate('openssl-sys', { buildScript: true, links: 'openssl', buildDeps: ['cc', 'pkg-config'] }),
    ]));
    expect(() => assertNoCDependencyErrors(decisions, 'app.crate-graph.json')).toThrow(
      /unwind-sys 1\.0\.0 is compiled for .*; libdbus-sys 1\.0\.0 is compiled for .*looks for a system library with pkg-config.*Fix: turn off the feature that pulls in unwind.*; enable a feature of libdbus-sys/s,
    );
  });

  test('the Dockerfile\'s note lists every native crate the image compiles, with its class', () => {
    const root = tempDir();
    cpSync(join(WORKSPACES, 'c-zstd'), root, { recursive: true });
    const img = new RustDockerImage(newProject({}, root), {});
    const note = (imageInternals(img) as any).model.stages.find((s: any) => s.name === 'cook').instructions.find((i: any) => i.kind === 'RUN').comment.join('\n');
    expect(note).toMatch(/^C dependencies this image compiles \(from Cargo's resolution\):\n {2}zstd-sys 2\.\S+: zstd-sys: bundled zstd compiled with zig cc/);
  });
});

describe('stored graphs survive a library upgrade', () => {
  test('a new rule applies to a stored graph without resolving it again (no cargo)', () => {
    const root = tempDir();
    cpSync(join(WORKSPACES, 'c-zstd'), root, { recursive: true });
    const path = process.env.PATH;
    const rule: Rule = { crate: 'cc', side: 'host-only', level: 'info', apkPackages: ['make'], summary: 'cc: a rule added by a library upgrade' };
    (RULES as Rule[]).push(rule);
    process.env.PATH = '/nonexistent';
    try {
      const img = new RustDockerImage(newProject({}, root), {});
      expect(img.builderPackages).toContain('make');
      expect((imageInternals(img) as any).resolved.decisions.map((d: any) => d.crate)).toContain('cc');
    } finally {
      process.env.PATH = path;
      (RULES as Rule[]).pop();
    }
  });
});

describe('known breakages of locked versions are warned about, with the one-line fix', () => {
  const lock = (version: string) => ({ packages: [{ name: 'time', version, source: 'registry+https://github.com/rust-lang/crates.io-index', dependencies: [] }] });

  test('time before 0.3.35 on Rust 1.80 or later', () => {
    expect(knownBreakageWarnings(lock('0.3.29'), '1.99.1', 'Cargo.lock')).toEqual([
      'Cargo.lock: time 0.3.29 does not compile on Rust 1.80.0 and later (the builder has 1.99.1): error[E0282]: type annotations needed for `Box<_>`. '
      + 'Fix: run `cargo update -p time@0.3.29` (it updates time to 0.3.35 or newer, with what that release needs, and nothing else) and commit Cargo.lock',
    ]);
    expect(knownBreakageWarnings(lock('0.3.29'), 'nightly', 'Cargo.lock')).toHaveLength(1);
  });

  test('a fixed time, or an older Rust, warns about nothing', () => {
    expect(knownBreakageWarnings(lock('0.3.36'), '1.99.1', 'Cargo.lock')).toEqual([]);
    expect(knownBreakageWarnings(lock('0.3.29'), '1.79.0', 'Cargo.lock')).toEqual([]);
  });

  test('the synthesis warns', () => {
    const files = simpleCrate('app');
    const root = tempDir();
    writeFiles(root, {
      ...files,
      'Cargo.toml': files['Cargo.toml'].replace('[dependencies]\n', '[dependencies]\ntime = "0.3"\n'),
      'Cargo.lock': 'version = 4\n\n[[package]]\nname = "app"\nversion = "1.2.3"\ndependencies = [\n "time",\n]\n\n[[package]]\nname = "time"\nversion = "0.3.29"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
    });
    expect(new RustDockerImage(newProject({}, root), {}).warnings.join('\n')).toMatch(/time 0\.3\.29 does not compile on Rust 1\.80\.0 and later.*cargo update -p time@0\.3\.29/);
  });
});
