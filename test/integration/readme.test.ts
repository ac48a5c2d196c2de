/**
 * The README's "Use it in your project" section, run as written: its
 * commands and snippets are read from the README (blocks after a
 * `<!-- readme-test: name -->` marker), against the library packed as it
 * would be published (`npm pack`, and the jsii-pacmak wheel for Python), in
 * a copy of a real Rust repository (a published crate's sources) that has
 * its own Dockerfile, .dockerignore, .gitignore and LICENSE.
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { parse as parseYaml } from 'yaml';
import { downloadCrate } from '../../harness/corpus';
import { packedSpec, projenVersion, pythonWheel, ROOT } from '../../harness/package';
import { skipNotice, tempDir } from '../../harness/temp';
import { missingTools, toolEnv } from '../../harness/tools';

jest.setTimeout(30 * 60 * 1000);

const README = readFileSync(join(ROOT, 'README.md'), 'utf-8');

/** The fenced block after `<!-- readme-test: name -->`. */
function block(name: string): string {
  const m = new RegExp(`<!-- readme-test: ${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(README);
  if (!m) throw new Error(`README has no block marked readme-test: ${name}`);
  return m[1];
}

/** A README command line with the published names replaced by the local builds. */
function local(line: string, wheel?: string): string {
  return line
    .replace(/--from projen-rust-docker\b/, `--from ${packedSpec()}`)
    .replace(/^(npm install --save-dev (?:.* )?)projen-rust-docker\b/, `$1${packedSpec()}`)
    .replace(/^(npm install --save-dev (?:.* )?)projen(?= )/, `$1projen@${projenVersion()}`)
    .replace(/pip install projen-rust-docker\b/, `pip install --quiet ${wheel} projen==${projenVersion()}`);
}

/** Runs README lines in one bash session in `dir` (so `. .venv/bin/activate` carries over); throws with the output on failure. */
function runLines(dir: string, lines: string[]): string {
  // A user's shell, not jest's: NODE_ENV=test would turn projen's logging off.
  const env = toolEnv({ CI: '' });
  delete env.NODE_ENV;
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', lines.join('\n')], { cwd: dir, encoding: 'utf-8', env, maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`README commands failed (${r.status}) in ${dir}:\n${lines.join('\n')}\n${out.slice(-5000)}`);
  return out;
}

const commandLines = (name: string) => block(name).split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));

/** Hashes of every file under `dir` except the ones `skip` matches, by relative path. */
function snapshot(dir: string, skip: RegExp): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const rel = relative(dir, p);
      if (skip.test(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out[rel] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Generated and tool folders, left out when comparing a repository before and after. */
const TOOLING = /^(node_modules|\.git|\.venv|target)(\/|$)/;

/**
 * A copy of a real Rust repository that is not a projen project: a published
 * service's sources (with its Cargo.lock), plus its own Dockerfile,
 * .dockerignore, .gitignore (with a comment), .gitattributes (a Git LFS
 * rule) and LICENSE, committed to git.
 */
function realRepository(options: { dockerFiles?: boolean } = {}): string {
  const dir = downloadCrate('bore-cli', '0.6.0');
  if (options.dockerFiles ?? true) {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM rust:1.85 AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n');
    writeFileSync(join(dir, '.dockerignore'), 'target\n.git\n');
  } else {
    for (const f of ['Dockerfile', '.dockerignore']) rmSync(join(dir, f), { force: true });
  }
  writeFileSync(join(dir, '.gitignore'), '# build output\n/target\n*.swp\n.env\n');
  writeFileSync(join(dir, '.gitattributes'), '# screenshots in Git LFS\n*.png filter=lfs diff=lfs merge=lfs -text\n');
  if (!existsSync(join(dir, 'LICENSE'))) writeFileSync(join(dir, 'LICENSE'), 'MIT License\n');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'master');
  git('add', '-A');
  git('commit', '-qm', 'the repository before projen');
  return dir;
}

/** `git status --porcelain` lines. */
function gitStatus(dir: string): string[] {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf-8' }).split('\n').filter(Boolean);
}

/** What cargo leaves after a build: a target/ folder with build output. */
function asCargoLeavesIt(dir: string): void {
  mkdirSync(join(dir, 'target', 'debug'), { recursive: true });
  writeFileSync(join(dir, 'target', '.rustc_info.json'), '{}');
  writeFileSync(join(dir, 'target', 'debug', 'bore'), '');
}

const missing = missingTools([['git'], ['npm'], ['curl'], ['cargo']]);
const why = missing.length ? `missing ${missing.join(', ')}` : undefined;
if (why) skipNotice(`the README's commands: ${why}`);

(why ? describe.skip : describe)('the README, as written, in a Rust repository that is not a projen project yet (TypeScript)', () => {
  let repo: string;
  let before: Record<string, string>;
  let output: string;

  beforeAll(() => {
    repo = realRepository();
    before = snapshot(repo, TOOLING);
    output = runLines(repo, commandLines('new-ts').map((l) => local(l)));
  });

  test('it lists every file it wrote, and the next steps', () => {
    const listed = /projen-rust-docker wrote (\d+) files:\n((?: {2}\S+\n)+)/.exec(output.replace(/\r/g, ''));
    if (!listed) throw new Error(`no list of written files in the output of projen new:\n${output.slice(-4000)}`);
    const files = listed![2].trim().split('\n').map((l) => l.trim());
    expect(files).toEqual(expect.arrayContaining(['.projenrc.ts', 'bore.Dockerfile', '.github/workflows/docker-bore.yml', 'package.json', '.gitignore']));
    for (const f of files) expect({ f, exists: existsSync(join(repo, f)) }).toEqual({ f, exists: true });
    expect(output).toContain('npx projen docker:build builds bore for this machine');
  });

  test('a .projenrc.ts with what it found: Cargo\'s binary, the kept Docker files, the repository\'s own .gitignore entries', () => {
    const rc = readFileSync(join(repo, '.projenrc.ts'), 'utf-8');
    expect(rc).toContain("import { ExistingDockerFiles, RustDockerProject } from 'projen-rust-docker';");
    expect(rc).toContain('binary: "bore",');
    expect(rc).toContain('existingDockerFiles: ExistingDockerFiles.KEEP,');
    expect(rc).toContain('gitignore: ["# build output", "/target", "*.swp", ".env"],');
    expect(rc).toContain('gitattributes: ["# screenshots in Git LFS", "*.png filter=lfs diff=lfs merge=lfs -text"],');
    for (const f of ['bore.Dockerfile', 'bore.Dockerfile.dockerignore', 'docker-bore.sh', 'rust-builder.Dockerfile', '.github/workflows/docker-bore.yml', 'package.json']) {
      expect({ f, exists: existsSync(join(repo, f)) }).toEqual({ f, exists: true });
    }
    expect(readFileSync(join(repo, 'bore.Dockerfile'), 'utf-8')).toMatch(/^# syntax=docker\/dockerfile:1\n# ~~ Generated by projen\. To modify, edit \.projenrc\.ts/);
  });

  test('every file it does not own is byte-identical: LICENSE, README, sources, the own Dockerfile and .dockerignore', () => {
    const after = snapshot(repo, TOOLING);
    const changed = Object.keys(before).filter((f) => after[f] !== before[f]);
    expect(changed).toEqual(['.gitattributes', '.gitignore']);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'src/main.rs', 'Cargo.toml', 'Cargo.lock', 'Dockerfile', '.dockerignore']));
  });

  test('it generates only what was asked for: no pull-request lint, mergify, build or release workflow, no sample code', () => {
    const added = gitStatus(repo).filter((l) => l.startsWith('??')).map((l) => l.slice(3)).sort();
    expect(added).toEqual([
      '.github/workflows/docker-bore.yml', '.github/workflows/generated-files.yml', '.github/workflows/rust-builder.yml', '.projen/deps.json', '.projen/files.json', '.projen/tasks.json',
      '.projenrc.ts', 'bore.Dockerfile', 'bore.Dockerfile.dockerignore', 'bore.crate-graph.json', 'docker-bore.sh', 'package-lock.json', 'package.json', 'rust-builder.Dockerfile', 'tsconfig.projen.json',
    ]);
  });

  test('a second npx projen changes nothing', () => {
    const first = snapshot(repo, TOOLING);
    runLines(repo, commandLines('resynth-ts'));
    expect(snapshot(repo, TOOLING)).toEqual(first);
  });

  test('an edit to .projenrc.ts followed by npx projen is applied', () => {
    const rc = join(repo, '.projenrc.ts');
    const text = readFileSync(rc, 'utf-8');
    // The smoke test, as the comment says: its commented line, uncommented.
    expect(text).toContain('\n  // ci: { smokeTestArgs: ["--version"] },\n');
    writeFileSync(rc, text.replace('  binary: "bore",', '  binary: "bore",\n  runtime: { ports: [7835] },').replace('  // ci: { smokeTestArgs: ["--version"] },', '  ci: { smokeTestArgs: ["--version"] },'));
    runLines(repo, commandLines('resynth-ts'));
    expect(readFileSync(join(repo, 'bore.Dockerfile'), 'utf-8')).toContain('\nEXPOSE 7835\n');
    expect(readFileSync(join(repo, '.github/workflows/docker-bore.yml'), 'utf-8')).toMatch(/id: smoke-run-bore[\s\S]*--version/);
  });

  test('Cargo\'s target folder stays out of git', () => {
    asCargoLeavesIt(repo);
    expect(gitStatus(repo).filter((l) => /target/.test(l))).toEqual([]);
    const ignore = readFileSync(join(repo, '.gitignore'), 'utf-8');
    expect(ignore).toContain('\n# build output\n/target\n*.swp\n.env\n');
    expect(ignore.split('\n')).toContain('node_modules/');
    expect(ignore.split('\n')).not.toContain('/target/');
  });

  test('the repository\'s Git LFS rule is kept in the .gitattributes projen now writes, and git applies it', () => {
    expect(readFileSync(join(repo, '.gitattributes'), 'utf-8')).toContain('\n# screenshots in Git LFS\n*.png filter=lfs diff=lfs merge=lfs -text\n');
    expect(execFileSync('git', ['check-attr', 'filter', '--', 'docs/shot.png'], { cwd: repo, encoding: 'utf-8' }).trim()).toBe('docs/shot.png: filter: lfs');
  });

  test('a configuration error ends with its message and fix, with no stack trace, and writes nothing', () => {
    const rc = join(repo, '.projenrc.ts');
    const good = readFileSync(rc, 'utf-8');
    const files = snapshot(repo, TOOLING);
    writeFileSync(rc, good.replace('  binary: "bore",', '  binary: "nope",'));
    const r = spawnSync('npx', ['projen'], { cwd: repo, encoding: 'utf-8', env: toolEnv({ CI: '' }) });
    writeFileSync(rc, good);
    expect(r.status).not.toBe(0);
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() && !l.startsWith('👾'));
    expect(lines[lines.length - 1]).toMatch(/^projen-rust-docker: binary: no binary named "nope". Fix: use one of: bore \(package bore-cli\)$/);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at /m);
    expect(snapshot(repo, TOOLING)).toEqual({ ...files, '.projenrc.ts': files['.projenrc.ts'] });
  });

  test('a teammate\'s clone: npx projen first says what to install; after the README\'s commands, it changes nothing', () => {
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd, stdio: 'pipe' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'projen-rust-docker set up');
    const clone = join(tempDir('prd-clone-'), 'clone');
    git(repo, 'clone', '-q', repo, clone);
    const early = spawnSync('npx', ['--yes', 'projen'], { cwd: clone, encoding: 'utf-8', env: toolEnv({ CI: '' }) });
    expect(early.status).not.toBe(0);
    expect(`${early.stdout}${early.stderr}`).toContain('projen-rust-docker is not installed in node_modules (a fresh clone?): run npm ci, then npx projen');
    runLines(clone, commandLines('clone-ts'));
    expect(gitStatus(clone)).toEqual([]);
  });

  test('a dependency update that did not regenerate the files fails the generated-files workflow\'s steps, with the fix', () => {
    const clone = join(tempDir('prd-clone-'), 'clone');
    execFileSync('git', ['clone', '-q', repo, clone], { stdio: 'pipe' });
    runLines(clone, ['npm ci']);
    // As a dependency-update pull request leaves it: Cargo.lock changed, nothing regenerated.
    execFileSync('cargo', ['update', '-p', 'tokio'], { cwd: clone, stdio: 'pipe', env: toolEnv() });
    expect(gitStatus(clone)).toEqual([' M Cargo.lock']);
    const steps: any[] = parseYaml(readFileSync(join(clone, '.github/workflows/generated-files.yml'), 'utf-8')).jobs.check.steps;
    const run = (id: string) => spawnSync('bash', ['-e', '-c', steps.find((x) => x.id === id).run], { cwd: clone, encoding: 'utf-8', env: toolEnv({ CI: 'true' }) });
    expect(run('synth').status).toBe(0);
    const compare = run('compare');
    expect(compare.status).toBe(1);
    expect(compare.stdout).toContain('::error::The generated files are out of date: Cargo.lock, a Cargo.toml or .projenrc changed without them. Run npx projen and commit the result.');
    expect(compare.stdout).toContain('bore.crate-graph.json');
  });
});

