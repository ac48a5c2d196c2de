/**
 * `CompilerCache.cargoTarget()` (the default), for real: the cook starts from the last
 * cook's target folder (a BuildKit cache mount), so a dependency bump
 * compiles the bumped crates and their dependents, and nothing else. The
 * service and its serde bump are harness/bump-service.ts's. Cargo is the
 * oracle of what must compile again (`cargo tree --invert`), and the image
 * built after the bump must be byte for byte the image a daemon that starts
 * empty builds of the same commit (reproducible settings): no stale artifact
 * reaches it.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { BuildkitDaemon, BuildResult, compiledIn, expectOk, manifestDigests, OciLayout, readOciArchive, stageRuns, standIns, StandIns, SUITE_ROOT } from '../../harness/buildkit';
import { bumpSerde, FROM, lockedVersions, mustRecompile, serviceSources, TO } from '../../harness/bump-service';
import { builderImage, suiteBuilderSource, imageRequest, ImageProject, synthProject, withPublishedBuilder } from '../../harness/image-project';
import { exampleSources } from '../../harness/projects';
import { skipNotice, tempDir } from '../../harness/temp';
import { runBinary } from '../../harness/tools';

jest.setTimeout(60 * 60 * 1000);

const why = BuildkitDaemon.unavailable() ?? (spawnSync('cargo', ['--version']).status === 0 ? undefined : 'cargo is not installed (it makes the lock and is the oracle)');
if (why && process.env.CI) throw new Error(`CI is set, but the cargo-target cache checks cannot run: ${why}`);
if (why) skipNotice(`the cook's cargo-target cache: ${why}`);

(why ? describe.skip : describe)('the cook\'s target folder kept between cooks (CompilerCache.cargoTarget(), the default)', () => {
  let p: ImageProject;
  let bases: StandIns;
  let builder: OciLayout;
  let daemon: BuildkitDaemon;
  const built: Record<string, { r: BuildResult; digests: Record<string, string>; archive: string }> = {};

  const cookCompiled = (r: BuildResult) => [...new Set(stageRuns(r, 'cook').flatMap(compiledIn))]
    .filter((n) => n !== 'bump-service').sort();
  const build = (d: BuildkitDaemon) => {
    const archive = join(tempDir('prd-cargo-target-out-'), 'image.tar');
    const r = d.build(withPublishedBuilder(imageRequest(p, bases, {
      output: `type=oci,dest=${archive},rewrite-timestamp=true`, buildArgs: { SOURCE_DATE_EPOCH: '1767225600' },
    }), builder));
    expectOk(r);
    return { r, digests: manifestDigests(archive), archive };
  };

  beforeAll(async () => {
    bases = standIns();
    p = synthProject(serviceSources(), {});
    const suite = new BuildkitDaemon(SUITE_ROOT);
    await suite.start();
    builder = builderImage(suite, p, bases, suiteBuilderSource()).layout;
    suite.stop();
    // A daemon of its own, so the cook layers and the cache mount start empty.
    daemon = new BuildkitDaemon();
    await daemon.start();
  });

  afterAll(() => daemon?.stop());

  test('the generated cook copies the last cook\'s target folder in, and this one\'s back', () => {
    const dockerfile = p.files.Dockerfile;
    expect(dockerfile).toContain('--mount=type=cache,target=/var/cache/cargo-target,id=test-bump-service-cargo-target,sharing=locked');
    expect(dockerfile).toMatch(/\n {2}mkdir -p target && cp -a "\$cache\/target\/\." target\/\n[^]*\nfi\ncargo chef cook [^\n]+\necho "\$compiler" > target\/\.rustc-version\nmkdir -p "\$cache\/target" && cp -au target\/\. "\$cache\/target\/"\n/);
  });

  test('cold: the cook compiles every dependency', () => {
    built.cold = build(daemon);
    const all = [...lockedVersions(p.dir)].map((v) => v.split('@')[0]).sort();
    expect(cookCompiled(built.cold.r)).toEqual(all);
  });

  test(`a bump of serde ${FROM} -> ${TO} (two build scripts and a proc macro move): the cook compiles those and their dependents, as Cargo says, and nothing else`, () => {
    const changed = bumpSerde(p.dir);
    expect(changed.map((v) => v.split('@')[0]).sort()).toEqual(['serde', 'serde_core', 'serde_derive']);
    const expected = mustRecompile(p.dir, changed);
    expect(expected).toEqual(['serde', 'serde_core', 'serde_derive', 'serde_json']);
    built.bumped = build(daemon);
    expect(cookCompiled(built.bumped.r)).toEqual(expected);
  });

  test('another project\'s image of the same name, on the same daemon, cooks with a folder of its own', () => {
    const other = synthProject(exampleSources(), { imageName: 'bump-service' }, undefined, 'other-team');
    expect(other.files.Dockerfile).toContain('id=other-team-bump-service-cargo-target,');
    const r = daemon.build(withPublishedBuilder(imageRequest(other, bases), builder));
    expectOk(r, 'the other project\'s build');
    // The first project's folder (this daemon's, under the same image name) is not the one its cook starts from.
    expect(stageRuns(r, 'cook').flatMap((s) => s.output).filter((l) => l.startsWith('cargo target cache:')))
      .toEqual(['cargo target cache: none, or over 1.5x its size when a cook last started empty: this cook starts empty']);
  });

  test('the image built after the bump is the image an empty daemon builds of the same commit, and its binaries run', async () => {
    const fresh = new BuildkitDaemon();
    await fresh.start();
    try {
      built.freshBumped = build(fresh);
    } finally {
      fresh.stop();
      fresh.clean();
    }
    expect(cookCompiled(built.freshBumped.r).length).toBeGreaterThan(cookCompiled(built.bumped.r).length);
    expect(built.bumped.digests).toEqual(built.freshBumped.digests);
    for (const img of readOciArchive(built.bumped.archive)) {
      expect({ platform: img.platform, out: runBinary(img.platform, join(img.rootfs, 'usr/local/bin/bump-service'), []).trim() })
        .toEqual({ platform: img.platform, out: '{"service":"bump-service","ok":true}' });
    }
  });
});
