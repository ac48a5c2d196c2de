/**
 * A target platform of the image.
 */
export enum Platform {
  /** linux/amd64, built as x86_64-unknown-linux-musl. */
  LINUX_AMD64 = 'linux/amd64',
  /** linux/arm64, built as aarch64-unknown-linux-musl. */
  LINUX_ARM64 = 'linux/arm64',
  /** linux/arm/v7, built as armv7-unknown-linux-musleabihf. */
  LINUX_ARM_V7 = 'linux/arm/v7',
}

/** The platforms built when none are configured. */
export const DEFAULT_PLATFORMS: readonly Platform[] = [Platform.LINUX_AMD64, Platform.LINUX_ARM64];

const RUST_TARGETS: Record<Platform, string> = {
  [Platform.LINUX_AMD64]: 'x86_64-unknown-linux-musl',
  [Platform.LINUX_ARM64]: 'aarch64-unknown-linux-musl',
  [Platform.LINUX_ARM_V7]: 'armv7-unknown-linux-musleabihf',
};

/** The Rust target triple that produces a static binary for `platform`. */
export function rustTargetOf(platform: Platform): string {
  return RUST_TARGETS[platform];
}

/** A short architecture name for cache scopes and tags: amd64, arm64, armv7. */
export function archSlugOf(platform: Platform): string {
  return platform.split('/').slice(1).join('');
}

/** Platforms in a fixed order (amd64, arm64, arm/v7), without duplicates. */
export function sortPlatforms(platforms: readonly Platform[]): Platform[] {
  const order = Object.values(Platform) as Platform[];
  return order.filter((p) => platforms.includes(p));
}
