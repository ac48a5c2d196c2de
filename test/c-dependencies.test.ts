/**
 * C-dependency decisions from the graph Cargo says each image compiles, on
 * the hand-made workspaces in test/workspaces (real dependencies from the
 * crates registry, real Cargo.lock files). The graphs are stored beside the
 * workspaces, so these tests run without cargo: PATH is emptied to prove it.
 * The real-tool suite checks the stored graphs against Cargo itself.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Testing } from 'projen';
import { unwrapped } from './util';
import { newProject, simpleCrate, workspaceProject } from '../harness/projects';
import { allCases } from '../harness/workspace-cases';
import { RustDockerImage, RustDockerImageOptions } from '../src';
import { imageInternals } from '../src/private/components/internals';
import { crateGraphPath, resolveSelection } from '../src/private/config/resolve';
import { readStoredGraph } from '../src/private/deps/crate-graph';
import { CDependencyDecision, cDependencyDecisions } from '../src/private/deps/decisions';
import { lockNeedsGraph } from '../src/private/deps/native';
import { RULE_CRATES, RULES } from '../src/private/deps/rules';

const savedPath = process.env.PATH;
beforeAll(() => {
  process.env.PATH = '';
});
afterAll(() => {
  process.env.PATH = savedPath;
});

function build(dir: string, options: RustDockerImageOptions = {}): RustDockerImage {
  return new RustDockerImage(workspaceProject(dir), options);
}

/** crate -> level, with the targets for target-side decisions. */
function summary(decisions: CDependencyDecision[]): Record<string, string> {
  return Object.fromEntries(decisions.map((d) => [d.crate, `${d.level}${d.hostOnly ? ' (build platform)' : d.targets.length === 2 ? '' : ` (${d.targets.join(',')})`}`]));
}

describe('each C-dependency rule on a workspace that uses its crate', () => {
  test.each([
    ['c-ring', { ring: 'info' }, []],
    // aws-lc-rs declares links for its metadata only; what it links is aws-lc-sys.
    ['c-aws-lc-rs', { 'aws-lc-sys': 'info', 'cmake': 'info (build platform)', 'aws-lc-rs': 'info' }, ['cmake', 'make']],
    ['c-openssl-vendored', { 'openssl-sys': 'info' }, ['perl', 'make', 'linux-headers']],
    ['c-zstd', { 'zstd-sys': 'info' }, []],
    ['c-sqlite-bundled', { 'libsqlite3-sys': 'info' }, []],
    ['c-prost-build', { 'prost-build': 'info (build platform)' }, ['protoc', 'protobuf-dev']],
    // The workspace's own crate compiles C with cc: a native crate no rule knows, bundled.
    ['c-bindgen', { 'bindgen': 'info (build platform)', 'clang-sys': 'info (build platform)', 'c-bindgen': 'info' }, ['clang-dev']],
    ['c-jemalloc', { 'tikv-jemalloc-sys': 'info' }, ['make']],
    ['c-mimalloc', { 'libmimalloc-sys': 'info' }, []],
    ['c-libz', { 'libz-sys': 'info' }, []],
  ])('%s', (dir, expected, packages) => {
    const image = build(dir);
    expect(summary(imageInternals(image).resolved.decisions)).toEqual(expected);
    expect(image.builderPackages).toEqual(packages);
  });

  test('prost-build sets PROTOC for cook and build alike', () => {
    const cook = imageInternals(build('c-prost-build')).model.stages.find((s) => s.name === 'cook')!;
    expect(cook.instructions).toContainEqual(expect.objectContaining({ kind: 'ENV', pairs: [['PROTOC', '/usr/bin/protoc']] }));
  });

  test('the decisions show above the cook, with where they apply', () => {
    const df = Testing.synth((() => {
      const p = workspaceProject('g-per-target');
      new RustDockerImage(p, {});
      return p;
    })()).Dockerfile as string;
    expect(unwrapped(df)).toContain('# C dependencies this image compiles (from Cargo\'s resolution):\n#   tikv-jemalloc-sys 0.6.1+5.3.0-1-ge13ca993e8ccb9ba9847cc330696e02839f328f7 (x86_64-unknown-linux-musl only): tikv-jemalloc-sys: jemalloc is configured and built with make');
  });
});

