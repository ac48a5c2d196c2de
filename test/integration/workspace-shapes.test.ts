/**
 * Workspace shapes that cargo-chef has mishandled (harness/workspace-cases.ts
 * SHAPE_CASES), each built for real from its generated Dockerfile on one
 * BuildKit daemon, for linux/amd64 and linux/arm64: both binaries run, and
 * after a source edit and after a version bump (manifest and Cargo.lock, as
 * cargo leaves them) the cook stays cached and the build stage compiles only
 * workspace crates. Only the base images are stood in (see
 * harness/buildkit/make-standins.sh).
 */
import { readdirSync, utimesSync, writeFileSync } from 'fs';
import { join } from 'path';
import { BuildkitDaemon, BuildResult, BuildStep, expectOk, readOciArchive, StandIns, standIns, stepsNamed, SUITE_ROOT } from '../../harness/buildkit';
import { edit, imageRequest, ImageProject, isStatic, synthProject } from '../../harness/image-project';
import { RUN_ID, skipNotice, tempDir } from '../../harness/temp';
import { runBinary } from '../../harness/tools';
import { BuildingShape, SHAPE_CASES, VersionBump, WORKSPACES } from '../../harness/workspace-cases';
import { imageInternals } from '../../src/private/components/internals';
import { recipeRepairScript } from '../../src/private/dockerfile/recipe-repair';

jest.setTimeout(60 * 60 * 1000);

const why = BuildkitDaemon.unavailable();
if (why && process.env.CI) throw new Error(`CI is set, but the workspace-shape builds cannot run: ${why}`);
if (why) skipNotice(`workspace-shape builds: ${why}`);
const suite = why ? describe.skip : describe;

/** One daemon for the whole file: the builder stage and the registry cache are shared by every shape. */
const daemon = new BuildkitDaemon(SUITE_ROOT);
let bases: StandIns;
if (!why) {
  beforeAll(async () => {
    bases = standIns();
    await daemon.start();
  });
}


/** Build times, printed at the end. */
const times: string[] = [];
afterAll(() => {
  if (times.length) process.stderr.write(`workspace-shape build times (linux/amd64 + linux/arm64):\n${times.map((t) => `  ${t}`).join('\n')}\n`);
});

/** The RUN steps of one stage, on any platform. */
function stage(result: BuildResult, name: string): BuildStep[] {
  return stepsNamed(result, new RegExp(`^\\[(linux/[a-z0-9/]+ )?${name} \\d+/\\d+\\] RUN`));
}

/** What the build stage compiled: name, version and, for a path crate, its folder in the builder. */
function compiled(result: BuildResult): Array<{ name: string; version: string; path?: string }> {
  return stage(result, 'build').flatMap((s) => s.output)
    .map((l) => /^\s*Compiling (\S+) v(\S+)(?: \((.*)\))?/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ name: m[1], version: m[2], path: m[3] }));
}

/** Fails unless the build stage compiled only the case's workspace crates, and returns their names. */
function workspaceOnly(c: BuildingShape, result: BuildResult): string[] {
  const crates = compiled(result);
  const allowed = c.workspaceCrates;
  const foreign = crates.filter((k) => !k.path?.startsWith('/app') || !allowed.includes(k.name));
  expect({ shape: c.dir, foreign }).toEqual({ shape: c.dir, foreign: [] });
  return crates.map((k) => k.name);
}

/** A version bump as cargo leaves it: the manifest's first `version = "from"`, the packages' Cargo.lock entries and references. */
function bumpVersion(p: ImageProject, c: BuildingShape, bump: VersionBump): void {
  edit(join(p.dir, bump.manifest), (t) => {
    expect(t).toContain(`version = "${bump.from}"`);
    return t.replace(`version = "${bump.from}"`, `version = "${bump.to}"`);
  });
  edit(join(p.dir, c.cratePath ?? '.', 'Cargo.lock'), (t) => {
    let out = t;
    for (const pkg of bump.packages) {
      const entry = `name = "${pkg}"\nversion = "${bump.from}"\n`;
      expect(out).toContain(entry);
      out = out.replace(entry, `name = "${pkg}"\nversion = "${bump.to}"\n`).split(`"${pkg} ${bump.from}"`).join(`"${pkg} ${bump.to}"`);
    }
    return out;
  });
}

/** The cook ran (or was cached) and every cook step was cached. */
function cookCached(result: BuildResult): boolean {
  const cook = stage(result, 'cook');
  return cook.length > 0 && cook.every((s) => s.cached);
}

