/**
 * The corpus tool's pure parts: failure classification from BuildKit logs,
 * refusal classification, native-crate detection from `cargo metadata`, and
 * the Markdown rendering. No network, no daemon.
 */
import {
  CargoMetadata, classifyBuildFailure, classifyOutput, classifyRefusal, classifySynthError, CORPUS, CI_SAMPLE, corpusMarkdown, CorpusResult,
  crateUrl, failingStep, fingerprintOf, indexPath, mechanicalFix, nativeCrates, nativeSummary, relevantLines, stageOfStep, synthFingerprint,
  taxonomyKey, warnedLockFixes,
} from '../harness/corpus';
import { exampleSources } from '../harness/projects';
import { Platform } from '../src';
import { Lockfile } from '../src/private/cargo/lockfile';
import { knownBreakageWarnings } from '../src/private/deps/known-breakages';

/** A BuildKit plain-progress log whose cook step failed with `output`. */
function cookFailure(output: string[]): string {
  return [
    '#1 [internal] load build definition from Dockerfile',
    '#1 DONE 0.0s',
    '#12 [linux/amd64 rust-builder 2/6] RUN apk add --no-cache musl-dev binutils ca-certificates zig~0.15',
    '#12 CACHED',
    '#15 [linux/amd64 cook 3/3] RUN --mount=type=cache,target=/usr/local/cargo/registry cargo chef cook --zigbuild --locked --release',
    ...output.map((l, i) => `#15 ${(i * 0.5 + 1).toFixed(3)} ${l}`),
    '#15 ERROR: process "/bin/sh -c cargo chef cook" did not complete successfully: exit code: 101',
    '------',
    ' > [linux/amd64 cook 3/3] RUN cargo chef cook:',
    '------',
    'error: failed to solve: process "/bin/sh -c cargo chef cook" did not complete successfully: exit code: 101',
  ].join('\n');
}

describe('the corpus list', () => {
  test('22-26 crates, each pinned, with smoke arguments and a note; names are unique; the CI sample is in it', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(22);
    expect(CORPUS.length).toBeLessThanOrEqual(26);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
    for (const c of CORPUS) {
      expect(c.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(c.smokeArgs.length).toBeGreaterThan(0);
      expect(c.note.length).toBeGreaterThan(5);
    }
    for (const n of CI_SAMPLE) expect(CORPUS.map((c) => c.name)).toContain(n);
  });

  test('registry addresses', () => {
    expect(indexPath('sd')).toBe('2/sd');
    expect(indexPath('bat')).toBe('3/b/bat');
    expect(indexPath('ripgrep')).toBe('ri/pg/ripgrep');
    expect(indexPath('A')).toBe('1/a');
    expect(crateUrl('sd', '1.0.0')).toBe('https://static.crates.io/crates/sd/sd-1.0.0.crate');
  });
});

