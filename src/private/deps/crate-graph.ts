import { createHash } from 'crypto';
import { existsSync, readFileSync } from 'fs';
import { join, posix, relative } from 'path';
import { parseToml } from '../cargo/toml-parser';

/**
 * One compiled crate that runs code at build time (a build script, `links`,
 * a procedural macro) or that a build script uses, with the features Cargo
 * enables on it.
 */
export interface CompiledCrate {
  readonly crate: string;
  readonly version: string;
  readonly features: string[];
  /** Its `links` key: the native library it links. */
  readonly links?: string;
  /** It has a build script. */
  readonly buildScript?: boolean;
  /** It is a procedural macro. */
  readonly procMacro?: boolean;
  /** The compiled packages its build script depends on. */
  readonly buildDeps?: string[];
}

/**
 * What one target's build compiles, of the build-time crates. A crate Cargo
 * compiles for both platforms is in both lists, each copy with its features.
 */
export interface TargetGraph {
  /** The copies compiled for the target: linked into the image's binaries. */
  readonly target: CompiledCrate[];
  /** The copies compiled for the build platform: build scripts, proc macros and their dependencies. */
  readonly host: CompiledCrate[];
}

/** What the image's build compiles, per target triple, as Cargo resolves it. */
export interface CrateGraph {
  /** Hash of everything the resolution depends on (see `graphFingerprint`). */
  readonly fingerprint: string;
  readonly targets: Record<string, TargetGraph>;
}

/**
 * What is resolved: the image's packages and features, for each target.
 * Nothing about the rules: a library upgrade that changes them leaves every
 * stored graph current, because the graph holds every build-time crate.
 */
export interface GraphQuery {
  readonly packages: string[];
  readonly features: string[];
  readonly noDefaultFeatures: boolean;
  /** Cargo target triples (without a glibc version suffix). */
  readonly targets: string[];
}

/**
 * The stored format. 4: each target's graph keeps the build platform's copies
 * (`host`) apart from the target's; 3 and earlier listed a crate compiled for
 * both once (`hostOnly` held the rest), so such a file is regenerated.
 */
export const GRAPH_FORMAT = 4;

/** Manifest keys that do not change what Cargo resolves: package metadata such as the version. */
const PACKAGE_KEYS_KEPT = ['name', 'links', 'build'];

/** JSON with sorted keys, so the order of a TOML file's tables does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What of a file decides Cargo's resolution: a manifest without its package
 * metadata (a version bump changes nothing), Cargo.lock without the versions
 * of the workspace's own packages, and any other file as text.
 */
function resolutionContent(file: string): string {
  const text = readFileSync(file, 'utf-8').replace(/\r\n/g, '\n');
  if (file.endsWith('Cargo.toml')) {
    const manifest = parseToml(text) as Record<string, unknown>;
    const pkg = manifest.package as Record<string, unknown> | undefined;
    if (pkg) manifest.package = Object.fromEntries(Object.entries(pkg).filter(([k]) => PACKAGE_KEYS_KEPT.includes(k)));
    const ws = manifest.workspace as Record<string, unknown> | undefined;
    if (ws) delete ws.package;
    return canonical(manifest);
  }
  if (file.endsWith('Cargo.lock')) {
    const lock = parseToml(text) as { package?: Array<Record<string, unknown>> };
    for (const p of lock.package ?? []) if (p.source === undefined) delete p.version;
    return canonical(lock);
  }
  return text;
}

/**
 * A hash of the query and of what Cargo's resolution reads from Cargo.lock,
 * the manifests and `.cargo/config.toml` (see `resolutionContent`), with line
 * endings normalised, so it is the same on any machine and a version bump
 * leaves it unchanged.
 *
 * @param root absolute workspace root
 * @param files absolute paths of the files to include (missing ones are skipped)
 */
export function graphFingerprint(root: string, files: string[], query: GraphQuery): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ schema: GRAPH_FORMAT, query }));
  for (const file of [...new Set(files)].sort()) {
    if (!existsSync(file)) continue;
    const rel = relative(root, file).split(/[\\/]/).join(posix.sep);
    h.update(`\0${rel}\0${createHash('sha256').update(resolutionContent(file)).digest('hex')}`);
  }
  return `sha256:${h.digest('hex')}`;
}

/** The files the graph of a workspace depends on. */
export function graphInputs(root: string, manifestFiles: string[]): string[] {
  return [...manifestFiles, join(root, 'Cargo.lock'), join(root, '.cargo', 'config.toml'), join(root, '.cargo', 'config')];
}

/** A crate as stored: sorted lists, and the build facts only where they hold. */
function storedCrate(c: CompiledCrate): Record<string, unknown> {
  return {
    crate: c.crate,
    version: c.version,
    features: [...c.features].sort(),
    ...(c.links ? { links: c.links } : {}),
    ...(c.buildScript ? { buildScript: true } : {}),
    ...(c.procMacro ? { procMacro: true } : {}),
    ...(c.buildDeps?.length ? { buildDeps: [...c.buildDeps].sort() } : {}),
  };
}

/** The graph as stored in the committed file (sorted, so the text is deterministic). */
export function graphToJson(graph: CrateGraph): Record<string, unknown> {
  const sortCrates = (list: CompiledCrate[]) => [...list]
    .sort((a, b) => a.crate.localeCompare(b.crate) || a.version.localeCompare(b.version))
    .map(storedCrate);
  const targets: Record<string, unknown> = {};
  for (const t of Object.keys(graph.targets).sort()) {
    targets[t] = { target: sortCrates(graph.targets[t].target), host: sortCrates(graph.targets[t].host) };
  }
  return {
    comment: 'The crates this image compiles that run code at build time (build scripts, links, proc macros) and what their build scripts use, per target, as Cargo resolves them: '
      + 'the copies compiled for the target, and those compiled for the build platform (host). Refreshed by `npx projen` when Cargo.lock or a manifest changes.',
    format: GRAPH_FORMAT,
    fingerprint: graph.fingerprint,
    targets,
  };
}

/** A stored graph file as read: the graph, or the other format it is in (see GRAPH_FORMAT). */
export interface StoredGraph {
  readonly graph?: CrateGraph;
  /** The file is a graph in another format (0: before formats were numbered): it is not read, it is regenerated. */
  readonly otherFormat?: number;
}

/** Reads a stored graph; nothing when the file is missing or not a graph; another format is never read as this one. */
export function readStoredGraph(file: string): StoredGraph {
  if (!existsSync(file)) return {};
  try {
    const json = JSON.parse(readFileSync(file, 'utf-8'));
    if (typeof json.fingerprint !== 'string' || !json.targets || typeof json.targets !== 'object') return {};
    const lists = Object.values(json.targets as Record<string, Record<string, unknown>>);
    if (json.format !== GRAPH_FORMAT) return { otherFormat: typeof json.format === 'number' ? json.format : 0 };
    if (!lists.every((g) => Array.isArray(g?.target) && Array.isArray(g?.host))) return {};
    return { graph: { fingerprint: json.fingerprint, targets: json.targets } };
  } catch {
    return {};
  }
}
