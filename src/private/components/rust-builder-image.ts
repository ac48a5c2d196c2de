import { createHash } from 'crypto';
import { relative } from 'path';
import { Component, FileBase, Project, TaskShell } from 'projen';
import { DockerfileFile } from './dockerfile-file';
import { BuilderSpec } from '../config/resolved';
import { builderDockerfileModel } from '../dockerfile/app-dockerfile';
import { renderDockerfileBody } from '../dockerfile/render';

/** Says which of docker and buildx is missing, and how to get it, before a build that needs both. */
const BUILDX_CHECK = "command -v docker >/dev/null 2>&1 || { echo 'docker is not installed: install Docker Engine or Docker Desktop' >&2; exit 1; }; "
  + "docker buildx version >/dev/null 2>&1 || { echo 'docker buildx is missing: install the buildx plugin (the docker-buildx-plugin package)' >&2; exit 1; }; ";

/** Host platforms the builder image is published for. */
export const BUILDER_PLATFORMS = ['linux/amd64', 'linux/arm64'];

/** The project-relative path of `project`'s folder from the root project ('' for the root). */
export function pathFromRoot(project: Project): string {
  return relative(project.root.outdir, project.outdir).split(/[\\/]/).filter(Boolean).join('/');
}

/**
 * The builder-image Dockerfile (Rust, zig, cargo-chef, cargo-zigbuild) and its
 * local build task. One per distinct builder spec in a project tree: images
 * with the same builder settings share it, and its CI workflow.
 */
export class RustBuilderImage extends Component {
  /** Every builder in the project tree of `project`, in creation order. */
  public static all(project: Project): RustBuilderImage[] {
    return project.root.node.findAll().filter((c): c is RustBuilderImage => c instanceof RustBuilderImage);
  }

  /** The builder for `spec` in the project tree, if one exists. */
  public static find(project: Project, spec: BuilderSpec): RustBuilderImage | undefined {
    const key = JSON.stringify(spec);
    return RustBuilderImage.all(project).find((b) => b.key === key);
  }

  /** The name the next new builder in the tree of `project` gets. */
  public static nextName(project: Project): string {
    const n = RustBuilderImage.all(project).length;
    return n === 0 ? 'rust-builder' : `rust-builder-${n + 1}`;
  }

  /** Short name, used for the file, task and workflow names (`rust-builder`, `rust-builder-2`). */
  public readonly name: string;
  /** Dockerfile path relative to the owning project. */
  public readonly dockerfilePath: string;
  /** Dockerfile path relative to the root project. */
  public readonly dockerfileFromRoot: string;
  /** Image tag: the Rust version plus a hash of the Dockerfile content. */
  public readonly tag: string;
  public readonly spec: BuilderSpec;
  /** The builder-image Dockerfile. */
  public readonly file: FileBase;
  private readonly key: string;

  constructor(project: Project, name: string, spec: BuilderSpec) {
    super(project, `RustBuilderImage-${name}`);
    this.name = name;
    this.spec = spec;
    this.key = JSON.stringify(spec);
    this.dockerfilePath = `${name}.Dockerfile`;
    const model = builderDockerfileModel(spec);
    this.tag = `${spec.rustVersion}-${createHash('sha256').update(renderDockerfileBody(model)).digest('hex').slice(0, 12)}`;
    const fromRoot = pathFromRoot(project);
    this.dockerfileFromRoot = fromRoot ? `${fromRoot}/${this.dockerfilePath}` : this.dockerfilePath;
    this.file = new DockerfileFile(project, this.dockerfilePath, model);
    project.addTask(`docker:${name}:build`, {
      description: `Build the ${name} image for the host platform and load it as ${name}:${this.tag} (CI publishes it for ${BUILDER_PLATFORMS.join(' and ')})`,
      shell: TaskShell.sh(),
      exec: `${BUILDX_CHECK}docker buildx build --load -f ${this.dockerfilePath} -t ${name}:${this.tag} .`,
    });
  }
}
