/**
 * System libraries the build provides for every target. A -sys crate that
 * links the system's copy of a library (openssl-sys without "vendored",
 * pq-sys without "bundled", libsqlite3-sys without "bundled") cannot use a
 * package of the builder, which runs on the build platform and so has the
 * wrong architecture (cargo-zigbuild #89). Instead the generated build
 * compiles the library from its sources in the crates registry, with zig cc,
 * once per target, into `/opt/target-libs/<triple>/` (`lib/`, `include/`,
 * `lib/pkgconfig/`), and points the crate at it through the crate's own
 * per-target settings. The library is linked statically: the binary stays
 * static and the runtime image gains nothing.
 */

/** A crate of the crates registry, at an exact version. */
export interface RegistryCrate {
  readonly crate: string;
  readonly version: string;
  readonly features?: string[];
}

/** The libraries there are sources for. */
export type TargetLibraryId = 'openssl' | 'libpq' | 'sqlite' | 'libxml2';

/** One library the build can provide for every target. */
export interface TargetLibrary {
  readonly id: TargetLibraryId;
  /** Its name as users know it. */
  readonly name: string;
  /** The library's own version. */
  readonly version: string;
  /** Its SPDX licence expression. */
  readonly license: string;
  /** The crates-registry package whose sources (and build logic) it is built from, with the features that build them. */
  readonly source: RegistryCrate;
  /** The crate whose build drives the source's, when that is not the source itself. */
  readonly driver?: RegistryCrate;
  /**
   * The source is a library for a build script (it has none of its own): the
   * throwaway crate's build script calls this function of it.
   */
  readonly buildFunction?: string;
  /** Libraries it links, built first. */
  readonly needs: TargetLibraryId[];
  /** Alpine packages its build needs (in its own stage only). */
  readonly buildPackages: string[];
  /** The crate that links it, and how that crate is pointed at it. */
  readonly linkedBy: string;
  readonly how: string;
}

/** Where the libraries of each target go: `<root>/<triple>/`. Not under /usr, which pkg-config treats as a system root. */
export const TARGET_LIB_ROOT = '/opt/target-libs';

/** The folder of a target's libraries (the Rust triple, without a glibc suffix). */
export function targetLibPrefix(rustTarget: string): string {
  return `${TARGET_LIB_ROOT}/${rustTarget}`;
}

/** The catalogue, in build order (a library after those it needs). */
export const TARGET_LIBRARIES: readonly TargetLibrary[] = [
  {
    id: 'openssl',
    name: 'OpenSSL',
    version: '3.5.5',
    license: 'Apache-2.0',
    // The sources and the build logic of openssl-sys's own "vendored" feature (openssl-src).
    source: { crate: 'openssl-src', version: '300.5.5+3.5.5' },
    driver: { crate: 'openssl-sys', version: '0.9.118', features: ['vendored'] },
    needs: [],
    buildPackages: ['perl', 'make', 'linux-headers'],
    linkedBy: 'openssl-sys',
    how: '<TARGET>_OPENSSL_DIR and <TARGET>_OPENSSL_STATIC',
  },
  {
    id: 'libpq',
    name: 'libpq',
    version: '18.6',
    license: 'PostgreSQL',
    // The sources and build logic of pq-sys's own "bundled" feature (pq-src), with OpenSSL for TLS.
    source: { crate: 'pq-src', version: '0.3.14+libpq-18.6' },
    needs: ['openssl'],
    buildPackages: [],
    linkedBy: 'pq-sys',
    how: 'PQ_LIB_DIR_<TARGET> and PQ_LIB_STATIC_<TARGET>; OpenSSL is in the archive, for TLS',
  },
  {
    id: 'sqlite',
    name: 'SQLite',
    version: '3.54.1',
    license: 'blessing',
    // The amalgamation libsqlite3-sys bundles behind its own "bundled" feature.
    source: { crate: 'libsqlite3-sys', version: '0.40.0', features: ['bundled'] },
    needs: [],
    buildPackages: [],
    linkedBy: 'libsqlite3-sys',
    how: 'pkg-config, through PKG_CONFIG_PATH_<target> and SQLITE3_STATIC',
  },
  {
    id: 'libxml2',
    name: 'libxml2',
    version: '2.10.3',
    license: 'MIT',
    // The libxml2 sources in the crates registry (xml2-src, configured for Linux; built without zlib and lzma,
    // so compressed documents are not read); newer releases are not there yet.
    source: { crate: 'xml2-src', version: '2.10.3-alpha' },
    buildFunction: 'xml2_src::build_lib',
    needs: [],
    buildPackages: [],
    linkedBy: 'libxml',
    how: 'pkg-config, through PKG_CONFIG_PATH_<target> and LIBXML2_STATIC',
  },
];

/** A library of the catalogue. */
export function targetLibrary(id: TargetLibraryId): TargetLibrary {
  return TARGET_LIBRARIES.find((l) => l.id === id)!;
}

/** The libraries `ids` need, with what they need, in build order. */
export function withNeeds(ids: readonly TargetLibraryId[]): TargetLibrary[] {
  const wanted = new Set<TargetLibraryId>();
  const add = (id: TargetLibraryId) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    targetLibrary(id).needs.forEach(add);
  };
  ids.forEach(add);
  return TARGET_LIBRARIES.filter((l) => wanted.has(l.id));
}

/** A triple as the -sys crates spell it in variable names: `X86_64_UNKNOWN_LINUX_MUSL`. */
function upper(rustTarget: string): string {
  return rustTarget.toUpperCase().replace(/-/g, '_');
}

/**
 * The settings that point a library's -sys crate at the target's copy, for
 * the cook and the build: each crate's own per-target variables, so one
 * cargo command serves every target.
 */
export function targetLibraryEnv(lib: TargetLibrary, rustTarget: string): Array<[string, string]> {
  const prefix = targetLibPrefix(rustTarget);
  switch (lib.id) {
    // openssl-sys reads <TARGET>_<NAME> before <NAME> (openssl-sys build/main.rs, env()).
    case 'openssl':
      return [[`${upper(rustTarget)}_OPENSSL_DIR`, prefix], [`${upper(rustTarget)}_OPENSSL_STATIC`, '1']];
    // pq-sys reads PQ_LIB_DIR_<TARGET> before PQ_LIB_DIR, and PQ_LIB_STATIC_<TARGET> (pq-sys build.rs).
    case 'libpq':
      return [[`PQ_LIB_DIR_${upper(rustTarget)}`, `${prefix}/lib`], [`PQ_LIB_STATIC_${upper(rustTarget)}`, '1']];
    // libsqlite3-sys asks pkg-config, which reads PKG_CONFIG_PATH_<target> and allows the cross build (pkg-config crate).
    case 'sqlite':
      return [...pkgConfigEnv(rustTarget), ['SQLITE3_STATIC', '1']];
    // libxml asks pkg-config for libxml-2.0 (statically with LIBXML2_STATIC), and runs bindgen on its headers.
    case 'libxml2':
      return [...pkgConfigEnv(rustTarget), ['LIBXML2_STATIC', '1']];
  }
}

/** pkg-config for one target: the target's folder first, and the cross build allowed (pkg-config crate's per-target variables). */
function pkgConfigEnv(rustTarget: string): Array<[string, string]> {
  const t = rustTarget.replace(/-/g, '_');
  return [[`PKG_CONFIG_PATH_${t}`, `${targetLibPrefix(rustTarget)}/lib/pkgconfig`], [`PKG_CONFIG_ALLOW_CROSS_${t}`, '1']];
}
