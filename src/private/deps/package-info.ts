import { cargoLocked } from './cargo-run';

/** What a package's manifest says about building it, as `cargo metadata` reports it. */
export interface PackageInfo {
  /** Its `links` key: the native library it links. */
  readonly links?: string;
  /** It has a build script. */
  readonly buildScript: boolean;
  /** It is a procedural macro (it runs in the compiler, on the build platform). */
  readonly procMacro: boolean;
}

interface MetadataPackage {
  name: string;
  version: string;
  links?: string | null;
  targets: Array<{ kind: string[] }>;
}

/** Parses `cargo metadata --format-version 1` output into package info keyed by `name@version`. */
export function parsePackageInfo(json: string): Map<string, PackageInfo> {
  const meta = JSON.parse(json) as { packages: MetadataPackage[] };
  const out = new Map<string, PackageInfo>();
  for (const p of meta.packages) {
    const kinds = p.targets.flatMap((t) => t.kind);
    out.set(`${p.name}@${p.version}`, {
      links: p.links ?? undefined,
      buildScript: kinds.includes('custom-build'),
      procMacro: kinds.includes('proc-macro'),
    });
  }
  return out;
}

/** The package info of every package in the workspace's lock, from `cargo metadata` (offline first). */
export function readPackageInfo(root: string, env: NodeJS.ProcessEnv): Map<string, PackageInfo> {
  // Every feature, so optional dependencies are listed too (the graph's own features come from cargo tree).
  return parsePackageInfo(cargoLocked(root, 'metadata', ['--format-version', '1', '--all-features'], env));
}
