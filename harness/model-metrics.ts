import { BUILDER_STAGE } from '../src/private/config/constants';
import { DockerfileModel, RunInstruction, Stage } from '../src/private/dockerfile/model';

/** Static figures of a Dockerfile model. */
export interface ModelMetrics {
  /** RUN steps in stages that run on the target platform (emulated when it differs from the host). */
  readonly emulatedRunSteps: number;
  /** `cargo install` commands left once a published builder image replaces the builder stage. */
  readonly toolCompilationsWithBuilder: number;
  /** `cargo chef cook` invocations. */
  readonly cooks: number;
  /** `cargo zigbuild` compile invocations (the cook's `--zigbuild` is not one). */
  readonly compiles: number;
  /** Target-platform stages with an entrypoint: the runtime images. */
  readonly runtimeTargets: number;
}

function commands(stage: Stage): string[] {
  return stage.instructions.filter((i): i is RunInstruction => i.kind === 'RUN').flatMap((r) => r.commands);
}

/** Whether each stage runs on the build platform: its own `--platform=$BUILDPLATFORM`, or inherited from its parent stage. */
function onBuildPlatform(model: DockerfileModel): Map<Stage, boolean> {
  const byName = new Map(model.stages.filter((s) => s.name).map((s) => [s.name!, s]));
  const result = new Map<Stage, boolean>();
  const resolve = (s: Stage): boolean => {
    if (result.has(s)) return result.get(s)!;
    const parent = byName.get(s.from.image);
    const value = s.from.platform === '$BUILDPLATFORM' || (parent !== undefined && resolve(parent));
    result.set(s, value);
    return value;
  };
  model.stages.forEach(resolve);
  return result;
}

/** Computes the static figures of a model. */
export function modelMetrics(model: DockerfileModel): ModelMetrics {
  const build = onBuildPlatform(model);
  const all = model.stages.flatMap(commands);
  return {
    emulatedRunSteps: model.stages.filter((s) => !build.get(s)).reduce((n, s) => n + commands(s).length, 0),
    toolCompilationsWithBuilder: model.stages.filter((s) => s.name !== BUILDER_STAGE).flatMap(commands).filter((c) => /\bcargo install\b/.test(c)).length,
    cooks: all.filter((c) => /\bcargo chef cook\b/.test(c)).length,
    compiles: all.filter((c) => /^cargo zigbuild\b/.test(c)).length,
    runtimeTargets: model.stages.filter((s) => !build.get(s) && s.instructions.some((i) => i.kind === 'ENTRYPOINT')).length,
  };
}
