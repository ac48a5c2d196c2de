import { Libc, LibcKind } from '../libc';
import { Platform } from '../platform';

/** The platforms built when none are configured. */
export const DEFAULT_PLATFORMS: readonly Platform[] = [Platform.LINUX_AMD64, Platform.LINUX_ARM64];

const TRIPLES: Record<Platform, { musl: string; gnu: string }> = {
  [Platform.LINUX_AMD64]: { musl: 'x86_64-unknown-linux-musl', gnu: 'x86_64-unknown-linux-gnu' },
  [Platform.LINUX_ARM64]: { musl: 'aarch64-unknown-linux-musl', gnu: 'aarch64-unknown-linux-gnu' },
  [Platform.LINUX_ARM_V7]: { musl: 'armv7-unknown-linux-musleabihf', gnu: 'armv7-unknown-linux-gnueabihf' },
  [Platform.LINUX_RISCV64]: { musl: 'riscv64gc-unknown-linux-musl', gnu: 'riscv64gc-unknown-linux-gnu' },
};

/** A platform's Rust target: the triple rustup installs and Cargo's output folder is named after. */
export function rustTargetOf(platform: Platform, libc: Libc = Libc.musl()): string {
  return libc.kind === LibcKind.GLIBC ? TRIPLES[platform].gnu : TRIPLES[platform].musl;
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
  return platform.split('/').slice(1).join('');
}

/** Platforms in a fixed order (amd64, arm64, arm/v7, riscv64), without duplicates. */
export function sortPlatforms(platforms: readonly Platform[]): Platform[] {
  const order = Object.values(Platform) as Platform[];
  return order.filter((p) => platforms.includes(p));
}
