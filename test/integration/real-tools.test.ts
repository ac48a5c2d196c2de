/**
 * Runs the real tools on what the generator writes: the builder stages' own
 * commands with cargo-chef, cargo-zigbuild and zig for every generated
 * target, the binaries themselves (amd64 here, arm64 under
 * qemu-aarch64-static), and native actionlint with shellcheck. A check whose
 * tool is missing skips with a message naming it; under CI it fails.
 */
import { spawnSync } from 'child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { exampleProject, exampleSources, newProject, simpleCrate, synthImage } from '../../harness/projects';
import { StageRunner } from '../../harness/stage-runner';
import { skipNotice, tempDir, writeFiles } from '../../harness/temp';
import { compiledCrates, installedTargets, missingTools, run, runBinary, toolEnv } from '../../harness/tools';
import { BuildStrategy, CacheBackend, Registry, RustDockerImage, RustDockerImageOptions } from '../../src';
import { imageInternals } from '../../src/private/components/internals';
import { checkLines, staticCheckLines } from '../../src/private/dockerfile/build-script';

jest.setTimeout(20 * 60 * 1000);

const builderMissing = missingTools([['cargo'], ['cargo', ['chef', '--version']], ['cargo-zigbuild'], ['zig', ['version']], ['readelf'], ['qemu-aarch64-static']]);
const targetsMissing = ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'].filter((t) => !installedTargets().includes(t));
const missing = [...builderMissing, ...targetsMissing.map((t) => `rust target ${t}`)];
if (missing.length) skipNotice(`builder-stage checks: missing ${missing.join(', ')}`);
const actionlintMissing = missingTools([['actionlint', ['-version']], ['shellcheck']]);
if (actionlintMissing.length) skipNotice(`native actionlint checks: missing ${actionlintMissing.join(', ')}`);

/** The build stage's static check of one binary, as it runs there (for target `t`). */
function staticCheck(file: string): string {
  return ['set -eu', 't=x86_64-unknown-linux-musl', `f=${file}`, ...staticCheckLines()].join('\n');
}

function edit(file: string, change: (text: string) => string) {
  writeFileSync(file, change(readFileSync(file, 'utf-8')));
}

