/**
 * Python users: jsii-pacmak builds the Python package, a fresh virtual
 * environment installs it (with projen and constructs from PyPI), and a
 * .projenrc.py synthesizes the bundled example. The generated files must be
 * byte-identical to the TypeScript example's; only the projen marker names
 * its own projenrc (.projenrc.py instead of .projenrc.ts).
 */
import { execFileSync, spawnSync } from 'child_process';
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { EXAMPLE_CRATE, exampleSources } from '../../harness/projects';
import { skipNotice, tempDir } from '../../harness/temp';
import { missingTools } from '../../harness/tools';

jest.setTimeout(30 * 60 * 1000);

const ROOT = join(__dirname, '..', '..');
const missing = missingTools([['python3'], ['node']]);
const noVenv = spawnSync('python3', ['-m', 'venv', '--help'], { stdio: 'ignore' }).status !== 0;
if (noVenv && process.env.CI) throw new Error('CI is set, but python3 -m venv is not available');
const skip = missing.length || noVenv;
if (skip) skipNotice(`the Python package test: missing ${[...missing, ...(noVenv ? ['python3 venv'] : [])].join(', ')}`);

const PROJENRC_PY = `# The bundled example, configured from Python.
from projen import Project, github
from projen.python import Projenrc
from projen_rust_docker import CiOptions, Platform, RuntimeOptions, RustDockerImage

project = Project(name="hello-service", commit_generated=True)
Projenrc(project)
github.GitHub(project, mergify=False, pull_request_lint=False)

RustDockerImage(
    project,
    platforms=[Platform.LINUX_AMD64, Platform.LINUX_ARM64],
    runtime=RuntimeOptions(ports=[8080], env={"RUST_LOG": "info"}),
    ci=CiOptions(smoke_test_args=["--version"]),
)

project.synth()
`;

const COMPARED = ['Dockerfile', '.dockerignore', 'rust-builder.Dockerfile', '.github/workflows/docker-hello-service.yml', '.github/workflows/rust-builder.yml'];

(skip ? describe.skip : describe)('the Python package', () => {
  test('builds with jsii-pacmak, installs into a virtual environment, and synthesizes the example byte for byte', () => {
    const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    run('npx', ['jsii'], ROOT);
    const out = tempDir('prd-pacmak-');
    run('npx', ['jsii-pacmak', '--target', 'python', '--outdir', out], ROOT);
    const wheel = readdirSync(join(out, 'python')).find((f) => f.endsWith('.whl'));
    expect(wheel).toBeDefined();

    const venv = tempDir('prd-venv-');
    run('python3', ['-m', 'venv', venv], ROOT);
    const py = join(venv, 'bin', 'python');
    const projenVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'projen', 'package.json'), 'utf-8')).version;
    run(py, ['-m', 'pip', 'install', '--quiet', join(out, 'python', wheel!), `projen==${projenVersion}`], ROOT);

    const dir = exampleSources();
    writeFileSync(join(dir, '.projenrc.py'), PROJENRC_PY);
    run(py, ['.projenrc.py'], dir);
    for (const f of COMPARED) {
      const fromPython = readFileSync(join(dir, f), 'utf-8').replace('edit .projenrc.py and run', 'edit .projenrc.ts and run');
      expect(fromPython).toBe(readFileSync(join(EXAMPLE_CRATE, f), 'utf-8'));
    }

    // As the README says: a string where an enum member belongs is jsii's TypeError, naming the expected type;
    // a value of the right type the library refuses is the library's own message.
    const wrongType = join(dir, 'wrong_type.py');
    writeFileSync(wrongType, PROJENRC_PY.replace('platforms=[Platform.LINUX_AMD64, Platform.LINUX_ARM64]', 'platforms=["linux/arm64"]'));
    const typed = spawnSync(py, [wrongType], { cwd: dir, encoding: 'utf-8' });
    expect(typed.status).not.toBe(0);
    expect(typed.stderr).toMatch(/TypeError: .*projen_rust_docker\.Platform/);
    const refused = join(dir, 'refused.py');
    writeFileSync(refused, PROJENRC_PY.replace('platforms=[Platform.LINUX_AMD64, Platform.LINUX_ARM64]', 'platforms=[]'));
    const own = spawnSync(py, [refused], { cwd: dir, encoding: 'utf-8' });
    expect(own.status).not.toBe(0);
    expect(own.stderr).toMatch(/projen-rust-docker: platforms: .*Fix: /);
  });
});
