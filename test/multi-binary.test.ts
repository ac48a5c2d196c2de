import { Testing } from 'projen';
import { actionlintProblems, dockerfileProblems } from './util';
import { runScripts, stageNamed } from '../harness/dockerfile-model';
import { newProject } from '../harness/projects';
import { serviceWorkspace } from '../harness/service-workspace';
import { BuildStrategy, Defaults, RustDockerImage, RustDockerImageOptions } from '../src';
import { imageInternals } from '../src/private/components/internals';
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
    const build = runScripts(stageNamed(imageInternals(image).model, STAGES.build))[0];
    expect(build.replace(/ \\\n\s+/g, ' ')).toContain('--package api --package jobs --bin api --bin worker --bin migrate');
    expect(build).toContain('  for b in api worker migrate; do\n');
    expect(df).toContain(['FROM scratch AS binaries-arm64', ...['api', 'worker', 'migrate'].map((b) => `COPY --from=build /app/target/aarch64-unknown-linux-musl/release/${b} /`)]
      .join('\n'));
    expect(df.match(/^FROM .* AS runtime-\S+/gm)).toEqual([
      `FROM ${Defaults.RUNTIME_BASE_IMAGE} AS runtime-api`,
      `FROM ${Defaults.RUNTIME_BASE_IMAGE} AS runtime-worker`,
      `FROM ${Defaults.RUNTIME_BASE_IMAGE} AS runtime-migrate`,
    ]);
    expect(dockerfileProblems(df)).toEqual([]);
  });

  test('the recipe of one binary is narrowed to what it needs (prepare --bin); a set keeps the whole workspace', () => {
    const planner = (o: RustDockerImageOptions) => runScripts(stageNamed(imageInternals(synth(o).image).model, STAGES.planner))[0];
    expect(planner({ binary: 'worker' })).toBe('cargo chef prepare --recipe-path recipe.json --bin worker');
    expect(planner({ binaries: ['api', 'worker'] })).toBe('cargo chef prepare --recipe-path recipe.json');
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

  test('tasks: one per image, and all images with bake, each a command of the generated script', () => {
    const tasks = (out['.projen/tasks.json'] as any).tasks;
    expect(tasks['docker:worker:build'].steps[0].exec).toBe('sh docker-api.sh build worker');
    expect(tasks['docker:api:build-all'].steps[0].exec).toBe('sh docker-api.sh build-all');
    expect(tasks['docker:build'].steps).toEqual([{ spawn: 'docker:api:build' }, { spawn: 'docker:worker:build' }, { spawn: 'docker:db-migrate:build' }]);
    const script: string = out['docker-api.sh'];
    expect(script).toContain("worker) stage='runtime-worker' tag='worker:dev' package='jobs' ;;");
    expect(script).toContain('docker buildx bake "$@"');
    for (const t of ['api', 'worker', 'db-migrate']) expect(script).toContain(`set -- "$@" --set '${t}.output=type=oci,dest=target/docker/${t}.oci.tar'`);
  });

  test('a published builder is wired into every bake target', () => {
    const { out: o } = synth({ binaries: ['api', 'worker'], builder: { image: 'ghcr.io/acme/rust-builder' } });
    const script: string = o['docker-api.sh'];
    const ref = `ghcr\\.io/acme/rust-builder:${Defaults.RUST_VERSION.replace(/\./g, '\\.')}-[0-9a-f]{12}`;
    for (const t of ['api', 'worker']) expect(script).toMatch(new RegExp(`--set '${t}\\.contexts\\.rust-builder=docker-image://${ref}'`));
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
