/**
 * The cargo target cache across ephemeral CI runners, as the generated
 * workflow runs it: its cargo-target steps and its compile step, run by
 * harness/actions-runner.ts (build-push inputs as buildx commands,
 * actions/cache against a local stand-in of GitHub's cache service, each
 * step's `if:` evaluated). Every runner is a buildx builder on a BuildKit
 * daemon whose root starts empty, as a hosted runner's does, so the cook's
 * cache mount is empty unless the workflow puts the saved folder in it. The
 * layer cache is left out (the harness reads no `type=gha`): after a bump the
 * cook misses it anyway. The service and its serde bump are
 * harness/bump-service.ts's; Cargo says what the bump must compile again.
 */
import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { CARGO_TARGET_JOB_STEPS, CiRunners, LocalActionsCache, Runner, runSteps, StepRun } from '../../harness/actions-runner';
import { BuildkitDaemon, compiledIn, stageRuns, standIns, SUITE_ROOT } from '../../harness/buildkit';
import { bumpSerde, lockedVersions, mustRecompile, serviceSources } from '../../harness/bump-service';
import { builderImage, ImageProject, suiteBuilderSource, synthProject } from '../../harness/image-project';
import { WorkflowStep } from '../../harness/remote-buildkit';
import { filesOf, skipNotice, tempDir } from '../../harness/temp';
import { TOOLS_BIN } from '../../harness/tools';
import { Defaults } from '../../src';

jest.setTimeout(60 * 60 * 1000);

const why = BuildkitDaemon.unavailable()
  ?? (spawnSync('cargo', ['--version']).status === 0 ? undefined : 'cargo is not installed (it makes the lock and is the oracle)')
  ?? (existsSync(join(TOOLS_BIN, 'buildx')) && existsSync(join(TOOLS_BIN, 'dockerfile-frontend')) ? undefined : 'buildx or the Dockerfile frontend is not built (.ci/install-tools)');
if (why && process.env.CI) throw new Error(`CI is set, but the cargo-target cache checks in CI cannot run: ${why}`);
if (why) skipNotice(`the cargo target cache across CI runners: ${why}`);

/** The cargo-target steps and the compile, in the job's order. */
const STEPS = CARGO_TARGET_JOB_STEPS;

