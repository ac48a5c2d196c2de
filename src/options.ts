import { CiOptions } from './ci-options';
import { CompilerCache } from './compiler-cache';
import { Libc } from './libc';
import { Platform } from './platform';
import { PrivateGitOptions } from './private-git';

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
  /** Path relative to the build context (`contextPath`), e.g. `migrations`. */
  readonly source: string;
  /** Absolute path in the image, e.g. `/app/migrations`. */
  readonly destination: string;
  /**
   * File mode (octal) applied with `COPY --chmod`.
   * @default - the mode from the build context
   */
  readonly mode?: string;
}

/**
 * A container healthcheck that runs the binary itself with probe arguments,
 * in exec form: no shell or curl is needed, so it works on distroless and
 * scratch. The binary must implement the probe (for example a `health`
 * subcommand that exits 0 when the service answers).
 */
export interface HealthcheckOptions {
  /** Arguments passed to the binary for the probe, e.g. `["health"]`. */
  readonly args: string[];
  /**
   * Seconds between probes.
   * @default 30
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds before a probe counts as failed.
   * @default 5
   */
  readonly timeoutSeconds?: number;
  /**
   * Seconds after start during which failures do not count.
   * @default 10
   */
  readonly startPeriodSeconds?: number;
  /**
   * Consecutive failures that make the container unhealthy.
   * @default 3
   */
  readonly retries?: number;
}

/** Settings of the runtime image. */
export interface RuntimeOptions {
  /**
   * Base image of the runtime stage. It must not need any `RUN` step.
   * @default - `Defaults.RUNTIME_BASE_IMAGE` (distroless static, Debian 13) with musl,
   * `Defaults.GLIBC_RUNTIME_BASE_IMAGE` (distroless cc, Debian 13) with glibc
   */
  readonly baseImage?: string;
  /**
   * Numeric user (and optional group) the container runs as. Root (0) is refused.
   * @default "65532:65532"
   */
  readonly user?: string;
  /**
   * TCP ports to `EXPOSE`.
   * @default - none
   */
  readonly ports?: number[];
  /**
   * UDP ports to `EXPOSE`.
   * @default - none
   */
  readonly udpPorts?: number[];
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
  /**
   * A healthcheck that runs the binary with probe arguments (exec form).
   * @default - no healthcheck
   */
  readonly healthcheck?: HealthcheckOptions;
}

/** Settings of the builder (the stage and image with the Rust tools). */
export interface BuilderOptions {
  /**
   * Image repository of the published builder image, e.g.
   * `ghcr.io/acme/rust-builder`. When set, local build tasks use it through a
   * named build context if it exists. CI derives it from the registry.
   * @default - none locally; in CI `<registry>/<owner>/<repo>/rust-builder`
   * (`rust-builder-2` and so on for images whose builder settings differ: each builder its own repository)
   */
  readonly image?: string;
  /**
   * Alpine release of the `rust:<version>-alpine<release>` base image.
   * @default - `Defaults.ALPINE_VERSION` ("3.23")
   */
  readonly alpineVersion?: string;
  /**
   * Alpine package spec for zig. Pin it: zig 0.16 broke `ar` for `ring` with
   * cargo-zigbuild before 0.23.
   * @default - `Defaults.ZIG_PACKAGE` ("zig~0.15")
   */
  readonly zigPackage?: string;
  /**
   * cargo-chef version, installed with `cargo install --locked`.
   * @default - `Defaults.CARGO_CHEF_VERSION`
   */
  readonly cargoChefVersion?: string;
  /**
   * cargo-zigbuild version, installed with `cargo install --locked`.
   * @default - `Defaults.CARGO_ZIGBUILD_VERSION`
   */
  readonly cargoZigbuildVersion?: string;
  /**
   * cargo-auditable version, installed with `cargo install --locked` when
   * `auditable` is on.
   * @default - `Defaults.CARGO_AUDITABLE_VERSION`
   */
  readonly cargoAuditableVersion?: string;
  /**
   * Extra Alpine packages for the builder, on top of what the C-dependency
   * rules add.
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
   * Crates whose C-dependency decision is skipped (you handle them yourself
   * with `extraPackages` and `env`). Turns an error into nothing.
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
  /**
   * Keep `.git` in the build context. Build scripts that embed git metadata
   * (vergen-gitcl, git-version, shadow-rs, ...) need it. Without it, pass
   * the metadata as build arguments and let the build script read them
   * (for example `VERGEN_IDEMPOTENT=1` with vergen).
   * @default - true when the image compiles such a build script, else false
   */
  readonly includeGit?: boolean;
  /**
   * Write the ignore file beside the Dockerfile as `<Dockerfile>.dockerignore`,
   * which BuildKit reads for that Dockerfile instead of the build context's
   * `.dockerignore`, and leave the context's own file alone.
   * @default - when the build context is not `cratePath`, or when a hand-written `.dockerignore` or Dockerfile stands at the default name
   */
  readonly dockerfileSpecific?: boolean;
}

