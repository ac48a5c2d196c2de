import { posix } from 'path';
import { Component, FileBase, github, IgnoreFile, JsonFile, Project } from 'projen';
import { DockerfileStage, DockerInstruction } from './dockerfile-instructions';
import { RustDockerImageOptions } from './options';
import { bakeDefinition } from './private/bake/bake-definition';
import { DockerfileFile } from './private/components/dockerfile-file';
import { assertNoHandWrittenFiles, existingFile, PlannedFile } from './private/components/file-guard';
import { addImageTasks, imageScriptPath } from './private/components/image-tasks';
import { addImageWorkflows, workflowFile } from './private/components/image-workflows';
import { imageInternals, recordImageInternals } from './private/components/internals';
import { RustBuilderImage } from './private/components/rust-builder-image';
import { resolve } from './private/config/resolve';
import { ResolvedImage } from './private/config/resolved';
import { appDockerfileModel } from './private/dockerfile/app-dockerfile';
import { dockerignorePatterns, patternsToKeep } from './private/dockerfile/dockerignore-patterns';
import { RustDockerConfigError } from './private/errors';

/**
 * A multi-arch Docker image (or image set) of a Rust binary, with its
 * Dockerfile, `.dockerignore`, builder-image Dockerfile, local tasks and
 * GitHub Actions workflows.
 *
 * All options are validated and the Cargo workspace is read in the
 * constructor, so bad input fails before projen writes or deletes any file.
 */
export class RustDockerImage extends Component {
  /**
   * The first RustDockerImage of a project, or undefined.
   * @param project the project to look in
   */
  public static of(project: Project): RustDockerImage | undefined {
    return RustDockerImage.all(project)[0];
  }

  /**
   * Every RustDockerImage of a project, in creation order.
   * @param project the project to look in
   */
  public static all(project: Project): RustDockerImage[] {
    return project.components.filter((c): c is RustDockerImage => c instanceof RustDockerImage);
  }

  /** Resolves the options against the project (default file names avoid the files already there); one name per image in a project. */
  private static resolveImage(project: Project, options: RustDockerImageOptions, self: RustDockerImage): ResolvedImage {
    const image = resolve(options, {
      projectOutdir: project.outdir,
      projectName: project.name,
      isTaken: (path) => project.tryFindFile(path) !== undefined,
      isHandWritten: (path) => project.tryFindFile(path) === undefined && existingFile(project.outdir, path).kind === 'hand-written',
    });
    if (RustDockerImage.all(project).some((s) => s !== self && s.id === image.id)) {
      throw new RustDockerConfigError('imageName', `another RustDockerImage in this project already uses the name "${image.id}"`, 'give each image its own imageName (or binary)');
    }
    return image;
  }

  /** The `.dockerignore`: its own, or the one another image of the same build context already writes, with these patterns added. */
  private static ignoreFile(project: Project, image: ResolvedImage, kept: string[], shared: IgnoreFile | undefined): IgnoreFile {
    const patterns = dockerignorePatterns({ memberDirs: image.memberDirs, includeGit: image.includeGit, extra: image.dockerignoreExtra, kept });
    if (shared) {
      shared.addPatterns(...patterns.filter((p) => !p.startsWith('#')));
      return shared;
    }
    return new IgnoreFile(project, image.paths.dockerignore, { filterCommentLines: false, filterEmptyLines: true, ignorePatterns: patterns });
  }

  /** Short id of this image (set), used in task, workflow and cache names. */
  public readonly id: string;
  /** Dockerfile path relative to the project. */
  public readonly dockerfilePath: string;
  /** `.dockerignore` path relative to the project. */
  public readonly dockerignorePath: string;
  /** The Cargo workspace root, relative to the project. */
  public readonly cratePath: string;
  /** The Docker build context, relative to the project. */
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
  /** Alpine packages the C dependencies add to the builder. */
  public readonly builderPackages: string[];
  /** Warnings about the Cargo workspace (also logged). */
  public readonly warnings: string[];
  /** The generated Dockerfile; add to it with `addInstructions`. */
  public readonly dockerfile: FileBase;
  /** The generated `.dockerignore` (shared with other images of the same build context). */
  public readonly dockerignore: IgnoreFile;
  /** The stored dependency graph, when Cargo.lock lists crates with C-dependency rules. */
  public readonly crateGraphFile?: JsonFile;
  /** The bake file, for image sets. */
  public readonly bakeFile?: JsonFile;
  /** The script behind the local tasks (`docker-<id>.sh` beside the Dockerfile). */
  public readonly taskScript: FileBase;
  /** The image workflow, when CI is on and the root project has GitHub support. */
  public readonly workflow?: github.GithubWorkflow;

  private readonly dockerfileFile: DockerfileFile;

