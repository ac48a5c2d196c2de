import { Project, Testing } from 'projen';
import { BuildStrategy, CompileLayout, CompilerCache, Platform, RustDockerImage, RustDockerImageOptions } from '../src';
import { adoptFixture, FIXTURE_NAMES, fixtureOptions, readFixture } from './fixtures';
import { exampleProject, gitDependencyCrate, newProject, simpleCrate, workspaceProject } from './projects';
import { serviceWorkspace } from './service-workspace';
import { TARGET_LIBRARY_CASE, TARGET_LIBRARY_GLIBC_CASE } from './workspace-cases';
import { imageInternals } from '../src/private/components/internals';
import { CARGO_TARGET_IMPORT } from '../src/private/dockerfile/cargo-target-cache';
import { DockerfileModel } from '../src/private/dockerfile/model';

/** One generated configuration, with its Dockerfiles and models. */
export interface Variant {
  readonly name: string;
  readonly platforms: Platform[];
  /** Path -> content of the image and builder Dockerfiles. */
  readonly dockerfiles: Record<string, string>;
  /** The image Dockerfile's model. */
  readonly model: DockerfileModel;
  /** Images the Dockerfiles may pull (FROM lines that are not stages). */
  readonly baseImages: string[];
  /** Named build contexts a build of some target is given (CI passes them), which the Dockerfile reads as it reads an image. */
  readonly namedContexts: string[];
  /** The local tasks' generated script. */
  readonly taskScript: string;
  /** Every task command that runs in a POSIX shell (`sh -c`), by task name. */
  readonly shellTasks: Record<string, string>;
  readonly image: RustDockerImage;
}

function variant(name: string, project: Project, options: RustDockerImageOptions): Variant {
  const image = new RustDockerImage(project, options);
  const out = Testing.synth(project);
  const stages = new Set(imageInternals(image).model.stages.map((s) => s.name));
  // A FROM that names a stage through the platform arguments (binaries-${TARGETARCH}...) is no image.
  const baseImages = [...new Set(imageInternals(image).model.stages.map((s) => s.from.image).filter((i) => !stages.has(i) && !i.includes('${')))];
  baseImages.push(imageInternals(image).resolved.builder.baseImage);
  return {
    name,
    platforms: imageInternals(image).resolved.platforms,
    dockerfiles: {
      [image.dockerfilePath]: out[image.dockerfilePath] as string,
      [image.builderDockerfilePath]: out[image.builderDockerfilePath] as string,
    },
    model: imageInternals(image).model,
    baseImages: [...new Set(baseImages)],
    namedContexts: imageInternals(image).resolved.cargoTargetCache ? [CARGO_TARGET_IMPORT] : [],
    taskScript: out[image.taskScript.path] as string,
    shellTasks: Object.fromEntries(Object.entries<any>((out['.projen/tasks.json'] as any).tasks)
      .filter(([task, def]) => task.startsWith('docker:') && def.shell?.[0] === 'sh')
      .map(([task, def]) => [task, def.steps.map((s: any) => s.exec).join('\n')])),
    image,
  };
}

/**
 * Every configuration the tests cover, generated afresh: the example, each
 * layout and strategy, option combinations, an image set, and every fixture.
 */
export function generatedVariants(): Variant[] {
  const v: Variant[] = [
    variant('example', exampleProject(), { runtime: { ports: [8080], env: { RUST_LOG: 'info' } } }),
    variant('per-target-platform with arm/v7', newProject(simpleCrate()), {
      compileLayout: CompileLayout.PER_TARGET_PLATFORM, platforms: [Platform.LINUX_AMD64, Platform.LINUX_ARM64, Platform.LINUX_ARM_V7],
    }),
    variant('native-runners strategy', newProject(simpleCrate()), { ci: { strategy: BuildStrategy.NATIVE_RUNNERS } }),
    variant('dev profile, features, no default features', newProject(simpleCrate()), { profile: 'dev', features: ['a', 'b'], noDefaultFeatures: true }),
    variant('runtime options', newProject(simpleCrate('app', { 'assets/index.html': '<p>hi</p>' })), {
      runtime: {
        baseImage: 'scratch',
        user: '10001:10001',
        ports: [8080],
        udpPorts: [9090],
        env: { A: 'b c' },
        args: ['serve', '--port', '8080'],
        extraFiles: [{ source: 'assets', destination: '/srv/assets', mode: '0644' }],
        labels: { 'org.example.team': 'core' },
      },
    }),
    variant('nightly toolchain', newProject(simpleCrate('app', { 'rust-toolchain.toml': '[toolchain]\nchannel = "nightly-2025-06-01"\n' })), {}),
    variant('no registry cache mount', newProject(simpleCrate()), { registryCacheMount: false }),
    variant('cargo-target cache, per-target-platform layout', newProject(simpleCrate()), {
      compilerCache: CompilerCache.cargoTarget(), compileLayout: CompileLayout.PER_TARGET_PLATFORM,
    }),
    variant('image set of three binaries', newProject(serviceWorkspace()), { binaries: ['api', 'worker', 'migrate'] }),
    variant('private git dependencies', newProject(gitDependencyCrate()), { privateGit: {} }),
    variant('remote builder with mutual TLS', newProject(simpleCrate()), {
      ci: { remoteBuilder: { driver: 'remote', endpoint: 'tcp://buildkitd.internal:1234', tls: { serverName: 'buildkitd' } } },
    }),
    variant('image set on a remote builder', newProject(serviceWorkspace()), {
      binaries: ['api', 'worker'], ci: { remoteBuilder: { driver: 'remote', endpoint: 'tcp://buildkitd.internal:1234', tls: {} } },
    }),
    variant('target libraries (OpenSSL, libpq, SQLite)', workspaceProject(TARGET_LIBRARY_CASE.dir), TARGET_LIBRARY_CASE.options),
    variant('target libraries with glibc targets', workspaceProject(TARGET_LIBRARY_GLIBC_CASE.dir), TARGET_LIBRARY_GLIBC_CASE.options),
  ];
  // Fixtures whose system libraries have no source here take them by hand (builder.ignoreCrates); lldap's
  // graph needs github.com, which is not reachable here.
  const ignoreCrates = ['mysqlclient-sys'];
  for (const name of FIXTURE_NAMES.filter((n) => n !== 'lldap')) {
    v.push(variant(`fixture ${name}`, adoptFixture(name), { ...fixtureOptions(readFixture(name)), builder: { ignoreCrates } }));
  }
  return v;
}
