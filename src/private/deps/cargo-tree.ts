import { spawnSync } from 'child_process';
import { CompiledCrate, GraphQuery, TargetGraph } from './crate-graph';

/** Why `cargo tree` could not resolve the graph, with what to do about it. */
export class ResolutionError extends Error {
  constructor(public readonly problem: string) {
    super(problem);
  }
}

function cargoEnv(): NodeJS.ProcessEnv {
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

/** Runs `cargo tree` offline first, then with the network; returns stdout. */
function cargoTree(root: string, args: string[], env: NodeJS.ProcessEnv): string {
  let last = '';
  for (const offline of [true, false]) {
    const r = spawnSync('cargo', ['tree', '--locked', ...(offline ? ['--offline'] : []), ...args], { cwd: root, encoding: 'utf-8', env, maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw new ResolutionError(`cargo could not be run (${r.error.message})`);
    if (r.status === 0) return r.stdout;
    last = r.stderr.trim().split('\n').slice(-6).join(' / ');
  }
  throw new ResolutionError(`cargo tree failed: ${last}`);
}

/** Parses `{p}|{f}` lines: `name v1.2.3 (source) (proc-macro)|feat,feat (*)`. */
function parse(output: string, watched: ReadonlySet<string>): Map<string, CompiledCrate> {
  const found = new Map<string, CompiledCrate>();
  for (const line of output.split('\n')) {
    const m = /^(\S+) v(\S+)[^|]*\|([^ ]*)/.exec(line.trim());
    if (!m || !watched.has(m[1])) continue;
    const features = m[3] ? m[3].split(',').filter(Boolean) : [];
    found.set(`${m[1]}@${m[2]}`, { crate: m[1], version: m[2], features });
  }
  return found;
}

/**
 * What the image's build compiles for one target, of the watched crates:
 * crates compiled for the target (normal edges, no proc macros) and crates
 * compiled only for the build platform (reached through build scripts or
 * proc macros). Uses `cargo tree`, Cargo's own resolution.
 */
export function resolveTargetGraph(root: string, query: GraphQuery, target: string): TargetGraph {
  const env = cargoEnv();
  const selection = [
    '--target', target,
    ...query.packages.flatMap((p) => ['--package', p]),
    ...(query.features.length ? ['--features', query.features.join(',')] : []),
    ...(query.noDefaultFeatures ? ['--no-default-features'] : []),
    '--prefix', 'none', '--format', '{p}|{f}',
  ];
  const watched = new Set(query.watched);
  const forTarget = parse(cargoTree(root, ['--edges', 'normal,no-proc-macro', ...selection], env), watched);
  const all = parse(cargoTree(root, ['--edges', 'normal,build', ...selection], env), watched);
  return {
    target: [...forTarget.values()],
    hostOnly: [...all].filter(([key]) => !forTarget.has(key)).map(([, c]) => c),
  };
}
