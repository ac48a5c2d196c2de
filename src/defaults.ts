/**
 * The pinned defaults of the generated files. Each is where a default comes
 * from, and each has an option that moves it.
 */
export class Defaults {
  /**
   * Rust of the builder: the newest stable (1.99.1, 2026-10-13) that the
   * official `rust` image publishes for `ALPINE_VERSION`. Moved by
   * `rustVersion` or a `rust-toolchain(.toml)` file.
   */
  public static readonly RUST_VERSION = '1.99.1';
  /**
   * Alpine release of the builder's `rust:<version>-alpine<release>` base;
   * its zig package is 0.15. Moved by `builder.alpineVersion`.
   */
  public static readonly ALPINE_VERSION = '3.23';
  /**
   * zig from Alpine's package of the builder's own architecture, pinned to
   * the release the real-build suite passes with. Moved by `builder.zigPackage`.
   */
  public static readonly ZIG_PACKAGE = 'zig~0.15';
  /** cargo-chef, the newest release (crates registry). Moved by `builder.cargoChefVersion`. */
  public static readonly CARGO_CHEF_VERSION = '0.1.78';
  /** cargo-zigbuild, the newest release (crates registry). Moved by `builder.cargoZigbuildVersion`. */
  public static readonly CARGO_ZIGBUILD_VERSION = '0.24.1';
  /** cargo-auditable, the newest release (crates registry). Moved by `builder.cargoAuditableVersion`. */
  public static readonly CARGO_AUDITABLE_VERSION = '0.7.7';
  /** sccache, the newest release (crates registry). Moved by `CompilerCache.sccache({ version })`. */
  public static readonly SCCACHE_VERSION = '0.19.0';
  /**
   * Runtime base for musl binaries: distroless static on Debian 13 (Debian
   * 12's reached end of life in 2026-09), with CA certificates, tzdata and a
   * nonroot user. Moved by `runtime.baseImage`.
   */
  public static readonly RUNTIME_BASE_IMAGE = 'gcr.io/distroless/static-debian13:nonroot';
  /** Runtime base for glibc binaries: distroless cc on Debian 13 (glibc 2.41). Moved by `runtime.baseImage`. */
  public static readonly GLIBC_RUNTIME_BASE_IMAGE = 'gcr.io/distroless/cc-debian13:nonroot';
  /** The user the container runs as: distroless's nonroot. Moved by `runtime.user`. */
  public static readonly RUNTIME_USER = '65532:65532';
  /**
   * The Node.js versions the library and the projects it creates support:
   * the `engines` of both, and what the README states. Every npm dependency
   * they install supports them, so `npm ci` prints no engine warnings.
   */
  public static readonly NODE_VERSIONS = '^20.19.0 || ^22.13.0 || >=24';
}
