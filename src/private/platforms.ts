import { NativeRunners } from '../ci-options';
import { Libc, LibcKind } from '../libc';
import { Platform } from '../platform';

/**
 * Everything the generator needs to know about a platform, in one table: a
 * new `Platform` member fails to compile until it has a row here, and nothing
 * else in the tree switches on platforms.
 */
export interface PlatformFacts {
  /** The Rust target with musl (static binaries). */
  readonly musl: string;
  /** The Rust target with glibc. */
  readonly gnu: string;
  /** Short name for cache scopes, artifacts and matrix entries: amd64, arm64, armv7, riscv64. */
  readonly slug: string;
  /** What `docker version --format '{{.Server.Arch}}'` reports on a host of this platform. */
  readonly dockerArch: string;
  /** The `ci.nativeRunners` field that picks this platform's runner. */
  readonly runnerOption: keyof NativeRunners;
}

const PLATFORMS: Record<Platform, PlatformFacts> = {
  [Platform.LINUX_AMD64]: { musl: 'x86_64-unknown-linux-musl', gnu: 'x86_64-unknown-linux-gnu', slug: 'amd64', dockerArch: 'amd64', runnerOption: 'amd64' },
  [Platform.LINUX_ARM64]: { musl: 'aarch64-unknown-linux-musl', gnu: 'aarch64-unknown-linux-gnu', slug: 'arm64', dockerArch: 'arm64', runnerOption: 'arm64' },
  [Platform.LINUX_ARM_V7]: {
    musl: 'armv7-unknown-linux-musleabihf', gnu: 'armv7-unknown-linux-gnueabihf', slug: 'armv7', dockerArch: 'arm', runnerOption: 'armV7',
  },
  [Platform.LINUX_RISCV64]: { musl: 'riscv64gc-unknown-linux-musl', gnu: 'riscv64gc-unknown-linux-gnu', slug: 'riscv64', dockerArch: 'riscv64', runnerOption: 'riscv64' },
};

/** The facts of a platform. */
export function platformFacts(platform: Platform): PlatformFacts {
  return PLATFORMS[platform];
}

/** The platforms built when none are configured. */
export const DEFAULT_PLATFORMS: readonly Platform[] = [Platform.LINUX_AMD64, Platform.LINUX_ARM64];

/** The platform the hosted runners (and most developer machines) are: the one that runs without emulation there. */
export const RUNNER_PLATFORM = Platform.LINUX_AMD64;

/** A platform's Rust target: the triple rustup installs and Cargo's output folder is named after. */
export function rustTargetOf(platform: Platform, libc: Libc = Libc.musl()): string {
  return libc.kind === LibcKind.GLIBC ? PLATFORMS[platform].gnu : PLATFORMS[platform].musl;
}

/**
 * The `--target` value for cargo-zigbuild: the Rust target, with the glibc
 * floor as a suffix for glibc (`x86_64-unknown-linux-gnu.2.28`).
 */
export function zigTargetOf(platform: Platform, libc: Libc = Libc.musl()): string {
  const triple = rustTargetOf(platform, libc);
  return libc.kind === LibcKind.GLIBC ? `${triple}.${libc.glibcVersion}` : triple;
}

/** A short architecture name for cache scopes and tags: amd64, arm64, armv7, riscv64. */
export function archSlugOf(platform: Platform): string {
  return PLATFORMS[platform].slug;
}

/** Platforms in a fixed order (amd64, arm64, arm/v7, riscv64), without duplicates. */
export function sortPlatforms(platforms: readonly Platform[]): Platform[] {
  const order = Object.values(Platform) as Platform[];
  return order.filter((p) => platforms.includes(p));
}
