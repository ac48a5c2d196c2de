/**
 * Git dependencies, built for real: a service that depends on three crates
 * of a git server (a branch, a tag and a pinned revision), served by `git
 * daemon` on loopback (harness/git-server.ts), builds from its generated
 * Dockerfile for linux/amd64 and linux/arm64, and each binary prints what
 * each dependency's revision says. A source edit leaves the cook cached; a
 * new pinned revision (Cargo.toml and Cargo.lock, as cargo leaves them)
 * re-cooks, and the binary has the new revision's code. A private one
 * (privateGit), from an HTTP server that answers only with the token: the
 * cook fails naming the missing secret, builds with it, and the token is in
 * nothing the build leaves.
 */
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { gunzipSync } from 'zlib';
import { BuildkitDaemon, BuildResult, expectOk, readOciArchive, StandIns, standIns, stepsNamed, SUITE_ROOT } from '../../harness/buildkit';
import { GitServer } from '../../harness/git-server';
import { edit, ImageProject, imageRequest, isStatic, synthProject } from '../../harness/image-project';
import { RUN_ID, skipNotice, tempDir, writeFiles } from '../../harness/temp';
import { missingTools, runBinary, toolEnv } from '../../harness/tools';

jest.setTimeout(60 * 60 * 1000);

const why = BuildkitDaemon.unavailable() ?? (missingTools([['git', ['--version']], ['cargo', ['--version']]]).length ? 'git or cargo is missing' : undefined);
if (why && process.env.CI) throw new Error(`CI is set, but the git-dependency builds cannot run: ${why}`);
if (why) skipNotice(`git-dependency builds: ${why}`);

/** A library crate whose `name()` says which revision it is. */
function library(name: string, says: string): Record<string, string> {
  return {
    'Cargo.toml': `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n`,
    'src/lib.rs': `pub fn name() -> &'static str {\n    "${says}"\n}\n`,
  };
}

/** The cook's RUN steps, on any platform. */
function cookRuns(r: BuildResult) {
  return stepsNamed(r, /^\[(linux\/[a-z0-9/]+ )?cook \d+\/\d+\] RUN/);
}

/** One daemon for the file's builds, started by the first describe that needs it. */
const daemon = new BuildkitDaemon(SUITE_ROOT);
let started: Promise<void> | undefined;
const startDaemon = (): Promise<void> => (started ??= daemon.start());