/** The CVSS severities of RustSec advisories, lowest first. */
export enum AdvisorySeverity {
  /** CVSS 0.1-3.9. */
  LOW = 'low',
  /** CVSS 4.0-6.9. */
  MEDIUM = 'medium',
  /** CVSS 7.0-8.9. */
  HIGH = 'high',
  /** CVSS 9.0-10.0. */
  CRITICAL = 'critical',
}

/** A RustSec advisory that the vulnerability gate lets pass, and why. */
export interface IgnoredAdvisory {
  /** The advisory id, e.g. `RUSTSEC-2023-0071`. */
  readonly id: string;
  /** Why it is accepted; kept beside the id in the generated gate, for reviewers. */
  readonly reason: string;
}

/**
 * The vulnerability gate: `cargo audit bin` reads the dependency list that
 * cargo-auditable embedded in every platform's binaries and checks it
 * against the RustSec advisory database, before anything is pushed. CI keeps
 * the reports as a workflow artifact; the `docker:<image>:audit` task runs
 * the same check locally.
 */
export interface VulnerabilityGateOptions {
  /**
   * Run the gate.
   * @default - true when `auditable` is on (the gate reads the list it embeds)
   */
  readonly enabled?: boolean;
  /**
   * The lowest severity that fails the gate. Advisories below it are reported
   * but pass.
   * @default - every vulnerability fails, whatever its severity
   */
  readonly failOn?: AdvisorySeverity;
  /**
   * Advisories that never fail the gate, each with its reason.
   * @default - none
   */
  readonly ignore?: IgnoredAdvisory[];
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
   * Folder (relative to the project) holding the Cargo workspace root: the
   * `Cargo.toml` and `Cargo.lock`. The Dockerfile is written here.
   * @default "."
   */
  readonly cratePath?: string;
  /**
   * Docker build context (relative to the project). It must contain
   * `cratePath`. Set it when a path dependency lives outside the Cargo root,
   * or when the build needs `.git` from a parent folder. The generated
   * `.dockerignore` goes to its root, or beside the Dockerfile
   * (`<Dockerfile>.dockerignore`) when it differs from `cratePath`.
   * @default - the same folder as `cratePath`
   */
  readonly contextPath?: string;
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
  readonly cargoPackage?: string;
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
   * The C library of the binaries: musl (static binaries) or glibc with a
   * minimum version.
   * @default Libc.musl()
   */
  readonly libc?: Libc;
  /**
   * Rust version of the builder.
   * @default - the channel of `rust-toolchain(.toml)` if present, else the
   * package's `rust-version` when newer than the shipped default, else
   * `Defaults.RUST_VERSION`
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
   * @default "Dockerfile" ("<image>.Dockerfile" for a second image in the same folder, or beside a hand-written Dockerfile, which is left alone)
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
   * Embed the dependency list in the binaries with cargo-auditable, so SBOM
   * scanners (syft, trivy) and `cargo audit bin` see every crate and version.
   * It adds about 200 bytes per binary and a tool to the builder.
   * @default true
   */
  readonly auditable?: boolean;
  /**
   * The vulnerability gate before every push (needs `auditable`).
   * @default - on, failing on any vulnerability
   */
  readonly vulnerabilityGate?: VulnerabilityGateOptions;
  /**
   * Ship stripped binaries and keep their debug symbols apart: the
   * `debug-symbols` build target exports each binary's `<binary>.debug`
   * (under a folder per platform, such as `linux_amd64/`, when several are
   * built), tied to the binary by a GNU debuglink, and CI uploads them as an
   * artifact.
   * @default false
   */
  readonly debugSymbols?: boolean;
  /**
   * A cache for the cook (and, with sccache, the build), so a dependency bump
   * recompiles only what changed: `CompilerCache.cargoTarget()` (the last
   * cook's target folder, in a BuildKit cache mount that CI carries in
   * actions/cache), `CompilerCache.sccache()`, or `CompilerCache.none()`
   * (cargo-chef's layer alone: a bump re-cooks every dependency).
   * @default CompilerCache.cargoTarget()
   */
  readonly compilerCache?: CompilerCache;
  /**
   * Git dependencies on private repositories: the cook fetches the git
   * sources of Cargo.lock (https, or http) with a token passed as a BuildKit
   * secret: `secrets.<tokenSecret>` in CI, the environment variable of that
   * name in the local tasks. Without the token the cook fails, naming it.
   * @default - none: git dependencies are fetched without credentials
   */
  readonly privateGit?: PrivateGitOptions;
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
   * Take over hand-written files standing where this component writes (a
   * Dockerfile, a `.dockerignore`, a workflow). A hand-written
   * `.dockerignore` keeps its own patterns, below the generated ones.
   * Without it, the default Dockerfile and `.dockerignore` names step aside
   * from hand-written files (with a warning), and synthesis fails, listing
   * every such file, where no other name is free: a path set in the
   * options, a workflow, the builder's Dockerfile, the task script.
   * @default false
   */
  readonly adoptExistingFiles?: boolean;
  /**
   * GitHub Actions workflows.
   * @default - see CiOptions
   */
  readonly ci?: CiOptions;
}
