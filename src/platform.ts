/**
 * A target platform of the image.
 */
export enum Platform {
  /** linux/amd64: x86_64-unknown-linux-musl (or -gnu with glibc). */
  LINUX_AMD64 = 'linux/amd64',
  /** linux/arm64: aarch64-unknown-linux-musl (or -gnu with glibc). */
  LINUX_ARM64 = 'linux/arm64',
  /** linux/arm/v7: armv7-unknown-linux-musleabihf (or -gnueabihf with glibc). */
  LINUX_ARM_V7 = 'linux/arm/v7',
  /** linux/riscv64: riscv64gc-unknown-linux-musl (or -gnu with glibc). */
  LINUX_RISCV64 = 'linux/riscv64',
}
