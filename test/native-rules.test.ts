/**
 * The rule table and the classes of native crates no rule knows, on the
 * stored graphs of the workspaces that prove them by real builds: c-kitchen
 * (many rule crates in one cook), n-probe (a crate that only probes for a
 * system library, without and with the feature that bundles it), both built
 * in test/integration/c-dependencies.test.ts, and the heavy h-* workspaces
 * built by scripts/bench-native.ts (too slow for CI). The graphs are stored beside the
 * workspaces, so these tests run without cargo: PATH is emptied to prove it
 * (a stale graph would stop synthesis).
 */
import { join } from 'path';
import { Testing } from 'projen';
import { workspaceProject } from '../harness/projects';
import { C_DEPENDENCY_CASES, HEAVY_CASES, KITCHEN_CASE, PROBE_CASES, TARGET_LIBRARY_CASE, WorkspaceCase, WORKSPACES } from '../harness/workspace-cases';
import { RustDockerImage } from '../src';
import { crateGraphPath, resolveSelection } from '../src/private/config/resolve';
import { CompiledCrate, CrateGraph, readStoredGraph } from '../src/private/deps/crate-graph';
import { CDependencyDecision, cDependencyDecisions } from '../src/private/deps/decisions';
import { nativeClass } from '../src/private/deps/native';
import { RULES } from '../src/private/deps/rules';
import { RustDockerConfigError } from '../src/private/errors';

const savedPath = process.env.PATH;
beforeAll(() => {
  process.env.PATH = '';
});
afterAll(() => {
  process.env.PATH = savedPath;
});

const TARGETS = ['aarch64-unknown-linux-musl', 'x86_64-unknown-linux-musl'];

function storedGraph(c: WorkspaceCase): CrateGraph {
  const dir = join(WORKSPACES, c.dir);
  const graph = readStoredGraph(join(dir, crateGraphPath(c.options, resolveSelection(c.options, dir)))).graph;
  if (!graph) throw new Error(`${c.dir}: no stored graph (run npx projen test:graphs, or scripts/bench-native.ts for h-*)`);
  return graph;
}

/** The component on a copy of the case's workspace: synthesis reads the stored graph (no cargo). */
function image(c: WorkspaceCase): { image: RustDockerImage; files: Record<string, any> } {
  const p = workspaceProject(c.dir);
  const img = new RustDockerImage(p, c.options);
  return { image: img, files: Testing.synth(p) };
}

/** crate -> level, "(build platform)" when only build-time code compiles it. */
function levels(decisions: CDependencyDecision[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of decisions) {
    const level = `${d.level}${d.hostOnly ? ' (build platform)' : ''}`;
    out[d.crate] = out[d.crate] ? `${out[d.crate]}; ${level}` : level;
  }
  return out;
}

/** The occurrences of a crate in a graph, over every target and both sides. */
function occurrences(graph: CrateGraph, crate: string): CompiledCrate[] {
  return Object.values(graph.targets).flatMap((t) => [...t.target, ...t.host]).filter((c) => c.crate === crate);
}

/** The class of a crate no rule knows, the same on every target. */
function classOf(graph: CrateGraph, crate: string): string | undefined {
  const kinds = new Set(occurrences(graph, crate).map((c) => nativeClass(c)?.kind));
  expect({ crate, kinds: kinds.size }).toEqual({ crate, kinds: 1 });
  return [...kinds][0];
}

/** The rule whose summary a decision carries. */
function ruleOf(d: CDependencyDecision) {
  return RULES.find((r) => r.crate === d.crate && r.summary === d.summary);
}

