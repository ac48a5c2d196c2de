/**
 * Runs the real tools on what the generator writes: the builder stages'
 * own commands with cargo-chef and cargo-zigbuild, and native actionlint with
 * shellcheck. A check whose tool is missing skips with a message naming it.
 */
import { execFileSync, spawnSync } from 'child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { BuildStrategy, CacheBackend, Registry, RustDockerImage, RustDockerImageOptions } from '../../src';
import { outputPath, staticCheckCommand, STAGES } from '../../src/dockerfile/app-dockerfile';
import { runScripts, stageNamed } from '../../src/dockerfile/model';
import { rustTargetOf, Platform } from '../../src/platform';
import { EXAMPLE_CRATE, exampleProject, newProject, simpleCrate, synthImage, tempDir, writeFiles } from '../util';

function have(cmd: string, args = ['--version']): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

const cargoOk = have('cargo');
const chefOk = cargoOk && have('cargo', ['chef', '--version']);
const zigbuildOk = cargoOk && have('cargo-zigbuild', ['--version']);
const readelfOk = have('readelf', ['--version']);
const toolsOk = chefOk && zigbuildOk && readelfOk;
if (!toolsOk) {
  const missing = [!cargoOk && 'cargo', !chefOk && 'cargo-chef', !zigbuildOk && 'cargo-zigbuild (pip install cargo-zigbuild ziglang)', !readelfOk && 'readelf'].filter(Boolean);
  console.warn(`SKIP builder-stage checks: missing ${missing.join(', ')}`);
}
const actionlintOk = have('actionlint', ['-version']);
if (!actionlintOk) console.warn('SKIP native actionlint checks: actionlint is not installed (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.7)');
const shellcheckOk = have('shellcheck', ['--version']);
if (actionlintOk && !shellcheckOk) console.warn('NOTE: shellcheck is missing, so actionlint cannot check run: scripts');
console.log(`tools: cargo-chef=${chefOk} cargo-zigbuild=${zigbuildOk} readelf=${readelfOk} actionlint=${actionlintOk} shellcheck=${shellcheckOk}`);

function installedTargets(): string[] {
  if (!have('rustup')) return [];
  return execFileSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf-8' }).split('\n').filter(Boolean);
}

function hostTriple(): string {
  return /host: (\S+)/.exec(execFileSync('rustc', ['-vV'], { encoding: 'utf-8' }))![1];
}

/** Replaces targets that are not installed by one that is, and drops the resulting duplicate --target flags. */
function substituteTargets(script: string, missing: string[], stand: string): string {
  let s = script;
  for (const t of missing) s = s.split(t).join(stand);
  const seen = new Set<string>();
  return s.replace(/ --target (\S+)/g, (m, t) => (seen.has(t) ? '' : (seen.add(t), m)));
}

function run(script: string, cwd: string): { out: string; ms: number } {
  const start = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, CARGO_TERM_COLOR: 'never' };
  delete env.CARGO_TARGET_DIR;
  delete env.RUSTFLAGS;
  const r = spawnSync('sh', ['-c', script], { cwd, encoding: 'utf-8', env });
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`command failed (${r.status}): ${script}\n${out.slice(-4000)}`);
  return { out, ms: Date.now() - start };
}

function copyCrate(): string {
  const dir = tempDir('prd-crate-');
  cpSync(EXAMPLE_CRATE, dir, { recursive: true, filter: (src) => !/[\\/]target$/.test(src) });
  return dir;
}

