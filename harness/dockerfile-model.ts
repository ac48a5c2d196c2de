import { DockerfileModel, RunInstruction, Stage } from '../src/private/dockerfile/model';

/** The stage called `name`; throws when there is none. */
export function stageNamed(model: DockerfileModel, name: string): Stage {
  const stage = model.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage named ${name}`);
  return stage;
}

/** The RUN commands of a stage, in order, each RUN's commands joined with `&&`. */
export function runScripts(stage: Stage): string[] {
  return stage.instructions.filter((i): i is RunInstruction => i.kind === 'RUN').map((r) => r.commands.join(' && '));
}
