import { posix } from 'path';
import { FileBase, IResolver, Project } from 'projen';
import { RustBuilderImage } from './rust-builder-image';
import { BuildStrategy, CacheBackend } from '../../ci-options';
import { CompileLayout } from '../../options';
import { bakeDefinition } from '../bake/bake-definition';
import { registryCacheTags } from '../ci/job-steps';
import { imageRefExpression } from '../ci/registry-behaviour';
import { BUILDER_STAGE } from '../config/constants';
import { GIT_TOKEN_SECRET_ID } from '../config/resolve-private-git';
import { ResolvedImage } from '../config/resolved';
import { STAGES, VERSION_ARG } from '../dockerfile/app-dockerfile';
import { TARGETS_VAR } from '../dockerfile/cargo-flags';
import { archSlugOf, platformFacts } from '../platforms';
import { ImageScriptInput, renderImageScript } from '../tasks/image-script';

/** The generated script behind an image's local tasks (executable, with projen's marker). */
class ImageScriptFile extends FileBase {
  constructor(project: Project, path: string, private readonly input: ImageScriptInput) {
    super(project, path, { readonly: true, executable: true });
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return renderImageScript(this.input, this.marker);
  }
}

/** Where an image's task script goes, relative to the project: beside its Dockerfile. */
export function imageScriptPath(image: ResolvedImage): string {
  return posix.join(posix.dirname(image.paths.dockerfile), `docker-${image.id}.sh`);
}

function scriptInput(image: ResolvedImage, builderRef: string | undefined): ImageScriptInput {
  const scriptDir = posix.dirname(image.paths.dockerfile);
  const facts = image.platforms.map((platform) => ({ platform, dockerArch: platformFacts(platform).dockerArch }));
  const bake = image.paths.bakeFile ? bakeDefinition(image) : undefined;
  return {
    name: posix.basename(imageScriptPath(image)),
    toContext: posix.relative(scriptDir, image.paths.contextPath) || '.',
    dockerfile: posix.relative(image.paths.contextPath, image.paths.dockerfile),
    manifest: posix.join(image.paths.crateInContext, 'Cargo.toml'),
    platforms: image.platforms,
    dockerArchs: facts,
    hostTargets: image.layout === CompileLayout.ALL_TARGETS_ONCE
      ? image.targets.map((t) => ({ platform: t.platform, dockerArch: platformFacts(t.platform).dockerArch, target: t.zigTarget }))
      : undefined,
    images: image.binaries.map((b) => ({
      slug: b.slug,
      imageName: b.imageName,
      stage: b.stage,
      package: b.package,
      pushRepository: image.ci ? imageRefExpression(image.ci.registry, b.imageName) : b.imageName,
      ciCacheTags: image.ci?.cache === CacheBackend.REGISTRY
        ? registryCacheTags(image.ci.strategy === BuildStrategy.NATIVE_RUNNERS, b.slug, image.platforms.map(archSlugOf))
        : undefined,
    })),
    builderRef,
    builderStage: BUILDER_STAGE,
    versionArg: VERSION_ARG,
    targetsArg: TARGETS_VAR,
    bake: bake && image.paths.bakeFile
      ? { file: posix.relative(image.paths.contextPath, image.paths.bakeFile), targets: Object.keys(bake.target) }
      : undefined,
    outDir: posix.join(image.paths.crateInContext, 'target', 'docker'),
    gate: image.gate ? { ...image.gate, binariesStage: STAGES.binaries } : undefined,
    gitToken: image.privateGit ? { id: GIT_TOKEN_SECRET_ID, env: image.privateGit.tokenSecret, origins: image.privateGit.origins } : undefined,
    remoteBuilder: image.ci?.remoteBuilder,
  };
}

/**
 * The local tasks of an image (set), each a command of its generated
 * script: `docker:<image>:build` per image, `docker:<id>:build-all`, and
 * `docker:<id>:audit` with the vulnerability gate; `docker:build` builds
 * every image of the project for the host.
 */
export function addImageTasks(project: Project, image: ResolvedImage, builder: RustBuilderImage, builderRepo: string | undefined): FileBase {
  const path = imageScriptPath(image);
  const file = new ImageScriptFile(project, path, scriptInput(image, builderRepo ? `${builderRepo}:${builder.tag}` : undefined));
  const run = (args: string) => `sh ${path} ${args}`;
  const names = image.binaries.map((b) => b.imageName).join(', ');
  const archives = posix.join(image.paths.crateInContext, 'target', 'docker');
  const hostTasks = image.binaries.map((b) => project.addTask(`docker:${b.slug}:build`, {
    description: `Build the ${b.imageName} image for the host platform (compiling only its target) and load it as ${b.imageName}:dev`,
    exec: run(`build ${b.slug}`),
  }));
  project.addTask(`docker:${image.id}:build-all`, {
    description: `Build ${names} for ${image.platforms.join(', ')} into OCI archives under ${archives}/. Set PUSH=1 to push instead, where CI pushes (TAG sets the tag, default dev).`,
    exec: run('build-all'),
  });
  if (image.gate) {
    project.addTask(`docker:${image.id}:audit`, {
      description: `Run the vulnerability gate (cargo audit bin) on the binaries of ${names} for every platform, as CI does before a push`,
      exec: run('audit'),
    });
  }
  const all = project.tasks.tryFind('docker:build') ?? project.addTask('docker:build', { description: 'Build every Rust image for the host platform' });
  for (const t of hostTasks) all.spawn(t);
  return file;
}
