import { existsSync, writeFileSync } from 'fs';
import { join } from 'path';
import { InitProject, Project, python, typescript } from 'projen';
import { ProjenrcChoices, projenrcPy, projenrcTs } from './projenrc-text';

/** Writes `text` to the project's projenrc when the project is created, unless one exists. */
function writeOnce(project: Project, file: string, text: string): void {
  const path = join(project.outdir, file);
  if (existsSync(path)) return;
  writeFileSync(path, text);
  project.logger.info(`Project definition file was created at ${path}`);
}

/** `.projenrc.ts` run by ts-node, written at creation with every choice made then. */
export class RustProjenrcTs extends typescript.ProjenrcTs {
  constructor(project: Project, private readonly choices: ProjenrcChoices) {
    super(project);
  }

  public projectCreation(_init: InitProject): void {
    writeOnce(this.project, this.filePath, projenrcTs(this.choices));
  }
}

/** `.projenrc.py`, written at creation with every choice made then. */
export class RustProjenrcPy extends python.Projenrc {
  constructor(project: Project, private readonly choices: ProjenrcChoices, projenVersion: string) {
    super(project, { pythonExec: 'python3', projenVersion });
  }

  public projectCreation(_init: InitProject): void {
    writeOnce(this.project, this.filePath, projenrcPy(this.choices));
  }
}
