import { assertPattern } from './private/validation/safe-values';

/** The compiler caches the build can use. */
export enum CompilerCacheKind {
  /** No compiler cache: cargo-chef's dependency layer is the only cache. */
  NONE = 'none',
  /** sccache wraps rustc in the cook and build steps. */
  SCCACHE = 'sccache',
  /** The last cook's Cargo target folder, kept in a BuildKit cache mount, seeds the next cook. */
  CARGO_TARGET = 'cargo-target',
}

/** Options of `CompilerCache.sccache`. */
export interface SccacheOptions {
  /**
   * sccache version, installed in the builder with `cargo install --locked`.
   * @default - `Defaults.SCCACHE_VERSION`
   */
  readonly version?: string;
  /**
   * In CI, keep the cache in the GitHub Actions cache service. The runner's
   * cache credentials reach the build as BuildKit secrets, never as build
   * arguments, so they are in no layer and no provenance.
   * @default true
   */
  readonly githubActionsCache?: boolean;
}

/**
 * A cache for the cook (and, with sccache, the build). cargo-chef alone
 * re-cooks every dependency when one changes; with the last cook's target
 * folder (the default) or sccache, Cargo compiles only what changed. Locally
 * the cache lives in a BuildKit cache mount.
 */
export class CompilerCache {
  /**
   * No compiler cache: cargo-chef's dependency layer alone, so a dependency
   * bump re-cooks every dependency. No cache mount and no cache steps in CI.
   */
  public static none(): CompilerCache {
    return new CompilerCache(CompilerCacheKind.NONE);
  }

  /**
   * Cargo's own reuse: the cook starts from the last cook's target folder,
   * kept in a BuildKit cache mount (one per image of the project, with the
   * id `<project>-<image>-cargo-target`), so after a dependency bump
   * Cargo compiles the changed crates and their dependents, and nothing else.
   * The folder is copied in before the cook and back after it, so the cook's
   * layer is what it always is. The mount lives on the daemon; on CI's
   * ephemeral runners the generated workflow carries it in actions/cache,
   * keyed by the dependency set (with a remote builder, whose daemon keeps
   * it, it does not). The default.
   */
  public static cargoTarget(): CompilerCache {
    return new CompilerCache(CompilerCacheKind.CARGO_TARGET);
  }

  /** sccache: a BuildKit cache mount locally, and optionally the GitHub Actions cache in CI. */
  public static sccache(options: SccacheOptions = {}): CompilerCache {
    if (options.version !== undefined) assertPattern('compilerCache.version', options.version, /^[0-9]+\.[0-9]+\.[0-9]+$/, 'an exact sccache version such as "0.10.0"');
    return new CompilerCache(CompilerCacheKind.SCCACHE, options.version, options.githubActionsCache ?? true);
  }

  private constructor(
    /** The kind of cache. */
    public readonly kind: CompilerCacheKind,
    /** sccache version, when set. */
    public readonly version?: string,
    /** Whether CI uses the GitHub Actions cache service. */
    public readonly githubActionsCache: boolean = false,
  ) {}
}
