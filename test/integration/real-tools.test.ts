/**
 * Runs the real tools on what the generator writes: the builder stages' own
 * commands with cargo-chef and cargo-zigbuild, and native actionlint with
 * shellcheck. A check whose tool is missing skips with a message naming it.
 */
import { spawnSync } from 'child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { BuildStrategy, CacheBackend, Registry, RustDockerImage, RustDockerImageOptions } from '../../src';
import { outputPath, staticCheckCommand, STAGES } from '../../src/dockerfile/app-dockerfile';
import { Platform } from '../../src/platform';
import { builderToolsMissing, compiledCrates, have, run, StageRunner } from '../stage-runner';
import { EXAMPLE_CRATE, exampleProject, newProject, simpleCrate, synthImage, tempDir, writeFiles } from '../util';

jest.setTimeout(10 * 60 * 1000);

const missingTools = builderToolsMissing();
if (missingTools.length) console.warn(`SKIP builder-stage checks: missing ${missingTools.join(', ')}`);
const actionlintOk = have('actionlint', ['-version']);
if (!actionlintOk) console.warn('SKIP native actionlint checks: actionlint is not installed (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.7)');
if (actionlintOk && !have('shellcheck', ['--version'])) console.warn('NOTE: shellcheck is missing, so actionlint cannot check run: scripts');

/** A copy of the example crate's sources. */
function copyCrate(): string {
  const dir = tempDir('prd-crate-');
  cpSync(EXAMPLE_CRATE, dir, { recursive: true, filter: (src) => !/[\\/]target$/.test(src) });
  return dir;
}

function edit(file: string, change: (text: string) => string) {
  writeFileSync(file, change(readFileSync(file, 'utf-8')));
}

(missingTools.length ? describe.skip : describe)('the builder stages, executed with the real cargo-chef and cargo-zigbuild', () => {
  const image = new RustDockerImage(exampleProject(), {});
  const sources = copyCrate();
  const runner = new StageRunner(image._model, image._resolved.platforms, sources);
  if (runner.substitutionNote) console.log(runner.substitutionNote);
  const binary = outputPath(Platform.LINUX_AMD64, 'hello-service');
  let cookMs = 0;
  let buildOut = '';

  test('prepare, cook and build succeed; the binary is where the runtime stage copies it from', () => {
    cookMs = runner.cook().ms;
    const build = runner.build();
    buildOut = build.out;
    expect(existsSync(join(runner.workdir, binary))).toBe(true);
    expect(JSON.stringify(image._model)).toContain(`/app/${outputPath('${TARGETPLATFORM}', 'hello-service')}`);
    console.log(`cook: ${cookMs} ms, first build: ${build.ms} ms, binary at ${binary}`);
  });

  test('after the cook, the build compiles zero dependency crates', () => {
    const compiled = compiledCrates(buildOut);
    console.log(`Compiling lines in the build step: ${compiled.length} (${compiled.join(', ')})`);
    expect(compiled).toEqual(['hello-service']);
  });

  test('after a source edit only the workspace crate recompiles (timings printed)', () => {
    edit(join(sources, 'src/main.rs'), (t) => `${t}\n// edited\n`);
    const again = runner.build();
    console.log(`incremental build after a source edit: ${again.ms} ms (cook ${cookMs} ms)`);
    expect(compiledCrates(again.out)).toEqual(['hello-service']);
  });

  test('a version bump and a source edit leave recipe.json byte-identical; a dependency change does not', () => {
    const original = readFileSync(runner.prepare(copyCrate()), 'utf-8');
    const bumped = copyCrate();
    edit(join(bumped, 'Cargo.toml'), (t) => t.replace('version = "0.1.0"', 'version = "0.2.0"'));
    edit(join(bumped, 'src/main.rs'), (t) => `${t}\n// edit\n`);
    expect(readFileSync(runner.prepare(bumped), 'utf-8')).toBe(original);
    const changed = copyCrate();
    edit(join(changed, 'Cargo.toml'), (t) => t.replace('smallvec = "1"', 'smallvec = { version = "1", features = ["union"] }'));
    expect(readFileSync(runner.prepare(changed), 'utf-8')).not.toBe(original);
    console.log('recipe.json: unchanged by version bump + source edit; changed by a dependency feature change');
  });

  test('the static-binary check accepts the built binary and rejects a dynamically linked one', () => {
    if (runner.stand.includes('gnu')) {
      console.warn('SKIP static acceptance: the stand-in target is glibc, which is not static');
    } else {
      expect(() => run(staticCheckCommand([binary]), runner.workdir)).not.toThrow();
    }
    expect(() => run(staticCheckCommand(['/bin/ls']), runner.workdir)).toThrow(/not statically linked/);
  });
});

(missingTools.length ? describe.skip : describe)('two binaries from one cook, executed for real', () => {
  test('one cook, one compile, both binaries at their runtime paths', () => {
    const sources = copyCrate();
    writeFiles(sources, { 'src/bin/worker.rs': 'fn main() { println!("worker"); }\n' });
    const project = newProject({}, tempDir());
    cpSync(sources, project.outdir, { recursive: true });
    const image = new RustDockerImage(project, { binaries: ['hello-service', 'worker'] });
    const runner = new StageRunner(image._model, image._resolved.platforms, sources);
    expect(runner.scripts(STAGES.cook).filter((x) => x.includes('cargo chef cook'))).toHaveLength(1);
    runner.cook();
    const build = runner.build();
    console.log(`two binaries: 1 cook, Compiling lines in the build step: ${compiledCrates(build.out).join(', ')}`);
    expect(compiledCrates(build.out)).toEqual(['hello-service']);
    for (const bin of ['hello-service', 'worker']) expect(existsSync(join(runner.workdir, outputPath(Platform.LINUX_AMD64, bin)))).toBe(true);
  });
});

(actionlintOk ? describe : describe.skip)('native actionlint with shellcheck', () => {
  const variants: Array<[string, RustDockerImageOptions]> = [
    ['cross-compile ghcr', { ci: { smokeTestArgs: ['--version'] } }],
    ['native runners', { ci: { strategy: BuildStrategy.NATIVE_RUNNERS, smokeTestArgs: ['--version'] } }],
    ['docker hub registry cache', { ci: { registry: Registry.dockerHub({ namespace: 'acme' }), cache: CacheBackend.REGISTRY } }],
    ['ecr', { ci: { registry: Registry.ecr({ accountId: '123456789012', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/gha' }) } }],
    ['image set', { binary: undefined, binaries: ['app', 'tool'], ci: { strategy: BuildStrategy.NATIVE_RUNNERS } }],
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
    const r = spawnSync('actionlint', ['-no-color', ...files], { encoding: 'utf-8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  test('a planted fault is caught', () => {
    const f = join(tempDir('prd-wf-'), 'bad.yml');
    writeFileSync(f, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo $UNQUOTED_${{ github.event.pull_request.title }}\n');
    const r = spawnSync('actionlint', ['-no-color', f], { encoding: 'utf-8' });
    expect(r.status).not.toBe(0);
  });
});
