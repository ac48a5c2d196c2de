import { spawnSync } from 'child_process';

/** Why Cargo could not answer, with what to do about it. */
export class ResolutionError extends Error {
  constructor(public readonly problem: string) {
    super(problem);
  }
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
    if (r.error) throw new ResolutionError(`cargo could not be run (${r.error.message})`);
    if (r.status === 0) return r.stdout;
    last = r.stderr.trim().split('\n').slice(-6).join(' / ');
  }
  throw new ResolutionError(`cargo ${subcommand} failed: ${last}`);
}
