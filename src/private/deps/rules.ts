import { Lockfile, lockedVersions } from './lockfile';

/** How serious a C-dependency finding is. */
export type CDependencyLevel = 'info' | 'warning' | 'error';

/** What the build needs, or what the user must change, for one crate. */
export interface CDependencyDecision {
  /** The crate in Cargo.lock that triggered the decision. */
  readonly crate: string;
  readonly versions: string[];
  readonly level: CDependencyLevel;
  /** Alpine packages the builder image needs. */
  readonly packages: string[];
  /** Environment for the cook and build steps. */
  readonly env: Array<[string, string]>;
  /** One line, shown as a comment in the Dockerfile and in warnings. */
  readonly summary: string;
  /** The fix, for warnings and errors. */
  readonly fix?: string;
}

interface Rule {
  /** Crate that must be in Cargo.lock. */
  readonly crate: string;
  /** The rule applies only when none of these crates is in Cargo.lock. */
  readonly unless?: string[];
  /** The rule applies only when one of these crates is in Cargo.lock. */
  readonly onlyWith?: string[];
  readonly level: CDependencyLevel;
  readonly packages?: string[];
  readonly env?: Array<[string, string]>;
  readonly summary: string;
  readonly fix?: string;
}

/**
 * Known crates that compile or link C code, and what a cargo-zigbuild cross
 * build on Alpine needs for them. Each entry says where the fact comes from.
 * The first matching rule per crate wins.
 */
