/**
 * The real projects in ../shared/fixtures, configured as their FIXTURE.json
 * says, with the dependency graphs Cargo resolved for them (stored in
 * test/fixture-graphs). Skips with a message when ../shared is absent.
 */
import { Testing } from 'projen';
import { adoptFixture, describeWithFixtures, FIXTURE_NAMES, fixtureOptions, readFixture } from '../harness/fixtures';
import { RustDockerImage } from '../src';
import { dockerfileProblems } from './util';
import { imageInternals } from '../src/private/components/internals';

/** What each fixture's image gets: decisions (crate -> level), the libraries built for every target, or the refusal Cargo's graph calls for. */
const EXPECTED: Record<string, { decisions?: Record<string, string>; packages?: string[]; libraries?: string[]; refusal?: RegExp }> = {
  // The server build links the system OpenSSL (openssl-src is in the lock, but no compiled crate enables "vendored"):
  // the build provides OpenSSL for every target. sqlx's macros compile openssl-sys for the build platform too
  // (native-tls through sqlx-macros-core): that copy links the builder's own OpenSSL (openssl-dev, pkgconf).
  'atuin': { decisions: { 'libsqlite3-sys': 'info', 'openssl-sys': 'info', 'rayon-core': 'info', 'ring': 'info' }, packages: ['openssl-dev', 'pkgconf'], libraries: ['openssl'] },
  'ghstats': { decisions: { 'libsqlite3-sys': 'info', 'ring': 'info' }, packages: [] },
  // No stored graph (a git dependency on github.com, which Cargo cannot fetch here to store one), and this suite
  // runs without cargo: the generator says Cargo must resolve it, and how.
  'lldap': { refusal: /lldap\.crate-graph\.json: Cargo\.lock lists crates that build native code.*the stored answer does not exist yet, and Cargo could not resolve it here: cargo could not be run.*Fix: install Rust \(https:\/\/rustup\.rs\), then run `npx projen` again/ },
  'ripgrep': { decisions: { 'tikv-jemalloc-sys': 'info' }, packages: ['make'] },
  // tls-ring by default: aws-lc-sys, aws-lc-fips-sys and bindgen are in the lock but not compiled; shadow-rs reads .git.
  // Two native crates no rule knows, found from the graph: libgit2-sys (bundled libgit2, through shadow-rs's git2)
  // and signal-hook (a C helper for extended-siginfo), both compiled from source with zig cc.
  'static-web-server': {
    decisions: { 'ring': 'info', 'zstd-sys': 'info', 'libz-sys': 'info', 'libmimalloc-sys': 'info', 'shadow-rs': 'info', 'libgit2-sys': 'info', 'signal-hook': 'info' },
    packages: ['git'],
  },
  // With the mysql and postgresql features, the system client libraries and OpenSSL are linked: the build provides
  // OpenSSL and libpq for every target, but no libmysqlclient: its source in the crates registry (mysqlclient-src) is
  // GPL-2.0-only, so linking it is the user's choice, and it alone is refused, with the fix naming that licence.
  'vaultwarden': { refusal: /^(?!.*openssl-sys)(?!.*pq-sys 0).*mysqlclient-sys 0\.5\.2 is compiled for .*mysqlclient-sys's "bundled" feature \(libmysqlclient \(GPL-2\.0-only\) is compiled from source and linked into the binary\)/s },
};

// Without cargo on PATH, so no result depends on whether cargo or the network is here: a fixture is decided
// from its stored graph, or refused for the lack of one.
const savedPath = process.env.PATH;
beforeAll(() => {
  process.env.PATH = '';
});
afterAll(() => {
  process.env.PATH = savedPath;
});

describeWithFixtures('every fixture in ../shared/fixtures', () => describe.each(FIXTURE_NAMES)('fixture %s', (name) => {
  const fixture = readFixture(name);
  const expected = EXPECTED[name];

  test('is covered by this test', () => {
    expect(expected).toBeDefined();
  });

  test('decides from what Cargo says the image compiles, or refuses with the fix', () => {
    const attempt = () => new RustDockerImage(adoptFixture(name), fixtureOptions(fixture));
    if (expected.refusal) {
      expect(attempt).toThrow(expected.refusal);
      return;
    }
    const image = attempt();
    expect(Object.fromEntries(imageInternals(image).resolved.decisions.map((d) => [d.crate, d.level]))).toEqual(expected.decisions);
    expect(image.builderPackages).toEqual(expected.packages);
    expect(imageInternals(image).resolved.builder.targetLibraries.map((l) => l.id)).toEqual(expected.libraries ?? []);
  });

  // lldap has no stored graph (see above), so there is nothing to handle by hand.
  (name === 'lldap' ? test.skip : test)('with the refused crates handled by hand (builder.ignoreCrates), it synthesizes clean Dockerfiles for the right binary', () => {
    const project = adoptFixture(name);
    const ignore = ['openssl-sys', 'pq-sys', 'mysqlclient-sys'];
    const image = new RustDockerImage(project, { ...fixtureOptions(fixture), builder: { ignoreCrates: ignore } });
    const out = Testing.synth(project);
    expect(image.binaries).toEqual([fixture.image.binaries[0]]);
    expect(dockerfileProblems(out.Dockerfile)).toEqual([]);
    expect(dockerfileProblems(out['rust-builder.Dockerfile'])).toEqual([]);
    expect(out.Dockerfile).toContain(`--bin ${fixture.image.binaries[0]}`);
    for (const f of fixture.image.features) expect(out.Dockerfile).toContain(f);
  });
}));

describeWithFixtures('fixture specifics', () => {
  const has = (n: string) => FIXTURE_NAMES.includes(n);
  const handled = { builder: { ignoreCrates: ['openssl-sys'] } };

  (has('atuin') ? test : test.skip)('atuin: workspace member bin, [patch] path crate copied before the cook, toolchain 1.98.0', () => {
    const project = adoptFixture('atuin');
    const image = new RustDockerImage(project, { binary: 'atuin-server', ...handled });
    const df = Testing.synth(project).Dockerfile;
    expect(image.rustVersion).toBe('1.98.0');
    expect(df).toContain('--package atuin-server --bin atuin-server');
    expect(df).toContain('COPY vendor/axoasset /app/vendor/axoasset');
  });

  (has('atuin') ? test : test.skip)('atuin: several binaries without a choice gives the listing error', () => {
    expect(() => new RustDockerImage(adoptFixture('atuin'), {})).toThrow(/several binaries: .*atuin \(package atuin\).*atuin-server \(package atuin-server\)/);
  });

  (has('ripgrep') ? test : test.skip)('ripgrep: [[bin]] name differs from the package, rust-version 1.96 inherited', () => {
    const image = new RustDockerImage(adoptFixture('ripgrep'), {});
    expect(image.binaries).toEqual(['rg']);
    expect(imageInternals(image).resolved.cargoPackages).toEqual(['ripgrep']);
  });

  (has('vaultwarden') ? test : test.skip)('vaultwarden: toolchain and components from rust-toolchain.toml', () => {
    const image = new RustDockerImage(adoptFixture('vaultwarden'), { ...fixtureOptions(readFixture('vaultwarden')), builder: { ignoreCrates: ['openssl-sys', 'pq-sys', 'mysqlclient-sys'] } });
    expect(image.rustVersion).toBe('1.97.1');
    expect(imageInternals(image).resolved.builder.components).toEqual(['rustfmt', 'clippy']);
  });

  (has('static-web-server') ? test : test.skip)('static-web-server: [[bin]] with a path, .git kept for shadow-rs, rustflags kept', () => {
    const project = adoptFixture('static-web-server');
    const image = new RustDockerImage(project, fixtureOptions(readFixture('static-web-server')));
    expect(image.binaries).toEqual(['static-web-server']);
    expect(imageInternals(image).resolved.includeGit).toBe(true);
    expect(JSON.stringify(imageInternals(image).model)).not.toContain('RUSTFLAGS');
  });
});
