import { ResolvedPrivateGit } from './resolve-private-git';
import { BuildStrategy, CacheBackend, SignedAttestations } from '../../ci-options';
import { Libc } from '../../libc';
import { AdvisorySeverity, CompileLayout, IgnoredAdvisory } from '../../options';
import { Platform } from '../../platform';
import { Registry } from '../../registry';
import { CDependencyDecision } from '../deps/decisions';
import { TargetLibrary } from '../deps/target-libraries';

/** A package of the builder, with why it is there. */
export interface BuilderPackage {
  readonly name: string;
  readonly reason: string;
}

/** A tool the builder installs with `cargo install --locked`. */
export interface BuilderTool {
  readonly crate: string;
  readonly version: string;
}

/** Everything that decides the builder image's content. */
export interface BuilderSpec {
  /** `rust:<version>-alpine<release>`. */
  readonly baseImage: string;
  readonly rustVersion: string;
  /** A non-numeric channel (nightly, beta) installed with rustup on top of the base. */
  readonly extraToolchain?: string;
  readonly zigPackage: string;
  readonly tools: BuilderTool[];
  /** rustup targets. */
  readonly targets: string[];
  /** rustup components. */
  readonly components: string[];
  /** cargo-zigbuild `--target` values whose libc zig builds ahead, and with which profile. */
  readonly warmTargets: string[];
  readonly warmProfile: 'release' | 'dev';
  /** Alpine packages the C dependencies need, after the tools (so tool layers are shared). */
  readonly apkPackages: BuilderPackage[];
  /** Libraries built for every target (of `warmTargets`), in build order, each in a stage of its own. */
  readonly targetLibraries: TargetLibrary[];
}

/** One platform's Rust target. */
export interface ResolvedTarget {
  readonly platform: Platform;
  /** The triple (Cargo's output folder, rustup's target). */
  readonly rustTarget: string;
  /** The cargo-zigbuild `--target` (with the glibc suffix for glibc). */
  readonly zigTarget: string;
}

export interface ResolvedHealthcheck {
  readonly args: string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly startPeriodSeconds: number;
  readonly retries: number;
}

export interface ResolvedRuntime {
  readonly baseImage: string;
  readonly user: string;
  /** `EXPOSE` entries: "8080", "53/udp". */
  readonly ports: string[];
  readonly env: Array<[string, string]>;
  readonly args: string[];
  readonly extraFiles: Array<{ source: string; destination: string; mode?: string }>;
  readonly binDir: string;
  readonly healthcheck?: ResolvedHealthcheck;
  /** Copy the builder's CA bundle in: the base image is not known to ship one. */
  readonly copyCaCertificates: boolean;
}

/** One shipped binary and its runtime image. */
export interface ResolvedBinary {
  readonly name: string;
  readonly package: string;
  /** Runtime stage name (a build target). */
  readonly stage: string;
  readonly imageName: string;
  /** Short id for task, file and cache-scope names. */
  readonly slug: string;
  readonly runtime: ResolvedRuntime;
  /** OCI labels of the Dockerfile (the version comes from the build). */
  readonly labels: Array<[string, string]>;
}

/** The paths of an image, relative to the project (posix). */
export interface ResolvedPaths {
  /** The Cargo workspace root. */
  readonly cratePath: string;
  /** The Docker build context. */
  readonly contextPath: string;
  /** The Cargo root relative to the build context ('.' when they are the same). */
  readonly crateInContext: string;
  readonly dockerfile: string;
  readonly dockerignore: string;
  /** The stored dependency graph. */
  readonly crateGraph: string;
  /** docker-bake.json, for image sets. */
  readonly bakeFile?: string;
}

/** A validated remote builder, TLS defaults applied. */
export interface ResolvedRemoteBuilder {
  readonly driver: string;
  readonly endpoint: string;
  readonly tls?: {
    readonly caCertSecret: string;
    readonly certSecret: string;
    readonly keySecret: string;
    readonly serverName?: string;
  };
}

/** Validated CI settings. */
export interface ResolvedCi {
  readonly strategy: BuildStrategy;
  readonly registry: Registry;
  readonly runsOn: string[];
  /** Runner labels of each platform's job with NATIVE_RUNNERS. */
  readonly nativeRunners: Record<Platform, string[]>;
  readonly cache: CacheBackend;
  readonly cacheOnPullRequests: boolean;
  readonly attestations: boolean;
  readonly signedAttestations: SignedAttestations;
  readonly reproducible: boolean;
  readonly remoteBuilder?: ResolvedRemoteBuilder;
  readonly smokeTestArgs: string[];
  /** The branch whose pushes publish; undefined: the repository's default branch, whatever its name. */
  readonly defaultBranch?: string;
  readonly workflowName: string;
}

/** The vulnerability gate's policy. */
export interface ResolvedGate {
  /** The lowest failing severity; undefined: every vulnerability fails. */
  readonly failOn?: AdvisorySeverity;
  readonly ignore: IgnoredAdvisory[];
}

/** A RustDockerImage's configuration after validation and Cargo resolution. */
export interface ResolvedImage {
  /** Short id of the image set (first binary's slug, or the image name). */
  readonly id: string;
  readonly paths: ResolvedPaths;
  readonly binaries: ResolvedBinary[];
  /** The Cargo packages (workspace members) the build selects with `--package`. */
  readonly cargoPackages: string[];
  readonly features: string[];
  readonly noDefaultFeatures: boolean;
  readonly profile: string;
  /** The folder under target/<triple>/ that holds the profile's output. */
  readonly profileDir: string;
  readonly locked: boolean;
  readonly platforms: Platform[];
  readonly libc: Libc;
  readonly targets: ResolvedTarget[];
  readonly layout: CompileLayout;
  readonly registryCacheMount: boolean;
  /** Cargo.lock has git dependencies (or there is no lock to tell): the git cache mount is needed. */
  readonly gitDependencies: boolean;
  /** Private git dependencies: the token's secret and the origins it is for (`privateGit`). */
  readonly privateGit?: ResolvedPrivateGit;
  readonly auditable: boolean;
  readonly debugSymbols: boolean;
  /** The vulnerability gate, when on. */
  readonly gate?: ResolvedGate;
  /** sccache settings, when on. */
  readonly sccache?: { readonly githubActionsCache: boolean };
  /** The cache mount id that keeps the cook's target folder between cooks (`CompilerCache.cargoTarget()`), when on. */
  readonly cargoTargetCache?: string;
  readonly builder: BuilderSpec;
  /** Environment for cook and build (C-dependency rules, build settings, the user's). */
  readonly buildEnv: Array<[string, string]>;
  /** Workspace member folders, relative to the build context. */
  readonly memberDirs: string[];
  /** Why the planner repairs cargo-chef's recipe (empty: no repair; see recipe-repair.ts). */
  readonly recipeRepair: string[];
  /** Members whose real version the repair gives back (`name=version`; see recipe-repair.ts). */
  readonly recipeUnmasked: string[];
  /** Path crates cargo-chef does not skeleton, relative to the build context: copied before the cook. */
  readonly pathCratesForCook: string[];
  /** Keep `.git` in the build context. */
  readonly includeGit: boolean;
  readonly dockerignoreExtra: string[];
  readonly decisions: CDependencyDecision[];
  /** The dependency graph to store, when Cargo.lock lists watched crates. */
  readonly crateGraph?: Record<string, unknown>;
  readonly warnings: string[];
  /** CI settings, or undefined when CI is off. */
  readonly ci?: ResolvedCi;
}
