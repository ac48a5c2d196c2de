/**
 * An error in the configuration of a `RustDockerImage` or in the Cargo
 * workspace it reads. The message names the option (or file) at fault and
 * says how to fix it. It is thrown from the component's constructor, before
 * projen writes or deletes any file.
 *
 * The message is the whole story, so the error carries no stack frames: an
 * uncaught one (in `npx projen`, or a Python projenrc through jsii) ends with
 * the message and its fix instead of a stack trace to scroll past.
 */
/** The field of each error, kept off the error object so a printed error is its message alone. */
const FIELDS = new WeakMap<Error, string>();

export class RustDockerConfigError extends Error {
  constructor(field: string, problem: string, fix: string) {
    super(`projen-rust-docker: ${field}: ${problem}. Fix: ${fix}`);
    this.name = 'RustDockerConfigError';
    FIELDS.set(this, field);
    // The message alone, also where a caller would prepend the throwing source line (vm's displayErrors).
    const stack = `${this.name}: ${this.message}`;
    Object.defineProperty(this, 'stack', { get: () => stack, set: () => undefined, configurable: true, enumerable: false });
    reportUncaughtConfigErrorsPlainly();
  }

  /** The option (e.g. `runtime.user`) or file at fault. */
  public get field(): string {
    return FIELDS.get(this)!;
  }
}

let reporting = false;

/**
 * Prints an uncaught `RustDockerConfigError` (or one that rejected a promise
 * nobody awaited) as its message alone and exits
 * with status 1 (Node would add the throwing source line). Installed with
 * the first error, outside test runners, which report errors themselves. Other uncaught errors
 * are printed with their stack and exit with status 1, as Node does, unless
 * another listener takes them.
 */
function reportUncaughtConfigErrorsPlainly(): void {
  if (reporting || process.env.JEST_WORKER_ID !== undefined) return;
  reporting = true;
  const listener = (event: 'uncaughtException' | 'unhandledRejection') => (error: unknown): void => {
    if (error instanceof RustDockerConfigError) {
      process.stderr.write(`\n${error.message}\n\n`);
      process.exit(1);
    }
    // Another listener decides about other errors; without one, do what Node does.
    if (process.listeners(event as 'uncaughtException').length > 1) return;
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', listener('uncaughtException'));
  // An async caller (the projen CLI's `new`) turns the throw into a rejected promise.
  process.on('unhandledRejection', listener('unhandledRejection'));
}
