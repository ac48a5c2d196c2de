import { IConstruct } from 'constructs';
import { FileBase, IResolver } from 'projen';
import { DockerfileModel } from '../dockerfile/model';
import { renderDockerfile } from '../dockerfile/render';

/**
 * A generated Dockerfile. The `# syntax=` parser directive stays on the first
 * line, above projen's marker, because BuildKit reads directives only before
 * any other comment. Whether it is committed follows the project's
 * `commitGenerated`.
 */
export class DockerfileFile extends FileBase {
  private readonly model: DockerfileModel;

  constructor(scope: IConstruct, filePath: string, model: DockerfileModel) {
    super(scope, filePath, { readonly: true });
    this.model = model;
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return renderDockerfile(this.model, this.marker);
  }
}
