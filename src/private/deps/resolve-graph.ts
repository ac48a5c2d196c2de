import { staleLockFix } from '../cargo/lock-freshness';
import { lockHasAny } from '../cargo/lockfile';
import { CargoWorkspace } from '../cargo/workspace';
import { RustDockerConfigError } from '../errors';
import { resolveTargetGraph, ResolutionError } from './cargo-tree';
import { CrateGraph, graphFingerprint, graphInputs, GraphQuery, readStoredGraph } from './crate-graph';

/** The graph of one image and whether it must be stored. */
export interface ResolvedGraph {
  /** Undefined when nothing needs resolving: Cargo.lock has none of the watched crates. */
  readonly graph?: CrateGraph;
  /** Whether the graph was computed now (true) or read from the stored file (false). */
  readonly fresh: boolean;
}

/**
 * The dependency graph the image compiles. When Cargo.lock lists none of the
 * watched crates, none can be compiled and nothing is resolved. Otherwise the
 * stored graph is used when its fingerprint matches, so `npx projen` works
 * offline when nothing changed; when it does not, `cargo tree` resolves the
 * graph again. There is no fallback to reading Cargo.lock: when Cargo cannot
 * resolve, synthesis stops and says what to run.
 *
 * @param storedFile absolute path of the stored graph
 * @param display the stored graph's path as shown in messages
 */
export function resolveCrateGraph(ws: CargoWorkspace, query: GraphQuery, storedFile: string, display: string): ResolvedGraph {
  const watchedInLock = (ws.lockfile?.packages ?? []).filter((p) => query.watched.includes(p.name)).map((p) => p.name);
  if (!lockHasAny(ws.lockfile, new Set(query.watched))) return { fresh: false };
  const fingerprint = graphFingerprint(ws.root, graphInputs(ws.root, ws.manifestFiles), query);
  const stored = readStoredGraph(storedFile);
  if (stored && stored.fingerprint === fingerprint) return { graph: stored, fresh: false };
  try {
    const targets: CrateGraph['targets'] = {};
    for (const t of query.targets) targets[t] = resolveTargetGraph(ws.root, query, t);
    return { graph: { fingerprint, targets }, fresh: true };
  } catch (e) {
    if (!(e instanceof ResolutionError)) throw e;
    if (/--locked was passed|lock file needs to be updated/.test(e.problem)) {
      throw new RustDockerConfigError(`${ws.displayRoot}Cargo.lock`, `is out of date for the manifests: Cargo says "${e.problem}"`, staleLockFix(ws));
    }
    const why = stored ? 'is out of date (Cargo.lock, a manifest or the image\'s packages, features or targets changed)' : 'does not exist yet';
    throw new RustDockerConfigError(
      display,
      `Cargo.lock lists crates with C-dependency rules (${[...new Set(watchedInLock)].sort().join(', ')}), so the generator asks Cargo which of them this image really compiles; the stored answer ${why}, and Cargo could not resolve it here: ${e.problem}`,
      `install Rust (https://rustup.rs) and run \`npx projen\` again with access to the crates registry, or run \`cargo fetch --locked\` in ${ws.displayRoot || './'} first and then \`npx projen\` offline`,
    );
  }
}