(why ? describe.skip : describe)('the README, as written, in a repository whose Cargo cannot resolve (a git dependency on a host that cannot be reached)', () => {
  test('the command fails naming the host and the fix, and the repository is left as it was: no package.json, node_modules or projen file', () => {
    const dir = tempDir('prd-unresolvable-');
    const files = {
      'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\nlicense = "MIT"\n\n[dependencies]\nfoo = { git = "https://git.example.invalid/acme/foo.git" }\n',
      'Cargo.lock': 'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["foo"]\n\n'
        + '[[package]]\nname = "foo"\nversion = "0.1.0"\nsource = "git+https://git.example.invalid/acme/foo.git#0123456789abcdef0123456789abcdef01234567"\n'
        + 'dependencies = ["openssl-sys"]\n\n[[package]]\nname = "openssl-sys"\nversion = "0.9.118"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n'
        + 'checksum = "0000000000000000000000000000000000000000000000000000000000000000"\n',
      'src/main.rs': 'fn main() {}\n',
      '.gitignore': '/target\n',
    };
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'a service with a private git dependency');
    const before = snapshot(dir, /^\.git(\/|$)/);
    const r = spawnSync('bash', ['-c', commandLines('new-ts').map((l) => local(l)).join('\n')], { cwd: dir, encoding: 'utf-8', env: toolEnv({ CI: '' }) });
    expect(r.status).not.toBe(0);
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toMatch(/Fix: give this machine access to git\.example\.invalid, where Cargo could not reach the git repository of foo/);
    expect(out).not.toContain('install Rust');
    expect(snapshot(dir, /^\.git(\/|$)/)).toEqual(before);
    expect(gitStatus(dir)).toEqual([]);
  });
});