(why ? describe.skip : describe)('git dependencies from a git server on loopback: a branch, a tag and a pinned revision', () => {
  let bases: StandIns;
  let server: GitServer;
  let p: ImageProject;
  let cold: BuildResult;
  let rev2: string;
  const archive = join(tempDir('prd-gitdeps-'), 'image.tar');

  beforeAll(async () => {
    bases = standIns();
    server = await GitServer.start();
    server.commit('helper', library('helper', 'helper from main'), 'helper');
    server.commit('tagged', library('tagged', 'tagged at v1.0.0'), 'v1', 'v1.0.0');
    const rev1 = server.commit('pinned', library('pinned', 'pinned at its first revision'), 'one');
    rev2 = server.commit('pinned', library('pinned', 'pinned at its second revision'), 'two');
    const sources = tempDir('prd-gitdeps-src-');
    writeFiles(sources, {
      'Cargo.toml': [
        '[package]', 'name = "git-deps"', 'version = "0.1.0"', 'edition = "2021"', '',
        '[dependencies]',
        `helper = { git = "${server.url('helper')}", branch = "main" }`,
        `tagged = { git = "${server.url('tagged')}", tag = "v1.0.0" }`,
        `pinned = { git = "${server.url('pinned')}", rev = "${rev1}" }`, '',
      ].join('\n'),
      'src/main.rs': 'fn main() {\n    println!("{}; {}; {}", helper::name(), tagged::name(), pinned::name());\n}\n',
    });
    execFileSync('cargo', ['generate-lockfile'], { cwd: sources, env: toolEnv(), stdio: 'pipe' });
    await startDaemon();
    p = synthProject(sources, {});
    cold = daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` }));
  });

  test('the generated Dockerfile keeps git\'s database in a cache mount of the cook', () => {
    expect(p.files[p.image.dockerfilePath]).toContain('--mount=type=cache,target=/usr/local/cargo/git/db,sharing=locked');
  });

  test('both platforms build; each binary is static and prints what each revision says', () => {
    expectOk(cold);
    const images = readOciArchive(archive);
    expect(images.map((i) => i.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    for (const img of images) {
      const bin = join(img.rootfs, 'usr/local/bin/git-deps');
      expect({ platform: img.platform, static: isStatic(bin) }).toEqual({ platform: img.platform, static: true });
      expect({ platform: img.platform, out: runBinary(img.platform, bin, []).trim() })
        .toEqual({ platform: img.platform, out: 'helper from main; tagged at v1.0.0; pinned at its first revision' });
    }
  });

  test('after a source edit, the cook is cached', () => {
    edit(join(p.dir, 'src/main.rs'), (t) => `${t}\n// edited\n`);
    const r = daemon.build(imageRequest(p, bases));
    expectOk(r);
    expect(cookRuns(r).length).toBeGreaterThan(0);
    expect(cookRuns(r).filter((s) => !s.cached).map((s) => s.name)).toEqual([]);
  });

  test('a new pinned revision (Cargo.toml and Cargo.lock, as cargo leaves them) re-cooks, and the binary has its code', () => {
    edit(join(p.dir, 'Cargo.toml'), (t) => t.replace(/rev = "[0-9a-f]+"/, `rev = "${rev2}"`));
    execFileSync('cargo', ['update', '-p', 'pinned'], { cwd: p.dir, env: toolEnv(), stdio: 'pipe' });
    const out = join(tempDir('prd-gitdeps-'), 'image.tar');
    const r = daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${out}` }));
    expectOk(r);
    expect(cookRuns(r).some((s) => !s.cached)).toBe(true);
    for (const img of readOciArchive(out)) {
      expect({ platform: img.platform, out: runBinary(img.platform, join(img.rootfs, 'usr/local/bin/git-deps'), []).trim() })
        .toEqual({ platform: img.platform, out: 'helper from main; tagged at v1.0.0; pinned at its second revision' });
    }
  });
});

/** Every blob of an OCI archive as text (gzip layers unpacked): where a secret must not be. */
function archiveTexts(archive: string): Array<{ blob: string; text: string }> {
  const dir = tempDir('prd-oci-');
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  const blobs = join(dir, 'blobs', 'sha256');
  return readdirSync(blobs).map((b) => {
    const raw = readFileSync(join(blobs, b));
    const data = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    return { blob: b, text: data.toString('latin1') };
  });
}

(why ? describe.skip : describe)('a private git dependency: an HTTP git server that wants a token (privateGit)', () => {
  const token = `prd-token-${RUN_ID}-5f0c`;
  let bases: StandIns;
  let server: GitServer;
  let p: ImageProject;
  let tokenFile: string;
  const archive = join(tempDir('prd-private-git-'), 'image.tar');

  beforeAll(async () => {
    bases = standIns();
    server = await GitServer.start({ http: { user: 'x-access-token', token } });
    server.commit('private', library('private', 'private at its only revision'), 'one');
    const sources = tempDir('prd-private-git-src-');
    writeFiles(sources, {
      'Cargo.toml': ['[package]', 'name = "uses-private"', 'version = "0.1.0"', 'edition = "2021"', '',
        '[dependencies]', `private = { git = "${server.url('private')}" }`, ''].join('\n'),
      'src/main.rs': 'fn main() {\n    println!("{}", private::name());\n}\n',
    });
    // Cargo on this machine reaches it as a developer's would: with the token, through git's credential helper.
    const helper = `!f() { echo username=x-access-token; echo password=${token}; }; f`;
    execFileSync('cargo', ['generate-lockfile'], {
      cwd: sources,
      stdio: 'pipe',
      env: toolEnv({ CARGO_NET_GIT_FETCH_WITH_CLI: 'true', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'credential.helper', GIT_CONFIG_VALUE_0: helper }),
    });
    tokenFile = join(tempDir('prd-secret-'), 'token');
    writeFileSync(tokenFile, token);
    await startDaemon();
    p = synthProject(sources, { privateGit: {} });
  });

  test('without the secret, the planner stops with the library\'s message naming it, and the server saw no credentials', () => {
    const before = server.requests().length;
    const r = daemon.build(imageRequest(p, bases));
    expect(r.ok).toBe(false);
    expect(r.log).toContain('error: the build secret cargo-git-token is missing: the token that reads the private git dependencies');
    expect(r.log).toContain('Fix: in CI, set the repository secret CARGO_GIT_TOKEN; locally, export CARGO_GIT_TOKEN; then build again');
    expect(server.requests().slice(before)).toEqual([]);
  });

  test('with it, both platforms build and run the private code; git asked without credentials first, then with the token', () => {
    const before = server.requests().length;
    const r = daemon.build(imageRequest(p, bases, {
      secrets: { 'cargo-git-token': tokenFile },
      output: `type=oci,dest=${archive}`,
      opts: ['attest:provenance=mode=max'],
    }));
    expectOk(r);
    const images = readOciArchive(archive);
    expect(images.map((i) => i.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    for (const img of images) {
      expect({ platform: img.platform, out: runBinary(img.platform, join(img.rootfs, 'usr/local/bin/uses-private'), []).trim() })
        .toEqual({ platform: img.platform, out: 'private at its only revision' });
    }
    const seen = server.requests().slice(before);
    expect(seen.some((l) => l.startsWith('401 anonymous'))).toBe(true);
    expect(seen.some((l) => /^200 with-credentials POST \/private\/git-upload-pack$/.test(l))).toBe(true);
  });

  test('the token is in no layer, config, manifest or provenance of the image, and in no build argument', () => {
    const texts = archiveTexts(archive);
    expect(texts.some((t) => t.text.includes('https://slsa.dev/provenance'))).toBe(true);
    expect(texts.filter((t) => t.text.includes(token)).map((t) => t.blob)).toEqual([]);
    expect(JSON.stringify(imageRequest(p, bases).buildArgs)).not.toContain(token);
  });
});
