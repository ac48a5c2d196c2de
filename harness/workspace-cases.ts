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

/**
 * The C-dependency cases whose mechanism another build of the real-build suite
 * already proves, with that build: every run builds the rest, and with
 * PRD_FULL_MATRIX=1 (the full matrix, a recorded run) these too.
 */
export const PROVEN_ELSEWHERE: Record<string, string> = {
  'c-openssl-vendored': 'the kitchen compiles openssl-sys with "vendored" (perl, make, linux-headers), and the target-openssl stage drives the same openssl-src build',
  'c-sqlite-bundled': 'the target-sqlite stage (l-target-libs) compiles libsqlite3-sys with "bundled" with zig cc',
  'c-zstd': 'bundled C compiled with zig cc through cc: the kitchen\'s bzip2-sys, lzma-sys and onig_sys',
  'c-mimalloc': 'bundled C compiled with zig cc through cc: the kitchen\'s bzip2-sys, lzma-sys and onig_sys',
  'c-prost-build': 'the kitchen runs prost-build and tonic-build with the builder\'s protoc',
};

/** Whether this run builds the full matrix (PRD_FULL_MATRIX=1): a recorded run, not every CI run. */
export function fullMatrix(): boolean {
  return process.env.PRD_FULL_MATRIX === '1';
}

/** The C-dependency cases a run builds: all with the full matrix, else those no other build proves. */
export function cDependencyCasesToBuild(full = fullMatrix()): WorkspaceCase[] {
  return C_DEPENDENCY_CASES.filter((c) => full || !(c.dir in PROVEN_ELSEWHERE));
}

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

/**
 * One binary over many rule crates at once (one cook): bundled C libraries, protoc from the
 * builder and from protobuf-src, the git-metadata crates, and a bundled and a links-only
 * native crate that no rule knows. Built for real in the image suite.
 */
export const KITCHEN_CASE: WorkspaceCase = { dir: 'c-kitchen', options: {} };

/**
 * The system libraries the build provides for every target (OpenSSL, libpq, SQLite), linked
 * the system way by one binary (no vendored or bundled feature): built for real, and run.
 */
export const TARGET_LIBRARY_CASE: WorkspaceCase = { dir: 'l-target-libs', options: {} };
/** The same for glibc targets with a floor. */
export const TARGET_LIBRARY_GLIBC_CASE: WorkspaceCase = { dir: 'l-target-libs', options: { imageName: 'glibc', libc: Libc.glibc('2.28') } };

/**
 * A native crate that only probes for a system library (libdbus-sys): refused without the
 * feature that bundles it, built with it (the fix the refusal names).
 */
export const PROBE_CASES: WorkspaceCase[] = [
  { dir: 'n-probe', options: {} },
  { dir: 'n-probe', options: { imageName: 'vendored', features: ['vendored'] } },
];

/**
 * The rule crates too slow for CI (long C/C++ builds; protobuf-src alone is about 20
 * CPU-minutes): built for real by scripts/bench-native.ts, which also refreshes their
 * stored graphs.
 */
export const HEAVY_CASES: WorkspaceCase[] = ['h-librocksdb-sys', 'h-rdkafka-sys', 'h-mysqlclient-sys', 'h-aws-lc-fips-sys', 'h-protobuf-src']
  .map((dir) => ({ dir, options: {} }));

/** Every case, with its folder. */
export function allCases(): Array<WorkspaceCase & { path: string }> {
  const cases = [...C_DEPENDENCY_CASES, ...GRAPH_CASES, ...LIB_MEMBER_CASES, BENCH_CASE, KITCHEN_CASE];
  return [...cases, TARGET_LIBRARY_CASE, TARGET_LIBRARY_GLIBC_CASE, ...PROBE_CASES]
    .map((c) => ({ ...c, path: join(WORKSPACES, c.dir) }));
}

/** A version bump as `cargo` leaves it: the manifest's `version` and the packages' Cargo.lock entries. */
export interface VersionBump {
  /** The manifest that holds the version, relative to the case's folder. */
  readonly manifest: string;
  /** The packages whose Cargo.lock entries change (several with `version.workspace = true`). */
  readonly packages: string[];
  readonly from: string;
  readonly to: string;
}

