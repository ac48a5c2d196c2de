import { IConstruct } from 'constructs';
import { FileBase, IResolver } from 'projen';
import { DockerfileModel, Instruction, Stage } from '../dockerfile/model';
import { renderDockerfile } from '../dockerfile/render';

/**
 * A generated Dockerfile. The `# syntax=` parser directive stays on the first
 * line, above projen's marker, because BuildKit reads directives only before
 * any other comment. Whether it is committed follows the project's
 * `commitGenerated`.
 */
export class DockerfileFile extends FileBase {
  private readonly model: DockerfileModel;
  /** Instructions added to stages (the escape hatch), by stage name, in order. */
  private readonly added = new Map<string, Instruction[]>();

  constructor(scope: IConstruct, filePath: string, model: DockerfileModel) {
    super(scope, filePath, { readonly: true });
    this.model = model;
  }

  /** Adds instructions to the stage named `stage`: at its end, or before its `USER` when it has one. */
  public addToStage(stage: string, instructions: Instruction[]): void {
    this.added.set(stage, [...(this.added.get(stage) ?? []), ...instructions]);
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return renderDockerfile({ ...this.model, stages: this.model.stages.map((s) => this.withAdded(s)) }, this.marker);
  }

  private withAdded(stage: Stage): Stage {
    const extra = stage.name ? this.added.get(stage.name) : undefined;
    if (!extra?.length) return stage;
    const user = stage.instructions.findIndex((i) => i.kind === 'USER');
    const at = user < 0 ? stage.instructions.length : user;
    return { ...stage, instructions: [...stage.instructions.slice(0, at), ...extra, ...stage.instructions.slice(at)] };
  }
}
