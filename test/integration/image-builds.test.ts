/**
 * Real image builds: a BuildKit daemon of the test's own builds the
 * generated Dockerfiles unchanged, for linux/amd64 and linux/arm64, and
 * exports OCI images. Only the base images are stood in (named contexts):
 * see test/buildkit/make-standins.sh. The builder stage's own instructions
 * (apk through the shim, cargo install, rustup target add, the zig warm-up)
 * run for real.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { BuildkitDaemon, SUITE_ROOT, BuildResult, compiledIn, expectOk, manifestDigests, OciLayout, readOciArchive, StandIns, standIns, stepsNamed } from '../../harness/buildkit';
import { builderImage as projectBuilderImage, edit, elfMachine, imageRequest, ImageProject, isStatic, sections, suiteBuilderSource, synthProject, withPublishedBuilder } from '../../harness/image-project';
import { EXAMPLE_OPTIONS, exampleSources } from '../../harness/projects';
import { RUN_ID, skipNotice, tempDir, writeFiles } from '../../harness/temp';
import { runBinary, toolEnv } from '../../harness/tools';
import { fullMatrix, WORKSPACES } from '../../harness/workspace-cases';
import { DockerfileStage, DockerInstruction, Libc } from '../../src';
import { imageInternals } from '../../src/private/components/internals';
import { glibcFloorCheckLines } from '../../src/private/dockerfile/build-script';

jest.setTimeout(60 * 60 * 1000);

const why = BuildkitDaemon.unavailable();
if (why && process.env.CI) throw new Error(`CI is set, but the real-build suite cannot run: ${why}`);
if (why) skipNotice(`real image builds: ${why}`);
const suite = why ? describe.skip : describe;

/** The build steps of one stage, e.g. `cook`, on any platform. */
function stage(result: BuildResult, name: string) {
  // With one platform, BuildKit leaves the platform out of the step names.
  return stepsNamed(result, new RegExp(`^\\[(linux/[a-z0-9/]+ )?${name} \\d+/\\d+\\] RUN`));
}

const builders = new Map<string, OciLayout>();

/** The builder image of a project, as an OCI layout, built once (from the suite's builder source). */
function builderImage(p: ImageProject): OciLayout {
  const key = `${suiteBuilderSource()}${p.files['rust-builder.Dockerfile']}`;
  if (!builders.has(key)) builders.set(key, projectBuilderImage(daemon, p, bases, suiteBuilderSource()).layout);
  return builders.get(key)!;
}

/** One daemon for the whole file: the builder stage's layers are shared by every build. */
const daemon = new BuildkitDaemon(SUITE_ROOT);
let bases: StandIns;
if (!why) {
  beforeAll(async () => {
    bases = standIns();
    await daemon.start();
  });
}

