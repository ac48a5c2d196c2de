/**
 * The system libraries the build provides for every target, built for real:
 * one workspace links OpenSSL (openssl without "vendored"), libpq (pq-sys
 * without "bundled"), SQLite (libsqlite3-sys without "bundled") and libxml2
 * (libxml, which only probes) the system way. Its generated Dockerfile builds each library in a stage of its own,
 * with zig cc on the build platform, for both musl targets; the binaries are
 * static and use each library (a TLS handshake, libpq's TLS library, a
 * query, a parsed document). A source edit and a dependency bump leave the library stages (and,
 * after the edit, the cook) cached. Without the library stage (the crate
 * ignored) the cook fails: the stage is what makes it build.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';
import { BuildkitDaemon, BuildResult, expectOk, readOciArchive, StandIns, standIns, stepsNamed, SUITE_ROOT } from '../../harness/buildkit';
import { edit, ImageProject, imageRequest, isStatic, synthProject } from '../../harness/image-project';
import { RUN_ID, skipNotice, tempDir } from '../../harness/temp';
import { runBinary, toolEnv } from '../../harness/tools';
import { TARGET_LIBRARY_CASE, WORKSPACES } from '../../harness/workspace-cases';

jest.setTimeout(60 * 60 * 1000);

const why = BuildkitDaemon.unavailable();
if (why && process.env.CI) throw new Error(`CI is set, but the real-build suite cannot run: ${why}`);
if (why) skipNotice(`target-library builds: ${why}`);

/** The steps of stages whose name starts with `prefix`. */
function stageSteps(r: BuildResult, prefix: string) {
  return stepsNamed(r, new RegExp(`^\\[(linux/[a-z0-9/]+ )?${prefix}[a-z0-9-]* \\d+/\\d+\\] (RUN|COPY)`));
}