(toolsOk ? describe : describe.skip)('the builder stages, executed with the real cargo-chef and cargo-zigbuild', () => {
  const image = new RustDockerImage(exampleProject(), {});
  const model = image._model;
  const installed = installedTargets();
  const generated = image._resolved.platforms.map(rustTargetOf);
  const missing = generated.filter((t) => !installed.includes(t));
  const stand = generated.find((t) => installed.includes(t)) ?? hostTriple();
  if (missing.length) console.log(`Targets not installed here: ${missing.join(', ')}; running the same commands with ${stand} in their place.`);
  const scripts = (stage: string) => runScripts(stageNamed(model, stage)).map((s) => substituteTargets(s, missing, stand));
  // Each stage's filesystem, as Docker would have it: the planner sees the sources (COPY . .),
  // the cook sees only recipe.json (COPY --from=planner), the build adds the sources (COPY . .).
  const plannerDir = copyCrate();
  const workdir = tempDir('prd-cook-');
  const copySources = () => cpSync(EXAMPLE_CRATE, workdir, { recursive: true, filter: (src) => !/[\\/]target$/.test(src) });
  const results: Record<string, string> = {};

  test('prepare, cook and build succeed; the binary is where the runtime stage copies it from', () => {
    for (const s of scripts(STAGES.planner)) run(s, plannerDir);
    cpSync(join(plannerDir, 'recipe.json'), join(workdir, 'recipe.json'));
    const cook = scripts(STAGES.cook).map((s) => run(s, workdir));
    copySources();
    const build = run(scripts(STAGES.build).join(' && '), workdir);
    results.cookMs = String(cook.reduce((a, c) => a + c.ms, 0));
    results.buildOut = build.out;
    results.buildMs = String(build.ms);
    const bin = join(workdir, outputPath(Platform.LINUX_AMD64, 'hello-service'));
    expect(existsSync(bin)).toBe(true);
    console.log(`cook: ${results.cookMs} ms, first build: ${results.buildMs} ms, binary at ${outputPath(Platform.LINUX_AMD64, 'hello-service')}`);
  });

  test('after the cook, the build compiles zero dependency crates', () => {
    const compiled = results.buildOut.split('\n').filter((l) => /^\s*Compiling /.test(l)).map((l) => l.trim().split(' ')[1]);
    console.log(`Compiling lines in the build step: ${compiled.length} (${compiled.join(', ')})`);
    expect(compiled).toEqual(['hello-service']);
  });

  test('after a source edit only the workspace crate recompiles (timings printed)', () => {
    copySources();
    const main = join(workdir, 'src/main.rs');
    writeFileSync(main, readFileSync(main, 'utf-8') + '\n// edited\n');
    const again = run(scripts(STAGES.build).join(' && '), workdir);
    console.log(`incremental build after a source edit: ${again.ms} ms (cook ${results.cookMs} ms)`);
    expect(again.out).toMatch(/Compiling hello-service/);
    expect(again.out).not.toMatch(/Compiling (itoa|memchr|smallvec)/);
  });

  test('a version bump and a source edit leave recipe.json byte-identical; a dependency change does not', () => {
    const prepare = scripts(STAGES.planner).join(' && ');
    const recipe = (dir: string) => {
      run(prepare, dir);
      return readFileSync(join(dir, 'recipe.json'), 'utf-8');
    };
    const base = copyCrate();
    const original = recipe(base);
    const bumped = copyCrate();
    const toml = join(bumped, 'Cargo.toml');
    writeFileSync(toml, readFileSync(toml, 'utf-8').replace('version = "0.1.0"', 'version = "0.2.0"'));
    writeFileSync(join(bumped, 'src/main.rs'), readFileSync(join(bumped, 'src/main.rs'), 'utf-8') + '\n// edit\n');
    expect(recipe(bumped)).toBe(original);
    const changed = copyCrate();
    const toml2 = join(changed, 'Cargo.toml');
    writeFileSync(toml2, readFileSync(toml2, 'utf-8').replace('smallvec = "1"', 'smallvec = { version = "1", features = ["union"] }'));
    expect(recipe(changed)).not.toBe(original);
    console.log('recipe.json: unchanged by version bump + source edit; changed by a dependency feature change');
  });

  test('the static-binary check accepts the built binary and rejects a dynamically linked one', () => {
    const bin = join(workdir, outputPath(Platform.LINUX_AMD64, 'hello-service'));
    if (stand.includes('gnu')) {
      console.warn('SKIP static acceptance: the stand-in target is glibc, which is not static');
    } else {
      expect(() => run(staticCheckCommand([bin]), workdir)).not.toThrow();
    }
    expect(() => run(staticCheckCommand(['/bin/ls']), workdir)).toThrow(/not statically linked/);
  });
});

(toolsOk ? describe : describe.skip)('two binaries from one cook, executed for real', () => {
  test('one cook, one compile, both binaries at their runtime paths', () => {
    const src = copyCrate();
    writeFiles(src, { 'src/bin/worker.rs': 'fn main() { println!("worker"); }\n' });
    const project = newProject({}, tempDir());
    cpSync(src, project.outdir, { recursive: true });
    const image = new RustDockerImage(project, { binaries: ['hello-service', 'worker'] });
    const installed = installedTargets();
    const generated = image._resolved.platforms.map(rustTargetOf);
    const missing = generated.filter((t) => !installed.includes(t));
    const stand = generated.find((t) => installed.includes(t)) ?? hostTriple();
    const scripts = (stage: string) => runScripts(stageNamed(image._model, stage)).map((x) => substituteTargets(x, missing, stand));
    const cookScripts = scripts(STAGES.cook).filter((x) => x.includes('cargo chef cook'));
    expect(cookScripts).toHaveLength(1);
    for (const x of scripts(STAGES.planner)) run(x, src);
    const work = tempDir('prd-cook-');
    cpSync(join(src, 'recipe.json'), join(work, 'recipe.json'));
    for (const x of scripts(STAGES.cook)) run(x, work);
    cpSync(src, work, { recursive: true, filter: (f) => !/[\\/]target$/.test(f) && !f.endsWith('recipe.json') });
    const build = run(scripts(STAGES.build).join(' && '), work);
    const compiled = build.out.split('\n').filter((l) => /^\s*Compiling /.test(l)).map((l) => l.trim().split(' ')[1]);
    console.log(`two binaries: 1 cook, Compiling lines in the build step: ${compiled.join(', ')}`);
    expect(compiled).toEqual(['hello-service']);
    for (const bin of ['hello-service', 'worker']) expect(existsSync(join(work, outputPath(Platform.LINUX_AMD64, bin)))).toBe(true);
  });
});

(actionlintOk ? describe : describe.skip)('native actionlint with shellcheck', () => {
  const variants: Array<[string, RustDockerImageOptions]> = [
    ['cross-compile ghcr', { ci: { smokeTestArgs: ['--version'] } }],
    ['native runners', { ci: { strategy: BuildStrategy.NATIVE_RUNNERS, smokeTestArgs: ['--version'] } }],
    ['docker hub registry cache', { ci: { registry: Registry.dockerHub({ namespace: 'acme' }), cache: CacheBackend.REGISTRY } }],
    ['ecr', { ci: { registry: Registry.ecr({ accountId: '123456789012', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/gha' }) } }],
  ];
  test.each(variants)('%s: zero findings', (_name, options) => {
    const out = synthImage(simpleCrate(), options).files;
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
    const dir = tempDir('prd-wf-');
    const f = join(dir, 'bad.yml');
    writeFileSync(f, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo $UNQUOTED_${{ github.event.pull_request.title }}\n');
    const r = spawnSync('actionlint', ['-no-color', f], { encoding: 'utf-8' });
    expect(r.status).not.toBe(0);
  });
});
