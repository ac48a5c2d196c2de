import { BUILDER_STAGE } from '../src/private/config/constants';
import { DockerfileModel, RunInstruction, Stage } from '../src/private/dockerfile/model';

/** Static figures of a Dockerfile model. */
export interface ModelMetrics {
  /** RUN steps in stages that run on the target platform (emulated when it differs from the host). */
  readonly emulatedRunSteps: number;
  /** `cargo install` commands left once a published builder image replaces the builder stage. */
  readonly toolCompilationsWithBuilder: number;
  /** `cargo chef cook` invocations an image build runs (with the published builder). */
  readonly cooks: number;
  /** Compiles of the workspace an image build runs (with the published builder): `cargo [auditable] zigbuild` lines. */
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

/** The stage names a FROM may name through the platform arguments: `binaries-${TARGETARCH}${TARGETVARIANT}` names each `binaries-<arch>`. */
function fromNames(from: string, names: string[]): string[] {
  if (!from.includes('${')) return [from];
  const pattern = new RegExp(`^${from.split(/\$\{[A-Z]+\}/).map((p) => p.replace(/[.*+?^()|[\]\\]/g, '\\$&')).join('[a-z0-9]*')}$`);
  return names.filter((n) => pattern.test(n));
}

/**
 * The stages an image build runs when a published builder image replaces
 * the builder stage: those the runtime stages reach through FROM and
 * COPY --from, the builder stage itself not included (nor what only it reaches).
 */
function stagesWithBuilder(model: DockerfileModel, build: Map<Stage, boolean>): Set<Stage> {
  const byName = new Map(model.stages.filter((s) => s.name).map((s) => [s.name!, s]));
  const names = [...byName.keys()];
  const reached = new Set<Stage>();
  const visit = (s: Stage) => {
    if (reached.has(s) || s.name === BUILDER_STAGE) return;
    reached.add(s);
    const refs = [s.from.image, ...s.instructions.flatMap((i) => (i.kind === 'COPY' && i.from ? [i.from] : []))];
    for (const ref of refs) for (const name of fromNames(ref, names)) if (byName.has(name)) visit(byName.get(name)!);
  };
  model.stages.filter((s) => !build.get(s) && s.instructions.some((i) => i.kind === 'ENTRYPOINT')).forEach(visit);
  return reached;
}

/** Computes the static figures of a model. */
export function modelMetrics(model: DockerfileModel): ModelMetrics {
  const build = onBuildPlatform(model);
  const run = [...stagesWithBuilder(model, build)].flatMap(commands);
  return {
    emulatedRunSteps: model.stages.filter((s) => !build.get(s)).reduce((n, s) => n + commands(s).length, 0),
    toolCompilationsWithBuilder: run.filter((c) => /\bcargo install\b/.test(c)).length,
    cooks: run.filter((c) => /\bcargo chef cook\b/.test(c)).length,
    compiles: run.filter((c) => /^cargo (auditable )?zigbuild\b/.test(c)).length,
    runtimeTargets: model.stages.filter((s) => !build.get(s) && s.instructions.some((i) => i.kind === 'ENTRYPOINT')).length,
  };
}