suite('the example, built by a real BuildKit daemon', () => {
  let example: ImageProject;
  let cold: BuildResult;
  const archive = join(tempDir('prd-out-'), 'example.tar');

  beforeAll(() => {
    example = synthProject(exampleSources(), EXAMPLE_OPTIONS);
    cold = daemon.build(imageRequest(example, bases, { output: `type=oci,dest=${archive}` }));
    console.log(`example, first build in this suite, linux/amd64 + linux/arm64: ${cold.ms} ms`);
  });

  test('builds for linux/amd64 and linux/arm64; planner, cook and build run once, on the build platform', () => {
    expectOk(cold);
    for (const name of ['planner', 'cook', 'build']) {
      expect(stage(cold, name).map((s) => s.name.split(' ')[0])).toEqual(['[linux/amd64']);
    }
    expect(stage(cold, 'rust-builder').length).toBeGreaterThan(0);
    // The runtime stages, one per platform, have no RUN: nothing ran emulated.
    expect(stepsNamed(cold, /^\[linux\/arm64 /).every((s) => !/ RUN /.test(s.name))).toBe(true);
  });

  test('each image holds a static binary of its architecture, and it runs', () => {
    const images = readOciArchive(archive);
    expect(images.map((i) => i.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    for (const img of images) {
      const bin = join(img.rootfs, 'usr/local/bin/hello-service');
      expect({ platform: img.platform, static: isStatic(bin) }).toEqual({ platform: img.platform, static: true });
      expect(elfMachine(bin)).toBe(img.platform === 'linux/amd64' ? 'Advanced Micro Devices X86-64' : 'AArch64');
      expect(runBinary(img.platform, bin, ['--version']).trim()).toBe('hello-service 0.1.0');
      expect(runBinary(img.platform, bin, ['a', 'b']).trim()).toBe('hello from hello-service: 2 word(s)');
    }
  });

  test('each platform\'s smoke test runs as the workflow runs it: its docker run arguments on the image\'s entrypoint, arm64 under QEMU', () => {
    const wf = parseYaml(example.files['.github/workflows/docker-hello-service.yml']);
    const steps = wf.jobs.build.steps as Array<{ id: string; run?: string }>;
    const images = readOciArchive(archive);
    expect(images.length).toBe(2);
    for (const img of images) {
      const arch = img.platform.split('/')[1];
      const run = steps.find((s) => s.id === `smoke-run-hello-service-${arch}`)!.run!;
      // `docker run --rm --platform <p> <tag> <args>`: the arguments after the tag, as sh splits them.
      const m = /^docker run --rm --platform (\S+) (\S+)(.*)$/.exec(run)!;
      expect(m[1]).toBe(img.platform);
      const args = execFileSync('sh', ['-c', `printf '%s\\n' ${m[3]}`], { encoding: 'utf-8' }).split('\n').filter(Boolean);
      expect(args).toEqual(['--version']);
      // What docker run executes: the entrypoint with the arguments in place of the CMD, in the image's root.
      const argv = [...img.config.Entrypoint!, ...args];
      expect(runBinary(img.platform, join(img.rootfs, argv[0]), argv.slice(1), img.rootfs).trim()).toBe('hello-service 0.1.0');
    }
  });

  test('the image config: numeric non-root user, exec-form entrypoint, labels, ports, env', () => {
    for (const img of readOciArchive(archive)) {
      expect(img.config.User).toBe('65532:65532');
      expect(img.config.Entrypoint).toEqual(['/usr/local/bin/hello-service']);
      expect(img.config.ExposedPorts).toEqual({ '8080/tcp': {} });
      expect(img.config.Env).toContain('RUST_LOG=info');
      expect(img.config.Labels).toEqual(expect.objectContaining({
        'org.opencontainers.image.title': 'hello-service',
        'org.opencontainers.image.description': 'A tiny service used as the projen-rust-docker example',
        'org.opencontainers.image.licenses': 'Apache-2.0',
        'org.opencontainers.image.version': '0.1.0',
      }));
    }
  });

  test('after a source edit, the cook is cached and only the workspace crate compiles', () => {
    edit(join(example.dir, 'src/main.rs'), (t) => `${t}\n// edited, run ${RUN_ID}\n`);
    const r = daemon.build(imageRequest(example, bases));
    expectOk(r);
    console.log(`example, after a source edit: ${r.ms} ms`);
    expect(stage(r, 'cook').every((s) => s.cached)).toBe(true);
    expect(stage(r, 'build').flatMap(compiledIn)).toEqual(['hello-service']);
  });

  test('after a version bump with its Cargo.lock, the cook is cached', () => {
    edit(join(example.dir, 'Cargo.toml'), (t) => t.replace('version = "0.1.0"', 'version = "0.1.1"'));
    edit(join(example.dir, 'Cargo.lock'), (t) => t.replace(/(name = "hello-service"\nversion = )"0\.1\.0"/, '$1"0.1.1"'));
    const r = daemon.build(imageRequest(example, bases));
    expectOk(r);
    expect(stage(r, 'cook').every((s) => s.cached)).toBe(true);
    expect(stage(r, 'build').flatMap(compiledIn)).toEqual(['hello-service']);
  });

  test('a local build for the host compiles only the host\'s target (RUST_TARGETS)', () => {
    // A manifest key of this run's own: the cook runs (and says its targets), even on a kept BuildKit root.
    edit(join(example.dir, 'Cargo.toml'), (t) => `${t}\n[package.metadata.test-run]\nid = "${RUN_ID}"\n`);
    const r = daemon.build(imageRequest(example, bases, { platforms: ['linux/amd64'], buildArgs: { RUST_TARGETS: 'x86_64-unknown-linux-musl' } }));
    expectOk(r);
    const cook = stage(r, 'cook');
    expect(cook).toHaveLength(1);
    // The cook and the build say which targets they compile: the host's alone.
    for (const step of [...cook, ...stage(r, 'build')]) {
      expect(step.output.filter((l) => l.startsWith('targets: '))).toEqual(['targets: x86_64-unknown-linux-musl']);
    }
    expect(r.log).not.toMatch(/target\/aarch64-unknown-linux-musl/);
  });

  /** A cold build with a builder image, on a daemon of its own, as CI builds: SOURCE_DATE_EPOCH from the commit, timestamps rewritten. */
  async function coldBuildWithBuilder(): Promise<{ r: BuildResult; digests: Record<string, string> }> {
    const fresh = new BuildkitDaemon();
    await fresh.start();
    try {
      const out = join(tempDir('prd-repro-'), 'image.tar');
      const r = fresh.build(withPublishedBuilder(imageRequest(example, bases, {
        output: `type=oci,dest=${out},rewrite-timestamp=true`, buildArgs: { SOURCE_DATE_EPOCH: '1767225600' },
      }), builderImage(example)));
      expectOk(r);
      return { r, digests: manifestDigests(out) };
    } finally {
      fresh.stop();
      fresh.clean();
    }
  }
  const coldDigests: Array<Record<string, string>> = [];

  test(`the published-builder path: a builder image${fullMatrix() ? ' built from rust-builder.Dockerfile' : ''} replaces the builder stage, and no tool compiles`, async () => {
    // A fresh daemon, so nothing comes from the first build's cache.
    const { r, digests } = await coldBuildWithBuilder();
    coldDigests.push(digests);
    expect(r.log).not.toContain('cargo install');
    expect(r.log).not.toContain('rustup target add');
    expect(stage(r, 'cook')).toHaveLength(1);
    console.log(`example with the published builder, cold daemon: ${r.ms} ms`);
  });

  test('reproducible digests: two cold builds of the same commit, each with its own daemon, give the same image manifests', async () => {
    // The published-builder path's build is the first; a second daemon builds again.
    const digests = [coldDigests[0] ?? (await coldBuildWithBuilder()).digests, (await coldBuildWithBuilder()).digests];
    console.log(`reproducible digests: ${JSON.stringify(digests)}`);
    expect(Object.keys(digests[0]).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(digests[1]).toEqual(digests[0]);
  });

  test('a multi-binary image set builds every image from one cook', () => {
    const sources = exampleSources();
    writeFiles(sources, { 'src/bin/worker.rs': 'fn main() { println!("worker"); }\n' });
    const set = synthProject(sources, { binaries: ['hello-service', 'worker'] });
    const out = tempDir('prd-set-');
    for (const b of imageInternals(set.image).resolved.binaries) {
      const r = daemon.build(imageRequest(set, bases, { target: b.stage, output: `type=oci,dest=${join(out, `${b.slug}.tar`)}` }));
      expectOk(r);
      for (const img of readOciArchive(join(out, `${b.slug}.tar`))) {
        expect(existsSync(join(img.rootfs, 'usr/local/bin', b.name))).toBe(true);
      }
    }
    // The second image reused the first one's cook and build: one cook for the set.
    const second = daemon.build(imageRequest(set, bases, { target: 'runtime-worker' }));
    expect(stage(second, 'cook').every((s) => s.cached)).toBe(true);
    expect(stage(second, 'build').every((s) => s.cached)).toBe(true);
  });
});

suite('the Dockerfile\'s escape hatch, built for real', () => {
  test('instructions added to the build and runtime stages reach the image; the cook stays the example\'s', () => {
    const p = synthProject(exampleSources(), EXAMPLE_OPTIONS, (image) => {
      image.addInstructions(DockerfileStage.BUILD, DockerInstruction.run('mkdir -p /app/extra', 'echo "made in the build stage" > /app/extra/greeting.txt'));
      image.addInstructions(DockerfileStage.RUNTIME,
        DockerInstruction.copy('/app/extra/greeting.txt', '/etc/greeting.txt', { from: 'build', chmod: '0644' }),
        DockerInstruction.env('GREETING_FILE', '/etc/greeting.txt'),
        DockerInstruction.label('org.example.team', 'platform'));
    });
    const archive = join(tempDir('prd-hatch-'), 'image.tar');
    const r = daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` }));
    expectOk(r);
    for (const img of readOciArchive(archive)) {
      expect(readFileSync(join(img.rootfs, 'etc/greeting.txt'), 'utf-8')).toBe('made in the build stage\n');
      expect(img.config.Env).toContain('GREETING_FILE=/etc/greeting.txt');
      expect(img.config.Labels?.['org.example.team']).toBe('platform');
      expect(runBinary(img.platform, join(img.rootfs, 'usr/local/bin/hello-service'), ['--version']).trim()).toBe('hello-service 0.1.0');
    }
  });
});

suite('production images: SBOM crates, split debug symbols, a shell-free healthcheck', () => {
  let p: ImageProject;
  const archive = join(tempDir('prd-out-'), 'features.tar');
  const symbols = tempDir('prd-symbols-');

  beforeAll(() => {
    p = synthProject(exampleSources(), {
      debugSymbols: true,
      runtime: { healthcheck: { args: ['--version'], intervalSeconds: 15, timeoutSeconds: 3, startPeriodSeconds: 5, retries: 2 } },
    });
    expectOk(daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` })));
    // Both platforms' debug files, each in a folder of its platform (linux_amd64, linux_arm64), as CI exports them.
    expectOk(daemon.build(imageRequest(p, bases, { target: 'debug-symbols', output: `type=local,dest=${symbols}` })));
  });

  test('syft lists every crate of Cargo.lock, with its version, in both architectures\' binaries (cargo-auditable)', () => {
    const lock = readFileSync(join(p.dir, 'Cargo.lock'), 'utf-8');
    const expected = [...lock.matchAll(/name = "([^"]+)"\nversion = "([^"]+)"/g)].map((m) => `${m[1]}@${m[2]}`).sort();
    expect(expected.map((c) => c.split('@')[0])).toEqual(['hello-service', 'itoa', 'memchr', 'smallvec']);
    for (const img of readOciArchive(archive)) {
      const sbom = JSON.parse(execFileSync('syft', [`dir:${join(img.rootfs, 'usr/local/bin')}`, '-o', 'syft-json', '-q'], { encoding: 'utf-8', env: toolEnv(), maxBuffer: 64 * 1024 * 1024 }));
      const crates = (sbom.artifacts as Array<{ name: string; version: string; type: string }>).filter((a) => a.type === 'rust-crate').map((a) => `${a.name}@${a.version}`);
      expect({ platform: img.platform, crates: [...new Set(crates)].sort() }).toEqual({ platform: img.platform, crates: expected });
    }
  });

  test('cargo audit bin reads the embedded dependency list', () => {
    const img = readOciArchive(archive).find((i) => i.platform === 'linux/amd64')!;
    const db = emptyAdvisoryDb();
    const r = spawnSync('cargo', ['audit', '--db', db, '--no-fetch', '--stale', 'bin', join(img.rootfs, 'usr/local/bin/hello-service')], { encoding: 'utf-8', env: toolEnv() });
    expect(`${r.stdout}${r.stderr}`).toMatch(/Found 'cargo auditable' data in .*hello-service \(4 dependencies\)/);
    expect(r.status).toBe(0);
  });

  test('the image ships stripped binaries; the debug files, tied by GNU debuglink, resolve their symbols', () => {
    for (const img of readOciArchive(archive)) {
      const bin = join(img.rootfs, 'usr/local/bin/hello-service');
      // No DWARF left (.debug_gdb_scripts is a loaded section with the pretty-printer hint, not debug information).
      const dwarf = sections(bin).filter((s) => s.startsWith('.debug_') && s !== '.debug_gdb_scripts');
      expect({ platform: img.platform, dwarf }).toEqual({ platform: img.platform, dwarf: [] });
      expect(sections(bin)).toContain('.dep-v0');
      expect(runBinary(img.platform, bin, ['--version']).trim()).toBe('hello-service 0.1.0');
      const link = execFileSync('readelf', ['--string-dump=.gnu_debuglink', bin], { encoding: 'utf-8' });
      expect(link).toContain('hello-service.debug');
      const dbg = join(symbols, img.platform.replace('/', '_'), 'hello-service.debug');
      expect(sections(dbg)).toEqual(expect.arrayContaining(['.debug_info', '.debug_line']));
    }
    // addr2line on the amd64 pair: main's address in the debug file resolves to its source line.
    const dbg = join(symbols, 'linux_amd64', 'hello-service.debug');
    const nm = execFileSync('nm', ['-C', dbg], { encoding: 'utf-8' }).split('\n').find((l) => / hello_service::main$/.test(l))!;
    const resolved = execFileSync('addr2line', ['-f', '-C', '-e', dbg, nm.split(' ')[0]], { encoding: 'utf-8' });
    expect(resolved).toMatch(/hello_service::main\n.*src\/main\.rs:\d+/);
  });

  test('the healthcheck runs the binary\'s own probe in exec form, with the typed settings', () => {
    for (const img of readOciArchive(archive)) {
      expect(img.config.Healthcheck).toEqual({
        Test: ['CMD', '/usr/local/bin/hello-service', '--version'], Interval: 15e9, Timeout: 3e9, StartPeriod: 5e9, Retries: 2,
      });
      expect(runBinary(img.platform, join(img.rootfs, 'usr/local/bin/hello-service'), ['--version']).trim()).toBe('hello-service 0.1.0');
    }
  });
});