/** What every workspace shape records. */
interface ShapeBase extends WorkspaceCase {
  readonly description: string;
  /** cargo-chef issues and pull requests about the shape. */
  readonly cargoChefIssues: string[];
}

/**
 * A workspace shape that cargo-chef has mishandled and the generated build
 * handles: it builds for both platforms, the binaries run, the cook stays
 * cached after a source edit and after a version bump, and the build stage
 * compiles only workspace crates.
 */
export interface BuildingShape extends ShapeBase {
  readonly expected: 'builds';
  /** The image's binary and what it prints, per platform. */
  readonly binary: string;
  readonly output: Record<'linux/amd64' | 'linux/arm64', string>;
  /** The packages the build stage may compile (the others come from the cook). */
  readonly workspaceCrates: string[];
  /** A source file to edit, relative to the case's folder, and the package it belongs to. */
  readonly sourceEdit: { readonly file: string; readonly crate: string };
  readonly bump: VersionBump;
  /** The manifest of a member the image's binary does not need: editing it must leave the cook cached (prepare --bin). */
  readonly unrelatedManifest?: string;
  /** Whether the planner's recipe repair changes the recipe (src/private/dockerfile/recipe-repair.ts). */
  readonly recipeRepair?: boolean;
}

/**
 * A workspace shape the generated build cannot handle: synthesis refuses it,
 * naming the shape and the fix (instead of a failing cook).
 */
export interface RefusedShape extends ShapeBase {
  readonly expected: 'refused';
  /** What the refusal says. */
  readonly refusal: RegExp;
  /** What the user should change. */
  readonly fix: string;
}

export type ShapeCase = BuildingShape | RefusedShape;

const ISSUES = 'https://github.com/LukeMathWalker/cargo-chef/issues/';
const PULLS = 'https://github.com/LukeMathWalker/cargo-chef/pull/';
const both = (output: string): Record<'linux/amd64' | 'linux/arm64', string> => ({ 'linux/amd64': output, 'linux/arm64': output });

