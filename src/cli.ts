#!/usr/bin/env node
/**
 * `npx projen-rust-docker new`: sets up a Rust repository that has a
 * package.json of its own, where `projen new --from projen-rust-docker`
 * cannot (projen takes the first devDependency for the project type).
 */
import { existsSync } from 'fs';
import { join } from 'path';
import { InitProjectOptionHints, Projects } from 'projen';
import { planNewCommand } from './private/project/new-command';

const dir = process.cwd();
const plan = planNewCommand(process.argv.slice(2), dir, (pkg) => existsSync(join(dir, 'node_modules', pkg, 'package.json')));
if (plan.kind === 'stop') {
  (plan.status === 0 ? process.stdout : process.stderr).write(`${plan.message}\n`);
  process.exitCode = plan.status;
} else {
  // As projen new does: the project type loaded from this repository's node_modules, synthesized, .projenrc.ts written.
  Projects.createProject({
    dir,
    projectFqn: 'projen-rust-docker.RustDockerProject',
    projectOptions: { ...plan.options },
    optionHints: InitProjectOptionHints.NONE,
    post: true,
  });
}
