import { Testing } from 'projen';
import { actionlintProblems, dockerfileProblems } from './util';
import { runScripts, stageNamed } from '../harness/dockerfile-model';
import { newProject } from '../harness/projects';
import { serviceWorkspace } from '../harness/service-workspace';
import { BuildStrategy, Defaults, RustDockerImage, RustDockerImageOptions } from '../src';
import { STAGES } from '../src/private/dockerfile/app-dockerfile';

function synth(options: RustDockerImageOptions) {
  const project = newProject(serviceWorkspace());
  const image = new RustDockerImage(project, options);
  return { image, out: Testing.synth(project) };
}

describe('several images from one workspace', () => {
  const { image, out } = synth({
    binaries: ['api', 'worker', 'migrate'],
    features: ['api/metrics'],
    runtime: { ports: [8080] },
    binaryOptions: { worker: { runtime: { ports: [], args: ['--queue', 'default'] } }, migrate: { imageName: 'db-migrate' } },
  });
  const df = out.Dockerfile as string;

  test('one cook and one compile for all binaries, one runtime target each', () => {
    expect(df.match(/cargo chef cook/g)).toHaveLength(1);
    expect(df.match(/cargo zigbuild /g)).toHaveLength(1);
    expect(runScripts(stageNamed(image._model, STAGES.build))[0]).toContain('--package api --package jobs --bin api --bin worker --bin migrate');
    expect(df.match(/^FROM .* AS runtime-\S+/gm)).toEqual([
      `FROM ${Defaults.RUNTIME_BASE_IMAGE} AS runtime-api`,
      `FROM ${Defaults.RUNTIME_BASE_IMAGE} AS runtime-worker`,
      `FROM ${Defaults.RUNTIME_BASE_IMAGE} AS runtime-migrate`,
    ]);
    expect(dockerfileProblems(df)).toEqual([]);
  });

  test('per-binary settings: entrypoint, ports, args, image name', () => {
    const worker = df.slice(df.indexOf('AS runtime-worker'), df.indexOf('AS runtime-migrate'));
    expect(worker).toContain('ENTRYPOINT ["/usr/local/bin/worker"]');
    expect(worker).toContain('CMD ["--queue", "default"]');
    expect(worker).not.toContain('EXPOSE');
    expect(df.slice(df.indexOf('AS runtime-api'))).toContain('EXPOSE 8080');
    expect(image.imageNames).toEqual(['api', 'worker', 'db-migrate']);
    expect(df).not.toContain('2.0.0');
  });

  test('the bake file names every target and platform, with a default group', () => {
    const bake = out['docker-bake.json'] as any;
    expect(bake.group.default.targets).toEqual(['api', 'worker', 'db-migrate']);
    expect(bake.target['db-migrate']).toEqual({
      context: '.', dockerfile: 'Dockerfile', target: 'runtime-migrate', platforms: ['linux/amd64', 'linux/arm64'], tags: ['db-migrate:dev'],
    });
    expect(out['.dockerignore']).toContain('docker-bake.json');
  });

  test('tasks: one per image, and all images with bake', () => {
    const tasks = (out['.projen/tasks.json'] as any).tasks;
    expect(tasks['docker:worker:build'].steps[0].exec).toContain('--target runtime-worker');
    expect(tasks['docker:api:build-all'].steps[0].exec).toContain('docker buildx bake -f docker-bake.json --set \'*.args.IMAGE_VERSION=\'"$version" $out');
    expect(tasks['docker:api:build-all'].steps[0].exec).toContain('out="--set api.output=type=oci,dest=target/docker/api.oci.tar --set worker.output=type=oci,dest=target/docker/worker.oci.tar --set db-migrate.output=type=oci,dest=target/docker/db-migrate.oci.tar"; if [ -n "$PUSH" ]; then out="--push"; fi;');
    expect(tasks['docker:build'].steps).toEqual([{ spawn: 'docker:api:build' }, { spawn: 'docker:worker:build' }, { spawn: 'docker:db-migrate:build' }]);
  });

  test('a published builder is wired into every bake target', () => {
    const { out: o } = synth({ binaries: ['api', 'worker'], builder: { image: 'ghcr.io/acme/rust-builder' } });
    const exec = (o['.projen/tasks.json'] as any).tasks['docker:api:build-all'].steps[0].exec;
    expect(exec).toMatch(new RegExp(`--set api\\.contexts\\.rust-builder=docker-image://ghcr\\.io/acme/rust-builder:${Defaults.RUST_VERSION.replace(/\./g, '\\.')}-[0-9a-f]{12} --set worker\\.contexts\\.rust-builder=`));
  });

  test.each([BuildStrategy.CROSS_COMPILE, BuildStrategy.NATIVE_RUNNERS])('CI (%s): own tags and cache scope per image, actionlint clean', async (strategy) => {
    const { out: o } = synth({ binaries: ['api', 'worker'], ci: { strategy } });
    const path = '.github/workflows/docker-api.yml';
    expect(await actionlintProblems(o[path] as string, path)).toEqual([]);
    const text = o[path] as string;
    for (const slug of ['api', 'worker']) {
      expect(text).toContain(`id: meta-${slug}`);
      expect(text).toContain(`id: build-${slug}`);
      expect(text).toContain(`scope=${slug}-`);
    }
    if (strategy === BuildStrategy.NATIVE_RUNNERS) {
      expect(text).toContain('id: manifest-api');
      expect(text).toContain('id: manifest-worker');
    }
  });

  test.each([
    [{ binaries: ['api', 'nope'] }, /binaries\[1\]: no binary named "nope".*use one of: api \(package api\), worker \(package jobs\), migrate \(package jobs\)/],
    [{ binaries: ['api', 'api'] }, /binaries\[1\]: "api" is listed twice/],
    [{ binaries: [] }, /binaries: the list is empty/],
    [{ binaries: ['api', 'worker'], features: ['metrics'] }, /features\[0\]: "metrics" does not say which package.*"<package>\/metrics"/],
    [{ binaries: ['api', 'worker'], imageName: 'x' }, /imageName: is for a single binary/],
    [{ binaries: ['api'], binaryOptions: { ghost: {} } }, /binaryOptions.ghost: "ghost" is not one of the shipped binaries/],
  ])('bad image-set input %#', (options, re) => {
    expect(() => synth(options as RustDockerImageOptions)).toThrow(re);
  });
});
