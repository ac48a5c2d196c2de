import { DockerfileModel, RunInstruction, Stage } from '../src/private/dockerfile/model';
import { runBody } from '../src/private/dockerfile/render';

/** The stage called `name`; throws when there is none. */
export function stageNamed(model: DockerfileModel, name: string): Stage {
  const stage = model.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage named ${name}`);
  return stage;
}

/** The RUN instructions of a stage, in order. */
export function runInstructions(stage: Stage): RunInstruction[] {
  return stage.instructions.filter((i): i is RunInstruction => i.kind === 'RUN');
}

/** The shell of each RUN of a stage, in order, as the shell runs it (commands joined with `&&`, or a script after `set -eu`). */
export function runScripts(stage: Stage): string[] {
  return runInstructions(stage).map(runBody);
}

/** Several RUN bodies as one shell command that stops at the first that fails (each in a subshell, as each RUN is a shell of its own). */
export function asOneCommand(bodies: string[]): string {
  return bodies.map((b) => `(\n${b}\n)`).join(' && ');
}
