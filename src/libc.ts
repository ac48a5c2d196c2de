import { assertPattern } from './private/validation/safe-values';

/** The C libraries a binary can be built against. */
export enum LibcKind {
  /** musl: fully static binaries, for distroless static or scratch. */
  MUSL = 'musl',
  /** glibc: dynamically linked against glibc no newer than a chosen version. */
  GLIBC = 'glibc',
}

/**
 * The C library of the image's binaries. Create one with `Libc.musl()` or
 * `Libc.glibc(version)`.
 */
export class Libc {
  /** musl: static binaries (`<arch>-unknown-linux-musl`). */
  public static musl(): Libc {
    return new Libc(LibcKind.MUSL);
  }

  /**
   * glibc with a version floor: targets become
   * `<arch>-unknown-linux-gnu.<version>`, so cargo-zigbuild links against
   * that glibc's symbol versions and the binary runs on any glibc at least
   * that new. The runtime base becomes a glibc image.
   *
   * @param minimumVersion the oldest glibc the binaries must run on, e.g. "2.28"
   */
  public static glibc(minimumVersion: string): Libc {
    assertPattern('libc (glibc minimum version)', minimumVersion, /^2\.[0-9]{1,2}$/, 'a glibc version such as "2.28"');
    return new Libc(LibcKind.GLIBC, minimumVersion);
  }

  private constructor(
    /** musl or glibc. */
    public readonly kind: LibcKind,
    /** The glibc floor, for glibc. */
    public readonly glibcVersion?: string,
  ) {}
}
