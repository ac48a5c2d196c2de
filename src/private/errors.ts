/**
 * An error in the configuration of a `RustDockerImage` or in the Cargo
 * workspace it reads. The message names the option (or file) at fault and
 * says how to fix it. It is thrown from the component's constructor, before
 * projen writes or deletes any file.
 */
export class RustDockerConfigError extends Error {
  /** The option (e.g. `runtime.user`) or file at fault. */
  public readonly field: string;

  constructor(field: string, problem: string, fix: string) {
    super(`projen-rust-docker: ${field}: ${problem}. Fix: ${fix}`);
    this.name = 'RustDockerConfigError';
    this.field = field;
  }
}
