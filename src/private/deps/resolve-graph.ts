import { staleLockFix } from '../cargo/lock-freshness';
import { CargoWorkspace } from '../cargo/workspace';
import { RustDockerConfigError } from '../errors';
import { cargoEnv, ResolutionError } from './cargo-run';
import { resolveTargetGraph } from './cargo-tree';
import { CrateGraph, GRAPH_FORMAT, graphFingerprint, graphInputs, GraphQuery, readStoredGraph } from './crate-graph';
import { lockNeedsGraph } from './native';
import { readPackageInfo } from './package-info';
import { RULE_CRATES } from './rules';

/** The graph of one image and whether it must be stored. */
export interface ResolvedGraph {
  /** Undefined when nothing needs resolving: Cargo.lock lists nothing that builds native code or that a rule names. */
  readonly graph?: CrateGraph;
  /** Whether the graph was computed now (true) or read from the stored file (false). */
  readonly fresh: boolean;
  /** Said to the user when the stored file was in another format and is regenerated. */
  readonly notice?: string;
}

/**
 * The dependency graph the image compiles. When Cargo.lock lists nothing
 * that builds native code (no compiler or probe crate, no -sys crate) and no
 * crate a rule names, nothing is resolved. Otherwise the
 * stored graph is used when its fingerprint matches, so `npx projen` works
 * offline when nothing changed; when it does not, `cargo tree` resolves the
 * graph again. There is no fallback to reading Cargo.lock: when Cargo cannot
 * resolve, synthesis stops and says what to run.
 *
 * @param storedFile absolute path of the stored graph
 * @param display the stored graph's path as shown in messages
 */
export function resolveCrateGraph(ws: CargoWorkspace, query: GraphQuery, storedFile: string, display: string): ResolvedGraph {
  if (!lockNeedsGraph((ws.lockfile?.packages ?? []).map((p) => p.name), RULE_CRATES)) return { fresh: false };
  const fingerprint = graphFingerprint(ws.root, graphInputs(ws.root, ws.manifestFiles), query);
  const { graph: stored, otherFormat } = readStoredGraph(storedFile);
  if (stored && stored.fingerprint === fingerprint) return { graph: stored, fresh: false };
  const formatNote = otherFormat === undefined ? undefined
    : `is in ${otherFormat > GRAPH_FORMAT ? 'a later' : 'an earlier'} format of projen-rust-docker (${otherFormat || 'unnumbered'}; this version writes ${GRAPH_FORMAT}, `
      + 'which keeps the build platform\'s copy of a crate apart from the target\'s)';
  try {
    const env = cargoEnv();
    const info = readPackageInfo(ws.root, env);
    const targets: CrateGraph['targets'] = {};
    for (const t of query.targets) targets[t] = resolveTargetGraph(ws.root, query, t, info, env);
    const notice = formatNote ? `${display} ${formatNote}: regenerated with Cargo. Fix: commit the regenerated file` : undefined;
    return { graph: { fingerprint, targets }, fresh: true, notice };
  } catch (e) {
    if (!(e instanceof ResolutionError)) throw e;
    if (/--locked was passed|lock file needs to be updated/.test(e.problem)) {
      throw new RustDockerConfigError(`${ws.displayRoot}Cargo.lock`, `is out of date for the manifests: Cargo says "${e.problem}"`, staleLockFix(ws));
    }
    const why = formatNote ?? (stored ? 'is out of date (Cargo.lock, a manifest or the image\'s packages, features or targets changed)' : 'does not exist yet');
    throw new RustDockerConfigError(
      display,
      `Cargo.lock lists crates that build native code, so the generator asks Cargo which of them this image really compiles; the stored answer ${why}, and Cargo could not resolve it here: ${e.problem}`,
      resolutionFix(e, ws.displayRoot || './'),
    );
  }
}

/** The fix for a failed resolution: install Rust, or reach the source Cargo named (or fetch where it can be reached). */
export function resolutionFix(e: ResolutionError, root: string): string {
  const elsewhere = `or run \`cargo fetch --locked\` in ${root} where it can be reached, then \`npx projen\` (it tries offline first)`;
  if (e.cause === 'no-cargo') return 'install Rust (https://rustup.rs), then run `npx projen` again';
  if (e.cause?.kind === 'git') {
    return `give this machine access to ${e.cause.host}, where Cargo could not reach the git repository of ${e.cause.dependency ?? 'a dependency'} (${e.cause.url}) `
      + `(a private host needs git credentials; behind a proxy or with an ssh agent, net.git-fetch-with-cli = true in .cargo/config.toml lets git fetch), ${elsewhere}`;
  }
  if (e.cause?.kind === 'registry') {
    return `give this machine access to ${e.cause.host}, the registry Cargo could not reach (${e.cause.url}; behind a proxy, https_proxy or http.proxy in .cargo/config.toml), ${elsewhere}`;
  }
  return `run \`npx projen\` again where Cargo can reach the crates registry and every git dependency, ${elsewhere}`;
}
