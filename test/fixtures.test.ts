import { join } from 'path';
import { Testing } from 'projen';
import { RustDockerImage } from '../src';
import { adoptFixture as adopt, FIXTURE_NAMES as fixtureNames, fixtureOptions as optionsOf, readFixture } from './fixture-util';
import { dockerfileProblems, FIXTURES } from './util';
import { cDependencyDecisions, KNOWN_C_DEPENDENCY_CRATES } from '../src/cargo/c-dependencies';
import { readLockfile } from '../src/cargo/lockfile';

/** What the registry must decide for each fixture (crate -> level), from FIXTURE.json's C-dependency crates. */
const EXPECTED: Record<string, Record<string, string>> = {
  'atuin': { 'openssl-sys': 'info', 'libsqlite3-sys': 'info', 'ring': 'info', 'zstd-sys': 'info', 'prost-build': 'info' },
  'ghstats': { 'libsqlite3-sys': 'info', 'ring': 'info' },
  'ripgrep': { 'tikv-jemalloc-sys': 'info' },
  'lldap': { 'libsqlite3-sys': 'info', 'aws-lc-sys': 'info', 'ring': 'info', 'zstd-sys': 'info', 'cmake': 'info' },
  'vaultwarden': { 'openssl-sys': 'info', 'libsqlite3-sys': 'info', 'ring': 'info', 'zstd-sys': 'info', 'libmimalloc-sys': 'info', 'pq-sys': 'warning', 'mysqlclient-sys': 'warning' },
  'static-web-server': { 'aws-lc-sys': 'info', 'aws-lc-fips-sys': 'info', 'ring': 'info', 'zstd-sys': 'info', 'libz-sys': 'info', 'bindgen': 'info', 'cmake': 'info', 'libmimalloc-sys': 'info' },
};

describe.each(fixtureNames)('fixture %s', (name) => {
  const fixture = readFixture(name);

  test('synthesizes as FIXTURE.json describes, with clean Dockerfiles and the right binary', () => {
    const project = adopt(name);
    const image = new RustDockerImage(project, optionsOf(fixture));
    const out = Testing.synth(project);
    expect(image.binaries).toEqual([fixture.image.binaries[0]]);
    expect(dockerfileProblems(out.Dockerfile)).toEqual([]);
    expect(dockerfileProblems(out['rust-builder.Dockerfile'])).toEqual([]);
    expect(out.Dockerfile).toContain(`--bin ${fixture.image.binaries[0]}`);
    for (const f of fixture.image.features) expect(out.Dockerfile).toContain(f);
  });

  test('each C-dependency crate present gets the expected handling', () => {
    const lock = readLockfile(join(FIXTURES, name), '');
    const decided = Object.fromEntries(cDependencyDecisions(lock).map((d) => [d.crate, d.level]));
    expect(EXPECTED[name]).toBeDefined();
    for (const [crate, level] of Object.entries(EXPECTED[name])) expect({ crate, level: decided[crate] }).toEqual({ crate, level });
    // Every registry crate that FIXTURE.json lists in the lock file got a decision.
    const listed = Object.keys((fixture as unknown as { c_dep_crates_in_lock: Record<string, string[]> }).c_dep_crates_in_lock);
    // (clang-sys is covered by bindgen's decision, tonic-build by prost-build's.)
    const coveredBy: Record<string, string> = { 'clang-sys': 'bindgen', 'tonic-build': 'prost-build' };
    for (const crate of listed.filter((c) => KNOWN_C_DEPENDENCY_CRATES.includes(c))) {
      expect({ crate, decided: crate in decided || coveredBy[crate] in decided }).toEqual({ crate, decided: true });
    }
  });
});

describe('fixture specifics', () => {
  const has = (n: string) => fixtureNames.includes(n);

  (has('atuin') ? test : test.skip)('atuin: workspace member bin, [patch] path crate copied before the cook, toolchain 1.98.0, vendored OpenSSL tools', () => {
    const project = adopt('atuin');
    const image = new RustDockerImage(project, { binary: 'atuin-server' });
    const df = Testing.synth(project).Dockerfile;
    expect(image.rustVersion).toBe('1.98.0');
    expect(df).toContain('--package atuin-server --bin atuin-server');
    expect(df).toContain('COPY vendor/axoasset vendor/axoasset');
    expect(image.builderPackages).toEqual(expect.arrayContaining(['perl', 'make', 'protoc']));
  });

  (has('atuin') ? test : test.skip)('atuin: several binaries without a choice gives the listing error', () => {
    expect(() => new RustDockerImage(adopt('atuin'), {})).toThrow(/several binaries: .*atuin \(package atuin\).*atuin-server \(package atuin-server\)/);
  });

  (has('lldap') ? test : test.skip)('lldap: default-members pick the server; all three binaries build as one image set', () => {
    expect(new RustDockerImage(adopt('lldap'), {}).binaries).toEqual(['lldap']);
    const set = new RustDockerImage(adopt('lldap'), { binaries: ['lldap', 'lldap_migration_tool', 'lldap_set_password'] });
    expect(set._resolved.packages).toEqual(['lldap', 'lldap_migration_tool', 'lldap_set_password']);
    expect(JSON.stringify(set._model).match(/cargo chef cook/g)).toHaveLength(1);
    expect(set.imageNames).toEqual(['lldap', 'lldap-migration-tool', 'lldap-set-password']);
  });

  (has('ripgrep') ? test : test.skip)('ripgrep: [[bin]] name differs from the package, rust-version 1.96 inherited', () => {
    const image = new RustDockerImage(adopt('ripgrep'), {});
    expect(image.binaries).toEqual(['rg']);
    expect(image._resolved.packages).toEqual(['ripgrep']);
    expect(image.builderPackages).toContain('make');
  });

  (has('vaultwarden') ? test : test.skip)('vaultwarden: features, toolchain components, warnings for system client libraries', () => {
    const image = new RustDockerImage(adopt('vaultwarden'), { features: ['sqlite'] });
    expect(image.rustVersion).toBe('1.97.1');
    expect(image._resolved.builder.components).toEqual(['rustfmt', 'clippy']);
    expect(image.warnings.join('\n')).toMatch(/pq-sys.*bundled/);
  });

  (has('static-web-server') ? test : test.skip)('static-web-server: [[bin]] with a path, libclang and cmake, rustflags kept', () => {
    const image = new RustDockerImage(adopt('static-web-server'), {});
    expect(image.binaries).toEqual(['static-web-server']);
    expect(image.builderPackages).toEqual(expect.arrayContaining(['clang-dev', 'cmake', 'go']));
    expect(JSON.stringify(image._model)).not.toContain('RUSTFLAGS');
  });
});
