import { posix } from 'path';
import { Component, IgnoreFile, JsonFile, Project } from 'projen';
import { DockerfileFile } from './dockerfile-file';
import { assertNotHandWritten } from './file-guard';
import { addImageWorkflows } from './image-workflows';
import { RustBuilderImage } from './rust-builder-image';
import { bakeBuilderContextFlags, bakeDefinition } from '../bake/bake-definition';
import { BUILDER_STAGE } from '../config/defaults';
import { resolveImage } from '../config/resolve';
import { ResolvedImage } from '../config/resolved';
import { appDockerfileModel } from '../dockerfile/app-dockerfile';
import { dockerignorePatterns } from '../dockerfile/dockerignore-patterns';
import { DockerfileModel } from '../dockerfile/model';
import { RustDockerConfigError } from '../errors';
import { RustDockerImageOptions } from '../options';

const instances = new WeakMap<Project, RustDockerImage[]>();

/**
 * A multi-arch Docker image (or image set) of a Rust binary, with its
 * Dockerfile, `.dockerignore`, builder-image Dockerfile, local tasks and
 * GitHub Actions workflows.
 *
 * All options are validated and the Cargo workspace is read in the
 * constructor, so bad input fails before projen writes or deletes any file.
 */
export class RustDockerImage extends Component {
  /** The RustDockerImage components of a project, in creation order. */
  public static of(project: Project): RustDockerImage[] {
    return [...(instances.get(project) ?? [])];
  }

  /** Short id of this image (set), used in task, workflow and cache names. */
  public readonly id: string;
  /** Dockerfile path relative to the project. */
  public readonly dockerfilePath: string;
  /** `.dockerignore` path relative to the project. */
  public readonly dockerignorePath: string;
  /** Build context relative to the project. */
  public readonly contextPath: string;
  /** `docker-bake.json` path relative to the project, for image sets (`binaries`). */
  public readonly bakeFilePath?: string;
  /** Builder-image Dockerfile path relative to the project that owns it. */
  public readonly builderDockerfilePath: string;
  /** Builder image tag (Rust version plus content hash). */
  public readonly builderTag: string;
  /** The binaries shipped, in order. */
  public readonly binaries: string[];
  /** Image names, one per binary. */
  public readonly imageNames: string[];
  /** The Rust version (or channel) of the builder. */
  public readonly rustVersion: string;
  /** Alpine packages of the builder. */
  public readonly builderPackages: string[];
  /** Warnings about the Cargo workspace (also logged). */
  public readonly warnings: string[];

  /** @internal */
  public readonly _resolved: ResolvedImage;
  /** @internal */
  public readonly _model: DockerfileModel;

