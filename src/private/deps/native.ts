import { CompiledCrate } from './crate-graph';

/** Build-script crates that compile native code from source (with zig cc, as cargo-zigbuild sets it up). */
export const COMPILERS = ['cc', 'cmake', 'autotools', 'nasm-rs', 'cxx-build'] as const;
/** Build-script crates that look for a library installed on the system. */
export const PROBES = ['pkg-config', 'vcpkg', 'system-deps', 'metadeps'] as const;

/**
 * How a crate with a build script or `links` gets its native code, read from
 * the packages its build script depends on:
 * - `bundled`: it compiles C (or C++, assembly) from source: cc, cmake, ...;
 *   a probe next to a compiler finds nothing for another target and falls
 *   back to the bundled sources;
 * - `system-probe`: it only looks for a system library (pkg-config, vcpkg,
 *   ...), which the builder cannot offer for another architecture;
 * - `links-only`: it declares `links` with neither.
 * Undefined for a build script that builds nothing native.
 */
export type NativeClass = 'bundled' | 'system-probe' | 'links-only';

export function nativeClass(c: CompiledCrate): { kind: NativeClass; tools: string[] } | undefined {
  if (!c.buildScript && !c.links) return undefined;
  const deps = c.buildDeps ?? [];
  const compilers = deps.filter((d) => (COMPILERS as readonly string[]).includes(d));
  const probes = deps.filter((d) => (PROBES as readonly string[]).includes(d));
  if (compilers.length) return { kind: 'bundled', tools: [...compilers, ...probes] };
  if (probes.length) return { kind: 'system-probe', tools: probes };
  if (c.links) return { kind: 'links-only', tools: [] };
  return undefined;
}

/**
 * Whether a Cargo.lock lists anything that builds native code or runs a
 * build-time rule (so the image's graph must be resolved): a compiler or
 * probe crate, a `-sys` crate, or a crate a rule names. A lock with none of
 * them needs no graph, no cargo and no stored file.
 */
export function lockNeedsGraph(names: readonly string[], ruleCrates: readonly string[]): boolean {
  const tools = new Set<string>([...COMPILERS, ...PROBES, 'bindgen', ...ruleCrates]);
  return names.some((n) => tools.has(n) || n.endsWith('-sys'));
}
