/**
 * Generates the full file set for the example crate in examples/hello-service
 * (Dockerfile, .dockerignore, builder-image Dockerfile, workflows, tasks) and
 * prints the paths it wrote.
 */
import { join, relative } from 'path';
import { github, Project } from 'projen';
import { Platform, RustDockerImage } from '../src';

const outdir = join(__dirname, '..', 'examples', 'hello-service');

const project = new Project({ name: 'hello-service', outdir, commitGenerated: true });
new github.GitHub(project, { mergify: false, pullRequestLint: false });

const image = new RustDockerImage(project, {
  platforms: [Platform.LINUX_AMD64, Platform.LINUX_ARM64],
  runtime: { ports: ['8080'], env: { RUST_LOG: 'info' } },
  ci: { smokeTestArgs: ['--version'] },
});

project.synth();

const written = project.files.map((f) => f.path).sort();
console.log(`Generated for ${relative(process.cwd(), outdir) || '.'} (binary ${image.binaries.join(', ')}, Rust ${image.rustVersion}):`);
for (const path of written) console.log(`  ${relative(process.cwd(), join(outdir, path))}`);
for (const w of image.warnings) console.log(`warning: ${w}`);
