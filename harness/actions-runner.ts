/**
 * Steps of a generated workflow job, run here as the runner runs them: each
 * step's `if:` evaluated against the outputs of the steps before it,
 * docker/build-push-action as the buildx command its inputs make (on a
 * builder of the caller's), `run:` steps with bash, actions/cache/restore
 * and actions/cache/save against a folder that stands in for GitHub's cache
 * service, with its rules: a key is written once, an exact key wins, else
 * the newest entry whose key starts with a restore key.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { BuildkitDaemon, BuildResult, expectOk, OciLayout, StandIns } from './buildkit';
import { ImageProject } from './image-project';
import { buildxArgsOf, buildxBuild, dockerFront, frontendStandIn, runStep, SetupBuildxStep, WorkflowStep, workflowBuilder } from './remote-buildkit';
import { tempDir } from './temp';
import { evaluate, expand, ExpressionContext } from './workflow-expressions';
import { STEP } from '../src/private/ci/step-ids';
import { imageInternals } from '../src/private/components/internals';

/** The build job's steps that carry the cargo target cache, with the compile between them, in the job's order. */
export const CARGO_TARGET_JOB_STEPS: readonly string[] = [
  STEP.cargoTargetLookup, STEP.cargoTargetRestore, STEP.cargoTargetSeed, STEP.compile,
  STEP.cargoTargetExport, STEP.cargoTargetMerge, STEP.cargoTargetSave,
];

interface Entry { readonly key: string; readonly dir: string }

/** GitHub's cache service for one repository, in a folder. */
export class LocalActionsCache {
  public readonly root = tempDir('prd-actions-cache-');

  /** The saved entries, oldest first. */
  public entries(): Entry[] {
    const index = join(this.root, 'index.json');
    return existsSync(index) ? JSON.parse(readFileSync(index, 'utf-8')) : [];
  }

  /** actions/cache/restore: outputs `cache-hit` and `cache-matched-key`; with lookup-only, nothing is copied. */
  public restore(path: string, key: string, restoreKeys: string[], lookupOnly: boolean): Record<string, string> {
    const entries = this.entries();
    const exact = entries.find((e) => e.key === key);
    const matched = exact ?? restoreKeys.map((prefix) => [...entries].reverse().find((e) => e.key.startsWith(prefix))).find(Boolean);
    if (!matched) return { 'cache-hit': 'false', 'cache-matched-key': '' };
    if (!lookupOnly) {
      mkdirSync(path, { recursive: true });
      execFileSync('cp', ['-a', `${matched.dir}/.`, path]);
    }
    return { 'cache-hit': String(matched === exact), 'cache-matched-key': matched.key };
  }

  /** actions/cache/save: a key that exists is kept as it is (the service refuses to overwrite it), and a missing path saves nothing. */
  public save(path: string, key: string): void {
    const entries = this.entries();
    if (entries.some((e) => e.key === key) || !existsSync(path)) return;
    const dir = join(this.root, String(entries.length));
    mkdirSync(dir);
    execFileSync('cp', ['-a', `${path}/.`, dir]);
    writeFileSync(join(this.root, 'index.json'), JSON.stringify([...entries, { key, dir }]));
  }

  /** The size in bytes of a saved entry. */
  public bytes(key: string): number {
    const entry = this.entries().find((e) => e.key === key);
    if (!entry) throw new Error(`no cache entry ${key}`);
    return Number(execFileSync('du', ['-sb', entry.dir], { encoding: 'utf-8' }).split('\t')[0]);
  }
}

/** What one step did: skipped by its `if:`, or run, with its outputs (and, for a build, the build). */
export interface StepRun {
  readonly ran: boolean;
  readonly outputs: Record<string, string>;
  readonly build?: BuildResult;
  /** A `run:` step's milliseconds. */
  readonly ms?: number;
}

/** A runner: the context its expressions read (which collects step outputs), its buildx builder and its cache service. */
export interface Runner {
  readonly context: Record<string, string>;
  /** The docker front (see dockerFront) and the buildx builder that run build-push steps, in `cwd`. */
  readonly front: string;
  readonly builder: string;
  readonly cwd: string;
  readonly cache: LocalActionsCache;
}

const lines = (v: string | boolean | undefined, context: ExpressionContext) => (typeof v === 'string' ? expand(v, context).split('\n').map((l) => l.trim()).filter(Boolean) : []);

/**
 * Runs the steps of `ids`, in order. A step whose `if:` is false is skipped;
 * a failed build throws with its error lines. A build step's `env` is not
 * applied (SOURCE_DATE_EPOCH, from a step these runs leave out). A `run:`
 * step runs with bash in the runner's environment. Other `uses` steps are
 * refused: the caller runs those itself.
 */