suite('glibc targets with a floor, on a workspace with a library member and a C dependency', () => {
  test('both platforms build through cook and build (cargo-chef #367 handled); no symbol needs a glibc newer than 2.28; the binaries run', () => {
    const p = synthProject(join(WORKSPACES, 'w-lib-member'), { imageName: 'glibc', libc: Libc.glibc('2.28') });
    // This run's mark in the library member: both members compile, even on a kept BuildKit root.
    edit(join(p.dir, 'core/src/lib.rs'), (t) => `${t}\n// run ${RUN_ID}\n`);
    const archive = join(tempDir('prd-glibc-'), 'glibc.tar');
    const r = daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` }));
    expectOk(r);
    expect(stage(r, 'build').flatMap(compiledIn).sort()).toEqual(['app', 'app-core']);
    for (const img of readOciArchive(archive)) {
      const bin = join(img.rootfs, 'usr/local/bin/app');
      const needs = execFileSync('readelf', ['-VW', bin], { encoding: 'utf-8' }).match(/GLIBC_[0-9.]+/g)!.map((v) => v.slice(6));
      const newest = needs.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).pop();
      expect({ platform: img.platform, ok: newest!.localeCompare('2.28', undefined, { numeric: true }) <= 0 }).toEqual({ platform: img.platform, ok: true });
      // The image's own root holds the glibc it runs with (distroless cc, or its stand-in).
      expect(runBinary(img.platform, bin, [], img.rootfs).trim()).toBe('app 23 -> 21 bytes');
    }
  });

  test('the floor check rejects a binary that needs a newer glibc', () => {
    const check = ['set -eu', 't=x86_64-unknown-linux-gnu.2.17', 'f=/bin/ls', ...glibcFloorCheckLines('2.17')].join('\n');
    expect(() => execFileSync('sh', ['-c', check], { stdio: 'pipe' })).toThrow(/\/bin\/ls needs glibc 2\.\d+, newer than the floor 2\.17/);
  });
});

/** An empty RustSec advisory database (a git repository with no advisories), so cargo audit runs offline. */
function emptyAdvisoryDb(): string {
  const db = tempDir('prd-advisory-db-');
  const git = (...args: string[]) => execFileSync('git', ['-C', db, ...args], { stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  writeFiles(db, { 'crates/.keep': '', 'README.md': 'empty advisory database for offline tests\n' });
  git('add', '.');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'empty');
  return db;
}
