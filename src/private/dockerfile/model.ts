/**
 * A small typed model of a Dockerfile: stages made of instructions. The
 * renderer (`render.ts`) is the only place that turns it into text, so line
 * continuations, quoting and exec-form arrays are right by construction.
 */

/** A `RUN --mount=type=cache` mount. */
export interface CacheMount {
  readonly kind: 'cache';
  readonly target: string;
  readonly id?: string;
  readonly sharing?: 'shared' | 'private' | 'locked';
}

/** A `RUN --mount=type=secret` mount exposed as an environment variable (empty when the build passes no such secret). */
export interface SecretEnvMount {
  readonly kind: 'secret-env';
  readonly id: string;
  readonly env: string;
}

/** A `RUN --mount=type=bind` mount of another stage or named context, read-only. */
export interface BindMount {
  readonly kind: 'bind';
  /** The stage or named build context whose files are mounted. */
  readonly from: string;
  readonly target: string;
}

export type Mount = CacheMount | SecretEnvMount | BindMount;

interface Base {
  /** Comment lines rendered above the instruction, without the leading `#`. */
  readonly comment?: string[];
}

export interface FromInstruction extends Base {
  readonly kind: 'FROM';
  readonly image: string;
  readonly platform?: string;
}
export interface ArgInstruction extends Base {
  readonly kind: 'ARG';
  readonly name: string;
  readonly defaultValue?: string;
}
export interface RunInstruction extends Base {
  readonly kind: 'RUN';
  /**
   * The shell, one line each. Commands (the default) render joined with
   * `&&` while they fit on one line, and as a script otherwise; a script
   * (`script: true`) may hold control flow and indented lines. A script is a
   * heredoc that starts with `set -eu`, so it stops at its first failing command.
   */
  readonly commands: string[];
  readonly script?: boolean;
  readonly mounts?: Mount[];
}
export interface CopyInstruction extends Base {
  readonly kind: 'COPY';
  /** What to copy; ignored with `content`. */
  readonly sources: string[];
  /** A file's lines, written to `destination` (a heredoc, in place of sources). */
  readonly content?: string[];
  readonly destination: string;
  readonly from?: string;
  readonly chmod?: string;
  readonly link?: boolean;
}
export interface WorkdirInstruction extends Base {
  readonly kind: 'WORKDIR';
  readonly path: string;
}
export interface KeyValueInstruction extends Base {
  readonly kind: 'ENV' | 'LABEL';
  readonly pairs: Array<[string, string]>;
  /** Values may reference build arguments as `${NAME}` (nothing else is expanded). */
  readonly expandArgs?: boolean;
}
export interface UserInstruction extends Base {
  readonly kind: 'USER';
  readonly user: string;
}
export interface ExposeInstruction extends Base {
  readonly kind: 'EXPOSE';
  readonly ports: string[];
}
export interface ExecInstruction extends Base {
  readonly kind: 'ENTRYPOINT' | 'CMD';
  readonly argv: string[];
}
export interface HealthcheckInstruction extends Base {
  readonly kind: 'HEALTHCHECK';
  readonly argv: string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly startPeriodSeconds: number;
  readonly retries: number;
}

export type Instruction =
  | ArgInstruction
  | RunInstruction
  | CopyInstruction
  | WorkdirInstruction
  | KeyValueInstruction
  | UserInstruction
  | ExposeInstruction
  | ExecInstruction
  | HealthcheckInstruction;

/** A build stage: `FROM ... AS name` and its instructions. */
export interface Stage {
  readonly name?: string;
  readonly from: FromInstruction;
  readonly instructions: Instruction[];
}

/** A whole Dockerfile. */
export interface DockerfileModel {
  /** Frontend for the `# syntax=` parser directive. */
  readonly syntax: string;
  /** Comment lines placed after the header (below the projen marker). */
  readonly header: string[];
  readonly stages: Stage[];
}
