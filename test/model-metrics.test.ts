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

  test.each(variants.map((v) => [v.name, v] as const))('%s: no line of its Dockerfiles is over 160 characters', (_n, v) => {
    for (const [path, text] of Object.entries(v.dockerfiles)) {
      expect({ path, long: text.split('\n').filter((l) => l.length > 160) }).toEqual({ path, long: [] });
    }
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

  test('the compile figure counts the workspace\'s compile, not the builder\'s zig warm-up: without it 0, doubled 2', () => {
    const model = variants[0].model;
    const build = model.stages.find((s) => s.name === 'build')!;
    const compile = build.instructions.find((i) => i.kind === 'RUN')!;
    const withBuild = (instructions: typeof build.instructions): DockerfileModel => ({
      ...model, stages: model.stages.map((s) => (s === build ? { ...s, instructions } : s)),
    });
    expect(modelMetrics(model).compiles).toBe(1);
    expect(modelMetrics(withBuild(build.instructions.filter((i) => i !== compile))).compiles).toBe(0);
    expect(modelMetrics(withBuild([...build.instructions, compile])).compiles).toBe(2);
    // The builder stage's own cargo zigbuild (the zig warm-up) is not a compile of the image.
    expect(JSON.stringify(model.stages.find((s) => s.name === 'rust-builder'))).toContain('cargo zigbuild --quiet');
  });

  test('with target libraries, their stages and the tools stage are the builder\'s: swapped out with it, they count nowhere', () => {
    const v = variants.find((x) => x.name.startsWith('target libraries'))!;
    expect(v.model.stages.map((s) => s.name)).toEqual(expect.arrayContaining(['rust-tools', 'target-openssl']));
    expect(modelMetrics(v.model)).toEqual(expect.objectContaining({ toolCompilationsWithBuilder: 0, cooks: 1, compiles: 1 }));
  });
});