  constructor(project: Project, options: RustDockerImageOptions = {}) {
    super(project);
    const siblings = instances.get(project) ?? [];
    const adopt = options.adoptExistingFiles ?? false;

    const image = resolveImage(options, {
      projectOutdir: project.outdir,
      defaultDockerfile: (id, contextDir) => (siblings.some((s) => s.contextPath === contextDir) ? `${id}.Dockerfile` : 'Dockerfile'),
    });
    for (const s of siblings) {
      if (s.id === image.id) {
        throw new RustDockerConfigError('imageName', `another RustDockerImage in this project already uses the name "${image.id}"`, 'give each image its own imageName (or binary)');
      }
    }
    const dockerfilePath = posix.join(image.contextDir, image.dockerfile);
    const dockerignorePath = posix.join(image.contextDir, '.dockerignore');
    const sharedIgnore = siblings.find((s) => s.dockerignorePath === dockerignorePath);
    const bakeFilePath = options.binaries === undefined ? undefined
      : posix.join(image.contextDir, siblings.some((s) => s.bakeFilePath === posix.join(image.contextDir, 'docker-bake.json')) ? `${image.id}.docker-bake.json` : 'docker-bake.json');

    // Refuse to overwrite hand-written files, before anything is created.
    assertNotHandWritten(project.outdir, dockerfilePath, 'dockerfile', adopt);
    if (!sharedIgnore) assertNotHandWritten(project.outdir, dockerignorePath, 'cratePath (the .dockerignore goes to the build context root)', adopt);
    if (bakeFilePath) assertNotHandWritten(project.outdir, bakeFilePath, 'binaries (the bake file goes to the build context root)', adopt);
    const builder = RustBuilderImage.forSpec(project, image.builder, adopt);
    const workflows = addImageWorkflows(project, image, builder, options.ci, adopt);

    this.id = image.id;
    this.dockerfilePath = dockerfilePath;
    this.dockerignorePath = dockerignorePath;
    this.bakeFilePath = bakeFilePath;
    this.contextPath = image.contextDir;
    this.builderDockerfilePath = builder.dockerfile;
    this.builderTag = builder.tag;
    this.binaries = image.binaries.map((b) => b.name);
    this.imageNames = image.binaries.map((b) => b.imageName);
    this.rustVersion = image.builder.rustVersion;
    this.builderPackages = image.builder.packages.map((p) => p.name);
    this.warnings = image.warnings;
    this._resolved = image;
    this._model = appDockerfileModel(image);

    new DockerfileFile(project, dockerfilePath, this._model);
    const patterns = dockerignorePatterns(image.memberDirs, options.dockerignore?.extraPatterns ?? []);
    if (sharedIgnore) {
      (project.tryFindFile(dockerignorePath) as IgnoreFile).addPatterns(...patterns.filter((p) => !p.startsWith('#')));
    } else {
      new IgnoreFile(project, dockerignorePath, { filterCommentLines: false, filterEmptyLines: true, ignorePatterns: patterns });
    }

    if (bakeFilePath) new JsonFile(project, bakeFilePath, { obj: bakeDefinition(image), marker: false, readonly: true, newline: true });
    this.addTasks(project, image, builder, options.builder?.image);
    workflows.create();
    for (const w of image.warnings) project.logger.warn(`projen-rust-docker: ${w}`);
    instances.set(project, [...siblings, this]);
  }

  private addTasks(project: Project, image: ResolvedImage, builder: RustBuilderImage, builderRepo: string | undefined) {
    const file = image.dockerfile;
    const builderRef = builderRepo ? `${builderRepo}:${builder.tag}` : undefined;
    // With a published builder image, use it when it exists (else the inline stage builds the tools).
    const probe = (flags: string) => (builderRef ? `ctx=""; if docker buildx imagetools inspect ${builderRef} >/dev/null 2>&1; then ctx="${flags}"; fi; ` : '');
    const ctxArg = builderRef ? ' $ctx' : '';
    const buildPrefix = probe(`--build-context ${BUILDER_STAGE}=docker-image://${builderRef}`);
    const cwd = image.contextDir === '.' ? undefined : image.contextDir;
    const hostTasks = image.binaries.map((b) =>
      project.addTask(`docker:${b.slug}:build`, {
        description: `Build the ${b.imageName} image for the host platform and load it as ${b.imageName}:dev`,
        cwd,
        exec: `${buildPrefix}docker buildx build${ctxArg} --load --target ${b.stage} -f ${file} -t ${b.imageName}:dev .`,
      }),
    );
    const names = image.binaries.map((b) => b.imageName).join(', ');
    const bakeFile = this.bakeFilePath ? posix.relative(image.contextDir, this.bakeFilePath) : undefined;
    const first = image.binaries[0];
    project.addTask(`docker:${image.id}:build-all`, {
      description: `Build ${names} for ${image.platforms.join(', ')}${bakeFile ? ' with docker buildx bake (shared stages computed once)' : ''}`,
      cwd,
      exec: bakeFile
        ? `${probe(bakeBuilderContextFlags(bakeDefinition(image), builderRef ?? ''))}docker buildx bake -f ${bakeFile}${ctxArg}`
        : `${buildPrefix}docker buildx build${ctxArg} --platform ${image.platforms.join(',')} --target ${first.stage} -f ${file} -t ${first.imageName}:dev .`,
    });
    const all = project.tasks.tryFind('docker:build') ?? project.addTask('docker:build', { description: 'Build every Rust image for the host platform' });
    for (const t of hostTasks) all.spawn(t);
  }

}

