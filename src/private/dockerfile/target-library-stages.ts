/**
 * The stages that build the target libraries (src/private/deps/target-libraries.ts):
 * one stage per library, on the build platform, keyed only on what it builds.
 * Each builds a throwaway crate that depends, at pinned versions, on the
 * registry crate that bundles the library's sources and build logic (the one
 * behind the -sys crate's own "vendored" or "bundled" feature), with
 * cargo-zigbuild for every target, and installs what that crate's build left
 * in its OUT_DIR into `/opt/target-libs/<triple>/`.
 */
import { wrapCommand } from './build-script';
import { Instruction, Stage } from './model';
import { BuilderSpec } from '../config/resolved';
import { RegistryCrate, TARGET_LIB_ROOT, TargetLibrary, targetLibraryEnv } from '../deps/target-libraries';

/** The stage that builds a library. */
export function targetLibraryStage(lib: TargetLibrary): string {
  return `target-${lib.id}`;
}

/** A `[dependencies]` line that pins a registry crate (build metadata such as `+3.5.5` is not part of the requirement). */
function dependency(c: RegistryCrate): string {
  const version = `"=${c.version.replace(/\+.*$/, '')}"`;
  return `${c.crate} = ${c.features?.length ? `{ version = ${version}, features = [${c.features.map((f) => `"${f}"`).join(', ')}] }` : version}`;
}

/**
 * Lines that write a pkg-config file for the target's `$prefix` (the `${...}`
 * in it are pkg-config's own variables, for pkg-config to expand).
 */
function pcFile(file: string, fields: string[]): string[] {
  const q = (v: string) => `'${v}'`;
  return [
    '  # shellcheck disable=SC2016 # the ${...} are variables of pkg-config, which reads this file',
    ...wrapCommand(['printf', "'%s\\n'", '"prefix=$prefix"', q('libdir=${prefix}/lib'), q('includedir=${prefix}/include'), ...fields.map(q),
      '>', `"$prefix/lib/pkgconfig/${file}"`], '  '),
  ];
}

/**
 * Shell lines, run per target with `$out` the bundling crate's OUT_DIR and
 * `$prefix` the target's library folder, that install the library.
 */
function installLines(lib: TargetLibrary): { pkg: string; lines: string[]; sources?: string; prepare?: string[] } {
  switch (lib.id) {
    case 'openssl':
      return {
        pkg: 'openssl-sys',
        lines: [
          '  cp -R "$out/openssl-build/install/include" "$out/openssl-build/install/lib" "$prefix/"',
          '  sed -i "s#^prefix=.*#prefix=$prefix#" "$prefix"/lib/pkgconfig/*.pc',
        ],
      };
    case 'libpq':
      // pq-sys links `pq` alone: OpenSSL goes into the same archive, for a binary that links no openssl-sys.
      return {
        pkg: 'pq-src',
        lines: [
          '  cp -R "$out/include/." "$prefix/include/"',
          '  printf \'CREATE %s\\nADDLIB %s\\nADDLIB %s\\nADDLIB %s\\nSAVE\\nEND\\n\' "$prefix/lib/libpq.a" "$out/libpq.a" "$prefix/lib/libssl.a" "$prefix/lib/libcrypto.a" \\',
          '    | zig ar -M',
        ],
      };
    case 'libxml2':
      // xml2-src compiles libxml2 into the OUT_DIR of the build script that calls it; its headers are in the crate.
      return {
        pkg: targetLibraryStage(lib),
        sources: `xml2-src-${lib.source.version}`,
        // Its xmlversion.h turns zlib and lzma on, with no headers or libraries of theirs for the target: off, before the build.
        prepare: [
          'sed -i -e \'s|^#define LIBXML_ZLIB_ENABLED$|/* LIBXML_ZLIB_ENABLED: off (no zlib for the target) */|\' \\',
          '  -e \'s|^#define LIBXML_LZMA_ENABLED$|/* LIBXML_LZMA_ENABLED: off (no lzma for the target) */|\' "$src"/vendor/libxml2-*/include/libxml/xmlversion.h',
        ],
        lines: [
          '  cp "$out/libxml2.a" "$prefix/lib/"',
          '  mkdir -p "$prefix/include/libxml2"',
          '  cp -R "$src"/vendor/libxml2-*/include/libxml "$prefix/include/libxml2/"',
          ...pcFile('libxml-2.0.pc', ['Name: libXML', `Version: ${lib.version}`, 'Description: libXML library version2.', 'Libs: -L${libdir} -lxml2',
            'Libs.private: -lm', 'Cflags: -I${includedir}/libxml2']),
        ],
      };
    case 'sqlite':
      return {
        pkg: 'libsqlite3-sys',
        sources: `libsqlite3-sys-${lib.source.version}`,
        lines: [
          '  cp "$out/libsqlite3.a" "$prefix/lib/"',
          '  cp "$src"/sqlite3/sqlite3.h "$src"/sqlite3/sqlite3ext.h "$prefix/include/"',
          ...pcFile('sqlite3.pc', ['Name: SQLite', `Version: ${lib.version}`, 'Description: SQL database engine', 'Libs: -L${libdir} -lsqlite3',
            'Libs.private: -lm', 'Cflags: -I${includedir}']),
        ],
      };
  }
}