describe('c-kitchen: many rule crates and both unruled native classes in one image', () => {
  const graph = storedGraph(KITCHEN_CASE);
  const decisions = cDependencyDecisions(graph);

  test('each crate gets the expected decision, none refused', () => {
    expect(levels(decisions)).toEqual({
      // Target side: bundled C compiled with zig cc. openssl-sys is also compiled for the build script, without
      // "vendored": that copy links the builder's own OpenSSL (a decision of its own, on the build platform).
      'openssl-sys': 'info; info (build platform)',
      'bzip2-sys': 'info',
      'lzma-sys': 'info',
      'pq-sys': 'info',
      'shadow-rs': 'info',
      'onig_sys': 'info',
      'pq-src': 'info',
      'wasm-bindgen-shared': 'info',
      // Build platform only: protoc from the builder, the git-metadata build scripts and libgit2.
      'prost-build': 'info (build platform)',
      'tonic-build': 'info (build platform)',
      'libz-sys': 'info (build platform)',
      'vergen-gitcl': 'info (build platform)',
      'vergen-git2': 'info (build platform)',
      'vergen': 'info (build platform)',
      'built': 'info (build platform)',
      'git-version-macro': 'info (build platform)',
      'libgit2-sys': 'info (build platform)',
    });
    for (const d of decisions) expect({ crate: d.crate, targets: d.hostOnly ? [] : TARGETS }).toEqual({ crate: d.crate, targets: d.targets });
  });

  test('the feature-dependent rules match on the features Cargo compiles', () => {
    const rule = (crate: string) => ruleOf(decisions.find((d) => d.crate === crate)!);
    expect(rule('openssl-sys')).toEqual(expect.objectContaining({ withFeature: 'vendored' }));
    expect(rule('pq-sys')).toEqual(expect.objectContaining({ withFeature: 'bundled', level: 'info' }));
    expect(rule('built')).toEqual(expect.objectContaining({ withFeature: 'git2' }));
    // vergen 8 with "git" and "gitcl": the gitcl rule comes first (git is run); vergen 10 (through vergen-git2) has no rule of its own.
    expect(rule('vergen')).toEqual(expect.objectContaining({ withFeature: 'gitcl', apkPackages: ['git'] }));
    expect(decisions.find((d) => d.crate === 'vergen')!.versions).toEqual(['8.3.2']);
    expect(occurrences(graph, 'vergen').map((c) => c.version).sort()).toEqual(['10.0.3', '10.0.3', '8.3.2', '8.3.2']);
  });

  test('the native crates no rule knows are classed from their build dependencies', () => {
    expect(Object.fromEntries(['onig_sys', 'pq-src', 'libgit2-sys', 'wasm-bindgen-shared'].map((c) => [c, classOf(graph, c)]))).toEqual({
      'onig_sys': 'bundled', // cc and pkg-config: the probe finds nothing for another target, the sources build
      'pq-src': 'bundled', // cc
      'libgit2-sys': 'bundled', // cc and pkg-config, on the build platform (git2's libgit2)
      'wasm-bindgen-shared': 'links-only', // links = "wasm_bindgen", no compiler, no probe
    });
    expect(decisions.find((d) => d.crate === 'wasm-bindgen-shared')!.summary).toMatch(/links = "wasm_bindgen", with no compiler or probe/);
  });

  test('builder packages, PROTOC, and .git kept in the context for the git-metadata crates', () => {
    const { image: img, files } = image(KITCHEN_CASE);
    // openssl-dev and pkgconf: the build script's openssl-sys (the build platform's copy) links the builder's OpenSSL.
    expect(img.builderPackages).toEqual(['perl', 'make', 'linux-headers', 'openssl-dev', 'pkgconf', 'protoc', 'protobuf-dev', 'git']);
    expect(files.Dockerfile).toContain('ENV PROTOC="/usr/bin/protoc"');
    expect(files.Dockerfile).toContain('RUN apk add --no-cache perl make linux-headers openssl-dev pkgconf protoc protobuf-dev git');
    expect((files['.dockerignore'] as string).split('\n')).not.toContain('.git');
    expect(decisions.filter((d) => d.needsGit).map((d) => d.crate).sort()).toEqual(['built', 'git-version-macro', 'shadow-rs', 'vergen', 'vergen-git2', 'vergen-gitcl']);
    expect(img.warnings).toEqual([]);
  });
});