(why ? describe.skip : describe)('the README, as written, in a Rust repository with a package.json of its own', () => {
  let repo: string;
  let installed: string;
  let output: string;
  const OWN = `${JSON.stringify({ name: 'bore-site', private: true, scripts: { format: 'prettier --write web' }, devDependencies: { prettier: '^3.0.0' } }, null, 2)}\n`;

  beforeAll(() => {
    repo = realRepository();
    writeFileSync(join(repo, 'package.json'), OWN);
    const [install, create] = commandLines('new-own-package').map((l) => local(l));
    expect(create).toBe('npx projen-rust-docker new');
    runLines(repo, [install]);
    installed = readFileSync(join(repo, 'package.json'), 'utf-8');
    output = runLines(repo, [create]);
  });

  test('npm install kept the repository\'s fields and added the five packages; the new command left package.json as npm left it', () => {
    const pkg = JSON.parse(installed);
    expect(pkg.name).toBe('bore-site');
    expect(pkg.scripts).toEqual({ format: 'prettier --write web' });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['constructs', 'prettier', 'projen', 'projen-rust-docker', 'ts-node', 'typescript']);
    expect(readFileSync(join(repo, 'package.json'), 'utf-8')).toBe(installed);
  });

  test('it writes .projenrc.ts and the image files, and lists them; package.json is not among them', () => {
    const listed = /projen-rust-docker wrote (\d+) files:\n((?: {2}\S+\n)+)/.exec(output.replace(/\r/g, ''));
    if (!listed) throw new Error(`no list of written files in the output:\n${output.slice(-4000)}`);
    const files = listed[2].trim().split('\n').map((l) => l.trim());
    expect(files).toEqual(expect.arrayContaining(['.projenrc.ts', 'bore.Dockerfile', '.github/workflows/docker-bore.yml', '.gitignore']));
    expect(files).not.toContain('package.json');
    for (const f of files) expect({ f, exists: existsSync(join(repo, f)) }).toEqual({ f, exists: true });
    expect(readFileSync(join(repo, '.projenrc.ts'), 'utf-8')).toContain('binary: "bore",');
  });

  test('npx projen then changes nothing, package.json included', () => {
    const first = snapshot(repo, TOOLING);
    runLines(repo, commandLines('resynth-ts'));
    expect(snapshot(repo, TOOLING)).toEqual(first);
  });

  test('the command run again says the repository is set up, and what to run instead; nothing changes', () => {
    const first = snapshot(repo, TOOLING);
    expect(() => runLines(repo, ['npx projen-rust-docker new'])).toThrow(/this repository is set up already \(it has \.projenrc\.ts, \.projen\)[^\n]*Fix: edit \.projenrc\.ts and run npx projen/);
    expect(snapshot(repo, TOOLING)).toEqual(first);
  });
});

