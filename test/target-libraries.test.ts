/**
 * The system libraries the build provides for every target, as generated:
 * which crates of the graph ask for them, the stage of each library (keyed
 * only on what it builds), the settings that point each -sys crate at the
 * target's copy (only for the crates the graph shows), and the builder image
 * that carries them. The real-build suite builds and runs them
 * (test/integration/target-libraries.test.ts).
 */
import { Testing } from 'projen';
import { dockerfileProblems, unwrapped } from './util';
import { workspaceProject } from '../harness/projects';
import { RustDockerImage } from '../src';
import { imageInternals } from '../src/private/components/internals';
import { TARGET_LIBRARIES, withNeeds } from '../src/private/deps/target-libraries';

function synth(dir: string, options = {}) {
  const project = workspaceProject(dir);
  const image = new RustDockerImage(project, options);
  const files = Testing.synth(project);
  return { files, image, dockerfile: files[image.dockerfilePath] as string, builder: files['rust-builder.Dockerfile'] as string };
}

/** The text of a stage, from its FROM to the comments of the next stage. */
function stageText(dockerfile: string, name: string): string {
  const start = dockerfile.search(new RegExp(`^FROM .* AS ${name}$`, 'm'));
  const next = /\n\n(#[^\n]*\n)*FROM /.exec(dockerfile.slice(start));
  return dockerfile.slice(start, next ? start + next.index : undefined);
}

describe('a workspace that links OpenSSL, libpq, SQLite and libxml2 the system way', () => {
  const { dockerfile, builder, image, files } = synth('l-target-libs');
  const model = imageInternals(image).model;

  test('is not refused: each library gets a stage of its own, built on the tools, and the builder copies them in', () => {
    expect(model.stages.map((s) => [s.name, s.from.image, s.from.platform])).toEqual([
      ['rust-tools', 'rust:1.99.1-alpine3.23', '$BUILDPLATFORM'],
      ['target-openssl', 'rust-tools', undefined],
      ['target-libpq', 'rust-tools', undefined],
      ['target-sqlite', 'rust-tools', undefined],
      ['target-libxml2', 'rust-tools', undefined],
      // The swap CI makes replaces this stage, so it keeps the build platform of its own FROM.
      ['rust-builder', 'rust-tools', '$BUILDPLATFORM'],
      ...model.stages.slice(6).map((s) => [s.name, s.from.image, s.from.platform]),
    ]);
    for (const id of ['openssl', 'libpq', 'sqlite', 'libxml2']) expect(dockerfile).toContain(`COPY --from=target-${id} /opt/target-libs/ /opt/target-libs/\n`);
    expect(dockerfileProblems(dockerfile)).toEqual([]);
    expect(dockerfile.split('\n').filter((l) => l.length > 160)).toEqual([]);
  });

  test('each library is built from the registry crate that bundles it, pinned, for every target, and installed per target', () => {
    const openssl = stageText(dockerfile, 'target-openssl');
    expect(openssl).toContain('RUN apk add --no-cache perl make linux-headers\n');
    expect(openssl).toContain('[dependencies]\nopenssl-src = "=300.5.5"\nopenssl-sys = { version = "=0.9.118", features = ["vendored"] }\nEOF\n');
    expect(openssl).toContain('cargo zigbuild --release --manifest-path /tmp/target-openssl/Cargo.toml --target x86_64-unknown-linux-musl --target aarch64-unknown-linux-musl\n');
    expect(openssl).toContain('  prefix=/opt/target-libs/${t%%.*}\n');
    const libpq = stageText(dockerfile, 'target-libpq');
    // libpq links OpenSSL for TLS: it gets the OpenSSL stage's copy, and openssl-sys is pointed at it.
    expect(libpq).toContain('COPY --from=target-openssl /opt/target-libs/ /opt/target-libs/\n');
    expect(libpq).toContain('export X86_64_UNKNOWN_LINUX_MUSL_OPENSSL_DIR=/opt/target-libs/x86_64-unknown-linux-musl\n');
    expect(libpq).toContain('pq-src = "=0.3.14"\n');
    expect(libpq).toContain('| zig ar -M\n');
    expect(stageText(dockerfile, 'target-sqlite')).toContain('libsqlite3-sys = { version = "=0.40.0", features = ["bundled"] }\n');
    // xml2-src is a library for build scripts: the throwaway crate's build script calls it.
    const libxml2 = stageText(dockerfile, 'target-libxml2');
    expect(libxml2).toContain('[build-dependencies]\nxml2-src = "=2.10.3-alpha"\nEOF\nCOPY <<\'EOF\' /tmp/target-libxml2/build.rs\nfn main() { xml2_src::build_lib(); }\nEOF\n');
    expect(unwrapped(libxml2)).toContain("'Libs: -L${libdir} -lxml2' 'Libs.private: -lm' 'Cflags: -I${includedir}/libxml2' > \"$prefix/lib/pkgconfig/libxml-2.0.pc\"");
    // Its headers turn zlib and lzma on, which the target has not: off in the fetched sources, before the build.
    const lines = unwrapped(libxml2).split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    expect(at(/^cargo fetch /)).toBeGreaterThan(-1);
    expect([at(/^cargo fetch /), at(/^src=\$\(find /), at(/LIBXML_ZLIB_ENABLED: off/), at(/^cargo zigbuild /)]).toEqual([...[at(/^cargo fetch /), at(/^src=\$\(find /), at(/LIBXML_ZLIB_ENABLED: off/), at(/^cargo zigbuild /)]].sort((a, b) => a - b));
    expect(unwrapped(libxml2)).toContain('LIBXML_LZMA_ENABLED: off');
    // Every stage that reads the crate's sources looks for them once Cargo has downloaded them.
    for (const id of ['sqlite', 'libxml2']) {
      const text = unwrapped(stageText(dockerfile, `target-${id}`)).split('\n');
      const download = text.findIndex((l) => /^cargo (fetch|zigbuild) /.test(l));
      expect({ id, download: download >= 0, sourcesAfter: text.findIndex((l) => l.startsWith('src=$(find')) > download }).toEqual({ id, download: true, sourcesAfter: true });
    }
  });

  test('the library stages read nothing of the workspace: another workspace gets the same stage, byte for byte', () => {
    const other = synth('g-openssl-feature').dockerfile;
    expect(stageText(other, 'target-openssl')).toBe(stageText(dockerfile, 'target-openssl'));
    expect(stageText(dockerfile, 'target-openssl')).not.toContain('l-target-libs');
  });

  test('cook and build point each -sys crate at the target\'s copy with its own per-target settings', () => {
    const cook = model.stages.find((s) => s.name === 'cook')!;
    const env = Object.fromEntries(cook.instructions.flatMap((i) => (i.kind === 'ENV' ? i.pairs : [])));
    expect(env).toEqual(expect.objectContaining({
      X86_64_UNKNOWN_LINUX_MUSL_OPENSSL_DIR: '/opt/target-libs/x86_64-unknown-linux-musl',
      AARCH64_UNKNOWN_LINUX_MUSL_OPENSSL_STATIC: '1',
      PQ_LIB_DIR_AARCH64_UNKNOWN_LINUX_MUSL: '/opt/target-libs/aarch64-unknown-linux-musl/lib',
      PQ_LIB_STATIC_X86_64_UNKNOWN_LINUX_MUSL: '1',
      PKG_CONFIG_PATH_x86_64_unknown_linux_musl: '/opt/target-libs/x86_64-unknown-linux-musl/lib/pkgconfig',
      SQLITE3_STATIC: '1',
      LIBXML2_STATIC: '1',
    }));
    // pkg-config for libsqlite3-sys: pkgconf in the builder.
    expect(imageInternals(image).resolved.builder.apkPackages.map((p) => p.name)).toContain('pkgconf');
  });

  test('the note above the cook names each library and its version', () => {
    expect(unwrapped(dockerfile)).toContain('#   openssl-sys 0.9.118: openssl-sys links the system\'s OpenSSL: OpenSSL 3.5.5 is built for every target in the target-openssl stage, and linked statically\n');
    expect(unwrapped(dockerfile)).toMatch(/#   pq-sys 0\.7\.8: .*libpq 18\.6 is built for every target in the target-libpq stage/);
    expect(unwrapped(dockerfile)).toMatch(/#   libsqlite3-sys 0\.35\.0: .*SQLite 3\.54\.1 is built for every target in the target-sqlite stage/);
  });

  test('the runtime image carries a CycloneDX SBOM of the libraries inside the binary, and CI\'s SBOM step reads it', () => {
    const runtime = stageText(dockerfile, 'runtime');
    const m = /COPY <<'EOF' \/usr\/share\/doc\/l-target-libs\/target-libraries\.cdx\.json\n([\s\S]*?)\nEOF\n/.exec(runtime);
    expect(m).not.toBeNull();
    const bom = JSON.parse(m![1]);
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.metadata).toBeUndefined();
    expect(bom.components.map((c: any) => [c.name, c.version, c.licenses[0].license.id, c.purl])).toEqual([
      ['openssl', '3.5.5', 'Apache-2.0', 'pkg:generic/openssl@3.5.5'],
      ['libpq', '18.6', 'PostgreSQL', 'pkg:generic/libpq@18.6'],
      ['sqlite', '3.54.1', 'blessing', 'pkg:generic/sqlite@3.54.1'],
      ['libxml2', '2.10.3', 'MIT', 'pkg:generic/libxml2@2.10.3'],
    ]);
    expect(runtime).not.toMatch(/^RUN /m);
    const wf = files['.github/workflows/docker-l-target-libs.yml'];
    expect(wf).toContain('SYFT_SELECT_CATALOGERS: +sbom-cataloger');
  });

  test('no library, no SBOM file and no cataloger setting', () => {
    const plain = synth('c-ring');
    expect(plain.dockerfile).not.toContain('target-libraries.cdx.json');
    expect(JSON.stringify(plain.files)).not.toContain('SYFT_SELECT_CATALOGERS');
  });

  test('the builder image carries the libraries: the same stages on its build-platform zig cache, copied into every platform\'s builder', () => {
    for (const id of ['openssl', 'libpq', 'sqlite', 'libxml2']) {
      expect(builder).toMatch(new RegExp(`^FROM zig-cache AS target-${id}$`, 'm'));
      expect(builder).toContain(`COPY --from=target-${id} /opt/target-libs/ /opt/target-libs/\n`);
      // The same build as the inline stage, from the same crates.
      expect(stageText(builder, `target-${id}`).split('\n').slice(1)).toEqual(stageText(dockerfile, `target-${id}`).split('\n').slice(1));
    }
    expect(dockerfileProblems(builder)).toEqual([]);
    // The builder's content hash names its variant: another set of libraries, another tag.
    expect(imageInternals(image).resolved.builder).not.toEqual(imageInternals(synth('g-openssl-feature').image).resolved.builder);
  });
});

describe('only what the graph shows', () => {
  test('openssl-sys alone: the OpenSSL stage and settings, nothing of libpq or SQLite', () => {
    const { dockerfile } = synth('g-openssl-feature');
    expect(dockerfile).toContain('AS target-openssl');
    expect(dockerfile).not.toMatch(/target-libpq|target-sqlite|target-libxml2|PQ_LIB|SQLITE3_STATIC|LIBXML2_STATIC|PKG_CONFIG/);
  });

  test('with "vendored" there is nothing to provide: one builder stage, as before', () => {
    const { dockerfile } = synth('g-openssl-feature', { imageName: 'vendored', features: ['vendored'] });
    expect(dockerfile).not.toMatch(/target-openssl|rust-tools|OPENSSL_DIR/);
  });

  test('a library another needs is built first, in order', () => {
    expect(withNeeds(['libpq']).map((l) => l.id)).toEqual(['openssl', 'libpq']);
    expect(withNeeds(['sqlite', 'libpq', 'openssl']).map((l) => l.id)).toEqual(['openssl', 'libpq', 'sqlite']);
    for (const lib of TARGET_LIBRARIES) {
      for (const need of lib.needs) expect(TARGET_LIBRARIES.findIndex((l) => l.id === need)).toBeLessThan(TARGET_LIBRARIES.indexOf(lib));
    }
  });
});