describe('n-probe: a crate that only probes for a system library', () => {
  const [probe, fixed] = PROBE_CASES;

  test('without the feature: pkg-config alone, refused, naming the crate and the fix', () => {
    const graph = storedGraph(probe);
    expect(occurrences(graph, 'libdbus-sys').map((c) => c.buildDeps)).toEqual([['pkg-config'], ['pkg-config']]);
    expect(classOf(graph, 'libdbus-sys')).toBe('system-probe');
    const [d] = cDependencyDecisions(graph);
    expect({ crate: d.crate, level: d.level, targets: d.targets }).toEqual({ crate: 'libdbus-sys', level: 'error', targets: TARGETS });
    let refusal: unknown;
    try {
      image(probe);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(RustDockerConfigError);
    expect((refusal as Error).message).toMatch(
      /^projen-rust-docker: n-probe\.crate-graph\.json: libdbus-sys 0\.2\.7 is compiled for aarch64-unknown-linux-musl, x86_64-unknown-linux-musl: libdbus-sys looks for a system library with pkg-config and builds none of its own.*Fix: enable a feature of libdbus-sys, or of the crate that pulls it in, that builds the library from source \(often "vendored", "bundled" or "static"\)/s,
    );
  });

  test('with the fix (features: ["vendored"]): cc joins the build dependencies, bundled, nothing for the builder', () => {
    const graph = storedGraph(fixed);
    expect(occurrences(graph, 'libdbus-sys').map((c) => c.buildDeps)).toEqual([['cc', 'pkg-config'], ['cc', 'pkg-config']]);
    expect(classOf(graph, 'libdbus-sys')).toBe('bundled');
    expect(levels(cDependencyDecisions(graph))).toEqual({ 'libdbus-sys': 'info' });
    const { image: img } = image(fixed);
    expect(img.builderPackages).toEqual([]);
    expect(img.crateGraphFile?.path).toBe('vendored.crate-graph.json');
  });
});

describe('the heavy rule crates (built by scripts/bench-native.ts)', () => {
  const expected: Record<string, { levels: Record<string, string>; packages: string[] }> = {
    'h-librocksdb-sys': {
      levels: { 'librocksdb-sys': 'info', 'bindgen': 'info (build platform)', 'clang-sys': 'info (build platform)' },
      packages: ['clang-dev'],
    },
    'h-rdkafka-sys': {
      levels: { 'rdkafka-sys': 'info', 'libz-sys': 'info' },
      packages: ['make', 'bash', 'cmake', 'perl'],
    },
    'h-mysqlclient-sys': {
      levels: { 'openssl-sys': 'info', 'mysqlclient-sys': 'info', 'cmake': 'info (build platform)', 'link-cplusplus': 'info', 'mysqlclient-src': 'info' },
      packages: ['perl', 'make', 'linux-headers', 'cmake'],
    },
    'h-aws-lc-fips-sys': {
      levels: { 'aws-lc-fips-sys': 'info', 'bindgen': 'info (build platform)', 'clang-sys': 'info (build platform)', 'cmake': 'info (build platform)', 'aws-lc-rs': 'info' },
      packages: ['cmake', 'make', 'go', 'perl', 'clang-dev'],
    },
    'h-protobuf-src': {
      levels: { 'prost-build': 'info (build platform)', 'protobuf-src': 'info (build platform)', 'cmake': 'info (build platform)' },
      packages: ['protoc', 'protobuf-dev', 'cmake', 'make'],
    },
  };

  test.each(HEAVY_CASES.map((c) => [c.dir, c] as const))('%s', (dir, c) => {
    const decisions = cDependencyDecisions(storedGraph(c));
    expect(levels(decisions)).toEqual(expected[dir].levels);
    expect(image(c).image.builderPackages).toEqual(expected[dir].packages);
  });

  test('mysqlclient-sys with "bundled" says the GPL-2.0-only libmysqlclient is now inside the binary; without it, the refusal\'s fix says so too', () => {
    const bundled = cDependencyDecisions(storedGraph(HEAVY_CASES.find((c) => c.dir === 'h-mysqlclient-sys')!)).find((d) => d.crate === 'mysqlclient-sys')!;
    expect(bundled.summary).toBe('mysqlclient-sys with "bundled": libmysqlclient (GPL-2.0-only) is compiled from source and linked into the binary');
    const refusal = RULES.find((r) => r.crate === 'mysqlclient-sys' && r.level === 'error')!;
    expect(refusal.fix).toBe('enable mysqlclient-sys\'s "bundled" feature (libmysqlclient (GPL-2.0-only) is compiled from source and linked into the binary), '
      + 'or list "mysqlclient-sys" in builder.ignoreCrates');
  });
});

describe('every rule that lets a build through is proven by a real build', () => {
  const built = [...C_DEPENDENCY_CASES, KITCHEN_CASE, TARGET_LIBRARY_CASE, PROBE_CASES[1], ...HEAVY_CASES];
  const proven = new Map<string, string[]>();
  for (const c of built) {
    for (const d of cDependencyDecisions(storedGraph(c))) {
      const r = ruleOf(d);
      if (r) proven.set(r.summary, [...(proven.get(r.summary) ?? []), c.dir]);
    }
  }
  // Refusals are proven by synthesis refusing (and, forced through, by the build failing where they say).
  const passing = RULES.filter((r) => r.level !== 'error');
  const label = (r: (typeof RULES)[number]) => `${r.crate}${r.withFeature ? ` with "${r.withFeature}"` : ''}${r.side === 'host-only' ? ' (build platform only)' : ''}`;
  /**
   * Rules no built workspace proves, and why. vergen's "git" rule needs a workspace of its own.
   */
  const gaps: Record<string, string> = {
    'jemalloc-sys': 'cannot share a graph with the kitchen\'s tikv-jemalloc-sys (both links = "jemalloc"); the published-binaries corpus builds it (sozu)',
    'pq-sys with "bundled_without_openssl"': 'the same pq-src build as "bundled" without its openssl-sys; its resolution is checked below',
    'vergen with "git"': 'vergen 8 has "gitcl" in the kitchen (features unify: the gitcl rule matches first), and vergen 7\'s "git" needs a libgit2-sys '
      + 'that cannot share the graph with the kitchen\'s (links = "git2" allows one; vergen 7.3.1, the one Cargo can unify, does not compile against git2 0.21)',
  };

  test('the gaps are rules of the table', () => {
    expect(Object.keys(gaps).filter((g) => !passing.some((r) => label(r) === g))).toEqual([]);
  });

  test.each(passing.filter((r) => !(label(r) in gaps)).map((r) => [label(r), r] as const))('%s', (_label, r) => {
    expect({ rule: r.summary, builtBy: (proven.get(r.summary) ?? []).length > 0 }).toEqual({ rule: r.summary, builtBy: true });
  });

  // git-version is a library without a build script that only re-exports the proc macro
  // git-version-macro, which is what runs `git describe`. Graphs hold build-time crates (build scripts,
  // links, proc macros), so git-version is never in one: the rule names git-version-macro.
  test('git-version: the rule applies to the crate that runs git (git-version-macro, a proc macro)', () => {
    const graph = storedGraph(KITCHEN_CASE);
    expect(occurrences(graph, 'git-version')).toEqual([]);
    expect(occurrences(graph, 'git-version-macro').map((c) => c.procMacro)).toEqual([true, true]);
    expect(cDependencyDecisions(graph).map((d) => d.crate)).toContain('git-version-macro');
  });

  // pq-sys's "bundled_without_openssl" compiles libpq from pq-src (without TLS), like "bundled" (which turns it on).
  // Cargo resolves pq-sys = { features = ["bundled_without_openssl"] } to pq-sys [bundled_without_openssl] and pq-src [] (no openssl-sys).
  test('pq-sys with "bundled_without_openssl" is not refused: libpq is compiled from pq-src', () => {
    const pqSys: CompiledCrate = { crate: 'pq-sys', version: '0.7.8', features: ['bundled_without_openssl'], links: 'pq', buildScript: true, buildDeps: ['pkg-config', 'vcpkg'] };
    const pqSrc: CompiledCrate = { crate: 'pq-src', version: '0.3.14+libpq-18.6', features: [], links: 'pq_sys_src', buildScript: true, buildDeps: ['cc'] };
    const graph: CrateGraph = { fingerprint: 'x', targets: Object.fromEntries(TARGETS.map((t) => [t, { target: [pqSys, pqSrc], host: [] }])) };
    expect(levels(cDependencyDecisions(graph))).toEqual({ 'pq-sys': 'info', 'pq-src': 'info' });
  });

  // A crate compiled for both platforms is two copies in the graph, each with its features: the kitchen's
  // openssl-sys is vendored for the target and plain for its build script, which links the builder's OpenSSL.
  test('openssl-sys on the build platform: the kitchen\'s build script has its own copy, without "vendored"', () => {
    const graph = storedGraph(KITCHEN_CASE);
    for (const t of TARGETS) {
      const copies = (side: 'target' | 'host') => graph.targets[t][side].filter((c) => c.crate === 'openssl-sys').map((c) => [...c.features].sort());
      expect({ t, target: copies('target'), host: copies('host') }).toEqual({ t, target: [['openssl-src', 'vendored']], host: [[]] });
    }
    expect(proven.get(RULES.find((r) => r.crate === 'openssl-sys' && r.side === 'host-only')!.summary)).toEqual([KITCHEN_CASE.dir]);
  });
});