export function runSteps(steps: readonly WorkflowStep[], ids: readonly string[], runner: Runner): Record<string, StepRun> {
  const runs: Record<string, StepRun> = {};
  for (const id of ids) {
    const step = steps.find((s) => s.id === id);
    if (!step) throw new Error(`the job has no step ${id}`);
    const ctx = runner.context;
    const w = step.with ?? {};
    let run: StepRun;
    if (step.if !== undefined && !evaluate(step.if, ctx)) {
      run = { ran: false, outputs: {} };
    } else if (step.uses?.startsWith('actions/cache/restore@')) {
      const outputs = runner.cache.restore(expand(String(w.path), ctx), expand(String(w.key), ctx), lines(w['restore-keys'], ctx), w['lookup-only'] === true);
      run = { ran: true, outputs };
    } else if (step.uses?.startsWith('actions/cache/save@')) {
      runner.cache.save(expand(String(w.path), ctx), expand(String(w.key), ctx));
      run = { ran: true, outputs: {} };
    } else if (step.uses?.startsWith('docker/build-push-action@')) {
      const build = buildxBuild(runner.front, runner.builder, buildxArgsOf(w, ctx), runner.cwd);
      expectOk(build, `step ${id}`);
      run = { ran: true, outputs: {}, build };
    } else if (step.run !== undefined) {
      const start = Date.now();
      run = { ran: true, outputs: runStep(step, ctx, process.env).outputs, ms: Date.now() - start };
    } else {
      throw new Error(`step ${id} (${step.uses}) is not run by this harness`);
    }
    for (const [k, v] of Object.entries(run.outputs)) ctx[`steps.${id}.outputs.${k}`] = v;
    ctx[`steps.${id}.outcome`] = run.ran ? 'success' : 'skipped';
    runs[id] = run;
  }
  return runs;
}

/**
 * The daemon a team's fleet keeps (`ci.remoteBuilder`): the runners reach it
 * over TCP with mutual TLS, through a builder the workflow's setup-buildx
 * step makes with the repository's secrets (given in `secrets`).
 */
export interface KeptRemoteDaemon {
  readonly daemon: BuildkitDaemon;
  readonly secrets: Record<string, string>;
}

/**
 * Runners for a project's `build` job, one per call of `next`. By default
 * fresh, as hosted runners are: each an empty BuildKit daemon driven through
 * buildx. With `remote`, each runner's builder is the one the workflow's
 * setup-buildx step makes, on the daemon the fleet keeps between runs. Each
 * runner has its own runner.temp and run id, the published builder
 * (`builder`) named as the builder step names it, and one cache service they
 * all share. `stop` stops and removes every daemon started here.
 */
export class CiRunners {
  /** The build job's steps, as the workflow holds them. */
  public readonly steps: WorkflowStep[];
  public readonly cache = new LocalActionsCache();
  private readonly daemons: BuildkitDaemon[] = [];
  private readonly config = tempDir('prd-buildx-config-');
  private readonly front: string;
  private runs = 0;

  constructor(private readonly p: ImageProject, bases: StandIns, private readonly builder: OciLayout, private readonly remote?: KeptRemoteDaemon) {
    const runtime = imageInternals(p.image).resolved.binaries[0].runtime.baseImage;
    this.front = dockerFront({ 'docker/dockerfile:1': frontendStandIn(), [runtime]: bases.runtime }, this.config);
    this.steps = parseYaml(p.files[`.github/workflows/docker-${p.image.id}.yml`]).jobs.build.steps;
  }

  public async next(): Promise<Runner> {
    this.runs++;
    let builder: string;
    if (this.remote) {
      const setup = this.steps.find((s) => s.id === STEP.buildx);
      if (!setup?.with) throw new Error(`the job has no ${STEP.buildx} step with inputs`);
      builder = workflowBuilder(setup as unknown as SetupBuildxStep, this.remote.secrets, this.config);
    } else {
      const daemon = new BuildkitDaemon();
      await daemon.start();
      this.daemons.push(daemon);
      builder = workflowBuilder({ with: { driver: 'remote', endpoint: daemon.address } }, {}, this.config);
    }
    return {
      context: {
        'github.event_name': 'push',
        'github.workspace': this.p.dir,
        'github.run_id': String(this.runs),
        'github.run_attempt': '1',
        'runner.temp': tempDir('prd-runner-temp-'),
        'steps.builder.outputs.context': `rust-builder=oci-layout://${this.builder.dir}@${this.builder.digest}`,
      },
      front: this.front,
      builder,
      cwd: this.p.dir,
      cache: this.cache,
    };
  }

  public stop(): void {
    for (const d of this.daemons.splice(0)) {
      d.stop();
      d.clean();
    }
  }
}