(why ? describe.skip : describe)('OpenSSL, libpq, SQLite and libxml2 built for every target, linked statically', () => {
  const daemon = new BuildkitDaemon(SUITE_ROOT);
  let bases: StandIns;
  let p: ImageProject;
  let cold: BuildResult;
  const archive = join(tempDir('prd-libs-'), 'image.tar');

  beforeAll(async () => {
    bases = standIns();
    await daemon.start();
    p = synthProject(join(WORKSPACES, TARGET_LIBRARY_CASE.dir), TARGET_LIBRARY_CASE.options);
    cold = daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` }));
    const lib = (id: string) => stepsNamed(cold, new RegExp(`target-${id} \\d+/\\d+\\] RUN <<`))[0]?.seconds;
    console.log(`l-target-libs: ${cold.ok ? 'built' : 'FAILED'} in ${cold.ms} ms; library stages: openssl ${lib('openssl')} s, libpq ${lib('libpq')} s, sqlite ${lib('sqlite')} s, libxml2 ${lib('libxml2')} s`);
  });

  test('each library has a stage of its own on the build platform; the cook and build ran once', () => {
    expectOk(cold);
    for (const id of ['openssl', 'libpq', 'sqlite', 'libxml2']) {
      const steps = stepsNamed(cold, new RegExp(`target-${id} \\d+/\\d+\\] RUN <<`));
      expect({ id, platforms: steps.map((s) => s.name.split(' ')[0]) }).toEqual({ id, platforms: ['[linux/amd64'] });
    }
  });

  test('both platforms\' binaries are static and use each library: a TLS handshake, libpq with TLS from OpenSSL, a SQLite query, an XML document', () => {
    const images = readOciArchive(archive);
    expect(images.map((i) => i.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    for (const img of images) {
      const bin = join(img.rootfs, 'usr/local/bin/l-target-libs');
      expect({ platform: img.platform, static: isStatic(bin) }).toEqual({ platform: img.platform, static: true });
      const lines = runBinary(img.platform, bin, []).trim().split('\n');
      expect({ platform: img.platform, lines }).toEqual({
        platform: img.platform,
        lines: [
          expect.stringMatching(/^l-target-libs OpenSSL 3\.5\.5 .* TLSv1\.3 TLS_\S+ pong$/),
          'l-target-libs libpq 180600 with TLS from OpenSSL',
          'l-target-libs sqlite 3.54.1 selected 3.54.1',
          'l-target-libs libxml2 parsed <kitchen> with soup, bread',
        ],
      });
    }
  });

  test('syft, with its sbom cataloger as CI runs it, lists each library inside the binary, with its version and licence', () => {
    for (const img of readOciArchive(archive)) {
      const sbom = JSON.parse(execFileSync('syft', [`dir:${img.rootfs}`, '-o', 'syft-json', '-q'], {
        encoding: 'utf-8', env: toolEnv({ SYFT_SELECT_CATALOGERS: '+sbom-cataloger' }), maxBuffer: 64 * 1024 * 1024,
      }));
      const found = sbom.artifacts.filter((a: any) => a.foundBy === 'sbom-cataloger').map((a: any) => `${a.name}@${a.version} ${a.licenses.map((l: any) => l.value).join(',')}`).sort();
      expect({ platform: img.platform, found }).toEqual({
        platform: img.platform,
        found: ['libpq@18.6 PostgreSQL', 'libxml2@2.10.3 MIT', 'openssl@3.5.5 Apache-2.0', 'sqlite@3.54.1 blessing'],
      });
    }
  });

  test('after a source edit, the library stages and the cook are cached', () => {
    edit(join(p.dir, 'src/main.rs'), (t) => `${t}\n// edited, run ${RUN_ID}\n`);
    const r = daemon.build(imageRequest(p, bases));
    expectOk(r);
    const libs = stageSteps(r, 'target-');
    expect(libs.length).toBeGreaterThan(0);
    expect(libs.filter((s) => !s.cached).map((s) => s.name)).toEqual([]);
    expect(stageSteps(r, 'cook').filter((s) => / RUN /.test(s.name)).every((s) => s.cached)).toBe(true);
  });

  test('after a dependency bump, the cook runs again and the library stages stay cached', () => {
    // cfg-if 1.0.5 -> 1.0.4: a crate of the graph that builds no native code.
    // With a kept BuildKit root, an earlier run may have cooked this very
    // bump: a key of this run's own in the manifest makes the recipe new.
    edit(join(p.dir, 'Cargo.toml'), (t) => `${t}\n[package.metadata.test-run]\nid = "${RUN_ID}"\n`);
    edit(join(p.dir, 'Cargo.lock'), (t) => t.replace(/name = "cfg-if"\nversion = "1\.0\.5"\nsource = "([^"]+)"\nchecksum = "[0-9a-f]+"/,
      'name = "cfg-if"\nversion = "1.0.4"\nsource = "$1"\nchecksum = "9330f8b2ff13f34540b44e946ef35111825727b38d33286ef986142615121801"'));
    const r = daemon.build(imageRequest(p, bases));
    expectOk(r);
    expect(stageSteps(r, 'target-').filter((s) => !s.cached).map((s) => s.name)).toEqual([]);
    expect(stageSteps(r, 'cook').some((s) => / RUN /.test(s.name) && !s.cached)).toBe(true);
  });

  test('the library stage is what makes it build: with openssl-sys (and pq-sys) ignored, there is no OpenSSL for the target and the cook fails', () => {
    const ignored = synthProject(join(WORKSPACES, TARGET_LIBRARY_CASE.dir), { builder: { ignoreCrates: ['openssl-sys', 'pq-sys'] } });
    expect(ignored.files[ignored.image.dockerfilePath]).not.toContain('target-openssl');
    const r = daemon.build(imageRequest(ignored, bases));
    expect(r.ok).toBe(false);
    expect(r.log).toMatch(/openssl-sys.*(Could not find directory of OpenSSL installation|pkg-config)/s);
  });
});