const noVenv = spawnSync('python3', ['-m', 'venv', '--help'], { stdio: 'ignore' }).status !== 0;
if (noVenv && process.env.CI) throw new Error('CI is set, but python3 -m venv is not available');
const whyPython = why ?? (noVenv ? 'python3 -m venv is not available' : undefined);
if (whyPython) skipNotice(`the README's Python commands: ${whyPython}`);

(whyPython ? describe.skip : describe)('the README, as written, with Python', () => {
  test('a plain Rust repository: .projenrc.py written from what it found; npx projen applies an edit; errors end with the fix', () => {
    const wheel = pythonWheel();
    const repo = realRepository();
    const before = snapshot(repo, TOOLING);
    const setup = commandLines('new-python').map((l) => local(l, wheel));
    runLines(repo, setup);
    const rc = readFileSync(join(repo, '.projenrc.py'), 'utf-8');
    expect(rc).toContain('from projen_rust_docker import ExistingDockerFiles, RustDockerProject');
    expect(rc).toContain('    binary="bore",');
    expect(rc).toContain('    projenrc_python=True,');
    // package.json holds projen and the library for npx; projen writes it.
    expect(readFileSync(join(repo, 'package.json'), 'utf-8')).toContain('"//": "~~ Generated by projen. To modify, edit .projenrc.py and run');
    const after = snapshot(repo, TOOLING);
    expect(Object.keys(before).filter((f) => after[f] !== before[f])).toEqual(['.gitattributes', '.gitignore']);
    expect(rc).toContain('    gitattributes=["# screenshots in Git LFS", "*.png filter=lfs diff=lfs merge=lfs -text"],');
    expect(gitStatus(repo).filter((l) => /\.venv|node_modules|target/.test(l))).toEqual([]);

    // With the virtual environment active, as the README says: a second run changes nothing, an edit is applied.
    const activate = setup.filter((l) => l.includes('activate'));
    const generated = snapshot(repo, TOOLING);
    const resynth = runLines(repo, [...activate, ...commandLines('resynth-ts')]);
    expect(snapshot(repo, TOOLING)).toEqual(generated);
    // No banner of jsii's about the Node version on every run (it would come as raw bytes: b'!!!...').
    expect(resynth).not.toMatch(/!{10}/);
    writeFileSync(join(repo, '.projenrc.py'), rc.replace('    binary="bore",', '    binary="bore",\n    runtime={"ports": [7835]},'));
    runLines(repo, [...activate, ...commandLines('resynth-ts')]);
    expect(readFileSync(join(repo, 'bore.Dockerfile'), 'utf-8')).toContain('\nEXPOSE 7835\n');

    writeFileSync(join(repo, '.projenrc.py'), rc.replace('    binary="bore",', '    binary="nope",'));
    const r = spawnSync('bash', ['-c', [...activate, 'python3 .projenrc.py'].join('\n')], { cwd: repo, encoding: 'utf-8', env: toolEnv({ CI: '' }) });
    expect(r.status).not.toBe(0);
    const last = r.stderr.split('\n').filter((l) => l.trim()).pop();
    expect(last).toMatch(/projen-rust-docker: binary: no binary named "nope". Fix: use one of: bore \(package bore-cli\)$/);
  });

  test('an existing projen project with a Python projenrc: the README\'s snippet, added before project.synth()', () => {
    const wheel = pythonWheel();
    const repo = realRepository({ dockerFiles: false });
    const venv = join(repo, '.venv');
    runLines(repo, ['python3 -m venv .venv', `.venv/bin/pip install --quiet ${wheel} projen==${projenVersion()}`]);
    writeFileSync(join(repo, '.projenrc.py'), [
      'from projen import Project, github',
      'from projen.python import Projenrc',
      'project = Project(name="bore")',
      'Projenrc(project)',
      'github.GitHub(project, mergify=False, pull_request_lint=False)',
      block('existing-python'),
      'project.synth()',
      '',
    ].join('\n'));
    runLines(repo, [`${venv}/bin/python .projenrc.py`]);
    expect(readFileSync(join(repo, 'Dockerfile'), 'utf-8')).toContain('\nEXPOSE 8080\n');
    expect(existsSync(join(repo, '.github', 'workflows', 'docker-bore.yml'))).toBe(true);
  });
});