(why ? describe.skip : describe)('the cargo target cache across ephemeral runners, as the workflow runs it', () => {
  let p: ImageProject;
  let runners: CiRunners;
  let steps: WorkflowStep[];
  let cache: LocalActionsCache;
  const ran: Record<string, Record<string, StepRun>> = {};
  let bumpedRunner: Runner;
  /** What the export after the bump held, before the merge (see filesOf). */
  let exported: string[] = [];
  const cookCompiled = (r: StepRun) => [...new Set(stageRuns(r.build!, 'cook').flatMap(compiledIn))].filter((n) => n !== 'bump-service').sort();
  const whichRan = (runs: Record<string, StepRun>) => STEPS.filter((id) => runs[id].ran);

  beforeAll(async () => {
    const bases = standIns();
    p = synthProject(serviceSources(), {});
    const suite = new BuildkitDaemon(SUITE_ROOT);
    await suite.start();
    const builder = builderImage(suite, p, bases, suiteBuilderSource()).layout;
    suite.stop();
    runners = new CiRunners(p, bases, builder);
    ({ steps, cache } = runners);
  });

  afterAll(() => runners?.stop());

  test('the job carries the cache around its compile: looked up, restored and seeded before, exported and saved after', () => {
    const ids = steps.map((s) => s.id);
    expect(ids.filter((id) => STEPS.includes(id))).toEqual(STEPS);
    expect(ids.indexOf('builder')).toBeLessThan(ids.indexOf('cargo-target-lookup'));
  });

  test('the first runner finds no cache: the cook compiles every dependency, and the folder is saved under this dependency set\'s key', async () => {
    ran.first = runSteps(steps, STEPS, await runners.next());
    expect(whichRan(ran.first)).toEqual(['cargo-target-lookup', 'cargo-target-restore', 'compile', 'cargo-target-export', 'cargo-target-merge', 'cargo-target-save']);
    // Nothing was seeded: the export is the whole folder, which the merge takes as it is.
    expect(ran.first['cargo-target-export'].build!.log).toContain('cargo target cache: exporting the whole folder');
    expect(cookCompiled(ran.first.compile)).toEqual([...lockedVersions(p.dir)].map((v) => v.split('@')[0]).sort());
    const [entry] = cache.entries();
    expect(cache.entries().map((e) => e.key)).toEqual([expect.stringMatching(/^cargo-target-bump-service-1\.\d+\.\d+-[0-9a-f]{12}-amd64-arm64-[0-9a-f]{64}$/)]);
    // The cook's target folder, both targets' dependencies, and its size when the cook started empty (this one did).
    for (const t of ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl']) {
      expect(readdirSync(join(entry.dir, 'target', t, 'release', 'deps')).some((f) => /^libserde_json-.*\.rlib$/.test(f))).toBe(true);
    }
    expect(Number(readFileSync(join(entry.dir, 'clean-kib'), 'utf-8'))).toBeGreaterThan(10 * 1024);
    // And the compiler that wrote it, as the builder's rustc names itself: a runner with another Rust starts empty.
    expect(readFileSync(join(entry.dir, 'target', '.rustc-version'), 'utf-8')).toMatch(new RegExp(`^rustc ${Defaults.RUST_VERSION.replace(/\./g, '\\.')} \\([0-9a-f]+ \\d{4}-\\d{2}-\\d{2}\\)\n$`));
  });

  test('a second runner on the same commit finds its key: nothing is restored, seeded or saved', async () => {
    const second = await runners.next();
    const runs = runSteps(steps, STEPS.filter((id) => id !== 'compile' && id !== 'cargo-target-export'), second);
    expect(runs['cargo-target-lookup'].outputs['cache-hit']).toBe('true');
    expect(Object.entries(runs).filter(([, r]) => r.ran).map(([id]) => id)).toEqual(['cargo-target-lookup']);
    expect(cache.entries()).toHaveLength(1);
  });

  test('after a bump, a fresh runner restores the earlier folder into the mount: the cook compiles what Cargo says the bump needs, and nothing else', async () => {
    const changed = bumpSerde(p.dir);
    const expected = mustRecompile(p.dir, changed);
    expect(expected).toEqual(['serde', 'serde_core', 'serde_derive', 'serde_json']);
    bumpedRunner = await runners.next();
    // Up to the export, then the rest, to look at what the export holds before the merge takes it.
    const merge = STEPS.indexOf('cargo-target-merge');
    const upToExport = runSteps(steps, STEPS.slice(0, merge), bumpedRunner);
    exported = filesOf(join(bumpedRunner.context['runner.temp'], 'cargo-target-saved'));
    ran.bumped = { ...upToExport, ...runSteps(steps, STEPS.slice(merge), bumpedRunner) };
    expect(whichRan(ran.bumped)).toEqual(STEPS);
    expect(ran.bumped['cargo-target-lookup'].outputs['cache-hit']).toBe('false');
    expect(ran.bumped['cargo-target-restore'].outputs['cache-matched-key']).toBe(cache.entries()[0].key);
    expect(cookCompiled(ran.bumped.compile)).toEqual(expected);
    // The new dependency set is saved under a key of its own, beside the first.
    expect(cache.entries()).toHaveLength(2);
    console.log(`cargo target cache: ${(cache.bytes(cache.entries()[1].key) / 1024 / 1024).toFixed(1)} MiB saved; `
      + `cook after the bump ${(stageRuns(ran.bumped.compile.build!, 'cook').reduce((ms, s) => ms + (s.seconds ?? 0) * 1000, 0) / 1000).toFixed(1)} s, `
      + `seed ${(ran.bumped['cargo-target-seed'].build!.ms / 1000).toFixed(1)} s, export ${(ran.bumped['cargo-target-export'].build!.ms / 1000).toFixed(1)} s `
      + `(${exported.length - 1} files), merge ${(ran.bumped['cargo-target-merge'].ms! / 1000).toFixed(1)} s`);
  });

  test('the export after the bump is only what its cook wrote: the bumped crates\' units, none of the crates it left alone', () => {
    const paths = exported.map((f) => f.split(' ')[0]);
    expect(ran.bumped['cargo-target-export'].build!.log).toContain(`exporting what the cook wrote after this run's seed, ${paths.length - 1} files`);
    expect(paths).toContain('delta-of');
    const [first] = cache.entries();
    expect(paths.length).toBeLessThan(filesOf(first.dir).length);
    for (const t of ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl']) {
      expect(paths.filter((f) => new RegExp(`^target/${t}/release/deps/libserde-[0-9a-f]+\\.rlib$`).test(f))).toHaveLength(1);
    }
    // A crate's files: .fingerprint/<name>-<hash>/, build/<name>-<hash>/, deps/lib<name_>-<hash>.rlib and the like.
    const untouched = new RegExp(`/(lib)?(${['itoa', 'memchr', 'ryu', 'proc-macro2', 'quote', 'syn', 'unicode-ident'].map((c) => `${c}|${c.replace(/-/g, '_')}`).join('|')})-[0-9a-f]`);
    expect(paths.filter((f) => untouched.test(f))).toEqual([]);
  });

  test('the saved folder after the merge is the mount\'s whole content, as an export of the whole folder from that runner shows', () => {
    const [first, bumped] = cache.entries();
    // The stale serde units stay beside the new ones, and the clean size is the first cook's.
    for (const t of ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl']) {
      expect(readdirSync(join(bumped.dir, 'target', t, 'release', 'deps')).filter((f) => /^libserde-.*\.rlib$/.test(f))).toHaveLength(2);
    }
    expect(readFileSync(join(bumped.dir, 'clean-kib'), 'utf-8')).toBe(readFileSync(join(first.dir, 'clean-kib'), 'utf-8'));
    // Another attempt of the run has another CARGO_TARGET_RUN: the same runner's export is then the whole mount.
    const whole = { ...bumpedRunner, context: { ...bumpedRunner.context, 'github.run_attempt': '2', 'runner.temp': tempDir('prd-runner-temp-') } };
    const again = runSteps(steps, ['cargo-target-export'], whole);
    expect(again['cargo-target-export'].build!.log).toContain('cargo target cache: exporting the whole folder');
    expect(filesOf(bumped.dir)).toEqual(filesOf(join(whole.context['runner.temp'], 'cargo-target-saved')));
  });
});
