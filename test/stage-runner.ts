import { execFileSync, spawnSync } from 'child_process';
import { cpSync } from 'fs';
import { join } from 'path';
import { tempDir } from './util';
import { STAGES } from '../src/dockerfile/app-dockerfile';
import { DockerfileModel, runScripts, stageNamed } from '../src/dockerfile/model';
import { Platform, rustTargetOf } from '../src/platform';

/** Whether a command runs (exit 0) here. */
export function have(cmd: string, args = ['--version']): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Tools the builder stages need, and which are missing. */
export function builderToolsMissing(): string[] {
  const cargo = have('cargo');
  return [
    !cargo && 'cargo',
    !(cargo && have('cargo', ['chef', '--version'])) && 'cargo-chef',
    !have('cargo-zigbuild', ['--version']) && 'cargo-zigbuild (pip install cargo-zigbuild ziglang)',
    !have('readelf', ['--version']) && 'readelf',
  ].filter((x): x is string => !!x);
}

function installedTargets(): string[] {
  if (!have('rustup')) return [];
  return execFileSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf-8' }).split('\n').filter(Boolean);
}

function hostTriple(): string {
  return /host: (\S+)/.exec(execFileSync('rustc', ['-vV'], { encoding: 'utf-8' }))![1];
}

/** Replaces targets that are not installed by one that is, and drops the resulting duplicate --target flags. */
function substituteTargets(script: string, missing: string[], stand: string): string {
  let s = script;
  for (const t of missing) s = s.split(t).join(stand);
  const seen = new Set<string>();
  return s.replace(/ --target (\S+)/g, (m, t) => (seen.has(t) ? '' : (seen.add(t), m)));
}

/** Runs a shell script in `cwd`; throws with the output's tail on failure. */
export function run(script: string, cwd: string): { out: string; ms: number } {
  const start = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, CARGO_TERM_COLOR: 'never' };
  delete env.CARGO_TARGET_DIR;
  delete env.RUSTFLAGS;
  const r = spawnSync('sh', ['-c', script], { cwd, encoding: 'utf-8', env });
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`command failed (${r.status}): ${script}\n${out.slice(-4000)}`);
  return { out, ms: Date.now() - start };
}

/** The crates cargo compiled, from its `Compiling <name> v<version>` lines. */
export function compiledCrates(output: string): string[] {
  return output.split('\n').filter((l) => /^\s*Compiling /.test(l)).map((l) => l.trim().split(' ')[1]);
}

/**
 * Executes the generated Dockerfile's planner, cook and build stages on the
 * host, with the commands taken from the model. Each stage sees what Docker
 * would give it: the planner the sources (COPY . .), the cook only
 * recipe.json (COPY --from=planner), the build the sources again (COPY . .).
 */
export class StageRunner {
  /** Targets substituted because they are not installed, and their stand-in. */
  public readonly missing: string[];
  public readonly stand: string;
  /** The cook and build stage's working directory (the image's WORKDIR). */
  public readonly workdir = tempDir('prd-work-');

  constructor(private readonly model: DockerfileModel, platforms: Platform[], private readonly sources: string) {
    const installed = installedTargets();
    const generated = platforms.map(rustTargetOf);
    this.missing = generated.filter((t) => !installed.includes(t));
    this.stand = generated.find((t) => installed.includes(t)) ?? hostTriple();
  }

  /** A note on substituted targets, or undefined. */
  public get substitutionNote(): string | undefined {
    return this.missing.length ? `Targets not installed here: ${this.missing.join(', ')}; running the same commands with ${this.stand} in their place.` : undefined;
  }

  public scripts(stage: string): string[] {
    return runScripts(stageNamed(this.model, stage)).map((s) => substituteTargets(s, this.missing, this.stand));
  }

  /** Runs the planner on a copy of `dir` (default: the sources) and returns the recipe's text. */
  public prepare(dir = this.sources): string {
    const planner = tempDir('prd-plan-');
    cpSync(dir, planner, { recursive: true, filter: (src) => !/[\\/]target$/.test(src) });
    run(this.scripts(STAGES.planner).join(' && '), planner);
    return join(planner, 'recipe.json');
  }

  public cook(): { out: string; ms: number } {
    cpSync(this.prepare(), join(this.workdir, 'recipe.json'));
    return run(this.scripts(STAGES.cook).join(' && '), this.workdir);
  }

  /** COPY . . then the build stage's RUN. */
  public build(): { out: string; ms: number } {
    cpSync(this.sources, this.workdir, { recursive: true, filter: (src) => !/[\\/]target$/.test(src) });
    return run(this.scripts(STAGES.build).join(' && '), this.workdir);
  }
}