for (const c of SHAPE_CASES.filter((s): s is BuildingShape => s.expected === 'builds')) {
  suite(`${c.dir}: ${c.description}`, () => {
    let p: ImageProject;
    let cold: BuildResult;
    const archive = join(tempDir('prd-shape-'), 'image.tar');

    beforeAll(() => {
      p = synthProject(join(WORKSPACES, c.dir), c.options);
      edit(join(p.dir, c.sourceEdit.file), (t) => `${t}\n// workspace-shape test run ${RUN_ID}\n`);
      cold = daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` }));
      times.push(`${c.dir}: first build ${(cold.ms / 1000).toFixed(1)} s`);
    });

    test('builds for linux/amd64 and linux/arm64; the build stage compiles only workspace crates', () => {
      expectOk(cold);
      expect(stage(cold, 'cook').length).toBeGreaterThan(0);
      expect(workspaceOnly(c, cold)).toContain(c.sourceEdit.crate);
      const repairs = stage(cold, 'planner').flatMap((s) => s.output).filter((l) => l.startsWith('recipe-repair:'));
      expect({ shape: c.dir, repaired: repairs.length > 0 }).toEqual({ shape: c.dir, repaired: !!c.recipeRepair });
    });

    test('both platforms\' binaries are static and print what the sources say', () => {
      const images = readOciArchive(archive);
      expect(images.map((i) => i.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
      const binDir = imageInternals(p.image).resolved.binaries[0].runtime.binDir;
      for (const img of images) {
        const bin = join(img.rootfs, binDir, c.binary);
        expect({ platform: img.platform, static: isStatic(bin) }).toEqual({ platform: img.platform, static: true });
        const platform = img.platform as 'linux/amd64' | 'linux/arm64';
        expect({ platform, output: runBinary(platform, bin, []).trim() }).toEqual({ platform, output: c.output[platform] });
      }
    });

    test(`after a source edit (${c.sourceEdit.file}), the cook is cached and only workspace crates compile`, () => {
      edit(join(p.dir, c.sourceEdit.file), (t) => `${t}\n// edited by the workspace-shape test, run ${RUN_ID}\n`);
      const r = daemon.build(imageRequest(p, bases));
      times.push(`${c.dir}: after a source edit ${(r.ms / 1000).toFixed(1)} s`);
      expectOk(r);
      expect(cookCached(r)).toBe(true);
      expect(workspaceOnly(c, r)).toContain(c.sourceEdit.crate);
    });

    if (c.unrelatedManifest) {
      test(`after an edit to the manifest of a member the binary does not need (${c.unrelatedManifest}), the cook is cached (prepare --bin)`, () => {
        edit(join(p.dir, c.unrelatedManifest!), (t) => t.replace('[package]\n', `[package]\ndescription = "edited, run ${RUN_ID}"\n`));
        const r = daemon.build(imageRequest(p, bases));
        times.push(`${c.dir}: after an unrelated member's manifest edit ${(r.ms / 1000).toFixed(1)} s`);
        expectOk(r);
        expect(cookCached(r)).toBe(true);
      });
    }

    test(`after a version bump (${c.bump.packages.join(', ')} ${c.bump.from} -> ${c.bump.to} in the manifest and Cargo.lock), the cook is cached`, () => {
      bumpVersion(p, c, c.bump);
      const r = daemon.build(imageRequest(p, bases));
      times.push(`${c.dir}: after a version bump ${(r.ms / 1000).toFixed(1)} s`);
      expectOk(r);
      expect(cookCached(r)).toBe(true);
      workspaceOnly(c, r);
    });

    test('after a fresh checkout (every file newer than the cached cook\'s copy), the cook is cached, only members compile, '
      + 'and the path crates the cook compiled do not compile again (their times are fixed in cook and build)', () => {
      const later = new Date(Date.now() + 60_000);
      const touch = (dir: string) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          if (e.isDirectory()) touch(join(dir, e.name));
          else utimesSync(join(dir, e.name), later, later);
        }
      };
      touch(p.dir);
      edit(join(p.dir, c.sourceEdit.file), (t) => `${t}\n// a new commit, run ${RUN_ID}\n`);
      const r = daemon.build(imageRequest(p, bases));
      times.push(`${c.dir}: after a fresh checkout ${(r.ms / 1000).toFixed(1)} s`);
      expectOk(r);
      expect(cookCached(r)).toBe(true);
      workspaceOnly(c, r);
    });

    if (c.recipeRepair) {
      test('without the recipe repair, the cook fails: the shape needs it', () => {
        const dockerfile = p.files[p.image.dockerfilePath];
        const repair = `\n${recipeRepairScript('recipe.json', imageInternals(p.image).resolved.recipeUnmasked).join('\n')}`;
        expect(dockerfile).toContain(repair);
        const unrepaired = `${p.image.dockerfilePath}.unrepaired`;
        writeFileSync(join(p.dir, unrepaired), dockerfile.replace(repair, ''));
        const r = daemon.build({ ...imageRequest(p, bases), dockerfile: imageRequest(p, bases).dockerfile + '.unrepaired' });
        expect(r.ok).toBe(false);
        expect(r.log).toContain('because --locked was passed to prevent this');
      });
    }
  });
}

