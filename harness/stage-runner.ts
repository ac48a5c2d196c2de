import { cpSync, existsSync } from 'fs';
import { join, posix } from 'path';
import { asOneCommand, runInstructions, stageNamed } from './dockerfile-model';
import { tempDir } from './temp';
import { run } from './tools';
import { Platform } from '../src';
import { WORKDIR } from '../src/private/config/constants';
import { STAGES } from '../src/private/dockerfile/app-dockerfile';
import { CopyInstruction, DockerfileModel, Instruction } from '../src/private/dockerfile/model';
import { runBody } from '../src/private/dockerfile/render';
import { archSlugOf } from '../src/private/platforms';

/** The `ARG` defaults and `ENV` values a stage sets, as the environment its RUN steps see. */
function stageEnv(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of instructions) {
    if (i.kind === 'ARG' && i.defaultValue !== undefined) env[i.name] = i.defaultValue;
    if (i.kind === 'ENV') for (const [k, v] of i.pairs) env[k] = v;
  }
  return env;
}

/**
 * Executes the generated Dockerfile's planner, cook and build stages on the
 * host, with the commands, arguments and environment taken from the model,
 * for every target it names. Each stage sees what Docker would give it: the
 * planner the sources (COPY . .), the cook only recipe.json (COPY
 * --from=planner), the build the sources again (COPY . .).
 */
export class StageRunner {
  /** The cook and build stage's working directory (the image's WORKDIR). */
  public readonly workdir = tempDir('prd-work-');

  /** The folders that stand for the stages' cache mounts, by id (or path). */
  private readonly cacheDirs = new Map<string, string>();

  constructor(private readonly model: DockerfileModel, private readonly sources: string, private readonly env: NodeJS.ProcessEnv = {}) {}

  /** The folder that stands for the cache mount `id` (once a script named it). */
  public cacheMount(id: string): string | undefined {
    return this.cacheDirs.get(id);
  }

  /**
   * The shell of each RUN of the stage. A cache mount the script names by its
   * path becomes a folder of this runner's, kept between its steps as the
   * daemon keeps a mount: the host's path would be shared by every run.
   */
  public scripts(stage: string): string[] {
    return runInstructions(stageNamed(this.model, stage)).map((i) => {
      let body = runBody(i);
      for (const m of i.mounts ?? []) {
        if (m.kind !== 'cache' || !body.includes(m.target)) continue;
        const key = m.id ?? m.target;
        if (!this.cacheDirs.has(key)) this.cacheDirs.set(key, tempDir('prd-cache-mount-'));
        body = body.split(m.target).join(this.cacheDirs.get(key)!);
      }
      return body;
    });
  }

  private envOf(stage: string): NodeJS.ProcessEnv {
    const s = stageNamed(this.model, stage);
    const inherited = stage === STAGES.build ? stageEnv(stageNamed(this.model, STAGES.cook).instructions) : {};
    return { ...inherited, ...stageEnv(s.instructions), ...this.env };
  }

  /** Runs the planner on a copy of `dir` (default: the sources) and returns the recipe's path. */
  public prepare(dir = this.sources): string {
    const planner = tempDir('prd-plan-');
    cpSync(dir, planner, { recursive: true, filter: (src) => !/[\\/]target$/.test(src) });
    run(asOneCommand(this.scripts(STAGES.planner)), planner, this.envOf(STAGES.planner));
    return join(planner, 'recipe.json');
  }

  public cook(): { out: string; ms: number } {
    cpSync(this.prepare(), join(this.workdir, 'recipe.json'));
    return run(asOneCommand(this.scripts(STAGES.cook)), this.workdir, this.envOf(STAGES.cook));
  }

  /** COPY . . then the build stage's RUN. */
  public build(): { out: string; ms: number } {
    cpSync(this.sources, this.workdir, { recursive: true, filter: (src) => !/[\\/]target$/.test(src) });
    return run(asOneCommand(this.scripts(STAGES.build)), this.workdir, this.envOf(STAGES.build));
  }

  /** A binary the build left where the platform's binaries stage copies it from. */
  public binary(platform: string, name: string): string {
    const stage = stageNamed(this.model, `${STAGES.binaries}-${archSlugOf(platform as Platform)}`);
    const copies = stage.instructions.filter((i): i is CopyInstruction => i.kind === 'COPY');
    const source = copies.flatMap((c) => c.sources).find((src) => src.endsWith(`/${name}`));
    if (!source) throw new Error(`the ${stage.name} stage copies no ${name}`);
    const path = join(this.workdir, posix.relative(WORKDIR, source));
    if (!existsSync(path)) throw new Error(`no binary at ${path}`);
    return path;
  }
}

