import { CiOptions } from './ci/ci-options';
import { Platform } from './platform';

/**
 * How the build stages compile the configured targets.
 */
export enum CompileLayout {
  /**
   * One builder stage compiles every target in one `cargo zigbuild` call and
   * does not read `TARGETPLATFORM`, so BuildKit runs it once for all
   * platforms. Best when one machine builds every platform.
   */
  ALL_TARGETS_ONCE = 'all-targets-once',
  /**
   * The cook and build stages read `TARGETPLATFORM` and compile only that
   * platform's target. Needed when each platform builds on its own runner.
   */
  PER_TARGET_PLATFORM = 'per-target-platform',
}

/** A file or folder from the build context copied into the runtime image. */
export interface ExtraFile {
  /** Path relative to the build context (the crate path), e.g. `migrations`. */
  readonly source: string;
  /** Absolute path in the image, e.g. `/app/migrations`. */
  readonly destination: string;
  /**
   * File mode (octal) applied with `COPY --chmod`.
   * @default - the mode from the build context
   */
  readonly mode?: string;
}

/** Settings of the runtime image. */
export interface RuntimeOptions {
  /**
   * Base image of the runtime stage. It must not need any `RUN` step.
   * @default "gcr.io/distroless/static-debian12:nonroot"
   */
  readonly baseImage?: string;
  /**
   * Numeric user (and optional group) the container runs as. Root (0) is refused.
   * @default "65532:65532"
   */
  readonly user?: string;
  /**
   * Ports to `EXPOSE`, e.g. `8080` or `8080/udp`.
   * @default - none
   */
  readonly ports?: string[];
  /**
   * Environment variables set in the image.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Default arguments (`CMD`, exec form) passed to the binary.
   * @default - none
   */
  readonly args?: string[];
  /**
   * Files or folders from the build context to copy into the image (assets, migrations).
   * @default - none
   */
  readonly extraFiles?: ExtraFile[];
  /**
   * Extra image labels, merged over the OCI labels taken from Cargo metadata.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Folder in the image that holds the binary.
   * @default "/usr/local/bin"
   */
  readonly binDir?: string;
}

/** Settings of the builder (the stage and image with the Rust tools). */
export interface BuilderOptions {
  /**
   * Image repository of the published builder image, e.g.
   * `ghcr.io/acme/rust-builder`. When set, local build tasks use it through a
   * named build context if it exists. CI derives it from the registry.
   * @default - none locally; `<registry>/<owner>/<repo>/rust-builder` in CI
   */
  readonly image?: string;
  /**
   * Alpine release of the `rust:<version>-alpine<release>` base image.
   * @default "3.23"
   */
  readonly alpineVersion?: string;
  /**
   * Alpine package spec for zig. Pin it: zig 0.16 broke `ar` for `ring`.
   * @default "zig~0.15"
   */
  readonly zigPackage?: string;
  /**
   * cargo-chef version, installed with `cargo install --locked`.
   * @default "0.1.77"
   */
  readonly cargoChefVersion?: string;
  /**
   * cargo-zigbuild version, installed with `cargo install --locked`.
   * @default "0.22.3"
   */
  readonly cargoZigbuildVersion?: string;
  /**
   * Extra Alpine packages for the builder, on top of what the C-dependency
   * registry adds.
   * @default - none
   */
  readonly extraPackages?: string[];
  /**
   * Environment for the cook and build steps (both get the same, so the
   * dependency cache stays valid).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Crates whose C-dependency registry decision is skipped (you handle them
   * yourself with `extraPackages` and `env`). Turns an error into nothing.
   * @default - none
   */
  readonly ignoreCrates?: string[];
}

/** Extra `.dockerignore` settings. */
export interface DockerignoreOptions {
  /**
   * Patterns added to the generated `.dockerignore`.
   * @default - none
   */
  readonly extraPatterns?: string[];
}

/** Per-binary settings of a multi-binary image set. */
export interface BinaryImageOptions {
  /**
   * Image name of this binary's image.
   * @default - the binary name
   */
  readonly imageName?: string;
  /**
   * Runtime settings merged over the shared `runtime` settings.
   * @default - the shared runtime settings
   */
  readonly runtime?: RuntimeOptions;
}

/** Options of `RustDockerImage`. */
export interface RustDockerImageOptions {
  /**
   * Folder (relative to the project) holding the Cargo workspace root. It is
   * also the Docker build context, and where the Dockerfile and
   * `.dockerignore` are written.
   * @default "."
   */
  readonly cratePath?: string;
  /**
   * The binary to ship.
   * @default - the only binary of the workspace (an error lists them when there are several)
   */
  readonly binary?: string;
  /**
   * Several binaries to ship, one image each, built from one dependency cook
   * and one compile. An alternative to `binary`.
   * @default - one binary (see `binary`)
   */
  readonly binaries?: string[];
  /**
   * Per-binary settings for `binaries`, keyed by binary name.
   * @default - none
   */
  readonly binaryOptions?: { [binary: string]: BinaryImageOptions };
  /**
   * The workspace member that owns the binary.
   * @default - the package that defines the binary
   */
  readonly package?: string;
  /**
   * Cargo features to enable (for both the cook and the build).
   * @default - none, plus the binary's `required-features`
   */
  readonly features?: string[];
  /**
   * Pass `--no-default-features`.
   * @default false
   */
  readonly noDefaultFeatures?: boolean;
  /**
   * Cargo profile.
   * @default "release"
   */
  readonly profile?: string;
  /**
   * Target platforms.
   * @default [Platform.LINUX_AMD64, Platform.LINUX_ARM64]
   */
  readonly platforms?: Platform[];
  /**
   * Rust version of the builder.
   * @default - the channel of `rust-toolchain(.toml)` if present, else the
   * package's `rust-version` when newer than the shipped default, else
   * `DEFAULT_RUST_VERSION` ("1.98.0")
   */
  readonly rustVersion?: string;
  /**
   * Image name (repository, without tag), e.g. `my-service` or
   * `ghcr.io/acme/my-service`. Local builds tag it `:dev`.
   * @default - the binary name
   */
  readonly imageName?: string;
  /**
   * Dockerfile path, relative to `cratePath`.
   * @default "Dockerfile" ("<image>.Dockerfile" for a second image in the same folder)
   */
  readonly dockerfile?: string;
  /**
   * Build with `--locked` (Cargo.lock must be committed).
   * @default true
   */
  readonly locked?: boolean;
  /**
   * How the build stages compile the targets.
   * @default - PER_TARGET_PLATFORM with the NATIVE_RUNNERS CI strategy, else ALL_TARGETS_ONCE
   */
  readonly compileLayout?: CompileLayout;
  /**
   * Use BuildKit cache mounts for the cargo registry in the cook and build steps.
   * @default true
   */
  readonly registryCacheMount?: boolean;
  /**
   * Runtime image settings.
   * @default - see RuntimeOptions
   */
  readonly runtime?: RuntimeOptions;
  /**
   * Builder settings.
   * @default - see BuilderOptions
   */
  readonly builder?: BuilderOptions;
  /**
   * `.dockerignore` settings.
   * @default - see DockerignoreOptions
   */
  readonly dockerignore?: DockerignoreOptions;
  /**
   * Replace hand-written files (a Dockerfile, a `.dockerignore`, a workflow)
   * standing where this component writes. Without it, synthesis fails and
   * names the file.
   * @default false
   */
  readonly adoptExistingFiles?: boolean;
  /**
   * GitHub Actions workflows.
   * @default - see CiOptions
   */
  readonly ci?: CiOptions;
}