const RULES: Rule[] = [
  // openssl-sys: with openssl-src in the lock file OpenSSL is vendored and built from source
  // (openssl crate docs, "Vendored"); its Configure script is perl and the build uses make.
  {
    crate: 'openssl-sys',
    onlyWith: ['openssl-src'],
    level: 'info',
    packages: ['perl', 'make', 'linux-headers'],
    summary: 'openssl-sys with openssl-src: vendored OpenSSL is built from source (needs perl, make, linux-headers)',
  },
  // Without openssl-src, openssl-sys links the system OpenSSL found by pkg-config. The builder
  // runs on the build platform, so pkg-config can only offer that architecture's libraries,
  // which cannot link the other target (cargo-zigbuild #89).
  {
    crate: 'openssl-sys',
    unless: ['openssl-src'],
    level: 'error',
    summary: 'openssl-sys links the system OpenSSL, but libraries of the build platform cannot link a binary for the other architecture',
    fix: 'enable the openssl crate\'s "vendored" feature (openssl = { version = "0.10", features = ["vendored"] }, then Cargo.lock lists openssl-src), or switch to rustls (e.g. reqwest with default-features = false, features = ["rustls-tls"]); or list "openssl-sys" in builder.ignoreCrates if the crate is not compiled for the image',
  },
  // libsqlite3-sys compiles SQLite with cc (zig cc) when its "bundled" feature is on
  // (rusqlite README, "bundled"); otherwise it links a system SQLite, which cannot cross-link.
  {
    crate: 'libsqlite3-sys',
    level: 'info',
    summary: 'libsqlite3-sys: works with its "bundled" feature (rusqlite/libsqlite3-sys "bundled", sqlx "sqlite"); a system SQLite cannot link the other architecture',
  },
  // ring compiles C and assembly with cc, i.e. `zig cc` here. zig 0.16 broke `ar` for ring
  // (cargo-zigbuild #433), so the builder pins zig.
  {
    crate: 'ring',
    level: 'info',
    summary: 'ring: compiled with zig cc; works with the pinned zig (zig 0.16 broke ar for ring, cargo-zigbuild #433)',
  },
  // aws-lc-fips-sys always builds with CMake and Go, and generates bindings with bindgen
  // (aws-lc-rs "Build requirements").
  {
    crate: 'aws-lc-fips-sys',
    level: 'info',
    packages: ['cmake', 'make', 'go', 'perl', 'clang-dev'],
    summary: 'aws-lc-fips-sys: the FIPS build needs cmake, go, perl and libclang',
  },
  // aws-lc-sys builds with cc by default, and falls back to CMake for some targets and
  // configurations; zig-related breakages were fixed upstream (aws-lc-rs #993, #1103, #1022).
  {
    crate: 'aws-lc-sys',
    level: 'info',
    packages: ['cmake', 'make'],
    summary: 'aws-lc-sys: compiled with zig cc (keep aws-lc-sys current: zig fixes in aws-lc-rs #993/#1103); cmake for its CMake configurations',
  },
  // prost-build needs protoc unless protobuf-src builds it (prost-build docs, "Sourcing protoc").
  // protoc runs on the build platform, so the builder's own protoc is the right one.
  {
    crate: 'prost-build',
    unless: ['protobuf-src'],
    level: 'info',
    packages: ['protoc', 'protobuf-dev'],
    env: [['PROTOC', '/usr/bin/protoc']],
    summary: 'prost-build: protoc from the builder (it runs on the build platform, so the host protoc is right)',
  },
  {
    crate: 'tonic-build',
    unless: ['protobuf-src', 'prost-build'],
    level: 'info',
    packages: ['protoc', 'protobuf-dev'],
    env: [['PROTOC', '/usr/bin/protoc']],
    summary: 'tonic-build: protoc from the builder',
  },
  // bindgen loads libclang at build time (bindgen book, "Requirements"); clang-sys finds it.
  { crate: 'bindgen', level: 'info', packages: ['clang-dev'], summary: 'bindgen: needs libclang' },
  { crate: 'clang-sys', unless: ['bindgen'], level: 'info', packages: ['clang-dev'], summary: 'clang-sys: needs libclang' },
  // The cmake crate drives CMake with the Makefile generator (cmake crate docs).
  { crate: 'cmake', level: 'info', packages: ['cmake', 'make'], summary: 'cmake: C libraries built with CMake need cmake and make' },
  // librdkafka is configured by a bash script and built with make (rdkafka-sys README).
  {
    crate: 'rdkafka-sys',
    level: 'info',
    packages: ['make', 'bash', 'cmake', 'perl'],
    summary: 'rdkafka-sys: librdkafka is configured by bash and built with make (cmake with the "cmake-build" feature)',
  },
  // tikv-jemalloc-sys runs jemalloc's autoconf configure and make (tikv-jemallocator README).
  { crate: 'tikv-jemalloc-sys', level: 'info', packages: ['make'], summary: 'tikv-jemalloc-sys: jemalloc is configured and built with make' },
  // librocksdb-sys compiles RocksDB (C++) with cc and generates bindings with bindgen.
  {
    crate: 'librocksdb-sys',
    level: 'info',
    packages: ['clang-dev'],
    summary: 'librocksdb-sys: needs libclang for bindgen; RocksDB is compiled with zig c++ (a long build that cook caches)',
  },
  // These build their bundled C sources with cc (zig cc); nothing extra is needed.
  { crate: 'zstd-sys', level: 'info', summary: 'zstd-sys: compiles bundled zstd with zig cc, works as is' },
  {
    crate: 'libz-sys',
    level: 'info',
    summary: 'libz-sys: compiles bundled zlib with zig cc when cross-compiling (do not add zlib-dev: it would be the build platform\'s)',
  },
  { crate: 'bzip2-sys', level: 'info', summary: 'bzip2-sys: compiles bundled bzip2 with zig cc, works as is' },
  { crate: 'lzma-sys', level: 'info', summary: 'lzma-sys: compiles bundled xz with zig cc when cross-compiling, works as is' },
  { crate: 'libmimalloc-sys', level: 'info', summary: 'libmimalloc-sys: compiles mimalloc with zig cc, works as is' },
  // pq-sys and mysqlclient-sys link system client libraries unless their "bundled" feature is on.
  {
    crate: 'pq-sys',
    level: 'warning',
    summary: 'pq-sys links the system libpq, which the build platform cannot provide for the other architecture',
    fix: 'enable pq-sys\'s "bundled" feature (diesel: features = ["postgres"] plus pq-sys = { features = ["bundled"] }), or list "pq-sys" in builder.ignoreCrates if the image does not use it',
  },
  {
    crate: 'mysqlclient-sys',
    level: 'warning',
    summary: 'mysqlclient-sys links the system libmysqlclient, which the build platform cannot provide for the other architecture',
    fix: 'enable mysqlclient-sys\'s "bundled" feature, or list "mysqlclient-sys" in builder.ignoreCrates if the image does not use it',
  },
];

/** The crates the registry knows about. */
export const KNOWN_C_DEPENDENCY_CRATES: readonly string[] = [...new Set(RULES.map((r) => r.crate))];

/**
 * The decisions for the crates in `lock`, in registry order. Crates listed in
 * `ignore` are skipped.
 */
export function cDependencyDecisions(lock: Lockfile | undefined, ignore: readonly string[] = []): CDependencyDecision[] {
  const has = (name: string) => lockedVersions(lock, name).length > 0;
  const decided = new Set<string>();
  const out: CDependencyDecision[] = [];
  for (const rule of RULES) {
    if (decided.has(rule.crate) || ignore.includes(rule.crate) || !has(rule.crate)) continue;
    if (rule.unless?.some(has)) continue;
    if (rule.onlyWith && !rule.onlyWith.some(has)) continue;
    decided.add(rule.crate);
    out.push({
      crate: rule.crate,
      versions: lockedVersions(lock, rule.crate),
      level: rule.level,
      packages: rule.packages ?? [],
      env: rule.env ?? [],
      summary: rule.summary,
      fix: rule.fix,
    });
  }
  return out;
}
