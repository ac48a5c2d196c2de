import { execFileSync } from 'child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { newProject, simpleCrate } from '../harness/projects';
import { tempDir, writeFiles } from '../harness/temp';
import { Platform, Registry, RustDockerImage, RustDockerImageOptions } from '../src';
import { RustDockerConfigError } from '../src/errors';

function attempt(files: Record<string, string>, options: RustDockerImageOptions): () => void {
  return () => new RustDockerImage(newProject(files), options);
}

function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf-8');
    }
  };
  walk(dir);
  return out;
}

describe('bad input fails with a message naming the field and the fix', () => {
  test('missing Cargo.toml', () => {
    expect(attempt({}, {})).toThrow(/cratePath: no Cargo.toml found at Cargo.toml.*Fix: set cratePath/);
  });

  test('broken Cargo.toml gives the file and the TOML error position', () => {
    expect(attempt({ 'Cargo.toml': '[package]\nname = "x"\nversion = \n' }, {})).toThrow(/Cargo.toml: invalid TOML at line 3, column \d+/);
  });

  test('unknown binary lists the valid ones', () => {
    expect(attempt(simpleCrate('app', { 'src/bin/tool.rs': '' }), { binary: 'nope' })).toThrow(/binary: no binary named "nope".*use one of: app \(package app\), tool \(package app\)/);
  });

  test('several binaries without a choice lists them', () => {
    expect(attempt(simpleCrate('app', { 'src/bin/tool.rs': '' }), {})).toThrow(/several binaries: app \(package app\), tool \(package app\).*set "binary"/);
  });

  test('unknown package lists the members', () => {
    expect(attempt(simpleCrate(), { cargoPackage: 'ghost' })).toThrow(/cargoPackage: no workspace member is named "ghost".*use one of: app/);
  });

  test.each([
    ['tls on a cloud builder', { driver: 'cloud', endpoint: 'acme/builder', tls: {} },
      /ci\.remoteBuilder\.tls: is for the "remote" driver over tcp:\/\/, and this builder is driver "cloud" at acme\/builder.*Fix: remove tls \(a cloud builder authenticates with docker login\)/],
    ['tls on a unix socket', { driver: 'remote', endpoint: 'unix:///run/buildkit/buildkitd.sock', tls: {} }, /ci\.remoteBuilder\.endpoint|ci\.remoteBuilder\.tls/],
    ['a secret name with a space', { driver: 'remote', endpoint: 'tcp://b:1234', tls: { certSecret: 'MY CERT' } }, /ci\.remoteBuilder\.tls\.certSecret: .*a repository secret name/],
    ['a reserved secret name', { driver: 'remote', endpoint: 'tcp://b:1234', tls: { keySecret: 'GITHUB_KEY' } }, /ci\.remoteBuilder\.tls\.keySecret/],
    ['an expression for a secret', { driver: 'remote', endpoint: 'tcp://b:1234', tls: { caCertSecret: '${{ github.token }}' } }, /ci\.remoteBuilder\.tls\.caCertSecret/],
    ['one secret twice', { driver: 'remote', endpoint: 'tcp://b:1234', tls: { certSecret: 'BUILDKIT_CA_CERT' } }, /ci\.remoteBuilder\.tls: names the same secret twice.*Fix: give the CA certificate, the client certificate and the key a secret each/],
    ['a server name that could break out', { driver: 'remote', endpoint: 'tcp://b:1234', tls: { serverName: 'b,key=/etc/shadow' } }, /ci\.remoteBuilder\.tls\.serverName: .*a host name/],
  ])('remote builder: %s', (_what, remoteBuilder, re) => {
    expect(attempt(simpleCrate(), { ci: { remoteBuilder } })).toThrow(re);
  });

  test('empty platforms', () => {
    expect(attempt(simpleCrate(), { platforms: [] })).toThrow(/platforms: the list is empty/);
  });

  test('unknown platform value', () => {
    expect(attempt(simpleCrate(), { platforms: ['linux/s390x' as Platform] })).toThrow(/platforms\[0\]: "linux\/s390x" is not a supported platform/);
  });

  test.each([
    ['UpperCase', /imageName: "UpperCase" is not a valid image name/],
    ['bad//name', /imageName/],
    ['-leading', /imageName/],
  ])('invalid image name %s', (name, re) => {
    expect(attempt(simpleCrate(), { imageName: name })).toThrow(re);
  });

  test('invalid base image tag', () => {
    expect(attempt(simpleCrate(), { runtime: { baseImage: 'alpine:.bad' } })).toThrow(/runtime.baseImage: ".bad" is not a valid image tag/);
  });

  test.each([
    ['features', { features: ['a\nRUN curl evil'] }, /features\[0\]/],
    ['env value', { runtime: { env: { A: 'x"; rm -rf /' } } }, /runtime.env.A: .*could break out/],
    ['args', { runtime: { args: ['$(id)'] } }, /runtime.args\[0\]/],
    ['args backtick', { runtime: { args: ['`id`'] } }, /runtime.args\[0\]/],
    ['label', { runtime: { labels: { a: "x'y" } } }, /runtime.labels.a/],
    ['extra package', { builder: { extraPackages: ['curl\nRUN x'] } }, /builder.extraPackages\[0\]/],
    ['smoke args', { ci: { smokeTestArgs: ['${{ secrets.X }}'] } }, /ci.smokeTestArgs\[0\]/],
    ['dockerignore', { dockerignore: { extraPatterns: ['a\nb'] } }, /dockerignore.extraPatterns\[0\]/],
  ])('unsafe characters in %s', (_name, options, re) => {
    expect(attempt(simpleCrate(), options as RustDockerImageOptions)).toThrow(re);
  });

  test('root user is refused', () => {
    expect(attempt(simpleCrate(), { runtime: { user: '0:0' } })).toThrow(/runtime.user: the image would run as root/);
  });

  test('cratePath outside the project', () => {
    expect(attempt(simpleCrate(), { cratePath: '../elsewhere' })).toThrow(/cratePath: "..\/elsewhere" is outside the project folder/);
  });

  test('binary and binaries together', () => {
    expect(attempt(simpleCrate(), { binary: 'app', binaries: ['app'] })).toThrow(/binaries: both "binary" and "binaries" are set/);
  });

  test('missing Cargo.lock with --locked', () => {
    const files = simpleCrate();
    delete files['Cargo.lock'];
    expect(attempt(files, {})).toThrow(/Cargo.lock: the file is missing.*cargo generate-lockfile/);
  });

  test('invalid registry settings', () => {
    expect(() => Registry.ecr({ accountId: '12', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/x' })).toThrow(/ci.registry.accountId/);
  });

  test('an image name whose registry host is not ci.registry\'s is refused: CI would log in to one registry and push to another', () => {
    expect(attempt(simpleCrate(), { imageName: 'ghcr.io/acme/app', ci: { registry: Registry.dockerHub({ repositoryPrefix: 'acme' }) } }))
      .toThrow(/^projen-rust-docker: imageName: "ghcr\.io\/acme\/app" names the registry ghcr\.io, but ci\.registry logs in and pushes to docker\.io\. Fix: name the image without a host \("app"/);
    expect(attempt(simpleCrate('app', { 'src/bin/tool.rs': '' }), {
      binaries: ['app', 'tool'], binaryOptions: { tool: { imageName: 'registry.example.com/team/tool' } },
    })).toThrow(/^projen-rust-docker: binaryOptions\.tool\.imageName: "registry\.example\.com\/team\/tool" names the registry registry\.example\.com, but ci\.registry logs in and pushes to ghcr\.io/);
  });

  test('an image name with the registry\'s own host (Docker Hub under any of its names) is accepted, and used as written', () => {
    const hub = Registry.dockerHub({ repositoryPrefix: 'acme' });
    for (const imageName of ['docker.io/acme/app', 'index.docker.io/acme/app']) {
      expect(attempt(simpleCrate(), { imageName, ci: { registry: hub } })).not.toThrow();
    }
    expect(attempt(simpleCrate(), { imageName: 'ghcr.io/acme/app', ci: { enabled: false } })).not.toThrow();
  });

  describe('a Rust version the workspace or the base image cannot have is refused, with the version that fits', () => {
    const edition2024 = () => {
      const files = simpleCrate();
      files['Cargo.toml'] = files['Cargo.toml'].replace('edition = "2021"', 'edition = "2024"');
      return files;
    };
    test('older than an edition needs (Cargo could not read the manifest)', () => {
      expect(attempt(edition2024(), { rustVersion: '1.70' }))
        .toThrow(/^projen-rust-docker: rustVersion: Rust 1\.70 is too old for this workspace: package app has edition 2024, which needs Rust 1\.85\. Fix: use Rust 1\.85 or newer, or remove rustVersion/);
    });
    test('older than a shipped package\'s rust-version', () => {
      const files = simpleCrate();
      files['Cargo.toml'] = files['Cargo.toml'].replace('edition = "2021"', 'edition = "2021"\nrust-version = "1.93"');
      expect(attempt(files, { rustVersion: '1.92.1' })).toThrow(/rustVersion: Rust 1\.92\.1 is too old for this workspace: package app declares rust-version = "1\.93"\. Fix: use Rust 1\.93 or newer/);
    });
    test('from rust-toolchain.toml: the file is named', () => {
      expect(attempt({ ...edition2024(), 'rust-toolchain.toml': '[toolchain]\nchannel = "1.84.1"\n' }, {}))
        .toThrow(/^projen-rust-docker: rust-toolchain\.toml: Rust 1\.84\.1 is too old for this workspace: package app has edition 2024/);
    });
    test('a Rust replaced before the Alpine release came out has no tag: the first Rust that has one, or the Alpine release that has this one', () => {
      expect(attempt(simpleCrate(), { rustVersion: '1.90' })).toThrow(new RegExp('^projen-rust-docker: rustVersion: Rust 1\\.90 was replaced by 1\\.91 before Alpine 3\\.23 came out, '
        + 'so the official image has no rust:1\\.90-alpine3\\.23\\. Fix: use Rust 1\\.91 or newer, or set builder\\.alpineVersion to "3\\.22"'));
    });
    test('an Alpine release two releases older than the Rust is no longer built', () => {
      expect(attempt(simpleCrate(), { builder: { alpineVersion: '3.19' } }))
        .toThrow(/^projen-rust-docker: builder\.alpineVersion: Rust 1\.\d+ came out after Alpine 3\.21, when the official image no longer built Alpine 3\.19/);
    });
    test('what exists is accepted: the default, the first Rust of Alpine 3.23, an old Rust on its own Alpine release', () => {
      expect(attempt(simpleCrate(), {})).not.toThrow();
      expect(attempt(edition2024(), { rustVersion: '1.91.1' })).not.toThrow();
      expect(attempt(simpleCrate(), { rustVersion: '1.70', builder: { alpineVersion: '3.18', zigPackage: 'zig~0.10' } })).not.toThrow();
    });
  });

  test('beside a hand-written Dockerfile, the generated one takes the image\'s name and its own ignore file, and both hand-written files stay byte for byte', () => {
    const outdir = tempDir();
    const own = { 'Dockerfile': 'FROM scratch\n', '.dockerignore': 'target\n' };
    const project = newProject(simpleCrate('app', own), outdir);
    const image = new RustDockerImage(project, {});
    project.synth();
    expect(image.dockerfilePath).toBe('app.Dockerfile');
    expect(image.dockerignorePath).toBe('app.Dockerfile.dockerignore');
    expect(readFileSync(join(outdir, 'Dockerfile'), 'utf-8')).toBe(own.Dockerfile);
    expect(readFileSync(join(outdir, '.dockerignore'), 'utf-8')).toBe(own['.dockerignore']);
    expect(readFileSync(join(outdir, 'app.Dockerfile'), 'utf-8')).toContain('cargo chef cook');
    expect(readFileSync(join(outdir, 'docker-app.sh'), 'utf-8')).toContain('app.Dockerfile');
    expect(image.warnings.join('\n')).toContain('Dockerfile is hand-written, so it is left alone: the generated Dockerfile is app.Dockerfile, with its own app.Dockerfile.dockerignore. '
      + 'Fix: set dockerfile to choose that name, or adoptExistingFiles: true to replace the hand-written one');
    // The next synthesis makes the same choice (the hand-written file is still there), byte for byte.
    const before = readFileSync(join(outdir, 'app.Dockerfile'), 'utf-8');
    const again = newProject({}, outdir);
    expect(new RustDockerImage(again, {}).dockerfilePath).toBe('app.Dockerfile');
    again.synth();
    expect(readFileSync(join(outdir, 'app.Dockerfile'), 'utf-8')).toBe(before);
  });

  test('a hand-written Dockerfile without a .dockerignore: the generated patterns still go to the generated Dockerfile\'s own file, so the hand-written build keeps its context', () => {
    const outdir = tempDir();
    const project = newProject(simpleCrate('app', { Dockerfile: 'FROM scratch\n' }), outdir);
    new RustDockerImage(project, {});
    project.synth();
    expect(existsSync(join(outdir, '.dockerignore'))).toBe(false);
    expect(existsSync(join(outdir, 'app.Dockerfile.dockerignore'))).toBe(true);
  });

  test('a hand-written .dockerignore alone is left alone: the generated patterns go beside the Dockerfile, with a warning that says how to keep its patterns', () => {
    const outdir = tempDir();
    const project = newProject(simpleCrate('app', { '.dockerignore': 'target\n*.sqlite\n' }), outdir);
    const image = new RustDockerImage(project, {});
    project.synth();
    expect(image.dockerfilePath).toBe('Dockerfile');
    expect(image.dockerignorePath).toBe('Dockerfile.dockerignore');
    expect(readFileSync(join(outdir, '.dockerignore'), 'utf-8')).toBe('target\n*.sqlite\n');
    expect(image.warnings.join('\n')).toContain('.dockerignore is hand-written, so it is left alone: the generated patterns go to Dockerfile.dockerignore, which BuildKit reads for Dockerfile instead. '
      + 'Fix: to keep its patterns in this build too, move them into dockerignore.extraPatterns, or set adoptExistingFiles: true');
  });

  test('a hand-written .dockerignore of a build context above the crate is no concern: the generated one is Dockerfile-specific there anyway, and nothing is said', () => {
    const files = Object.fromEntries(Object.entries(simpleCrate('app')).map(([k, v]) => [`svc/${k}`, v]));
    const image = new RustDockerImage(newProject({ ...files, '.dockerignore': 'node_modules\n' }), { cratePath: 'svc', contextPath: '.' });
    expect(image.dockerignorePath).toBe('svc/Dockerfile.dockerignore');
    expect(image.warnings.join('\n')).not.toContain('hand-written');
  });

  test('a hand-written file at a path the options name is never overwritten', () => {
    expect(attempt(simpleCrate('app', { 'ops/app.Dockerfile': 'FROM scratch\n' }), { dockerfile: 'ops/app.Dockerfile' }))
      .toThrow(/adoptExistingFiles: a hand-written file stands where this component writes, and would be overwritten: ops\/app\.Dockerfile\. Fix: for ops\/app\.Dockerfile: set dockerfile to another file name; or set adoptExistingFiles: true/);
    expect(attempt(simpleCrate('app', { '.dockerignore': 'target\n' }), { dockerignore: { dockerfileSpecific: false } }))
      .toThrow(/would be overwritten: \.dockerignore\. Fix: for \.dockerignore: set dockerignore: \{ dockerfileSpecific: true \} to leave it alone/);
  });

  test('every hand-written file is reported in one error, each with its own fix', () => {
    const files = simpleCrate('app', { 'app.Dockerfile': 'FROM scratch\n', '.dockerignore': 'target\n', 'rust-builder.Dockerfile': 'FROM x\n' });
    expect(attempt(files, { dockerfile: 'app.Dockerfile', dockerignore: { dockerfileSpecific: false } })).toThrow(new RegExp([
      '3 hand-written files stand where this component writes, and would be overwritten: app\\.Dockerfile, \\.dockerignore, rust-builder\\.Dockerfile',
      'for app\\.Dockerfile: set dockerfile to another file name',
      'for \\.dockerignore: set dockerignore: \\{ dockerfileSpecific: true \\} to leave it alone',
      'for rust-builder\\.Dockerfile: move it aside',
    ].join('.*')));
  });

  test('the fixes, followed: another Dockerfile name and a Dockerfile-specific ignore file leave the repository\'s own files as they were', () => {
    const outdir = tempDir();
    const own = { 'Dockerfile': 'FROM scratch\n', '.dockerignore': 'target\n' };
    const project = newProject(simpleCrate('app', own), outdir);
    new RustDockerImage(project, { dockerfile: 'app.Dockerfile', dockerignore: { dockerfileSpecific: true } });
    project.synth();
    expect(readFileSync(join(outdir, 'Dockerfile'), 'utf-8')).toBe(own.Dockerfile);
    expect(readFileSync(join(outdir, '.dockerignore'), 'utf-8')).toBe(own['.dockerignore']);
    expect(existsSync(join(outdir, 'app.Dockerfile.dockerignore'))).toBe(true);
  });

  test('a hand-written workflow is never overwritten', () => {
    expect(attempt(simpleCrate('app', { '.github/workflows/docker-app.yml': 'on: push\n' }), {})).toThrow(/\.github\/workflows\/docker-app\.yml.*for \.github\/workflows\/docker-app\.yml: set ci\.workflowName to another name/);
  });

  test('an adopted .dockerignore keeps its own patterns below the generated ones, also on the next synthesis, and says so', () => {
    const outdir = tempDir();
    const p1 = newProject(simpleCrate('app', { '.dockerignore': '# mine\nfixtures/big\n*.sqlite\n' }), outdir);
    const image = new RustDockerImage(p1, { adoptExistingFiles: true });
    p1.synth();
    const first = readFileSync(join(outdir, '.dockerignore'), 'utf-8');
    expect(first).toMatch(/# Patterns kept from the adopted \.dockerignore.*\nfixtures\/big\n\*\.sqlite\n$/s);
    expect(first.split('\n')[0]).toContain('~~ Generated by projen');
    expect(image.warnings.join('\n')).toMatch(/\.dockerignore: adopted; its 2 own patterns are kept below the generated ones \(to manage them in \.projenrc instead, move them into dockerignore\.extraPatterns\)$/);
    expect(image.warnings.join('\n')).not.toContain('Fix:');
    const p2 = newProject({}, outdir);
    new RustDockerImage(p2, {});
    p2.synth();
    expect(readFileSync(join(outdir, '.dockerignore'), 'utf-8')).toBe(first);
  });

  test('adoptExistingFiles replaces a hand-written file on purpose', () => {
    expect(attempt(simpleCrate('app', { Dockerfile: 'FROM scratch\n' }), { adoptExistingFiles: true })).not.toThrow();
  });

  test('a projen-generated file is not mistaken for a hand-written one', () => {
    const outdir = tempDir();
    const p1 = newProject(simpleCrate(), outdir);
    new RustDockerImage(p1, {});
    p1.synth();
    const p2 = newProject({}, outdir);
    expect(() => new RustDockerImage(p2, { features: ['x'] })).not.toThrow();
  });

  test('a failed synth through .projenrc leaves the working tree byte-for-byte unchanged', () => {
    const outdir = tempDir();
    writeFiles(outdir, simpleCrate());
    const p1 = newProject({}, outdir);
    new RustDockerImage(p1, {});
    p1.synth();
    const before = snapshotTree(outdir);
    const script = `
      const { Project, github } = require('projen');
      const { RustDockerImage } = require(${JSON.stringify(join(__dirname, '..', 'src'))});
      const project = new Project({ name: 'test', outdir: ${JSON.stringify(outdir)} });
      new github.GitHub(project, { mergify: false, pullRequestLint: false });
      new RustDockerImage(project, { binary: 'missing' });
      project.synth();`;
    expect(() => execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { stdio: 'pipe', cwd: join(__dirname, '..') }))
      .toThrow(/binary: no binary named "missing"/);
    expect(snapshotTree(outdir)).toEqual(before);
    expect(existsSync(join(outdir, 'Dockerfile'))).toBe(true);
  });

  test('the error is a RustDockerConfigError that names its field, importable from projen-rust-docker/lib/errors', () => {
    let caught: unknown;
    try {
      attempt(simpleCrate(), { runtime: { user: 'root' } })();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RustDockerConfigError);
    expect((caught as RustDockerConfigError).field).toBe('runtime.user');
    expect((caught as Error).stack).toBe(`RustDockerConfigError: ${(caught as Error).message}`);
  });
});
