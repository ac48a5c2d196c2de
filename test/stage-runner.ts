import { execFileSync, spawnSync } from 'child_process';
import { cpSync, existsSync } from 'fs';
import { delimiter, join } from 'path';
import { tempDir } from './util';
import { Defaults } from '../src';
import { runScripts, stageNamed } from './model-util';
import { STAGES } from '../src/private/dockerfile/app-dockerfile';
import { DockerfileModel, Instruction } from '../src/private/dockerfile/model';

/** Where .ci/install-tools puts the pinned tools (outside the repository). */
export const TOOLS_BIN = join(process.env.PRD_TOOLS ?? join(process.env.HOME ?? '/root', '.cache', 'projen-rust-docker', 'tools'), 'bin');

/** The environment of the real-tool checks: the pinned tools first on PATH, the builder's Rust. */
export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CARGO_TERM_COLOR: 'never' };
  // The machine's own cargo settings must not leak into the checks; the caller's own do apply.
  delete env.CARGO_TARGET_DIR;
  delete env.RUSTFLAGS;
  Object.assign(env, extra);
  env.PATH = [TOOLS_BIN, join(process.env.HOME ?? '/root', '.cargo', 'bin'), process.env.PATH].join(delimiter);
  if (!env.RUSTUP_TOOLCHAIN && toolchainInstalled(Defaults.RUST_VERSION)) env.RUSTUP_TOOLCHAIN = Defaults.RUST_VERSION;
  return env;
}

function toolchainInstalled(version: string): boolean {
  const r = spawnSync('rustup', ['toolchain', 'list'], { encoding: 'utf-8' });
  return r.status === 0 && r.stdout.split('\n').some((l) => l.startsWith(`${version}-`));
}

/** Whether a command runs (exit 0) with the tool environment. */
export function have(cmd: string, args = ['--version']): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore', env: toolEnv() }).status === 0;
}

/** The installed rustup targets of the tool environment's toolchain. */
export function installedTargets(): string[] {
  if (!have('rustup')) return [];
  return execFileSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf-8', env: toolEnv() }).split('\n').filter(Boolean);
}

/**
 * What the real-tool checks need and is missing. Under CI (the CI variable
 * set), a missing tool is a failure, not a skip: .ci/install-tools installs
 * them all.
 */
export function missingTools(tools: Array<[string, string[]?]>): string[] {
  const missing = tools.filter(([cmd, args]) => !have(cmd, args)).map(([cmd]) => cmd);
  if (missing.length && process.env.CI) throw new Error(`CI is set, but these tools are missing: ${missing.join(', ')} (run .ci/install-tools)`);
  return missing;
}

/** Runs a shell script in `cwd`; throws with the output's tail on failure. */
export function run(script: string, cwd: string, env: NodeJS.ProcessEnv = {}): { out: string; ms: number } {
  const start = Date.now();
  const r = spawnSync('sh', ['-c', script], { cwd, encoding: 'utf-8', env: toolEnv(env), maxBuffer: 256 * 1024 * 1024 });
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`command failed (${r.status}): ${script}\n${out.slice(-4000)}`);
  return { out, ms: Date.now() - start };
}

/** The crates cargo compiled, from its `Compiling <name> v<version>` lines. */
export function compiledCrates(output: string): string[] {
  return output.split('\n').filter((l) => /^\s*Compiling /.test(l)).map((l) => l.trim().split(' ')[1]);
}

/** The `ARG` defaults and `ENV` values a stage sets, as the environment its RUN steps see. */
function stageEnv(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of instructions) {
    if (i.kind === 'ARG' && i.defaultValue !== undefined) env[i.name] = i.defaultValue;
    if (i.kind === 'ENV') for (const [k, v] of i.pairs) env[k] = v;
  }
  return env;
}

/**
 * Executes the generated Dockerfile's planner, cook and build stages on the
 * host, with the commands, arguments and environment taken from the model,
 * for every target it names. Each stage sees what Docker would give it: the
 * planner the sources (COPY . .), the cook only recipe.json (COPY
 * --from=planner), the build the sources again (COPY . .).
 */
export class StageRunner {
  /** The cook and build stage's working directory (the image's WORKDIR). */
  public readonly workdir = tempDir('prd-work-');

  constructor(private readonly model: DockerfileModel, private readonly sources: string, private readonly env: NodeJS.ProcessEnv = {}) {}

  public scripts(stage: string): string[] {
    return runScripts(stageNamed(this.model, stage));
  }

  private envOf(stage: string): NodeJS.ProcessEnv {
    const s = stageNamed(this.model, stage);
    const inherited = stage === STAGES.build ? stageEnv(stageNamed(this.model, STAGES.cook).instructions) : {};
    return { ...inherited, ...stageEnv(s.instructions), ...this.env };
  }

  /** Runs the planner on a copy of `dir` (default: the sources) and returns the recipe's path. */
  public prepare(dir = this.sources): string {
    const planner = tempDir('prd-plan-');
    cpSync(dir, planner, { recursive: true, filter: (src) => !/[\\/]target$/.test(src) });
    run(this.scripts(STAGES.planner).join(' && '), planner, this.envOf(STAGES.planner));
    return join(planner, 'recipe.json');
  }

  public cook(): { out: string; ms: number } {
    cpSync(this.prepare(), join(this.workdir, 'recipe.json'));
    return run(this.scripts(STAGES.cook).join(' && '), this.workdir, this.envOf(STAGES.cook));
  }

  /** COPY . . then the build stage's RUN. */
  public build(): { out: string; ms: number } {
    cpSync(this.sources, this.workdir, { recursive: true, filter: (src) => !/[\\/]target$/.test(src) });
    return run(this.scripts(STAGES.build).join(' && '), this.workdir, this.envOf(STAGES.build));
  }

  /** A binary the build put where the runtime stage copies it from. */
  public binary(platform: string, name: string): string {
    const path = join(this.workdir, 'target', 'image', platform, name);
    if (!existsSync(path)) throw new Error(`no binary at ${path}`);
    return path;
  }
}

/**
 * Runs a binary of `platform` on this machine: natively for amd64, under
 * qemu-aarch64-static for arm64 (with `sysroot` for a dynamically linked one).
 */
export function runBinary(platform: string, path: string, args: string[], sysroot?: string): string {
  const [cmd, argv] = platform === 'linux/arm64' ? ['qemu-aarch64-static', [...(sysroot ? ['-L', sysroot] : []), path, ...args]] : [path, args];
  return execFileSync(cmd, argv, { encoding: 'utf-8', env: toolEnv() });
}
