import { TargetLibraryId, targetLibrary } from './target-libraries';

/** How serious a C-dependency finding is. */
export type CDependencyLevel = 'info' | 'warning' | 'error';

/**
 * Where a crate must be compiled for a rule to apply: for the target (the
 * image's binary links it), only for the build platform (build scripts and
 * proc macros, which run in the builder), or either.
 */
export type RuleSide = 'target' | 'host-only' | 'any';

/** A known crate that compiles or links C code, and what a cargo-zigbuild cross build on Alpine needs for it. */
export interface Rule {
  /** The crate the rule is about. */
  readonly crate: string;
  readonly side: RuleSide;
  /** The rule applies only when the crate is compiled with this feature. */
  readonly withFeature?: string;
  /** The rule applies only when the crate is compiled without this feature. */
  readonly withoutFeature?: string;
  readonly level: CDependencyLevel;
  /** Alpine packages the builder needs. */
  readonly apkPackages?: string[];
  /** Environment for the cook and build steps. */
  readonly env?: Array<[string, string]>;
  /** The build reads `.git` (build scripts that embed git metadata). */
  readonly needsGit?: boolean;
  /** Libraries the build provides for every target (target-libraries.ts). */
  readonly libraries?: TargetLibraryId[];
  readonly summary: string;
  readonly fix?: string;
}

export const SYSTEM_LIBRARY = 'the builder runs on the build platform, so a system library it could offer is of that architecture and cannot link a binary for another target (cargo-zigbuild #89)';

/** A rule for a -sys crate that links the system's copy of a library: the build provides one for every target. */
function providedLibrary(crate: string, id: TargetLibraryId, apkPackages: string[] = []): Rule {
  const lib = targetLibrary(id);
  return {
    crate,
    side: 'target',
    level: 'info',
    libraries: [id],
    apkPackages,
    summary: `${crate} links the system's ${lib.name}: ${lib.name} ${lib.version} is built for every target in the target-${lib.id} stage, and linked statically`,
  };
}

/**
 * Two rules for a -sys crate that links a system client library unless its "bundled"
 * feature is on: info with the feature, a refusal without it. Both name the licence of
 * the library "bundled" compiles into the binary.
 */
function bundledOrRefused(crate: string, library: string, licence: string): Rule[] {
  const bundled = `${library} (${licence}) is compiled from source and linked into the binary`;
  return [
    { crate, side: 'target', withFeature: 'bundled', level: 'info', summary: `${crate} with "bundled": ${bundled}` },
    {
      crate,
      side: 'target',
      level: 'error',
      summary: `${crate} links the system ${library}, but ${SYSTEM_LIBRARY}`,
      fix: `enable ${crate}'s "bundled" feature (${bundled}), or list "${crate}" in builder.ignoreCrates`,
    },
  ];
}

/**
 * The rule table. Each entry says where its fact comes from. For one crate
 * and side, the first matching rule wins.
 */
