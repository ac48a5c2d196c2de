import { existsSync } from 'fs';
import { basename, join, resolve } from 'path';
import { hasOwnPackageJson } from './bootstrap';
import { ownPackageJsonSpecs, packageName, specsOf } from './npm-packages';

/** What `npx projen-rust-docker new` needs installed in the repository, for a .projenrc.ts, as npm specs. */
export const NEW_COMMAND_SPECS = ownPackageJsonSpecs(false);
const NEW_COMMAND_PACKAGES = NEW_COMMAND_SPECS.map(packageName);

const USAGE = [
  'Usage: npx projen-rust-docker new [--crate-path <folder>]',
  '',
  'Sets up a Rust repository that has a package.json of its own (where npx projen new --from projen-rust-docker',
  'takes another devDependency for the project type): writes .projenrc.ts from what it finds, then the',
  'Docker files, workflows and tasks. The package.json stays the repository\'s own. First run:',
  `  npm install --save-dev ${NEW_COMMAND_SPECS.join(' ')}`,
].join('\n');

/** The projenrc files and folder that show a repository is set up already. */
const SET_UP = ['.projenrc.ts', '.projenrc.py', '.projenrc.js', '.projenrc.json', '.projen'];

/** What the command was asked: the options of the project, or a message to print and the exit status. */
export type NewCommandPlan =
  | { readonly kind: 'create'; readonly options: { readonly name: string; readonly cratePath?: string } }
  | { readonly kind: 'stop'; readonly status: number; readonly message: string };

/**
 * Reads the command line of `npx projen-rust-docker new` in `dir`, and
 * checks the repository before anything is written: not set up already,
 * and projen and this library installed from its own package.json.
 */
export function planNewCommand(args: readonly string[], dir: string, installed: (pkg: string) => boolean): NewCommandPlan {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { kind: 'stop', status: command ? 0 : 1, message: USAGE };
  if (command !== 'new') return { kind: 'stop', status: 1, message: `projen-rust-docker: unknown command "${command}".\n\n${USAGE}` };
  let cratePath: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--crate-path' && rest[i + 1] !== undefined) cratePath = rest[++i];
    else if (rest[i].startsWith('--crate-path=')) cratePath = rest[i].slice('--crate-path='.length);
    else return { kind: 'stop', status: 1, message: `projen-rust-docker: unknown argument "${rest[i]}".\n\n${USAGE}` };
  }
  const setUp = SET_UP.filter((f) => existsSync(join(dir, f)));
  if (setUp.length) {
    return {
      kind: 'stop',
      status: 1,
      message: `projen-rust-docker: this repository is set up already (it has ${setUp.join(', ')}), and new would start it over. `
        + `Fix: edit ${setUp.find((f) => f.startsWith('.projenrc')) ?? 'the .projenrc file'} and run npx projen to change anything`,
    };
  }
  const missing = NEW_COMMAND_PACKAGES.filter((p) => !installed(p));
  if (!existsSync(join(dir, 'package.json')) || missing.length) {
    return {
      kind: 'stop',
      status: 1,
      message: existsSync(join(dir, 'package.json'))
        ? `projen-rust-docker: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed in this repository. `
          + `Fix: run npm install --save-dev ${specsOf(NEW_COMMAND_SPECS, missing).join(' ')}, then npx projen-rust-docker new`
        : 'projen-rust-docker: this repository has no package.json. Fix: run npx projen new --from projen-rust-docker --no-git (the README\'s command), which writes one',
    };
  }
  if (!hasOwnPackageJson(dir)) {
    return {
      kind: 'stop',
      status: 1,
      message: 'projen-rust-docker: this package.json holds nothing of the repository\'s own. Fix: run npx projen new --from projen-rust-docker --no-git (the README\'s command)',
    };
  }
  return { kind: 'create', options: { name: basename(resolve(dir)), ...(cratePath === undefined ? {} : { cratePath }) } };
}
