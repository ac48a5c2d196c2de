// The bundled example's projen configuration: a small service built as a
// multi-arch image. In your own project, import from 'projen-rust-docker'
// instead of this repository's sources.
import { github, Project, typescript } from 'projen';
import { Platform, RustDockerImage } from '../../src';

const project = new Project({ name: 'hello-service', commitGenerated: true });
new typescript.ProjenrcTs(project);
new github.GitHub(project, { mergify: false, pullRequestLint: false });

new RustDockerImage(project, {
  platforms: [Platform.LINUX_AMD64, Platform.LINUX_ARM64],
  runtime: { ports: [8080], env: { RUST_LOG: 'info' } },
  ci: { smokeTestArgs: ['--version'] },
});

project.synth();