(missing.length ? describe.skip : describe)('the builder stages, executed with the real cargo-chef, cargo-zigbuild and zig', () => {
  const image = new RustDockerImage(exampleProject(), {});
  const sources = exampleSources();
  const runner = new StageRunner(imageInternals(image).model, sources);
  let buildOut = '';

  test('prepare, cook and build succeed for every generated target', () => {
    const cook = runner.cook();
    const build = runner.build();
    buildOut = build.out;
    console.log(`cook: ${cook.ms} ms, first build: ${build.ms} ms`);
    // Each platform's binary is where cargo left it for the platform's target, as its binaries stage copies it.
    for (const t of imageInternals(image).resolved.targets) expect(runner.binary(t.platform, 'hello-service')).toContain(`/target/${t.rustTarget}/release/`);
  });

  test('each binary is static and runs: amd64 here, arm64 under qemu-aarch64-static', () => {
    for (const p of imageInternals(image).resolved.platforms) {
      const bin = runner.binary(p, 'hello-service');
      expect(() => run(staticCheck(bin), runner.workdir)).not.toThrow();
      expect(runBinary(p, bin, ['--version']).trim()).toBe('hello-service 0.1.0');
    }
  });

  test('after the cook, the build compiles only the workspace crate, for both targets', () => {
    expect(compiledCrates(buildOut)).toEqual(['hello-service']);
  });

  test('after a source edit only the workspace crate recompiles', () => {
    edit(join(sources, 'src/main.rs'), (t) => `${t}\n// edited\n`);
    expect(compiledCrates(runner.build().out)).toEqual(['hello-service']);
  });

  test('a version bump and a source edit leave recipe.json byte-identical; a dependency change does not', () => {
    const original = readFileSync(runner.prepare(exampleSources()), 'utf-8');
    const bumped = exampleSources();
    edit(join(bumped, 'Cargo.toml'), (t) => t.replace('version = "0.1.0"', 'version = "0.2.0"'));
    edit(join(bumped, 'src/main.rs'), (t) => `${t}\n// edit\n`);
    expect(readFileSync(runner.prepare(bumped), 'utf-8')).toBe(original);
    const changed = exampleSources();
    edit(join(changed, 'Cargo.toml'), (t) => t.replace('smallvec = "1"', 'smallvec = { version = "1", features = ["union"] }'));
    expect(readFileSync(runner.prepare(changed), 'utf-8')).not.toBe(original);
  });

  test('the static-binary check rejects a dynamically linked binary, naming the target, the path and the libraries it needs', () => {
    expect(() => run(staticCheck('/bin/ls'), runner.workdir))
      .toThrow(/error: x86_64-unknown-linux-musl: \/bin\/ls is not static, it needs: .*libc\.so\.6/);
  });

  test('the build stage\'s check, as it runs there: every target\'s binary checked where cargo left it; a missing, non-ELF or dynamic one named', () => {
    const resolved = imageInternals(image).resolved;
    const collect = (files: Record<string, string>) => {
      const dir = tempDir('prd-collect-');
      for (const [rel, from] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        copyFileSync(from, join(dir, rel));
      }
      return run(['set -eu', ...checkLines(resolved)].join('\n'), dir, { RUST_TARGETS: 'x86_64-unknown-linux-musl aarch64-unknown-linux-musl' }).out;
    };
    const amd64 = runner.binary('linux/amd64', 'hello-service');
    const arm64 = runner.binary('linux/arm64', 'hello-service');
    const layout = (a: string, b: string) => ({ 'target/x86_64-unknown-linux-musl/release/hello-service': a, 'target/aarch64-unknown-linux-musl/release/hello-service': b });
    expect(() => collect(layout(amd64, arm64))).not.toThrow();
    expect(() => collect({ 'target/x86_64-unknown-linux-musl/release/hello-service': amd64 }))
      .toThrow(/error: aarch64-unknown-linux-musl: no ELF binary at target\/aarch64-unknown-linux-musl\/release\/hello-service/);
    expect(() => collect(layout(amd64, join(exampleSources(), 'Cargo.toml'))))
      .toThrow(/error: aarch64-unknown-linux-musl: no ELF binary at target\/aarch64-unknown-linux-musl\/release\/hello-service/);
    expect(() => collect(layout('/bin/ls', arm64))).toThrow(/error: x86_64-unknown-linux-musl: .* is not static, it needs: .*libc\.so\.6/);
  });

  test('two binaries from one cook and one compile', () => {
    const two = exampleSources();
    writeFiles(two, { 'src/bin/worker.rs': 'fn main() { println!("worker"); }\n' });
    const project = newProject({}, tempDir());
    writeFiles(project.outdir, Object.fromEntries(['Cargo.toml', 'Cargo.lock', 'src/main.rs', 'src/bin/worker.rs'].map((f) => [f, readFileSync(join(two, f), 'utf-8')])));
    const set = new RustDockerImage(project, { binaries: ['hello-service', 'worker'] });
    const r = new StageRunner(imageInternals(set).model, two);
    expect(r.scripts('cook').filter((x) => x.includes('cargo chef cook'))).toHaveLength(1);
    r.cook();
    expect(compiledCrates(r.build().out)).toEqual(['hello-service']);
    for (const p of imageInternals(set).resolved.platforms) expect(runBinary(p, r.binary(p, 'worker'), []).trim()).toBe('worker');
  });
});

(actionlintMissing.length ? describe.skip : describe)('native actionlint with shellcheck', () => {
  const variants: Array<[string, RustDockerImageOptions]> = [
    ['cross-compile ghcr', { ci: { smokeTestArgs: ['--version'] } }],
    ['native runners', { ci: { strategy: BuildStrategy.NATIVE_RUNNERS, smokeTestArgs: ['--version'] } }],
    ['docker hub registry cache', { ci: { registry: Registry.dockerHub({ repositoryPrefix: 'acme' }), cache: CacheBackend.REGISTRY, cacheOnPullRequests: false } }],
    ['ecr', { ci: { registry: Registry.ecr({ accountId: '123456789012', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/gha' }) } }],
    ['image set', { binary: undefined, binaries: ['app', 'tool'], ci: { strategy: BuildStrategy.NATIVE_RUNNERS } }],
    ['debug symbols', { debugSymbols: true }],
  ];
  test.each(variants)('%s: zero findings', (_name, options) => {
    const out = synthImage(simpleCrate('app', { 'src/bin/tool.rs': 'fn main() {}\n' }), { binary: 'app', ...options }).files;
    const dir = tempDir('prd-wf-');
    const files: string[] = [];
    for (const [path, content] of Object.entries(out)) {
      if (!path.startsWith('.github/workflows/')) continue;
      const target = join(dir, path.split('/').pop()!);
      writeFileSync(target, String(content));
      files.push(target);
    }
    const r = spawnSync('actionlint', ['-no-color', ...files], { encoding: 'utf-8', env: toolEnv() });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  test('a planted fault is caught', () => {
    const f = join(tempDir('prd-wf-'), 'bad.yml');
    writeFileSync(f, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo $UNQUOTED_${{ github.event.pull_request.title }}\n');
    const r = spawnSync('actionlint', ['-no-color', f], { encoding: 'utf-8', env: toolEnv() });
    expect(r.status).not.toBe(0);
  });
});