  /**
   * @param project the project that owns the files (its folder holds `cratePath`)
   * @param options the image's settings; all of them have defaults
   */
  constructor(project: Project, options: RustDockerImageOptions = {}) {
    super(project);
    const adopt = options.adoptExistingFiles ?? false;

    // 1. Validate and resolve everything, and check what stands where files go: nothing is created before this succeeds.
    const image = RustDockerImage.resolveImage(project, options, this);
    const existingBuilder = RustBuilderImage.find(project, image.builder);
    const builderName = existingBuilder?.name ?? RustBuilderImage.nextName(project);
    const gh = image.ci ? github.GitHub.of(project.root) : undefined;
    if (image.ci && !gh) {
      image.warnings.push(`the root project has no GitHub support, so no workflows were generated for ${image.id}. Fix: enable github in the root project, or set ci.enabled: false`);
    }
    const found = project.tryFindFile(image.paths.dockerignore);
    const sharedIgnore = found instanceof IgnoreFile ? found : undefined;
    const kept = this.keptIgnorePatterns(project, image, adopt, !!sharedIgnore);
    this.checkFiles(project, image, builderName, !existingBuilder, gh, adopt, !!sharedIgnore);

    // 2. Create the files, tasks and workflows.
    this.id = image.id;
    this.cratePath = image.paths.cratePath;
    this.contextPath = image.paths.contextPath;
    this.dockerfilePath = image.paths.dockerfile;
    this.dockerignorePath = image.paths.dockerignore;
    this.bakeFilePath = image.paths.bakeFile;
    this.binaries = image.binaries.map((b) => b.name);
    this.imageNames = image.binaries.map((b) => b.imageName);
    this.rustVersion = image.builder.rustVersion;
    this.builderPackages = image.builder.apkPackages.map((p) => p.name);
    this.warnings = image.warnings;
    const model = appDockerfileModel(image);
    recordImageInternals(this, { resolved: image, model });

    const builder = existingBuilder ?? new RustBuilderImage(project, builderName, image.builder);
    this.builderDockerfilePath = builder.dockerfilePath;
    this.builderTag = builder.tag;
    this.dockerfileFile = new DockerfileFile(project, image.paths.dockerfile, model);
    this.dockerfile = this.dockerfileFile;
    this.dockerignore = RustDockerImage.ignoreFile(project, image, kept, sharedIgnore);
    if (image.crateGraph) {
      this.crateGraphFile = new JsonFile(project, image.paths.crateGraph, { obj: image.crateGraph, readonly: true, newline: true });
    }
    if (image.paths.bakeFile) {
      this.bakeFile = new JsonFile(project, image.paths.bakeFile, { obj: bakeDefinition(image), marker: false, readonly: true, newline: true });
    }
    this.taskScript = addImageTasks(project, image, builder, options.builder?.image);
    project.gitignore.exclude(`/${posix.join(image.paths.cratePath, 'target')}/`);
    if (image.ci && gh) this.workflow = addImageWorkflows(project, gh, image, image.ci, builder);
    for (const w of image.warnings) project.logger.warn(`projen-rust-docker: ${w}`);
  }

  /**
   * Adds instructions to a stage of the generated Dockerfile, for what the
   * options do not cover: they are part of `.projenrc`, so they survive every
   * regeneration. The runtime images take no `RUN`: it would run emulated.
   *
   * @param stage where: the cook, the build, or every runtime image
   * @param instructions what, in order
   */
  public addInstructions(stage: DockerfileStage, ...instructions: DockerInstruction[]): void {
    if (stage === DockerfileStage.RUNTIME && instructions.some((i) => i.isRun)) {
      throw new RustDockerConfigError('addInstructions', 'a RUN in the runtime images would run on the target platform, emulated', 'run it in DockerfileStage.BUILD and copy its result with DockerInstruction.copy(..., { from: "build" })');
    }
    const stages = stage === DockerfileStage.RUNTIME ? imageInternals(this).resolved.binaries.map((b) => b.stage) : [stage as string];
    for (const s of stages) this.dockerfileFile.addToStage(s, instructions.map((i) => i._instruction));
  }

  /** The patterns an adopted `.dockerignore` keeps (and says so). */
  private keptIgnorePatterns(project: Project, image: ResolvedImage, adopt: boolean, shared: boolean): string[] {
    if (shared) return [];
    const existing = existingFile(project.outdir, image.paths.dockerignore);
    if (existing.kind === 'none') return [];
    if (existing.kind === 'hand-written' && !adopt) return [];
    const kept = patternsToKeep(existing.text, existing.kind === 'generated');
    if (kept.length && existing.kind === 'hand-written') {
      image.warnings.push(`${image.paths.dockerignore}: adopted; its ${kept.length} own pattern${kept.length > 1 ? 's are' : ' is'} kept below the generated ones (to manage them in .projenrc instead, move them into dockerignore.extraPatterns)`);
    }
    return kept;
  }

  /** One error for every hand-written file that stands where this component writes. */
  private checkFiles(
    project: Project, image: ResolvedImage, builderName: string, newBuilder: boolean,
    gh: github.GitHub | undefined, adopt: boolean, sharedIgnore: boolean,
  ) {
    const own: PlannedFile[] = [{ path: image.paths.dockerfile, elsewhere: 'set dockerfile to another file name' }];
    if (!sharedIgnore) {
      own.push({
        path: image.paths.dockerignore,
        elsewhere: 'set dockerignore: { dockerfileSpecific: true } to leave it alone (the generated patterns go to <dockerfile>.dockerignore, which BuildKit reads '
          + 'for that Dockerfile only), or move its patterns into dockerignore.extraPatterns and delete it',
      });
    }
    if (image.paths.bakeFile) own.push({ path: image.paths.bakeFile, elsewhere: 'move it aside (the image set writes its bake file there)' });
    if (image.crateGraph) own.push({ path: image.paths.crateGraph, elsewhere: 'move it aside (the stored dependency graph goes there)' });
    own.push({ path: imageScriptPath(image), elsewhere: 'move it aside (the script of the local docker tasks goes there)' });
    if (newBuilder) own.push({ path: `${builderName}.Dockerfile`, elsewhere: 'move it aside (the builder-image Dockerfile goes there)' });
    assertNoHandWrittenFiles(project.outdir, own, adopt);
    if (image.ci && gh) {
      const root: PlannedFile[] = [{ path: workflowFile(image.ci.workflowName), elsewhere: 'set ci.workflowName to another name' }];
      if (!gh.tryFindWorkflow(builderName)) root.push({ path: workflowFile(builderName), elsewhere: 'move it aside (the builder workflow goes there)' });
      assertNoHandWrittenFiles(project.root.outdir, root, adopt);
    }
  }
}
