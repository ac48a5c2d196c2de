import { lockFor, newProject, workspaceProject } from '../harness/projects';
import { tempDir, writeFiles } from '../harness/temp';
import { RefusedShape, SHAPE_CASES } from '../harness/workspace-cases';
import { RustDockerImage, RustDockerImageOptions } from '../src';
import { readWorkspace } from '../src/private/cargo/workspace';
import { imageInternals } from '../src/private/components/internals';


function workspace(files: Record<string, string>) {
  const dir = tempDir();
  writeFiles(dir, files);
  return readWorkspace(dir, '');
}

function image(files: Record<string, string>, options: RustDockerImageOptions = {}): RustDockerImage {
  return new RustDockerImage(newProject({ 'Cargo.lock': lockFor(files), ...files }), options);
}

const pkg = (name: string, extra = '') => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`;

describe('workspace members', () => {
  test('globs (*, ?) expand to folders with a Cargo.toml; exclude removes them', () => {
    const ws = workspace({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*", "tools/cli-?"]\nexclude = ["crates/legacy"]\n',
      'crates/a/Cargo.toml': pkg('a'),
      'crates/b/Cargo.toml': pkg('b'),
      'crates/legacy/Cargo.toml': pkg('legacy'),
      'crates/notes/README.md': 'x',
      'tools/cli-1/Cargo.toml': pkg('cli-1'),
      'tools/cli-10/Cargo.toml': pkg('cli-10'),
    });
    expect(ws.packages.map((p) => p.dir)).toEqual(['crates/a', 'crates/b', 'tools/cli-1']);
  });

  test('a listed member without a Cargo.toml is an error', () => {
    expect(() => workspace({ 'Cargo.toml': '[workspace]\nmembers = ["gone"]\n' })).toThrow(/workspace member "gone" has no Cargo.toml/);
  });

  test('a broken member manifest names the file and position', () => {
    expect(() => workspace({ 'Cargo.toml': '[workspace]\nmembers = ["a"]\n', 'a/Cargo.toml': '[package\n' })).toThrow(/a\/Cargo.toml: invalid TOML at line 1/);
  });

  test('the root package next to a workspace is a member, listed first', () => {
    const ws = workspace({ 'Cargo.toml': `${pkg('root')}\n[workspace]\nmembers = ["lib"]\n`, 'lib/Cargo.toml': pkg('lib') });
    expect(ws.packages.map((p) => p.name)).toEqual(['root', 'lib']);
  });

  test('path dependencies inside the workspace folder are members too', () => {
    const ws = workspace({
      'Cargo.toml': '[workspace]\nmembers = ["app"]\n[workspace.dependencies]\nshared = { path = "libs/shared" }\n',
      'app/Cargo.toml': pkg('app', '\n[dependencies]\nshared = { workspace = true }\nutil = { path = "../libs/util" }\n'),
      'libs/shared/Cargo.toml': pkg('shared'),
      'libs/util/Cargo.toml': pkg('util'),
    });
    expect(ws.packages.map((p) => p.name).sort()).toEqual(['app', 'shared', 'util']);
  });

  test('default-members narrow the default binary, as cargo run does', () => {
    const files = {
      'Cargo.toml': '[workspace]\nmembers = ["api", "cli"]\ndefault-members = ["api"]\n',
      'api/Cargo.toml': pkg('api'),
      'api/src/main.rs': '',
      'cli/Cargo.toml': pkg('cli'),
      'cli/src/main.rs': '',
    };
    expect(workspace(files).defaultMembers).toEqual(['api']);
    expect(image(files).binaries).toEqual(['api']);
    expect(image(files, { binary: 'cli' }).binaries).toEqual(['cli']);
  });

  test('workspace.package inheritance fills the OCI labels', () => {
    const img = image({
      'Cargo.toml': '[workspace]\nmembers = ["svc"]\n[workspace.package]\nversion = "3.1.4"\nlicense = "MIT OR Apache-2.0"\ndescription = "A service"\nrepository = "https://example.com/svc"\nhomepage = "https://svc.example.com"\nrust-version = "1.101"\nedition = "2024"\n',
      'svc/Cargo.toml': '[package]\nname = "svc"\nversion.workspace = true\nlicense.workspace = true\ndescription.workspace = true\nrepository.workspace = true\nhomepage.workspace = true\nrust-version.workspace = true\nedition.workspace = true\n',
      'svc/src/main.rs': '',
    });
    const labels = Object.fromEntries(imageInternals(img).resolved.binaries[0].labels);
    expect(labels).toEqual({
      'org.opencontainers.image.title': 'svc',
      'org.opencontainers.image.description': 'A service',
      'org.opencontainers.image.licenses': 'MIT OR Apache-2.0',
      'org.opencontainers.image.source': 'https://example.com/svc',
      'org.opencontainers.image.url': 'https://svc.example.com',
    });
    // The version label comes from the build, so a version bump needs no regeneration.
    expect(labels['org.opencontainers.image.version']).toBeUndefined();
    // rust-version 1.101 is newer than the shipped default, so the builder uses it.
    expect(img.rustVersion).toBe('1.101');
  });
});

describe('binary targets', () => {
  test('src/main.rs, src/bin/*.rs and src/bin/*/main.rs', () => {
    const ws = workspace({ 'Cargo.toml': pkg('app'), 'src/main.rs': '', 'src/bin/tool.rs': '', 'src/bin/admin/main.rs': '', 'src/bin/admin/util.rs': '' });
    expect(ws.packages[0].bins.map((b) => `${b.name}:${b.path}`)).toEqual(['app:src/main.rs', 'admin:src/bin/admin/main.rs', 'tool:src/bin/tool.rs']);
  });

  test('[[bin]] with name and path replaces the inferred target at that path', () => {
    const ws = workspace({ 'Cargo.toml': `${pkg('ripgrep')}\n[[bin]]\nname = "rg"\npath = "crates/core/main.rs"\n`, 'crates/core/main.rs': '' });
    expect(ws.packages[0].bins.map((b) => `${b.name}:${b.path}`)).toEqual(['rg:crates/core/main.rs']);
  });

  test('autobins = false keeps only explicit targets', () => {
    const ws = workspace({ 'Cargo.toml': `${pkg('app', 'autobins = false\n')}\n[[bin]]\nname = "server"\npath = "src/server.rs"\n`, 'src/main.rs': '', 'src/bin/x.rs': '' });
    expect(ws.packages[0].bins.map((b) => b.name)).toEqual(['server']);
  });

  test('default-run picks among a package\'s binaries', () => {
    expect(image({ 'Cargo.toml': pkg('app', 'default-run = "serve"\n'), 'src/bin/serve.rs': '', 'src/bin/admin.rs': '' }).binaries).toEqual(['serve']);
  });

  test('required-features are enabled for cook and build alike', () => {
    const img = image({ 'Cargo.toml': `${pkg('app')}\n[features]\ncli = []\n\n[[bin]]\nname = "app"\npath = "src/main.rs"\nrequired-features = ["cli"]\n`, 'src/main.rs': '' });
    const text = JSON.stringify(imageInternals(img).model);
    expect(text.match(/--features cli/g)).toHaveLength(2);
  });

  test('required-features that the package does not declare are an error naming them', () => {
    expect(() => image({ 'Cargo.toml': `${pkg('app')}\n[[bin]]\nname = "app"\npath = "src/main.rs"\nrequired-features = ["cli", "tui"]\n`, 'src/main.rs': '' }))
      .toThrow(/binary "app" requires features "cli", "tui" that package app does not declare/);
  });

  test('an optional dependency is a feature; an unknown feature lists the known ones', () => {
    const files = { 'Cargo.toml': `${pkg('app')}\n[dependencies]\nserde = { version = "1", optional = true }\n[features]\nfast = []\n`, 'src/main.rs': '' };
    expect(imageInternals(image(files, { features: ['serde', 'fast', 'serde/derive'] })).resolved.features).toEqual(['fast', 'serde', 'serde/derive']);
    expect(() => image(files, { features: ['slow'] })).toThrow(/features\[0\]: package app has no feature "slow". Fix: use one of: fast, serde/);
  });
});

describe('toolchain and cargo config', () => {
  test('legacy rust-toolchain (bare channel) wins over rust-toolchain.toml, as in rustup', () => {
    expect(image({ 'Cargo.toml': pkg('app'), 'src/main.rs': '', 'rust-toolchain': '1.92.0\n', 'rust-toolchain.toml': '[toolchain]\nchannel = "1.93.0"\n' }).rustVersion).toBe('1.92.0');
  });

  test('rust-toolchain.toml targets and components reach the builder', () => {
    const img = image({ 'Cargo.toml': pkg('app'), 'src/main.rs': '', 'rust-toolchain.toml': '[toolchain]\nchannel = "1.92.0"\ntargets = ["wasm32-unknown-unknown"]\ncomponents = ["clippy"]\n' });
    expect(imageInternals(img).resolved.builder.targets).toEqual(['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl', 'wasm32-unknown-unknown']);
    expect(JSON.stringify(imageInternals(img).model)).toContain('rustup component add clippy');
  });

  test('.cargo/config.toml: build.target, linker overrides and rustflags conflicts are warned about', () => {
    const img = image({
      'Cargo.toml': pkg('app'),
      'src/main.rs': '',
      '.cargo/config.toml': '[build]\ntarget = "x86_64-unknown-linux-gnu"\nrustflags = ["--cfg", "tokio_unstable"]\n[target.aarch64-unknown-linux-musl]\nlinker = "aarch64-linux-musl-gcc"\n',
    }, { builder: { env: { RUSTFLAGS: '-C target-cpu=native' } } });
    expect(img.warnings.join('\n')).toMatch(/build.target is set/);
    expect(img.warnings.join('\n')).toMatch(/target.aarch64-unknown-linux-musl.linker = "aarch64-linux-musl-gcc" is replaced by zig/);
    expect(img.warnings.join('\n')).toMatch(/rustflags are ignored because builder.env sets RUSTFLAGS/);
  });

  test('config rustflags alone are kept: the Dockerfile sets no RUSTFLAGS', () => {
    const img = image({ 'Cargo.toml': pkg('app'), 'src/main.rs': '', '.cargo/config.toml': '[build]\nrustflags = ["--cfg", "tokio_unstable"]\n' });
    expect(img.warnings).toEqual([]);
    expect(JSON.stringify(imageInternals(img).model)).not.toContain('RUSTFLAGS');
  });
});

describe('dependencies', () => {
  test('a path dependency outside the build context is an error whose fix sets contextPath', () => {
    const outdir = tempDir();
    const files = { 'svc/Cargo.toml': pkg('svc', '\n[dependencies]\ncommon = { path = "../common" }\n'), 'svc/src/main.rs': '', 'common/Cargo.toml': pkg('common') };
    writeFiles(outdir, { ...files, 'svc/Cargo.lock': lockFor(files, 'svc') });
    expect(() => new RustDockerImage(newProject({}, outdir), { cratePath: 'svc' }))
      .toThrow(/svc\/Cargo.toml \[dependencies\]: path dependency "common" at "..\/common" is outside the build context \("svc"\).*Fix: set contextPath to "\." .*keeping cratePath "svc"/);
    // The fix works: the context moves up, and the crate goes into the cook.
    const img = new RustDockerImage(newProject({}, outdir), { cratePath: 'svc', contextPath: '.' });
    expect(imageInternals(img).resolved.pathCratesForCook).toEqual(['common']);
  });

  test('a contextPath that does not contain cratePath is refused', () => {
    const outdir = tempDir();
    writeFiles(outdir, { 'svc/Cargo.toml': pkg('svc'), 'svc/src/main.rs': '', 'svc/Cargo.lock': lockFor({ 'Cargo.toml': pkg('svc') }), 'other/x': '' });
    expect(() => new RustDockerImage(newProject({}, outdir), { cratePath: 'svc', contextPath: 'other' })).toThrow(/contextPath: "other" does not contain cratePath "svc".*set contextPath to "svc" or to a folder above it/);
  });

  test('git dependencies are fine; [patch] path crates are copied before the cook', () => {
    const img = image({
      'Cargo.toml': `${pkg('app')}\n[dependencies]\nfoo = { git = "https://example.com/foo.git", rev = "abc" }\n[patch.crates-io]\nbar = { path = "vendor/bar" }\n`,
      'src/main.rs': '',
      'vendor/bar/Cargo.toml': pkg('bar'),
    });
    expect(imageInternals(img).resolved.pathCratesForCook).toEqual(['vendor/bar']);
    const cook = imageInternals(img).model.stages.find((s) => s.name === 'cook')!;
    expect(cook.instructions).toContainEqual(expect.objectContaining({ kind: 'COPY', sources: ['vendor/bar'], destination: '/app/vendor/bar' }));
  });

  test('a single package\'s path dependency inside its folder is not a member: cargo-chef cannot skeleton it, so it is copied', () => {
    const img = image({
      'Cargo.toml': `${pkg('app')}\n[dependencies]\nx = { path = "libs/x" }\n`, 'src/main.rs': '', 'libs/x/Cargo.toml': pkg('x'),
    });
    expect(imageInternals(img).resolved.pathCratesForCook).toEqual(['libs/x']);
  });
});

describe('workspace shapes cargo-chef cannot handle are refused at synthesis, naming the shape and the fix', () => {
  const refused = SHAPE_CASES.filter((s): s is RefusedShape => s.expected === 'refused');
  test('there is at least one such shape', () => expect(refused.length).toBeGreaterThan(0));
  test.each(refused.map((s) => [s.dir, s] as const))('%s', (_dir, s) => {
    expect(() => new RustDockerImage(workspaceProject(s.dir), s.options)).toThrow(s.refusal);
  });
});