describe('decisions follow the compiled graph, not Cargo.lock', () => {
  test('openssl-src in the lock behind a non-default feature: the default build links the system OpenSSL, which the build provides for every target', () => {
    const image = build('g-openssl-feature');
    expect(imageInternals(image).resolved.decisions.map((d) => [d.crate, d.level, d.libraries])).toEqual([['openssl-sys', 'info', ['openssl']]]);
    expect(imageInternals(image).resolved.builder.targetLibraries.map((l) => l.id)).toEqual(['openssl']);
    const vendored = build('g-openssl-feature', { imageName: 'vendored', features: ['vendored'] });
    expect(summary(imageInternals(vendored).resolved.decisions)).toEqual({ 'openssl-sys': 'info' });
    expect(imageInternals(vendored).resolved.builder.targetLibraries).toEqual([]);
  });

  test('openssl-sys in the lock only behind a non-default native-tls feature: no refusal, no packages', () => {
    const image = build('g-native-tls-optional');
    expect(imageInternals(image).resolved.decisions).toEqual([]);
    expect(image.builderPackages).toEqual([]);
    // With the feature, openssl-sys is compiled, and the build provides OpenSSL.
    const tls = build('g-native-tls-optional', { imageName: 'native-tls', features: ['native-tls'] });
    expect(imageInternals(tls).resolved.builder.targetLibraries.map((l) => l.id)).toEqual(['openssl']);
  });

  test('protobuf-src for one crate does not switch protoc off for the others', () => {
    const image = build('g-protoc-mixed', { binary: 'server' });
    expect(image.builderPackages).toEqual(expect.arrayContaining(['protoc', 'protobuf-dev', 'cmake', 'make']));
    expect(summary(imageInternals(image).resolved.decisions)).toEqual({ 'prost-build': 'info (build platform)', 'protobuf-src': 'info (build platform)', 'cmake': 'info (build platform)' });
  });

  test('unwind-sys is refused with the fix, and only when a feature pulls it in', () => {
    expect(imageInternals(build('g-unwind')).resolved.decisions).toEqual([]);
    expect(() => build('g-unwind', { imageName: 'traces', features: ['stack-traces'] }))
      .toThrow(/unwind-sys 0\.1\.\d+ is compiled for .*libunwind.*Fix: turn off the feature that pulls in unwind or rstack/);
  });

  test('a -sys crate needed only on another OS is neither refused nor given packages', () => {
    const image = build('g-other-os');
    expect(imageInternals(image).resolved.decisions).toEqual([]);
    expect(image.builderPackages).toEqual([]);
  });

  test('per target: a C dependency of one architecture is decided for that target only', () => {
    const [d] = imageInternals(build('g-per-target')).resolved.decisions;
    expect({ crate: d.crate, targets: d.targets, hostOnly: d.hostOnly }).toEqual({ crate: 'tikv-jemalloc-sys', targets: ['x86_64-unknown-linux-musl'], hostOnly: false });
  });

  test('a build script that embeds git metadata keeps .git in the context and adds git to the builder', () => {
    const p = workspaceProject('g-vergen');
    const image = new RustDockerImage(p, {});
    const ignore = Testing.synth(p)['.dockerignore'] as string;
    expect(ignore.split('\n')).not.toContain('.git');
    expect(ignore).toContain('# CI metadata (.git stays: a build script embeds git metadata)');
    expect(image.builderPackages).toContain('git');
    // Opting out keeps .git excluded, with a warning that says what to do instead.
    const off = new RustDockerImage(workspaceProject('g-vergen'), { dockerignore: { includeGit: false } });
    expect(off.warnings.join('\n')).toMatch(/vergen-gitcl.*includeGit is false.*VERGEN_IDEMPOTENT/);
  });

  test('Cargo root in a subfolder, build context above it: the path crate beside it reaches the cook', () => {
    const p = workspaceProject('g-split-context');
    const image = new RustDockerImage(p, { cratePath: 'rust', contextPath: '.' });
    const out = Testing.synth(p);
    expect(image.dockerfilePath).toBe('rust/Dockerfile');
    expect(image.dockerignorePath).toBe('rust/Dockerfile.dockerignore');
    const df = out['rust/Dockerfile'] as string;
    expect(df).toMatch(/COPY \. \/app\/\nWORKDIR \/app\/rust\n(# .*\n)*RUN cargo chef prepare/);
    expect(df).toContain('COPY common /app/common');
    expect(df).toContain('FROM scratch AS binaries-amd64\nCOPY --from=build /app/rust/target/x86_64-unknown-linux-musl/release/app /');
    expect(df).toContain('COPY --from=binaries --chmod=0755 /app /usr/local/bin/app');
    expect(df).toContain('-f rust/Dockerfile .');
    expect(out['rust/Dockerfile.dockerignore']).toContain('rust/app/target');
  });
});

describe('every case: decisions equal the stored graph', () => {
  // Crates with a rule that applies whatever the features (vergen, say, only matters with its "git" feature).
  const unconditional = new Set(RULES.filter((r) => !r.withFeature && r.side === 'any').map((r) => r.crate));
  test.each(allCases().map((c) => [`${c.dir} ${c.options.imageName ?? ''}`, c] as const))('%s', (_name, c) => {
    // Where the component itself stores the graph: there exactly when the lock lists something that builds native code.
    const selection = resolveSelection(c.options, c.path);
    const graphFile = join(c.path, crateGraphPath(c.options, selection));
    const graph = readStoredGraph(graphFile).graph;
    const needed = lockNeedsGraph((selection.ws.lockfile?.packages ?? []).map((p) => p.name), RULE_CRATES);
    expect({ graphFile, stored: graph !== undefined }).toEqual({ graphFile, stored: needed });
    const compiled = new Set(Object.values(graph?.targets ?? {}).flatMap((t) => [...t.target, ...t.host].map((x) => x.crate)));
    const decisions = cDependencyDecisions(graph);
    // No decision (refusal or package) names a crate the image does not compile.
    for (const d of decisions) expect({ crate: d.crate, compiled: compiled.has(d.crate) }).toEqual({ crate: d.crate, compiled: true });
    // Every compiled crate with an unconditional rule gets a decision.
    for (const crate of compiled) if (unconditional.has(crate)) expect(decisions.map((d) => d.crate)).toContain(crate);
  });
});

test('a Cargo.lock without any watched crate needs neither cargo nor a stored graph', () => {
  const p = newProject(simpleCrate());
  const image = new RustDockerImage(p, {});
  expect(image.crateGraphFile).toBeUndefined();
  expect(Object.keys(Testing.synth(p)).filter((f) => f.endsWith('.crate-graph.json'))).toEqual([]);
});

test('a stale stored graph with no cargo to refresh it stops synthesis and says what to run', () => {
  const p = workspaceProject('c-zstd');
  // A dependency change (a comment or a version bump would not be one).
  const manifest = join(p.outdir, 'Cargo.toml');
  writeFileSync(manifest, readFileSync(manifest, 'utf-8').replace('zstd = "0.13"', 'zstd = { version = "0.13", default-features = false }'));
  expect(() => new RustDockerImage(p, {})).toThrow(/c-zstd\.crate-graph\.json: Cargo\.lock lists crates that build native code.*the stored answer is out of date.*Fix: install Rust \(https:\/\/rustup\.rs\), then run `npx projen` again/);
});

describe('a stored graph in the format before the build platform\'s copies were kept apart', () => {
  /** c-zstd with its stored graph rewritten as format 3 wrote it: `hostOnly` lists, no format number. */
  function earlierFormat() {
    const p = workspaceProject('c-zstd');
    const file = join(p.outdir, 'c-zstd.crate-graph.json');
    const json = JSON.parse(readFileSync(file, 'utf-8'));
    delete json.format;
    for (const g of Object.values(json.targets) as Array<Record<string, unknown>>) {
      g.hostOnly = g.host;
      delete g.host;
    }
    writeFileSync(file, `${JSON.stringify(json, undefined, 2)}\n`);
    return { p, file, before: readFileSync(file, 'utf-8') };
  }

  test('is never read as the current one: without cargo, synthesis stops, names the format and what to run, and writes nothing', () => {
    const { p, file, before } = earlierFormat();
    expect(readStoredGraph(file)).toEqual({ otherFormat: 0 });
    expect(() => new RustDockerImage(p, {})).toThrow(
      /c-zstd\.crate-graph\.json: .*the stored answer is in an earlier format of projen-rust-docker \(unnumbered; this version writes 4, which keeps the build platform's copy of a crate apart from the target's\).*Fix: install Rust/,
    );
    expect(readFileSync(file, 'utf-8')).toBe(before);
  });

  const cargo = savedPath?.split(':').some((d) => existsSync(join(d, 'cargo')));
  (cargo ? test : test.skip)('is regenerated with Cargo, with a notice to commit it', () => {
    const { p, file } = earlierFormat();
    process.env.PATH = savedPath;
    try {
      const image = new RustDockerImage(p, {});
      expect(image.warnings).toContain('c-zstd.crate-graph.json is in an earlier format of projen-rust-docker (unnumbered; this version writes 4, '
        + 'which keeps the build platform\'s copy of a crate apart from the target\'s): regenerated with Cargo. Fix: commit the regenerated file');
      p.synth();
    } finally {
      process.env.PATH = '';
    }
    const stored = readStoredGraph(file).graph!;
    expect(stored).toBeDefined();
    // What the repository stores for c-zstd (written by scripts/refresh-graphs.ts), but for projen's marker.
    const content = (f: string) => {
      const { '//': _marker, ...rest } = JSON.parse(readFileSync(f, 'utf-8'));
      return rest;
    };
    expect(content(file)).toEqual(content(join(__dirname, 'workspaces', 'c-zstd', 'c-zstd.crate-graph.json')));
  });
  if (!cargo) test('skipped: cargo is not on PATH, so the regeneration of an earlier-format graph is not run', () => undefined);
});

test('a version bump in Cargo.toml and Cargo.lock leaves the stored graph current: npx projen has nothing to change, and needs no cargo', () => {
  const before = workspaceProject('c-zstd');
  new RustDockerImage(before, {});
  const original = Testing.synth(before);
  const p = workspaceProject('c-zstd');
  for (const f of ['Cargo.toml', 'Cargo.lock']) {
    const file = join(p.outdir, f);
    writeFileSync(file, readFileSync(file, 'utf-8').replace(/(name = "c-zstd"\nversion = )"0\.1\.0"/, '$1"0.2.0"'));
  }
  expect(readFileSync(join(p.outdir, 'Cargo.toml'), 'utf-8')).toContain('version = "0.2.0"');
  new RustDockerImage(p, {});
  const bumped = Testing.synth(p);
  for (const f of ['Dockerfile', '.dockerignore', 'c-zstd.crate-graph.json', '.github/workflows/docker-c-zstd.yml']) {
    expect({ f, same: JSON.stringify(bumped[f]) === JSON.stringify(original[f]) }).toEqual({ f, same: true });
  }
});
