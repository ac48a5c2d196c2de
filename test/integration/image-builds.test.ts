/**
 * Real image builds: a BuildKit daemon of the test's own builds the
 * generated Dockerfiles unchanged, for linux/amd64 and linux/arm64, and
 * exports OCI images. Only the base images are stood in (named contexts):
 * see test/buildkit/make-standins.sh. The builder stage's own instructions
 * (apk through the shim, cargo install, rustup target add, the zig warm-up)
 * run for real.
 */
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { BuildkitDaemon, BuildResult, compiledIn, readOciArchive, StandIns, standIns, stepsNamed } from '../buildkit-harness';
import { edit, elfMachine, imageRequest, ImageProject, isStatic, synthProject } from '../image-project';
import { runBinary } from '../stage-runner';
import { EXAMPLE_OPTIONS, exampleSources, tempDir, writeFiles } from '../util';

jest.setTimeout(60 * 60 * 1000);

const why = BuildkitDaemon.unavailable();
if (why && process.env.CI) throw new Error(`CI is set, but the real-build suite cannot run: ${why}`);
if (why) console.warn(`SKIP real image builds: ${why}`);
const suite = why ? describe.skip : describe;

/** The build steps of one stage, e.g. `cook`, on any platform. */
function stage(result: BuildResult, name: string) {
  // With one platform, BuildKit leaves the platform out of the step names.
  return stepsNamed(result, new RegExp(`^\\[(linux/[a-z0-9/]+ )?${name} \\d+/\\d+\\] RUN`));
}

function expectOk(result: BuildResult) {
  if (!result.ok) throw new Error(`build failed:\n${result.log.slice(-6000)}`);
}

suite('the example, built by a real BuildKit daemon', () => {
  const daemon = new BuildkitDaemon();
  let bases: StandIns;
  let example: ImageProject;
  let cold: BuildResult;
  const archive = join(tempDir('prd-out-'), 'example.tar');

  beforeAll(async () => {
    bases = standIns();
    await daemon.start();
    example = synthProject(exampleSources(), EXAMPLE_OPTIONS);
    cold = daemon.build(imageRequest(example, bases, { output: `type=oci,dest=${archive}` }));
    console.log(`example, cold, linux/amd64 + linux/arm64: ${cold.ms} ms`);
  });
  afterAll(() => daemon.stop());

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
    edit(join(example.dir, 'src/main.rs'), (t) => `${t}\n// edited\n`);
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
    const r = daemon.build(imageRequest(example, bases, { platforms: ['linux/amd64'], buildArgs: { RUST_TARGETS: 'x86_64-unknown-linux-musl' } }));
    expectOk(r);
    const cook = stage(r, 'cook');
    expect(cook).toHaveLength(1);
    expect(cook[0].name).toContain("--target %s ' x86_64-unknown-linux-musl)");
    expect(r.log).not.toMatch(/Compiling .*aarch64/);
  });

  test('the published-builder path: an image built from rust-builder.Dockerfile replaces the builder stage, and no tool compiles', () => {
    const builderArchive = join(tempDir('prd-builder-'), 'builder.tar');
    const b = daemon.build({
      context: example.dir,
      dockerfile: 'rust-builder.Dockerfile',
      platforms: ['linux/amd64'],
      images: { [example.image._resolved.builder.baseImage]: bases.builder },
      output: `type=oci,dest=${builderArchive}`,
    });
    expectOk(b);
    const layout = tempDir('prd-builder-layout-');
    execFileSync('tar', ['-xf', builderArchive, '-C', layout]);
    const digest = JSON.parse(execFileSync('cat', [join(layout, 'index.json')], { encoding: 'utf-8' })).manifests[0].digest;
    // A fresh daemon, so nothing comes from the first build's cache.
    const fresh = new BuildkitDaemon();
    return fresh.start().then(() => {
      try {
        edit(join(example.dir, 'src/main.rs'), (t) => `${t}\n// builder path\n`);
        const r = fresh.build(imageRequest(example, bases, { images: { 'rust-builder': { dir: layout, digest }, [example.image._resolved.binaries[0].runtime.baseImage]: bases.runtime } }));
        expectOk(r);
        expect(r.log).not.toContain('cargo install');
        expect(r.log).not.toContain('rustup target add');
        expect(stage(r, 'cook')).toHaveLength(1);
        console.log(`example with the published builder, cold daemon: ${r.ms} ms`);
      } finally {
        fresh.stop();
        fresh.clean();
      }
    });
  });

  test('a multi-binary image set builds every image from one cook', () => {
    const sources = exampleSources();
    writeFiles(sources, { 'src/bin/worker.rs': 'fn main() { println!("worker"); }\n' });
    const set = synthProject(sources, { binaries: ['hello-service', 'worker'] });
    const out = tempDir('prd-set-');
    for (const b of set.image._resolved.binaries) {
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
