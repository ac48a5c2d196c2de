import { createHash } from 'crypto';
import { relative } from 'path';
import { Component, Project } from 'projen';
import { DockerfileFile } from './dockerfile-file';
import { assertNotHandWritten } from './file-guard';
import { BuilderSpec } from '../config/resolved';
import { builderDockerfileModel } from '../dockerfile/app-dockerfile';
import { renderDockerfileBody } from '../dockerfile/render';

/** Host platforms the builder image is built for. */
export const BUILDER_PLATFORMS = ['linux/amd64', 'linux/arm64'];

const registries = new WeakMap<Project, Map<string, RustBuilderImage>>();

/**
 * The builder-image Dockerfile (Rust, zig, cargo-chef, cargo-zigbuild) and its
 * local build task. One per distinct builder spec in a project tree: images
 * with the same builder settings share it, and its CI workflow.
 */
export class RustBuilderImage extends Component {
  /**
   * The builder for `spec`, created in `project` the first time the spec is
   * seen anywhere in the project tree.
   */
  public static forSpec(project: Project, spec: BuilderSpec, adopt: boolean): RustBuilderImage {
    const root = project.root;
    let map = registries.get(root);
    if (!map) {
      map = new Map();
      registries.set(root, map);
    }
    const key = JSON.stringify(spec);
    const existing = map.get(key);
    if (existing) return existing;
    const name = map.size === 0 ? 'rust-builder' : `rust-builder-${map.size + 1}`;
    const builder = new RustBuilderImage(project, name, spec, adopt);
    map.set(key, builder);
    return builder;
  }

  /** Short name, used for the file, task and workflow names (`rust-builder`, `rust-builder-2`). */
  public readonly name: string;
  /** Dockerfile path relative to the owning project. */
  public readonly dockerfile: string;
  /** Dockerfile path relative to the root project. */
  public readonly dockerfileFromRoot: string;
  /** Image tag: the Rust version plus a hash of the Dockerfile content. */
  public readonly tag: string;
  public readonly spec: BuilderSpec;

  private constructor(project: Project, name: string, spec: BuilderSpec, adopt: boolean) {
    super(project, `RustBuilderImage-${name}`);
    this.name = name;
    this.spec = spec;
    this.dockerfile = `${name}.Dockerfile`;
    assertNotHandWritten(project.outdir, this.dockerfile, 'builder (the builder-image Dockerfile)', adopt);
    const model = builderDockerfileModel(spec);
    const hash = createHash('sha256').update(renderDockerfileBody(model)).digest('hex').slice(0, 12);
    this.tag = `${spec.rustVersion}-${hash}`;
    const fromRoot = relative(project.root.outdir, project.outdir).split(/[\\/]/).filter(Boolean).join('/');
    this.dockerfileFromRoot = fromRoot ? `${fromRoot}/${this.dockerfile}` : this.dockerfile;
    new DockerfileFile(project, this.dockerfile, model);
    project.addTask(`docker:${name}:build`, {
      description: `Build the ${name} image (${BUILDER_PLATFORMS.join(', ')})`,
      exec: `docker buildx build --platform ${BUILDER_PLATFORMS.join(',')} -f ${this.dockerfile} -t ${name}:${this.tag} .`,
    });
  }
}