export const RULES: readonly Rule[] = [
  // openssl-sys builds OpenSSL from source with its "vendored" feature (openssl crate docs,
  // "Vendored"): Configure is perl, the build uses make, and it needs the kernel headers.
  {
    crate: 'openssl-sys',
    side: 'any',
    withFeature: 'vendored',
    level: 'info',
    apkPackages: ['perl', 'make', 'linux-headers'],
    summary: 'openssl-sys with its "vendored" feature: OpenSSL is built from source (needs perl, make, linux-headers)',
  },
  // Without it, openssl-sys links the system OpenSSL: the build provides one for every target.
  providedLibrary('openssl-sys', 'openssl'),
  // The copy compiled for build scripts or proc macros links the builder's own OpenSSL: that is right.
  {
    crate: 'openssl-sys',
    side: 'host-only',
    level: 'info',
    apkPackages: ['openssl-dev', 'pkgconf'],
    summary: 'openssl-sys compiled for build-time code (build scripts, proc macros) on the build platform: links the builder\'s own OpenSSL (openssl-dev)',
  },
  // libsqlite3-sys compiles SQLite with cc (zig cc) when "bundled" is on (rusqlite README, "bundled").
  {
    crate: 'libsqlite3-sys',
    side: 'target',
    withFeature: 'bundled',
    level: 'info',
    summary: 'libsqlite3-sys with "bundled": SQLite is compiled with zig cc',
  },
  // Without it, libsqlite3-sys asks pkg-config for the system SQLite: the build provides one for every target.
  providedLibrary('libsqlite3-sys', 'sqlite', ['pkgconf']),
  // ring compiles C and assembly with cc, i.e. zig cc; zig 0.16 broke ar for ring with
  // cargo-zigbuild before 0.23 (cargo-zigbuild #433).
  { crate: 'ring', side: 'any', level: 'info', summary: 'ring: C and assembly compiled with zig cc' },
  // aws-lc-fips-sys always builds with CMake and Go, and generates bindings with bindgen
  // (aws-lc-rs "Build requirements").
  {
    crate: 'aws-lc-fips-sys',
    side: 'any',
    level: 'info',
    apkPackages: ['cmake', 'make', 'go', 'perl', 'clang-dev'],
    summary: 'aws-lc-fips-sys: the FIPS build needs cmake, go, perl and libclang',
  },
  // aws-lc-sys builds with cc by default and falls back to CMake for some targets;
  // zig breakages were fixed upstream (aws-lc-rs #993, #1103, #1022).
  {
    crate: 'aws-lc-sys',
    side: 'any',
    level: 'info',
    apkPackages: ['cmake', 'make'],
    summary: 'aws-lc-sys: AWS-LC compiled with zig cc; cmake for its CMake configurations',
  },
  // prost-build runs protoc (prost-build docs, "Sourcing protoc"). It runs on the build platform,
  // so the builder's own protoc is right. protobuf-src only serves the crates that ask for it, so
  // protoc is installed whenever prost-build is compiled.
  ...['prost-build', 'tonic-build'].map((crate): Rule => ({
    crate,
    side: 'any',
    level: 'info',
    apkPackages: ['protoc', 'protobuf-dev'],
    env: [['PROTOC', '/usr/bin/protoc']],
    summary: `${crate}: protoc from the builder (it runs on the build platform)`,
  })),
  // protobuf-src compiles protoc (C++) from source with cmake (protobuf-src README).
  { crate: 'protobuf-src', side: 'any', level: 'info', apkPackages: ['cmake', 'make'], summary: 'protobuf-src: protoc is compiled from source with cmake' },
  // bindgen loads libclang at build time (bindgen book, "Requirements"); clang-sys finds it.
  { crate: 'bindgen', side: 'any', level: 'info', apkPackages: ['clang-dev'], summary: 'bindgen: needs libclang' },
  { crate: 'clang-sys', side: 'any', level: 'info', apkPackages: ['clang-dev'], summary: 'clang-sys: needs libclang' },
  // The cmake crate drives CMake with the Makefile generator (cmake crate docs).
  { crate: 'cmake', side: 'any', level: 'info', apkPackages: ['cmake', 'make'], summary: 'cmake: C libraries built with CMake need cmake and make' },
  // librdkafka is configured by a bash script and built with make (rdkafka-sys README).
  {
    crate: 'rdkafka-sys',
    side: 'any',
    level: 'info',
    apkPackages: ['make', 'bash', 'cmake', 'perl'],
    summary: 'rdkafka-sys: librdkafka is configured by bash and built with make (cmake with the "cmake-build" feature)',
  },
  // tikv-jemalloc-sys runs jemalloc's autoconf configure and make (tikv-jemallocator README).
  { crate: 'tikv-jemalloc-sys', side: 'any', level: 'info', apkPackages: ['make'], summary: 'tikv-jemalloc-sys: jemalloc is configured and built with make' },
  // jemalloc-sys (jemallocator, the crate tikv-jemalloc-sys forked from) also runs configure and make.
  { crate: 'jemalloc-sys', side: 'any', level: 'info', apkPackages: ['make'], summary: 'jemalloc-sys: jemalloc is configured and built with make' },
  // librocksdb-sys compiles RocksDB (C++) with cc and generates bindings with bindgen.
  {
    crate: 'librocksdb-sys',
    side: 'any',
    level: 'info',
    apkPackages: ['clang-dev'],
    summary: 'librocksdb-sys: needs libclang for bindgen; RocksDB is compiled with zig c++ (a long build that the cook caches)',
  },
  // These build their bundled C sources with cc (zig cc); nothing extra is needed.
  { crate: 'zstd-sys', side: 'any', level: 'info', summary: 'zstd-sys: bundled zstd compiled with zig cc' },
  { crate: 'libz-sys', side: 'any', level: 'info', summary: 'libz-sys: bundled zlib compiled with zig cc (do not add zlib-dev: it would be the build platform\'s)' },
  { crate: 'bzip2-sys', side: 'any', level: 'info', summary: 'bzip2-sys: bundled bzip2 compiled with zig cc' },
  { crate: 'lzma-sys', side: 'any', level: 'info', summary: 'lzma-sys: bundled xz compiled with zig cc' },
  { crate: 'libmimalloc-sys', side: 'any', level: 'info', summary: 'libmimalloc-sys: mimalloc compiled with zig cc' },
  // pq-sys links the system libpq unless "bundled" is on; "bundled_without_openssl" also compiles
  // libpq from pq-src, without TLS (pq-sys Cargo.toml). Without either, the build provides libpq.
  ...['bundled', 'bundled_without_openssl'].map((feature): Rule => ({
    crate: 'pq-sys', side: 'target', withFeature: feature, level: 'info', summary: `pq-sys with "${feature}": libpq is compiled with zig cc`,
  })),
  providedLibrary('pq-sys', 'libpq'),
  // mysqlclient-sys links the system libmysqlclient unless "bundled" is on: then mysqlclient-src
  // compiles it (its Cargo.toml: license = "GPL-2.0-only").
  ...bundledOrRefused('mysqlclient-sys', 'libmysqlclient', 'GPL-2.0-only'),
  // libxml asks pkg-config for the system libxml2 (libxml build.rs): the build provides one for every target.
  providedLibrary('libxml', 'libxml2', ['pkgconf']),
  // unwind-sys (through unwind / rstack) asks pkg-config for libunwind-generic and panics without
  // a target libunwind (unwind-sys build.rs).
  {
    crate: 'unwind-sys',
    side: 'target',
    level: 'error',
    summary: `unwind-sys links the system libunwind through pkg-config, and its build script panics without one for the target; ${SYSTEM_LIBRARY}`,
    fix: 'turn off the feature that pulls in unwind or rstack (use std::backtrace instead), or list "unwind-sys" in builder.ignoreCrates and provide a target libunwind with PKG_CONFIG_* settings in builder.env',
  },
  // Build scripts that embed git metadata read .git, and the CLI-based ones run git
  // (vergen-gitcl, shadow-rs, and git-version's proc macro git-version-macro, which runs `git describe`);
  // vergen-git2 and built's git2 feature read it with libgit2.
  ...['vergen-gitcl', 'git-version-macro', 'shadow-rs'].map((crate): Rule => ({
    crate,
    side: 'any',
    level: 'info',
    apkPackages: ['git'],
    needsGit: true,
    summary: `${crate}: the build embeds git metadata, so .git stays in the build context and git is in the builder`,
  })),
  {
    crate: 'vergen-git2',
    side: 'any',
    level: 'info',
    needsGit: true,
    summary: 'vergen-git2: the build embeds git metadata, so .git stays in the build context',
  },
  // vergen 8 runs the git CLI with its "gitcl" feature (vergen docs, "Features"); vergen 7's "git"
  // feature, and vergen 8's with "git2" or "gitoxide", read the repository through a library.
  {
    crate: 'vergen',
    side: 'any',
    withFeature: 'gitcl',
    level: 'info',
    apkPackages: ['git'],
    needsGit: true,
    summary: 'vergen with its "gitcl" feature: the build runs git to embed its metadata, so .git stays in the build context and git is in the builder',
  },
  {
    crate: 'vergen',
    side: 'any',
    withFeature: 'git',
    level: 'info',
    needsGit: true,
    summary: 'vergen with its "git" feature: the build reads the repository through a library (libgit2 or gitoxide) to embed git metadata, so .git stays in the build context',
  },
  {
    crate: 'built',
    side: 'any',
    withFeature: 'git2',
    level: 'info',
    needsGit: true,
    summary: 'built with its "git2" feature: the build embeds git metadata, so .git stays in the build context',
  },
];

/** Every crate a rule names. */
export const RULE_CRATES: readonly string[] = [...new Set(RULES.map((r) => r.crate))].sort();
