import { Instruction } from './private/dockerfile/model';
import { RustDockerConfigError } from './private/errors';
import { assertPattern, ENV_NAME, IMAGE_PATH } from './private/validation/safe-values';

/** A stage of the generated Dockerfile that `RustDockerImage.addInstructions` adds to. */
export enum DockerfileStage {
  /** After the dependencies are compiled; the build stage starts from it, so it sees what is added here. */
  COOK = 'cook',
  /** After the binaries are compiled and checked, before the runtime images copy them. */
  BUILD = 'build',
  /** Every runtime image, before `USER`: no `RUN` here, since it would run emulated on the target platform. */
  RUNTIME = 'runtime',
}

/** Options of `DockerInstruction.copy`. */
export interface CopyInstructionOptions {
  /**
   * A stage to copy from, e.g. `build`.
   * @default - the build context
   */
  readonly from?: string;
  /**
   * File mode, e.g. `0755`.
   * @default - as in the source
   */
  readonly chmod?: string;
}

function oneLine(field: string, value: string): string {
  if (/[\r\n\u2028\u2029]/.test(value)) throw new RustDockerConfigError(field, `${JSON.stringify(value)} spans several lines`, 'give each command or value on one line (several commands: several arguments)');
  return value;
}

/**
 * One Dockerfile instruction for `RustDockerImage.addInstructions`: the
 * escape hatch for what the options do not cover. It survives regeneration,
 * because it lives in `.projenrc`.
 */
export class DockerInstruction {
  /** `RUN` with the commands joined by `&&`, one per line. */
  public static run(...commands: string[]): DockerInstruction {
    if (!commands.length) throw new RustDockerConfigError('DockerInstruction.run', 'no command given', 'pass at least one command');
    return new DockerInstruction({ kind: 'RUN', commands: commands.map((c, i) => oneLine(`DockerInstruction.run[${i}]`, c)) });
  }

  /** `ENV name="value"`. */
  public static env(name: string, value: string): DockerInstruction {
    assertPattern('DockerInstruction.env name', name, ENV_NAME, 'an environment variable name');
    return new DockerInstruction({ kind: 'ENV', pairs: [[name, oneLine(`DockerInstruction.env ${name}`, value)]] });
  }

  /** `LABEL key="value"`. */
  public static label(key: string, value: string): DockerInstruction {
    assertPattern('DockerInstruction.label key', key, /^[A-Za-z0-9._-]+$/, 'a label key such as "org.example.team"');
    return new DockerInstruction({ kind: 'LABEL', pairs: [[key, oneLine(`DockerInstruction.label ${key}`, value)]] });
  }

  /** `COPY [--from=<stage>] [--chmod=<mode>] <source> <destination>`. */
  public static copy(source: string, destination: string, options: CopyInstructionOptions = {}): DockerInstruction {
    if (options.from !== undefined) assertPattern('DockerInstruction.copy from', options.from, /^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a stage name such as "build"');
    if (options.chmod !== undefined) assertPattern('DockerInstruction.copy chmod', options.chmod, /^[0-7]{3,4}$/, 'an octal mode such as "0755"');
    assertPattern('DockerInstruction.copy destination', destination, IMAGE_PATH, 'an absolute path in the image');
    return new DockerInstruction({ kind: 'COPY', sources: [oneLine('DockerInstruction.copy source', source)], destination, from: options.from, chmod: options.chmod });
  }

  /** `WORKDIR <path>`. */
  public static workdir(path: string): DockerInstruction {
    assertPattern('DockerInstruction.workdir', path, IMAGE_PATH, 'an absolute path in the image');
    return new DockerInstruction({ kind: 'WORKDIR', path });
  }

  /** @internal */
  public readonly _instruction: Instruction;

  private constructor(instruction: Instruction) {
    this._instruction = instruction;
  }

  /** Whether this is a `RUN`. */
  public get isRun(): boolean {
    return this._instruction.kind === 'RUN';
  }
}
