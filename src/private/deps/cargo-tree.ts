import { cargoLocked } from './cargo-run';
import { CompiledCrate, GraphQuery, TargetGraph } from './crate-graph';
import { PackageInfo } from './package-info';

/** A compiled package as `cargo tree` prints it: name, version and enabled features. */
interface TreeEntry {
  readonly crate: string;
  readonly version: string;
  readonly features: string[];
}

/** A `cargo tree` listing: the compiled packages, and each package's direct build dependencies (the edges Cargo resolved). */
interface Tree {
  readonly entries: Map<string, TreeEntry>;
  readonly buildDeps: Map<string, Set<string>>;
}

/** The tree-drawing characters before a line's content. */
const PREFIX = /^[│├└─ ]*/;

/**
 * Parses `cargo tree` output in its indented form, with `{p}|{f}` lines
 * (`name v1.2.3 (source) (proc-macro)|feat,feat (*)`) and
 * `[build-dependencies]` headers, four characters per level.
 */
function parse(output: string): Tree {
  const entries = new Map<string, TreeEntry>();
  const buildDeps = new Map<string, Set<string>>();
  const stack: string[] = [];
  const buildSection: boolean[] = [];
  for (const line of output.split('\n')) {
    const prefix = PREFIX.exec(line)![0];
    const depth = prefix.length / 4;
    const content = line.slice(prefix.length);
    if (content.startsWith('[')) {
      buildSection[depth] = content === '[build-dependencies]';
      continue;
    }
    const m = /^(\S+) v(\S+)[^|]*\|([^ ]*)/.exec(content);
    if (!m) continue;
    const key = `${m[1]}@${m[2]}`;
    entries.set(key, { crate: m[1], version: m[2], features: m[3] ? m[3].split(',').filter(Boolean) : [] });
    if (depth > 0 && buildSection[depth - 1]) {
      const parent = stack[depth - 1];
      buildDeps.set(parent, new Set([...(buildDeps.get(parent) ?? []), m[1]]));
    }
    stack[depth] = key;
    stack.length = depth + 1;
    buildSection[depth] = false;
    buildSection.length = depth + 1;
  }
  return { entries, buildDeps };
}

/**
 * The crates that run code at build time, and what they use to do it: those
 * with a build script, a `links` key or a procedural macro, and the packages
 * their build scripts depend on (cc, cmake, bindgen, pkg-config, prost-build,
 * vergen, ...). Everything a rule about native code or build-time behaviour
 * could look at, whatever the rules are today.
 */
function buildTime(tree: Tree, info: Map<string, PackageInfo>): Set<string> {
  const tools = new Set([...tree.buildDeps.values()].flatMap((s) => [...s]));
  return new Set([...tree.entries].filter(([key, e]) => {
    const i = info.get(key);
    return i?.buildScript || i?.links || i?.procMacro || tools.has(e.crate);
  }).map(([key]) => key));
}

function describe(key: string, e: TreeEntry, info: Map<string, PackageInfo>, buildDeps: Set<string> | undefined): CompiledCrate {
  const i = info.get(key);
  return {
    crate: e.crate,
    version: e.version,
    features: e.features,
    ...(i?.links ? { links: i.links } : {}),
    ...(i?.buildScript ? { buildScript: true } : {}),
    ...(i?.procMacro ? { procMacro: true } : {}),
    ...(buildDeps?.size ? { buildDeps: [...buildDeps].sort() } : {}),
  };
}

/**
 * What the image's build compiles for one target, of the build-time crates:
 * those compiled for the target (normal edges, no proc macros), and those
 * compiled only for the build platform (build scripts, proc macros and what
 * they use). Uses `cargo tree`, Cargo's own resolution for the image's
 * packages and features.
 *
 * @param info every package's build facts (`readPackageInfo`)
 */
export function resolveTargetGraph(
  root: string, query: GraphQuery, target: string, info: Map<string, PackageInfo>, env: NodeJS.ProcessEnv,
): TargetGraph {
  const selection = [
    '--target', target,
    ...query.packages.flatMap((p) => ['--package', p]),
    ...(query.features.length ? ['--features', query.features.join(',')] : []),
    ...(query.noDefaultFeatures ? ['--no-default-features'] : []),
    '--format', '{p}|{f}',
  ];
  const forTarget = parse(cargoLocked(root, 'tree', ['--edges', 'normal,no-proc-macro', ...selection], env)).entries;
  const all = parse(cargoLocked(root, 'tree', ['--edges', 'normal,build', ...selection], env));
  const relevant = buildTime(all, info);
  const pick = (entries: Array<[string, TreeEntry]>) => entries
    .filter(([k]) => relevant.has(k))
    .map(([k, e]) => describe(k, e, info, all.buildDeps.get(k)));
  return {
    target: pick([...forTarget]),
    hostOnly: pick([...all.entries].filter(([k]) => !forTarget.has(k))),
  };
}
