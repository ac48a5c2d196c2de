/**
 * The hand-made workspaces under test/workspaces and the image each test
 * builds from them. Each case's dependency graph is stored beside the
 * workspace (`<imageName>.crate-graph.json`, refreshed by
 * `npx projen test:graphs`), so the unit tests need no cargo.
 */
import { join } from 'path';
import { WORKSPACES } from './projects';
import { Libc, RustDockerImageOptions } from '../src';

export { WORKSPACES };

export interface WorkspaceCase {
  /** Folder under test/workspaces. */
  readonly dir: string;
  /** Options of the image (imageName keeps graphs of one workspace apart). */
  readonly options: RustDockerImageOptions;
  /** The Cargo root inside the folder, when not its root. */
  readonly cratePath?: string;
}

/** A C-dependency crate per workspace, each built for real in the image suite. */
export const C_DEPENDENCY_CASES: WorkspaceCase[] = [
  'c-ring', 'c-aws-lc-rs', 'c-openssl-vendored', 'c-zstd', 'c-sqlite-bundled', 'c-prost-build', 'c-bindgen', 'c-jemalloc', 'c-mimalloc', 'c-libz',
].map((dir) => ({ dir, options: {} }));

/** Cases where Cargo.lock and the compiled graph disagree. */
export const GRAPH_CASES: WorkspaceCase[] = [
  { dir: 'g-openssl-feature', options: {} },
  { dir: 'g-openssl-feature', options: { imageName: 'vendored', features: ['vendored'] } },
  { dir: 'g-native-tls-optional', options: {} },
  { dir: 'g-native-tls-optional', options: { imageName: 'native-tls', features: ['native-tls'] } },
  { dir: 'g-protoc-mixed', options: { binary: 'server' } },
  { dir: 'g-protoc-mixed', options: { imageName: 'vendored-only', binary: 'server', noDefaultFeatures: true } },
  { dir: 'g-unwind', options: {} },
  { dir: 'g-unwind', options: { imageName: 'traces', features: ['stack-traces'] } },
  { dir: 'g-vergen', options: {} },
  { dir: 'g-other-os', options: {} },
  { dir: 'g-per-target', options: {} },
  { dir: 'g-split-context', cratePath: 'rust', options: { cratePath: 'rust', contextPath: '.' } },
];

/** A binary over a library member with a C dependency: musl, and glibc with a floor (cargo-chef #367 needs the library). */
export const LIB_MEMBER_CASES: WorkspaceCase[] = [
  { dir: 'w-lib-member', options: {} },
  { dir: 'w-lib-member', options: { imageName: 'glibc', libc: Libc.glibc('2.28') } },
];

/** A service of realistic size (153 packages) for the build benchmarks. */
export const BENCH_CASE: WorkspaceCase = { dir: 'bench-service', options: {} };

/** Every case, with its folder. */
export function allCases(): Array<WorkspaceCase & { path: string }> {
  return [...C_DEPENDENCY_CASES, ...GRAPH_CASES, ...LIB_MEMBER_CASES, BENCH_CASE].map((c) => ({ ...c, path: join(WORKSPACES, c.dir) }));
}