/** The RUN that builds the library for `targets` (cargo-zigbuild `--target` values) and installs it. */
function buildScript(lib: TargetLibrary, spec: BuilderSpec): string[] {
  const dir = `/tmp/${targetLibraryStage(lib)}`;
  const install = installLines(lib);
  const needsEnv = spec.targetLibraries.filter((l) => lib.needs.includes(l.id))
    .flatMap((l) => [...new Set(spec.warmTargets.map((t) => t.replace(/\.[0-9.]+$/, '')))].flatMap((t) => targetLibraryEnv(l, t)));
  const zigbuild = `cargo zigbuild --release --manifest-path ${dir}/Cargo.toml ${spec.warmTargets.map((t) => `--target ${t}`).join(' ')}`;
  const findSources = `src=$(find "$CARGO_HOME/registry/src" -mindepth 2 -maxdepth 2 -type d -name ${install.sources} | head -n 1)`;
  return [
    ...needsEnv.map(([k, v]) => `export ${k}=${v}`),
    `mkdir -p ${dir}/src && touch ${dir}/src/lib.rs`,
    // The sources are found once Cargo has them: fetched first when they must be changed before the build.
    ...(install.prepare ? [`cargo fetch --manifest-path ${dir}/Cargo.toml`, findSources, ...install.prepare, zigbuild] : [zigbuild, ...(install.sources ? [findSources] : [])]),
    `for t in ${spec.warmTargets.join(' ')}; do`,
    `  prefix=${TARGET_LIB_ROOT}/\${t%%.*}`,
    `  out=$(find ${dir}/target/\${t%%.*}/release/build -mindepth 2 -maxdepth 2 -type d -path '*/${install.pkg}-*/out' | head -n 1)`,
    '  mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"',
    ...install.lines,
    'done',
    `rm -rf ${dir} "$CARGO_HOME/registry"`,
  ];
}

/** The throwaway crate's manifest. */
function manifest(lib: TargetLibrary): string[] {
  return [
    '[package]',
    `name = "${targetLibraryStage(lib)}"`,
    'version = "0.0.0"',
    'edition = "2021"',
    'publish = false',
    ...(lib.buildFunction
      ? ['', '[build-dependencies]', dependency(lib.source)]
      : ['', '[dependencies]', ...[lib.source, ...(lib.driver ? [lib.driver] : [])].map(dependency)]),
  ];
}

/** The throwaway crate's build script, for a source that is a library for build scripts. */
function buildRs(lib: TargetLibrary): Instruction[] {
  if (!lib.buildFunction) return [];
  return [{ kind: 'COPY', content: [`fn main() { ${lib.buildFunction}(); }`], sources: [], destination: `/tmp/${targetLibraryStage(lib)}/build.rs` }];
}

/**
 * The stage of one library, on `base` (a build-platform stage with zig,
 * cargo-zigbuild and the Rust targets): its build tools, the stages of the
 * libraries it links, the throwaway crate and the build.
 */
export function targetLibraryStageOf(lib: TargetLibrary, spec: BuilderSpec, base: string): Stage {
  const instructions: Instruction[] = [];
  if (lib.buildPackages.length) instructions.push({ kind: 'RUN', commands: [`apk add --no-cache ${lib.buildPackages.join(' ')}`] });
  for (const need of spec.targetLibraries.filter((l) => lib.needs.includes(l.id))) {
    instructions.push({ kind: 'COPY', from: targetLibraryStage(need), sources: [`${TARGET_LIB_ROOT}/`], destination: `${TARGET_LIB_ROOT}/` });
  }
  instructions.push({ kind: 'COPY', content: manifest(lib), sources: [], destination: `/tmp/${targetLibraryStage(lib)}/Cargo.toml` }, ...buildRs(lib));
  instructions.push({ kind: 'RUN', script: true, commands: buildScript(lib, spec) });
  return {
    name: targetLibraryStage(lib),
    from: {
      kind: 'FROM',
      image: base,
      comment: [
        `${lib.name} ${lib.version} (${lib.license}) for every target, from ${lib.source.crate} ${lib.source.version}, compiled with zig cc:`,
        `${lib.linkedBy} links it statically (${lib.how}).`,
      ],
    },
    instructions,
  };
}

/** The stages of every library the builder provides, on `base`. */
export function targetLibraryStages(spec: BuilderSpec, base: string): Stage[] {
  return spec.targetLibraries.map((lib) => targetLibraryStageOf(lib, spec, base));
}

/** The COPYs that bring every library into the builder. */
export function targetLibraryCopies(spec: BuilderSpec): Instruction[] {
  return spec.targetLibraries.map((lib, n): Instruction => ({
    kind: 'COPY',
    from: targetLibraryStage(lib),
    sources: [`${TARGET_LIB_ROOT}/`],
    destination: `${TARGET_LIB_ROOT}/`,
    comment: n === 0 ? [`The libraries built for every target, in ${TARGET_LIB_ROOT}/<triple>/.`] : undefined,
  }));
}
