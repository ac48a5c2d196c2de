import { readFileSync } from 'fs';
import { join } from 'path';
import { Testing } from 'projen';
import { RustDockerImage } from '../src';
import { dockerfileProblems, EXAMPLE_CRATE, exampleProject } from './util';

describe('the bundled example', () => {
  const project = exampleProject();
  const image = new RustDockerImage(project, { runtime: { ports: ['8080'], env: { RUST_LOG: 'info' } }, ci: { smokeTestArgs: ['--version'] } });
  const out = Testing.synth(project);

  test('matches the snapshot', () => {
    expect({
      'Dockerfile': out.Dockerfile,
      '.dockerignore': out['.dockerignore'],
      'rust-builder.Dockerfile': out['rust-builder.Dockerfile'],
      '.github/workflows/docker-hello-service.yml': out['.github/workflows/docker-hello-service.yml'],
    }).toMatchSnapshot();
  });

  test('beside the snapshot: one binary, clean Dockerfile, labels from Cargo.toml', () => {
    expect(image.binaries).toEqual(['hello-service']);
    expect(dockerfileProblems(out.Dockerfile)).toEqual([]);
    expect(out.Dockerfile).toContain('org.opencontainers.image.description="A tiny service used as the projen-rust-docker example"');
    expect(out.Dockerfile).toContain('ENV RUST_LOG="info"');
  });

  test('the committed example output is what the generator writes now', () => {
    for (const f of ['Dockerfile', '.dockerignore', 'rust-builder.Dockerfile', '.github/workflows/docker-hello-service.yml']) {
      const committed = readFileSync(join(EXAMPLE_CRATE, f), 'utf-8').replace(/\.projenrc\.js/g, '');
      const fresh = String(out[f]).replace(/\.projenrc\.js/g, '');
      expect({ f, same: committed === fresh }).toEqual({ f, same: true });
    }
  });
});
