/** The Rust version used when neither the option nor a toolchain file sets one. */
export const DEFAULT_RUST_VERSION = '1.98.0';
/** Alpine release of the builder's `rust:<version>-alpine<release>` base image. */
export const DEFAULT_ALPINE_VERSION = '3.23';
/** zig from Alpine's package of the builder's own architecture, pinned. */
export const DEFAULT_ZIG_PACKAGE = 'zig~0.15';
export const DEFAULT_CARGO_CHEF_VERSION = '0.1.77';
export const DEFAULT_CARGO_ZIGBUILD_VERSION = '0.22.3';
/** Runtime base: static distroless, with CA certificates, tzdata and a nonroot user. */
export const DEFAULT_RUNTIME_BASE_IMAGE = 'gcr.io/distroless/static-debian12:nonroot';
export const DEFAULT_RUNTIME_USER = '65532:65532';
/** The builder stage's name, which a named build context replaces. */
export const BUILDER_STAGE = 'rust-builder';
/** The builder image's WORKDIR, also the cook and build working directory. */
export const WORKDIR = '/app';
/** Where the build stage puts each platform's binaries, relative to WORKDIR. */
export const OUT_DIR = 'target/image';
/** Packages every builder needs: C runtime headers, readelf for the static check, CA certificates. */
export const BASE_BUILDER_PACKAGES = ['musl-dev', 'binutils', 'ca-certificates'];