describe('failure classification', () => {
  test('the failing step and its stage come from the BuildKit log', () => {
    const step = failingStep(cookFailure(['   Compiling onig_sys v69.9.1', 'error: could not compile `x`']));
    expect(step?.name).toMatch(/^\[linux\/amd64 cook 3\/3\] RUN/);
    expect(step?.output).toEqual(['   Compiling onig_sys v69.9.1', 'error: could not compile `x`']);
    expect(failingStep('#1 [internal] load\n#1 DONE 0.0s')).toBeUndefined();
  });

  test.each([
    ['[linux/amd64 cook 3/3] RUN cargo chef cook', 'cook'],
    ['[cook 3/3] RUN cargo chef cook', 'cook'],
    ['[linux/amd64 planner 2/2] RUN cargo chef prepare', 'planner'],
    ['[linux/amd64 build 2/2] RUN cargo auditable zigbuild', 'build'],
    ['[linux/amd64 rust-builder 5/6] RUN apk add perl', 'builder'],
    ['[linux/arm64 runtime 3/4] COPY --from=build', 'runtime'],
  ])('%s is the %s stage', (name, stage) => {
    expect(stageOfStep(name)).toBe(stage);
  });

  test.each([
    [['error[E0282]: type annotations needed for `Box<_>`', '  --> /usr/local/cargo/registry/src/index.crates.io-1949cf8c6b5b557f/time-0.3.29/src/format_description/parse/mod.rs:83:9', 'error: could not compile `time` (lib)'], 'time<0.3.35 on Rust>=1.80'],
    [['error: failed to run custom build command for `openssl-sys v0.9.93`', '  Could not find directory of OpenSSL installation, and this `-sys` crate cannot'], 'system OpenSSL missing (openssl-sys)'],
    [['error: failed to run custom build command for `libxml v0.3.22`', 'The system library `libxml-2.0` required by crate `libxml` was not found.'], 'system library missing: libxml-2.0 (libxml)'],
    [['error: failed to run custom build command for `x-sys v1.0.0`', 'Package foo was not found in the pkg-config search path.'], 'system library missing: foo (x-sys)'],
    [['error: failed to run custom build command for `libxml v0.3.22`', '  thread \'main\' panicked at build.rs:65:10:', '  Couldn\'t find libxml2 via pkg-config: pkg-config has not been configured to support cross-compilation.'], 'system library missing: libxml2 via pkg-config (libxml)'],
    [['error: failed to run custom build command for `x-sys v1.0.0`', 'pkg-config has not been configured to support cross-compilation.'], 'system library missing: a system library via pkg-config (x-sys)'],
    [['error: failed to run custom build command for `onig_sys v69.9.1`', 'error occurred in cc-rs: command did not execute successfully (status code exit status: 1): zig cc'], 'C compile error (onig_sys)'],
    [['error: failed to run custom build command for `jemalloc-sys v0.5.4+5.3.0-patched`', 'sh: 1: make: not found'], 'tool missing in the builder: make (jemalloc-sys)'],
    [[
      'error: failed to run custom build command for `jemalloc-sys v0.5.4+5.3.0-patched`',
      '  running: cd "/app/target/x/build" && CC="/root/zigcc.sh" CFLAGS="-O3 -m64" "sh" "/app/configure" "--disable-cxx"',
      '  checking for make... no',
      '  running: cd "/app/target/x/build" && "make" "-j" "2"',
      '  --- stderr',
      '  failed to execute command: No such file or directory (os error 2)',
    ], 'tool missing in the builder: make (jemalloc-sys)'],
    [['error: failed to run custom build command for `clang-sys v1.8.1`', 'Unable to find libclang: "couldn\'t find any valid shared libraries"'], 'libclang missing (clang-sys)'],
    [['error: failed to run custom build command for `foo v1.0.0`', 'is `cmake` not installed?'], 'cmake missing (foo)'],
    [['error: failed to run custom build command for `bar v1.0.0`', 'thread main panicked at build.rs:3:5'], 'build script failed (bar)'],
    [['error: failed to run custom build command for `bugreport v0.5.0`', 'fatal: not a git repository (or any of the parent directories): .git'], 'build script needs .git (bugreport)'],
    [['error: package `clap v4.5.0` cannot be built because it requires rustc 1.200 or newer'], 'needs a newer Rust (clap: 1.200)'],
    [['error: the lock file /app/Cargo.lock needs to be updated but --locked was passed to prevent this'], 'Cargo.lock out of date (--locked)'],
    [['error: linking with `zigcc` failed: exit status: 1', 'ld.lld: error: undefined symbol: foo'], 'link error'],
    [['error[E0425]: cannot find value `x` in this scope', 'error: could not compile `mycrate` (bin "mycrate")'], 'Rust compile error (mycrate)'],
    [['error: apk shim: unknown Alpine package \'libxml2-dev\': add its Debian equivalent'], 'stand-in apk shim lacks "libxml2-dev"'],
    [['error: x86_64-unknown-linux-musl: target/x86_64-unknown-linux-musl/release/app is not static, it needs: libssl.so.3 libc.so '], 'binary not static (needs libssl.so.3 libc.so)'],
    [['something odd'], 'unclassified'],
  ])('%j -> %s', (output, reason) => {
    expect(classifyOutput(output.join('\n'))).toBe(reason);
    expect(classifyBuildFailure(cookFailure(output)).reason).toBe(`cook: ${reason}`);
  });

  test('a log without a failing step is classified from its tail', () => {
    expect(classifyBuildFailure('error: failed to solve: could not compile `x`').stage).toBe('build');
  });

  test('relevant lines: errors first, trimmed, at most the limit', () => {
    const lines = relevantLines(['   Compiling a v1', 'warning: unused import', 'error: boom', `error: ${'x'.repeat(400)}`, '  note: see'], 2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('error: boom');
    expect(lines[1].length).toBe(300);
    expect(relevantLines(['just output', 'more'])).toEqual(['just output', 'more']);
    expect(relevantLines(['Downloaded proc-macro-error v1.0.4', '   Compiling thiserror-impl v1.0.49', 'error[E0282]: type annotations needed'])).toEqual(['error[E0282]: type annotations needed']);
  });

  test.each([
    ['projen-rust-docker: Cargo.lock: openssl-sys links the system OpenSSL, but the builder runs on the build platform. Fix: enable ...', 'refused: openssl-sys links a system library'],
    ['projen-rust-docker: Cargo.lock: pq-sys links the system libpq, but the builder ... Fix: enable pq-sys\'s "bundled" feature', 'refused: pq-sys links a system library'],
    ['projen-rust-docker: binary: the workspace has several binaries (a, b). Fix: set binary', 'refused: several binaries, none chosen'],
    ['projen-rust-docker: Dockerfile: hand-written files in the way. Fix: adoptExistingFiles: true', 'refused: hand-written files in the way'],
    ['projen-rust-docker: app.crate-graph.json: Cargo.lock lists ..., and Cargo could not resolve it here: cargo tree failed: failed to load source for dependency `x` / git fetch', 'synth: git dependency unreachable'],
    ['projen-rust-docker: features: the package does not declare "x". Fix: ...', 'refused: unknown feature'],
    [
      'projen-rust-docker: hurl.crate-graph.json: libxml 0.3.22 is compiled for aarch64-unknown-linux-musl, x86_64-unknown-linux-musl: libxml looks for a system library '
        + 'with pkg-config and builds none of its own (a native crate no rule knows); the builder runs on the build platform. Fix: enable a feature of libxml',
      'refused: libxml probes for a system library',
    ],
  ])('refusal %s', (message, reason) => {
    expect(classifyRefusal(message)).toBe(reason);
  });

  test('other synth errors', () => {
    expect(classifySynthError('failed to clone git repository: could not resolve host')).toBe('synth: git dependency unreachable');
    expect(classifySynthError('cargo metadata exited 101')).toBe('synth: Cargo failed');
    expect(classifySynthError('ENOENT: no such file\nstack')).toBe('synth: ENOENT: no such file');
  });

  test('taxonomy keys drop the crate name', () => {
    expect(taxonomyKey('cook: C compile error (onig_sys)')).toBe('cook: C compile error');
    expect(taxonomyKey('cook: stand-in apk shim lacks "libxml2-dev"')).toBe('cook: stand-in apk shim lacks');
    expect(taxonomyKey('build: time<0.3.35 on Rust>=1.80')).toBe('build: time<0.3.35 on Rust>=1.80');
  });
});

describe('native crates from cargo metadata', () => {
  const pkg = (name: string, extra: object = {}) => ({ id: `${name} 1.0.0`, name, version: '1.0.0', targets: [{ kind: ['lib'] }], ...extra });
  const dep = (name: string, ...kinds: Array<string | null>) => ({ pkg: `${name} 1.0.0`, dep_kinds: kinds.map((kind) => ({ kind })) });
  const meta: CargoMetadata = {
    packages: [
      pkg('app', { targets: [{ kind: ['bin'] }] }), pkg('onig_sys', { links: 'onig' }), pkg('cc'), pkg('zstd-sys'), pkg('pkg-config'),
      pkg('macro', { targets: [{ kind: ['proc-macro'] }] }), pkg('openssl-sys', { links: 'openssl' }), pkg('testlib-sys', { links: 'testlib' }),
      pkg('tree-sitter-a'), pkg('tree-sitter-b'), pkg('tree-sitter-c'), pkg('plain'), pkg('rayon-core', { links: 'rayon-core' }), pkg('backtrace'),
    ],
    resolve: {
      root: 'app 1.0.0',
      nodes: [
        { id: 'app 1.0.0', deps: [dep('onig_sys', null), dep('zstd-sys', null), dep('macro', null), dep('testlib-sys', 'dev'), dep('plain', null), dep('tree-sitter-a', null), dep('tree-sitter-b', null), dep('tree-sitter-c', null), dep('rayon-core', null), dep('backtrace', null)] },
        { id: 'rayon-core 1.0.0', deps: [] },
        { id: 'backtrace 1.0.0', deps: [dep('cc', 'build')] },
        { id: 'onig_sys 1.0.0', deps: [dep('cc', 'build')] },
        { id: 'zstd-sys 1.0.0', deps: [dep('cc', 'build'), dep('pkg-config', 'build')] },
        { id: 'macro 1.0.0', deps: [dep('openssl-sys', null)] },
        { id: 'tree-sitter-a 1.0.0', deps: [dep('cc', 'build')] },
        { id: 'tree-sitter-b 1.0.0', deps: [dep('cc', 'build')] },
        { id: 'tree-sitter-c 1.0.0', deps: [dep('cc', 'build')] },
        { id: 'cc 1.0.0', deps: [] }, { id: 'pkg-config 1.0.0', deps: [] }, { id: 'openssl-sys 1.0.0', deps: [] },
        { id: 'testlib-sys 1.0.0', deps: [] }, { id: 'plain 1.0.0', deps: [] },
      ],
    },
  };

  test('a -sys crate\'s links or a C build dependency (links alone, or backtrace\'s Android-only cc, is not); through a proc macro it is build-platform only; dev edges are ignored', () => {
    expect(nativeCrates(meta)).toEqual({
      target: ['onig_sys@1.0.0', 'tree-sitter-a@1.0.0', 'tree-sitter-b@1.0.0', 'tree-sitter-c@1.0.0', 'zstd-sys@1.0.0'],
      hostOnly: ['openssl-sys@1.0.0'],
    });
  });

  test('the summary folds grammars and marks crates no rule knows', () => {
    expect(nativeSummary(nativeCrates(meta))).toBe('onig_sys*, zstd-sys, tree-sitter-* (3 grammars)*, openssl-sys (build)');
    expect(nativeSummary({ target: [], hostOnly: [] })).toBe('none');
    expect(nativeSummary(undefined)).toBe('?');
  });
});

describe('the lock fixes a synthesis warning names', () => {
  test('are read from the known-breakage warning, deduplicated and sorted', () => {
    const w = 'rathole: time 0.3.29 does not compile on Rust 1.80 and later (the builder has 1.99.1): x. '
      + 'Fix: run `cargo update -p time@0.3.29` (it updates time to 0.3.35 or newer, with what that release needs, and nothing else) and commit Cargo.lock';
    expect(warnedLockFixes([w, w, 'Fix: run `cargo update -p a@1.0.0` and commit'])).toEqual(['a@1.0.0', 'time@0.3.29']);
    expect(warnedLockFixes(['run `cargo update --workspace` in ./'])).toEqual([]);
  });

  test('match what the known-breakage check prints', () => {
    const lock = { packages: [{ name: 'time', version: '0.3.29', source: 'registry+https://github.com/rust-lang/crates.io-index' }] };
    const out = knownBreakageWarnings(lock as unknown as Lockfile, '1.99.1', 'x');
    expect(out.length).toBe(1);
    expect(warnedLockFixes(out)).toEqual(['time@0.3.29']);
  });
});

describe('the Markdown section', () => {
  const base = { options: {}, decisions: [], warnings: [], builderPackages: [], smoke: [], finishedAt: '2026-12-01T00:00:00.000Z', wallSeconds: 10, note: 'n' };
  const results: CorpusResult[] = [
    { ...base, name: 'sd', version: '1.0.0', outcome: 'built-and-ran', coldBuildSeconds: 61.4, nativeDeps: { target: [], hostOnly: [] } },
    { ...base, name: 'bat', version: '0.26.1', outcome: 'failed', stage: 'cook', reason: 'cook: C compile error (onig_sys)', coldBuildSeconds: 120, errorLines: ['error: x'], nativeDeps: { target: ['onig_sys@69.9.1', 'libz-sys@1.1.21'], hostOnly: [] } },
    { ...base, name: 'delta', version: '0.20.1', outcome: 'failed', stage: 'cook', reason: 'cook: C compile error (libgit2-sys)', coldBuildSeconds: 100 },
    {
      ...base,
      name: 'websocat',
      version: '1.14.1',
      outcome: 'refused',
      stage: 'synth',
      reason: 'refused: openssl-sys links a system library',
      message: 'projen-rust-docker: x: openssl-sys links the system OpenSSL | y. Fix: z',
      fix: { ...base, note: 'vendored', options: { features: ['vendored_openssl'] }, outcome: 'built-and-ran', coldBuildSeconds: 200 },
    },
  ];

  test('a row per crate, the success rate, the taxonomy sorted by count, and details of what did not run', () => {
    const md = corpusMarkdown(results);
    expect(md).toContain('| [sd](https://crates.io/crates/sd) | 1.0.0 | none | built-and-ran | - | 61 s | - |');
    expect(md).toContain('| [bat](https://crates.io/crates/bat) | 0.26.1 | onig_sys*, libz-sys | failed | cook: C compile error (onig_sys) | 120 s | - |');
    expect(md).toContain('| built-and-ran (200 s; vendored) |');
    expect(md).toContain('**Zero configuration: 1 of 4 crates built and ran (25%); 1 refused at synth with a fix; 2 failed.** With the fix that the refusal or the warning documents applied mechanically, 1 of those 1 crate(s) built and ran (2 of 4 in all, 50%).');
    expect(md).toContain('| cook: C compile error | bat, delta |');
    const taxonomy = md.slice(md.indexOf('### Failure taxonomy'));
    expect(taxonomy.indexOf('| cook: C compile error |')).toBeLessThan(taxonomy.indexOf('| refused: openssl-sys links a system library |'));
    expect(taxonomy.indexOf('| cook: C compile error |')).toBeGreaterThan(0);
    expect(md).toContain('openssl-sys links the system OpenSSL \\| y');
    expect(md).toContain('- **bat 0.26.1**: failed at cook. error: x');
    expect(corpusMarkdown(results)).toBe(md);
  });

  test('a record confirmed for later library code names the code that built it', () => {
    const confirmed = { ...results[0], librarySource: 'b'.repeat(40), builtWith: 'a'.repeat(40) };
    const md = corpusMarkdown([confirmed]);
    expect(md).toContain(`| ${'b'.repeat(12)} (built by ${'a'.repeat(12)}, same files) |`);
    expect(md).toContain(`library code: ${'b'.repeat(12)}.`);
  });

  test('an empty corpus renders without a taxonomy', () => {
    const md = corpusMarkdown([]);
    expect(md).toContain('0 of 0 crates built and ran (-)');
    expect(md).not.toContain('Failure taxonomy');
  });
});

describe('fingerprints: whether a record still holds for other library code', () => {
  test('the files that define the build decide, in any order; the graph, workflows and tasks do not; a synth error is its message', () => {
    const files = { 'Dockerfile': 'FROM a\n', '.dockerignore': '*\n', '.projen/tasks.json': '{}', 'app.crate-graph.json': '{}', '.github/workflows/docker-app.yml': 'on: push\n' };
    const same = synthFingerprint({ files });
    expect(synthFingerprint({
      files: { '.dockerignore': '*\n', 'Dockerfile': 'FROM a\n', '.projen/tasks.json': '{"x":1}', 'app.crate-graph.json': '{"format":4}', '.github/workflows/docker-app.yml': 'on: pull_request\n' },
    })).toBe(same);
    expect(synthFingerprint({ files: { ...files, Dockerfile: 'FROM b\n' } })).not.toBe(same);
    expect(synthFingerprint({ files: { ...files, '.dockerignore': 'target\n' } })).not.toBe(same);
    expect(synthFingerprint({ files: { ...files, 'rust-builder.Dockerfile': 'FROM a\n' } })).not.toBe(same);
    expect(synthFingerprint({ files: { ...files, 'rust/Dockerfile.dockerignore': 'x\n' } })).not.toBe(same);
    // A file's bytes cannot slide into its neighbour's name.
    expect(synthFingerprint({ files: { 'Dockerfile': 'bc', 'e.Dockerfile': '' } })).not.toBe(synthFingerprint({ files: { 'Dockerfile': 'b', 'ce.Dockerfile': '' } }));
    expect(synthFingerprint({ error: 'refused: x' })).not.toBe(synthFingerprint({ error: 'refused: y' }));
    expect(synthFingerprint({ error: '' })).not.toBe(synthFingerprint({ files: {} }));
  });

  test('a real synth gives the same fingerprint every time, and another one for other options', () => {
    const sources = exampleSources();
    const once = fingerprintOf(sources, {});
    expect(fingerprintOf(sources, {})).toBe(once);
    // An option that changes the generated Dockerfile (a port) changes it; so does a synth that stops (its message).
    expect(fingerprintOf(sources, { runtime: { ports: [8080] } })).not.toBe(once);
    const refused = fingerprintOf(sources, { binary: 'no-such-binary' });
    expect(refused).not.toBe(once);
    expect(fingerprintOf(sources, { binary: 'no-such-binary' })).toBe(refused);
    expect(fingerprintOf(sources, { platforms: [Platform.LINUX_AMD64] })).not.toBe(once);
  });
});

describe('mechanical fixes of refusals', () => {
  const plain = { name: 'x', version: '1.0.0', smokeArgs: ['--version'], note: 'n' };
  test('hand-written Docker files are adopted, as the refusal says; a crate\'s own fix is added', () => {
    expect(mechanicalFix(plain, 'adoptExistingFiles: a hand-written file stands where this component writes')).toEqual({
      options: { adoptExistingFiles: true }, note: 'adoptExistingFiles: true (the crate ships its own Docker files)',
    });
    const own = { ...plain, fix: { options: { features: ['vendored'] }, note: 'vendored' } };
    expect(mechanicalFix(own, 'openssl-sys links the system OpenSSL')).toEqual(own.fix);
    expect(mechanicalFix(own, '2 hand-written files stand where')?.options).toEqual({ adoptExistingFiles: true, features: ['vendored'] });
    expect(mechanicalFix(plain, 'openssl-sys links the system OpenSSL')).toBeUndefined();
  });
});

describe('evidence is what the steps printed', () => {
  test('the generated check\'s message inside the command text is not taken for its failure', () => {
    const log = [
      '#20 [linux/amd64 build 2/2] RUN cargo auditable zigbuild && echo "error: $f is not statically linked"',
      '#20 3.1 error: could not compile `app` (bin "app")',
      '#20 ERROR: process "/bin/sh -c cargo auditable zigbuild && echo \\"error: $f is not statically linked\\"" did not complete successfully: exit code: 101',
      'error: failed to solve: process "/bin/sh -c cargo auditable zigbuild && echo is not statically linked" did not complete successfully',
    ].join('\n');
    expect(classifyBuildFailure(log).reason).toBe('build: Rust compile error (app)');
    expect(classifyBuildFailure(log.split('\n').filter((l) => !l.startsWith('#20 ')).join('\n')).reason).toBe('build: unclassified');
  });
});
