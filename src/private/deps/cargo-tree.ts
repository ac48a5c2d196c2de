import { cargoLocked } from './cargo-run';
import { CompiledCrate, GraphQuery, TargetGraph } from './crate-graph';
import { PackageInfo } from './package-info';

/** Which platform a compiled copy of a package is for: the target, or the build platform (build scripts, proc macros). */
type Side = 'target' | 'host';

/** A compiled package as `cargo tree` prints it: name, version, enabled features, and the platform it is compiled for. */
interface TreeEntry {
  readonly crate: string;
  readonly version: string;
  readonly features: string[];
  readonly side: Side;
}

/**
 * A `cargo tree` listing: the compiled copies, keyed by side, name and
 * version (a package compiled for both platforms is two copies, with their
 * own features), and each copy's direct build dependencies (the edges Cargo
 * resolved).
 */
interface Tree {
  readonly entries: Map<string, TreeEntry>;
  readonly buildDeps: Map<string, Set<string>>;
}

/** The tree-drawing characters before a line's content. */
const PREFIX = /^[│├└─ ]*/;

/**
 * Parses `cargo tree` output in its indented form, with `{p}|{f}` lines
 * (`name v1.2.3 (source) (proc-macro)|feat,feat (*)`) and
 * `[build-dependencies]` headers, four characters per level. A copy is for
 * the build platform when it is a proc macro, or is reached through a build
 * dependency or through another copy for the build platform: Cargo compiles
 * those for the host, with the features the host side asks for.
 */
function parse(output: string): Tree {
  const entries = new Map<string, TreeEntry>();
  const buildDeps = new Map<string, Set<string>>();
  const stack: string[] = [];
  const sides: Side[] = [];
  const buildSection: boolean[] = [];
  for (const line of output.split('\n')) {
    const prefix = PREFIX.exec(line)![0];
    const depth = prefix.length / 4;
    const content = line.slice(prefix.length);
    if (content.startsWith('[')) {
      buildSection[depth] = content === '[build-dependencies]';
      continue;
    }
    const m = /^(\S+) v(\S+)([^|]*)\|([^ ]*)/.exec(content);
    if (!m) continue;
    const viaHost = depth > 0 && (sides[depth - 1] === 'host' || buildSection[depth - 1]);
    const side: Side = viaHost || m[3].includes('(proc-macro)') ? 'host' : 'target';
    const key = `${side} ${m[1]}@${m[2]}`;
    entries.set(key, { crate: m[1], version: m[2], features: m[4] ? m[4].split(',').filter(Boolean) : [], side });
    if (depth > 0 && buildSection[depth - 1]) {
      const parent = stack[depth - 1];
      buildDeps.set(parent, new Set([...(buildDeps.get(parent) ?? []), m[1]]));
    }
    stack[depth] = key;
    stack.length = depth + 1;
    sides[depth] = side;
    sides.length = depth + 1;
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
  return new Set([...tree.entries].filter(([, e]) => {
    const i = info.get(`${e.crate}@${e.version}`);
    return i?.buildScript || i?.links || i?.procMacro || tools.has(e.crate);
  }).map(([key]) => key));
}

function describe(e: TreeEntry, info: Map<string, PackageInfo>, buildDeps: Set<string> | undefined): CompiledCrate {
  const i = info.get(`${e.crate}@${e.version}`);
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
 * the copies compiled for the target (linked into the binaries), and the
 * copies compiled for the build platform (build scripts, proc macros and
 * what they use), each with its own features. A crate compiled for both is
 * in both lists. Uses `cargo tree`, Cargo's own resolution for the image's
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
  const tree = parse(cargoLocked(root, 'tree', ['--edges', 'normal,build', ...selection], env));
  const relevant = buildTime(tree, info);
  const pick = (side: Side) => [...tree.entries]
    .filter(([k, e]) => e.side === side && relevant.has(k))
    .map(([k, e]) => describe(e, info, tree.buildDeps.get(k)));
  return { target: pick('target'), host: pick('host') };
}
