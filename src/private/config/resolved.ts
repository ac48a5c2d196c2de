import { CDependencyDecision } from '../cargo/c-dependencies';
import { CompileLayout } from '../options';
import { Platform } from '../platform';

/** A package of the builder, with why it is there. */
export interface BuilderPackage {
  readonly name: string;
  readonly reason: string;
}

/** Everything that decides the builder image's content. */
export interface BuilderSpec {
  /** `rust:<version>-alpine<release>`. */
  readonly baseImage: string;
  readonly rustVersion: string;
  /** A non-numeric channel (nightly, beta) installed with rustup on top of the base. */
  readonly extraToolchain?: string;
  readonly packages: BuilderPackage[];
  readonly zigPackage: string;
  readonly cargoChefVersion: string;
  readonly cargoZigbuildVersion: string;
  readonly targets: string[];
  /** rustup components from the toolchain file. */
  readonly components: string[];
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
  readonly labels: Array<[string, string]>;
}

export interface ResolvedRuntime {
  readonly baseImage: string;
  readonly user: string;
  readonly ports: string[];
  readonly env: Array<[string, string]>;
  readonly args: string[];
  readonly extraFiles: Array<{ source: string; destination: string; mode?: string }>;
  readonly binDir: string;
}

/** A RustDockerImage's configuration after validation and Cargo resolution. */
export interface ResolvedImage {
  /** Short id of the image set (first binary's slug, or the image name). */
  readonly id: string;
  /** Build context, relative to the project outdir (posix, `.` for the project). */
  readonly contextDir: string;
  /** Dockerfile path relative to the build context. */
  readonly dockerfile: string;
  readonly binaries: ResolvedBinary[];
  readonly packages: string[];
  readonly features: string[];
  readonly noDefaultFeatures: boolean;
  readonly profile: string;
  /** The folder under target/<triple>/ that holds the profile's output. */
  readonly profileDir: string;
  readonly locked: boolean;
  readonly platforms: Platform[];
  readonly layout: CompileLayout;
  readonly registryCacheMount: boolean;
  readonly builder: BuilderSpec;
  /** Environment for cook and build (C-dependency registry plus user's). */
  readonly buildEnv: Array<[string, string]>;
  /** Workspace member folders, relative to the build context. */
  readonly memberDirs: string[];
  /** Non-member `[patch]` path crates copied before the cook. */
  readonly patchedPathCrates: string[];
  readonly decisions: CDependencyDecision[];
  readonly warnings: string[];
}
