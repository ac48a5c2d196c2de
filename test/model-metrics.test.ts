import { modelMetrics } from '../harness/model-metrics';
import { generatedVariants } from '../harness/variants';
import { DockerfileModel } from '../src/private/dockerfile/model';

describe('static figures of every generated variant', () => {
  const variants = generatedVariants();

  test.each(variants.map((v) => [v.name, v] as const))('%s: nothing compiles under emulation or rebuilds tools; one cook and one compile', (_n, v) => {
    const m = modelMetrics(v.model);
    expect(m.emulatedRunSteps).toBe(0);
    expect(m.toolCompilationsWithBuilder).toBe(0);
    expect(m.cooks).toBe(1);
    expect(m.compiles).toBe(1);
    expect(m.runtimeTargets).toBe(v.image.binaries.length);
  });

  test('the figures can fail: a RUN in the runtime stage, or a tool install outside the builder, is counted', () => {
    const model = variants[0].model;
    const broken: DockerfileModel = {
      ...model,
      stages: model.stages.map((s) =>
        s.name === 'runtime' || s.name === 'cook'
          ? { ...s, instructions: [...s.instructions, { kind: 'RUN', commands: ['cargo install --locked cargo-chef'] }] }
          : s),
    };
    const m = modelMetrics(broken);
    expect(m.emulatedRunSteps).toBe(1);
    expect(m.toolCompilationsWithBuilder).toBe(2);
  });
});