(why ? describe.skip : describe)('the README, as written, in an existing projen project with a .projenrc.ts', () => {
  test('npm install, the snippet before project.synth(), npx projen: the image files appear beside the project\'s own', () => {
    const repo = realRepository({ dockerFiles: false });
    // An existing projen project: a bare Project configured in .projenrc.ts, its projen installed.
    runLines(repo, [`npm install --no-audit --no-fund --save-dev projen@${projenVersion()} constructs@^10.5.0 ts-node@^10.9.2 typescript@~5.9.0`]);
    writeFileSync(join(repo, '.projenrc.ts'), [
      "import { github, Project, typescript } from 'projen';",
      "const project = new Project({ name: 'bore' });",
      'new typescript.ProjenrcTs(project);',
      'new github.GitHub(project, { mergify: false, pullRequestLint: false });',
      'project.synth();',
      '',
    ].join('\n'));
    // Its first synthesis, as projen's ProjenrcTs runs it (npx projen works from then on).
    writeFileSync(join(repo, 'tsconfig.projen.json'), '{ "compilerOptions": {}, "include": [".projenrc.ts"] }\n');
    runLines(repo, ['npx ts-node -T --project tsconfig.projen.json .projenrc.ts']);
    runLines(repo, commandLines('existing-npm').map((l) => local(l)));
    const rc = join(repo, '.projenrc.ts');
    const snippet = block('existing-ts').split('\n');
    const imports = snippet.filter((l) => l.startsWith('import '));
    const body = snippet.filter((l) => !l.startsWith('import ')).join('\n');
    writeFileSync(rc, `${imports.join('\n')}\n${readFileSync(rc, 'utf-8').replace('project.synth();', `${body}\n\nproject.synth();`)}`);
    runLines(repo, ['npx projen']);
    expect(readFileSync(join(repo, 'Dockerfile'), 'utf-8')).toContain('\nEXPOSE 8080\n');
    for (const f of ['docker-bore.yml', 'rust-builder.yml']) expect({ f, exists: existsSync(join(repo, '.github', 'workflows', f)) }).toEqual({ f, exists: true });
    asCargoLeavesIt(repo);
    expect(gitStatus(repo).filter((l) => /target\//.test(l))).toEqual([]);
  });
});