/** Workspace shapes, each built for real for both platforms (test/integration/workspace-shapes.test.ts). */
export const SHAPE_CASES: ShapeCase[] = [
  {
    dir: 's-name-collision',
    options: {},
    description: 'a member named like a registry crate in the graph (member itoa 0.1.0, registry itoa 1.x): cargo-chef masks the member to 0.0.1 '
      + 'but not the "itoa 0.1.0" reference, and cleans up the registry crate\'s artifacts with the dummy\'s (repaired in the planner)',
    cargoChefIssues: [`${ISSUES}224`, `${ISSUES}176`, `${ISSUES}93`, `${PULLS}134`],
    expected: 'builds',
    binary: 'app',
    output: both('app: 255 is 0xff'),
    workspaceCrates: ['app', 'itoa'],
    sourceEdit: { file: 'itoa/src/lib.rs', crate: 'itoa' },
    bump: { manifest: 'itoa/Cargo.toml', packages: ['itoa'], from: '0.1.0', to: '0.1.1' },
    recipeRepair: true,
  },
  {
    dir: 's-renamed-dep',
    options: {},
    description: 'renamed dependencies (package = "..."): a member with a version requirement, and a registry crate',
    cargoChefIssues: [`${ISSUES}103`, `${PULLS}209`],
    expected: 'builds',
    binary: 'app',
    output: both('app: 42 via app-core'),
    workspaceCrates: ['app', 'app-core'],
    sourceEdit: { file: 'core/src/lib.rs', crate: 'app-core' },
    bump: { manifest: 'core/Cargo.toml', packages: ['app-core'], from: '0.2.0', to: '0.2.1' },
  },
  {
    dir: 's-patch-path',
    options: {},
    description: '[patch.crates-io] to a path inside the workspace folder (not a member): the cook copies the patched crate\'s sources',
    cargoChefIssues: [`${ISSUES}64`],
    expected: 'builds',
    binary: 'app',
    output: both('app: 7 from the patched itoa'),
    workspaceCrates: ['app'],
    sourceEdit: { file: 'app/src/main.rs', crate: 'app' },
    bump: { manifest: 'app/Cargo.toml', packages: ['app'], from: '0.1.0', to: '0.1.1' },
  },
  {
    dir: 's-target-specific',
    options: {},
    description: 'target-specific dependencies: registry crates per architecture, a Linux-only member and a Windows-only member',
    cargoChefIssues: [],
    expected: 'builds',
    binary: 'app',
    output: { 'linux/amd64': 'app: x86_64 (itoa 64) on linux', 'linux/arm64': 'app: aarch64 (cfg-if little-endian) on linux' },
    workspaceCrates: ['app', 'linux-only'],
    sourceEdit: { file: 'linux-only/src/lib.rs', crate: 'linux-only' },
    bump: { manifest: 'linux-only/Cargo.toml', packages: ['linux-only'], from: '0.1.0', to: '0.1.1' },
  },
  {
    dir: 's-workspace-inheritance',
    options: {},
    description: 'workspace inheritance: version.workspace = true, [workspace.dependencies] with a member (path and version)',
    cargoChefIssues: [`${ISSUES}162`, `${ISSUES}167`],
    expected: 'builds',
    binary: 'app',
    output: both('app: 3 says hello from shared'),
    workspaceCrates: ['app', 'shared'],
    sourceEdit: { file: 'crates/shared/src/lib.rs', crate: 'shared' },
    bump: { manifest: 'Cargo.toml', packages: ['app', 'shared'], from: '0.3.0', to: '0.3.1' },
  },
  {
    dir: 's-build-script',
    options: {},
    description: 'build scripts in members: generated code from OUT_DIR, a build-dependency, links metadata read by a dependent\'s build script',
    cargoChefIssues: [`${ISSUES}42`, `${PULLS}44`],
    expected: 'builds',
    binary: 'app',
    output: both('app: generated by gen\'s build script: 42 (answer 42)'),
    workspaceCrates: ['app', 'gen'],
    sourceEdit: { file: 'gen/build.rs', crate: 'gen' },
    bump: { manifest: 'gen/Cargo.toml', packages: ['gen'], from: '0.1.0', to: '0.1.1' },
  },
  {
    dir: 's-default-members',
    options: {},
    description: 'default-members picks the image\'s binary among two binary members',
    cargoChefIssues: [`${PULLS}253`, `${PULLS}57`],
    expected: 'builds',
    binary: 'app',
    output: both('app: 5 items'),
    workspaceCrates: ['app', 'dm-lib'],
    sourceEdit: { file: 'lib/src/lib.rs', crate: 'dm-lib' },
    bump: { manifest: 'app/Cargo.toml', packages: ['app'], from: '0.1.0', to: '0.1.1' },
    unrelatedManifest: 'tool/Cargo.toml',
  },
  {
    dir: 's-bin-dirs',
    options: { binary: 'server' },
    description: 'binaries in src/bin/<name>/main.rs (with a module) and src/bin/<name>.rs over the package\'s library',
    cargoChefIssues: [`${PULLS}133`, `${ISSUES}203`],
    expected: 'builds',
    binary: 'server',
    output: both('server: routes /v1,/health'),
    workspaceCrates: ['multi'],
    sourceEdit: { file: 'src/bin/server/routes.rs', crate: 'multi' },
    bump: { manifest: 'Cargo.toml', packages: ['multi'], from: '0.1.0', to: '0.1.1' },
  },
  {
    dir: 's-outside-path',
    cratePath: 'rust',
    options: { cratePath: 'rust', contextPath: '.' },
    description: 'a path dependency outside the Cargo root (contextPath holds both): the cook copies its sources',
    cargoChefIssues: [`${ISSUES}4`, `${PULLS}169`],
    expected: 'builds',
    binary: 'app',
    output: both('app: shared from outside the workspace and 9'),
    workspaceCrates: ['app'],
    sourceEdit: { file: 'rust/app/src/main.rs', crate: 'app' },
    bump: { manifest: 'rust/app/Cargo.toml', packages: ['app'], from: '0.1.0', to: '0.1.1' },
  },
  {
    dir: 's-no-version',
    options: {},
    description: 'a member without a version (Cargo 1.75+ makes it 0.0.0): cargo-chef masks its lock entry to 0.0.1 and not its manifest (repaired in the planner)',
    cargoChefIssues: [],
    expected: 'builds',
    binary: 'app',
    output: both('app: versionless 0'),
    workspaceCrates: ['app', 'util'],
    sourceEdit: { file: 'app/src/main.rs', crate: 'app' },
    bump: { manifest: 'util/Cargo.toml', packages: ['util'], from: '0.1.0', to: '0.1.1' },
    recipeRepair: true,
  },
  {
    dir: 's-targets',
    options: {},
    description: 'a proc-macro member, a custom [lib] path, a bench in benches/<name>/main.rs, an example and an integration test',
    cargoChefIssues: [`${ISSUES}203`, `${ISSUES}16`, `${PULLS}57`],
    expected: 'builds',
    binary: 'app',
    output: both('app: the proc macro made 42'),
    workspaceCrates: ['app', 'macros'],
    sourceEdit: { file: 'macros/src/lib.rs', crate: 'macros' },
    bump: { manifest: 'macros/Cargo.toml', packages: ['macros'], from: '0.1.0', to: '0.1.1' },
  },
  {
    dir: 's-version-001',
    options: {},
    description: 'a package whose real version is cargo-chef\'s mask (0.0.1): the build must not keep the cook\'s dummy binary',
    cargoChefIssues: [`${ISSUES}212`],
    expected: 'builds',
    binary: 'early',
    output: both('early: 1'),
    workspaceCrates: ['early'],
    sourceEdit: { file: 'src/main.rs', crate: 'early' },
    bump: { manifest: 'Cargo.toml', packages: ['early'], from: '0.0.1', to: '0.0.2' },
  },
  {
    dir: 's-patch-member',
    options: {},
    description: '[patch.crates-io] to a crate that is also a workspace member: cargo-chef masks it to 0.0.1, so the patch would no longer match '
      + 'the registry requirement in the cook; the planner gives the member its version back',
    cargoChefIssues: [`${ISSUES}64`, `${PULLS}134`],
    expected: 'builds',
    binary: 'app',
    output: both('app: 7 from the patched itoa'),
    workspaceCrates: ['app', 'itoa'],
    sourceEdit: { file: 'app/src/main.rs', crate: 'app' },
    bump: { manifest: 'app/Cargo.toml', packages: ['app'], from: '0.1.0', to: '0.1.1' },
    recipeRepair: true,
  },
  {
    dir: 's-hakari-published',
    options: {},
    description: 'cargo-hakari\'s workspace-hack, published pattern: every member requires the registry\'s workspace-hack 0.1 (an empty stub), '
      + 'and [patch.crates-io] makes it the member hakari generates (its [package], build.rs and stub lib.rs as hakari writes them)',
    cargoChefIssues: [],
    expected: 'builds',
    binary: 'app',
    output: both('app: unified by the workspace-hack at 6 (Shape: cargo-hakari\'s workspace-hack, published pattern)'),
    workspaceCrates: ['app', 'shop-core', 'workspace-hack'],
    sourceEdit: { file: 'shop-core/src/lib.rs', crate: 'shop-core' },
    bump: { manifest: 'app/Cargo.toml', packages: ['app'], from: '0.1.0', to: '0.1.1' },
    recipeRepair: true,
  },
  {
    dir: 's-hakari-path',
    options: {},
    description: 'cargo-hakari\'s workspace-hack, default pattern: every member depends on the workspace-hack member by path',
    cargoChefIssues: [],
    expected: 'builds',
    binary: 'app',
    output: both('app: unified by the workspace-hack at 6 (Shape: cargo-hakari\'s workspace-hack, path pattern)'),
    workspaceCrates: ['app', 'shop-core', 'workspace-hack'],
    sourceEdit: { file: 'shop-core/src/lib.rs', crate: 'shop-core' },
    bump: { manifest: 'app/Cargo.toml', packages: ['app'], from: '0.1.0', to: '0.1.1' },
  },
  {
    dir: 's-patch-member-dependents',
    options: {},
    description: '[patch.crates-io] to a workspace member that a registry crate (serde_json) depends on: the cook would compile serde_json '
      + 'against cargo-chef\'s dummy sources of the member',
    cargoChefIssues: [`${ISSUES}64`],
    expected: 'refused',
    refusal: /Cargo\.toml \[patch\.crates-io\]: itoa is patched with patches\/itoa, which is also a workspace member, and crates of the registry depend on it \(serde_json 1\.0\.\d+\).*Fix: take patches\/itoa out of the workspace/,
    fix: 'take the patched crate out of [workspace] members (or add it to exclude): the cook then copies its sources as a path crate (s-patch-path)',
  },
];
