/** The pinned real tools (.ci/install-tools) and how to run them. */
import { execFileSync, spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { delimiter, join } from 'path';
import { Defaults } from '../src';

/** Where .ci/install-tools puts the pinned tools (outside the repository). */
export const TOOLS_BIN = join(process.env.PRD_TOOLS ?? join(process.env.HOME ?? '/root', '.cache', 'projen-rust-docker', 'tools'), 'bin');

/** The script that installs the real tools: where their versions are pinned, once. */
export const INSTALL_TOOLS = join(__dirname, '..', '.ci', 'install-tools');

/** A version pinned in .ci/install-tools (`NAME=value`): the one place the suite's tool versions are stated. */
export function pinnedVersion(name: string): string {
  const m = new RegExp(`^${name}="?([^"\n]+)"?$`, 'm').exec(readFileSync(INSTALL_TOOLS, 'utf-8'));
  if (!m) throw new Error(`.ci/install-tools pins no ${name}`);
  return m[1];
}

/** The environment of the real-tool checks: the pinned tools first on PATH, the builder's Rust. */
export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CARGO_TERM_COLOR: 'never' };
  // The machine's own cargo settings must not leak into the checks; the caller's own do apply.
  delete env.CARGO_TARGET_DIR;
  delete env.RUSTFLAGS;
  // A child process is not a jest worker, whatever its parent is.
  delete env.JEST_WORKER_ID;
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

/**
 * Runs a binary of `platform` on this machine: natively for amd64, under
 * qemu-aarch64-static for arm64 (with `sysroot` for a dynamically linked one).
 */
export function runBinary(platform: string, path: string, args: string[], sysroot?: string): string {
  const [cmd, argv] = platform === 'linux/arm64' ? ['qemu-aarch64-static', [...(sysroot ? ['-L', sysroot] : []), path, ...args]] : [path, args];
  return execFileSync(cmd, argv, { encoding: 'utf-8', env: toolEnv() });
}
