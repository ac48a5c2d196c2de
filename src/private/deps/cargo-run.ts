import { spawnSync } from 'child_process';

/** The source Cargo could not reach: a git repository or a registry, with its host. */
export interface FailedSource {
  readonly kind: 'git' | 'registry';
  readonly url: string;
  readonly host: string;
  /** The dependency whose source it is, when Cargo says. */
  readonly dependency?: string;
}

/** Why Cargo could not answer: the problem, and whether cargo was missing or which source it could not reach. */
export class ResolutionError extends Error {
  constructor(public readonly problem: string, public readonly cause?: 'no-cargo' | FailedSource) {
    super(problem);
  }
}

function hostOf(url: string): string {
  const scp = /^[^@/]+@([^:/]+):/.exec(url);
  if (scp) return scp[1];
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** The source a failed Cargo run names (git: "unable to update <url>"; a registry: "failed to download from `<url>`"), if any. */
export function failedSource(stderr: string): FailedSource | undefined {
  const dependency = /failed to load source for dependency `([^`]+)`/.exec(stderr)?.[1];
  const git = /unable to update (?!registry)(\S+)/i.exec(stderr)?.[1];
  if (git) return { kind: 'git', url: git, host: hostOf(git), dependency };
  const registry = /failed to download from `([^`]+)`/.exec(stderr)?.[1] ?? /unable to update registry `([^`]+)`/i.exec(stderr)?.[1];
  if (registry) return { kind: 'registry', url: registry, host: hostOf(registry), dependency };
  return undefined;
}

/** The environment of the Cargo queries: no colours, and no toolchain install for a rust-toolchain file. */
export function cargoEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CARGO_TERM_COLOR: 'never' };
  // Resolution does not depend on the compiler, so do not make rustup install
  // the toolchain a rust-toolchain file names: use the default one.
  if (!env.RUSTUP_TOOLCHAIN) {
    const r = spawnSync('rustup', ['default'], { encoding: 'utf-8' });
    const name = r.status === 0 ? /^(\S+)/.exec(r.stdout)?.[1] : undefined;
    if (name) env.RUSTUP_TOOLCHAIN = name;
  }
  return env;
}

/** Runs `cargo <subcommand> --locked` offline first, then with the network; returns stdout. */
export function cargoLocked(root: string, subcommand: string, args: string[], env: NodeJS.ProcessEnv): string {
  let last = '';
  for (const offline of [true, false]) {
    const r = spawnSync('cargo', [subcommand, '--locked', ...(offline ? ['--offline'] : []), ...args], {
      cwd: root, encoding: 'utf-8', env, maxBuffer: 256 * 1024 * 1024,
    });
    if (r.error) throw new ResolutionError(`cargo could not be run (${r.error.message})`, 'no-cargo');
    if (r.status === 0) return r.stdout;
    last = r.stderr;
  }
  throw new ResolutionError(`cargo ${subcommand} failed: ${last.trim().split('\n').slice(-6).join(' / ')}`, failedSource(last));
}
