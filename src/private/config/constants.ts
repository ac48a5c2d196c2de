/** The builder stage's name, which a named build context replaces. */
export const BUILDER_STAGE = 'rust-builder';
/** The build-context root in the builder (the image's WORKDIR). */
export const WORKDIR = '/app';
/** Where the build stage puts each platform's binaries, relative to the Cargo root. */
export const OUT_DIR = 'target/image';
/** Where the build stage puts each platform's debug files, relative to the Cargo root. */
export const DEBUG_DIR = 'target/debug-symbols';
/** zig's global cache in the builder, warmed for the builder's targets. */
export const ZIG_CACHE_DIR = '/usr/local/zig-cache';
/** sccache's local cache (a BuildKit cache mount). */
export const SCCACHE_DIR = '/usr/local/sccache';
/** Packages every builder needs: C runtime headers, readelf for the binary check, CA certificates. */
export const BASE_BUILDER_PACKAGES = ['musl-dev', 'binutils', 'ca-certificates'];
