// The generated local tasks, run by projen's own task runtime (the projen CLI in
// the synthesized project) against a `docker` stand-in that records what it is
// asked to do. cargo is the real one when installed.
import { spawnSync } from 'child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'fs';
import { delimiter, join } from 'path';
import { exampleSources, newProject } from '../harness/projects';
import { serviceWorkspace } from '../harness/service-workspace';
import { tempDir } from '../harness/temp';
import { RustDockerImage, RustDockerImageOptions } from '../src';

const PROJEN_CLI = join(__dirname, '..', 'node_modules', 'projen', 'bin', 'projen');
const HAS_CARGO = spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0;
if (!HAS_CARGO) console.log('cargo is not installed: the tasks\' image version (from cargo pkgid) is checked to be empty instead');

/**
 * A `docker` that answers `docker version` with $FAKE_ARCH, `buildx imagetools inspect`
 * with exit status $FAKE_INSPECT, and writes every buildx build/bake call's arguments,
 * one per line, to $CALLS.
 */
function dockerStandIn(): string {
  const bin = tempDir('prd-docker-');
  const path = join(bin, 'docker');
  writeFileSync(path, [
    '#!/bin/sh',
    'if [ "$1" = version ]; then echo "$FAKE_ARCH"; exit 0; fi',
    'if [ "$1 $2" = "buildx imagetools" ]; then exit "${FAKE_INSPECT:-1}"; fi',
    'for a in "$@"; do printf \'%s\\n\' "$a"; done >> "$CALLS"',
    'echo "--" >> "$CALLS"',
    '',
  ].join('\n'));
  chmodSync(path, 0o755);
  return bin;
}

const DOCKER_BIN = dockerStandIn();

/** Synthesizes a project (written to disk) and returns its folder. */
function synthesized(files: string | Record<string, string>, options: RustDockerImageOptions): string {
  const project = typeof files === 'string' ? newProject({}, files) : newProject(files);
  new RustDockerImage(project, options);
  project.synth();
  return project.outdir;
}

/** Runs a task with the projen CLI in `dir`; returns the docker calls, each as its argument list. */
function runTask(dir: string, task: string, env: Record<string, string> = {}): string[][] {
  const calls = join(tempDir('prd-calls-'), 'calls');
  const r = spawnSync(process.execPath, [PROJEN_CLI, task], {
    cwd: dir,
    encoding: 'utf-8',
    env: { ...process.env, PATH: `${DOCKER_BIN}${delimiter}${process.env.PATH}`, CALLS: calls, FAKE_ARCH: 'amd64', PUSH: '', ...env },
  });
  if (r.status !== 0) throw new Error(`projen ${task} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  if (!existsSync(calls)) return [];
  return readFileSync(calls, 'utf-8').split('--\n').filter((c) => c).map((c) => c.trimEnd().split('\n'));
}

/** The value after `flag` whose value starts with `prefix` (e.g. --build-arg RUST_TARGETS=). */
function flagValue(args: string[], flag: string, prefix = ''): string | undefined {
  for (let i = 0; i < args.length - 1; i++) if (args[i] === flag && args[i + 1].startsWith(prefix)) return args[i + 1].slice(prefix.length);
  return undefined;
}

describe('the local tasks run under projen\'s task runtime', () => {
  const example = synthesized(exampleSources(), {});
  const expectedVersion = HAS_CARGO ? '0.1.0' : '';

  test.each([
    ['amd64', 'x86_64-unknown-linux-musl'],
    ['arm64', 'aarch64-unknown-linux-musl'],
  ])('docker:build on a %s engine compiles only %s and loads the image', (arch, target) => {
    const calls = runTask(example, 'docker:build', { FAKE_ARCH: arch });
    expect(calls).toHaveLength(1);
    const args = calls[0];
    expect(args.slice(0, 3)).toEqual(['buildx', 'build', '--load']);
    expect(flagValue(args, '--build-arg', 'RUST_TARGETS=')).toBe(target);
    expect(flagValue(args, '--build-arg', 'IMAGE_VERSION=')).toBe(expectedVersion);
    expect(flagValue(args, '-t')).toBe('hello-service:dev');
    expect(args[args.length - 1]).toBe('.');
  });

  test('an engine of another architecture gets every target', () => {
    const [args] = runTask(example, 'docker:build', { FAKE_ARCH: 's390x' });
    expect(flagValue(args, '--build-arg', 'RUST_TARGETS=')).toBe('x86_64-unknown-linux-musl aarch64-unknown-linux-musl');
  });

  test('build-all writes an OCI archive for both platforms, or pushes with PUSH=1', () => {
    const [local] = runTask(example, 'docker:hello-service:build-all');
    expect(flagValue(local, '--platform')).toBe('linux/amd64,linux/arm64');
    expect(flagValue(local, '--output')).toBe('type=oci,dest=target/docker/hello-service.oci.tar');
    expect(local).not.toContain('--push');
    const [pushed] = runTask(example, 'docker:hello-service:build-all', { PUSH: '1' });
    expect(pushed).toContain('--push');
    expect(pushed).not.toContain('--output');
  });

  test('the builder task builds rust-builder.Dockerfile for the host and loads it', () => {
    const [args] = runTask(example, 'docker:rust-builder:build');
    expect(args.slice(0, 5)).toEqual(['buildx', 'build', '--load', '-f', 'rust-builder.Dockerfile']);
    expect(flagValue(args, '-t')).toMatch(/^rust-builder:\d+\.\d+\.\d+-[0-9a-f]{12}$/);
  });

  test('with a published builder, the tasks use it when it exists and build the tools inline when not', () => {
    const dir = synthesized(exampleSources(), { builder: { image: 'ghcr.io/acme/rust-builder' } });
    const [found] = runTask(dir, 'docker:build', { FAKE_INSPECT: '0' });
    expect(flagValue(found, '--build-context')).toMatch(/^rust-builder=docker-image:\/\/ghcr\.io\/acme\/rust-builder:\d+\.\d+\.\d+-[0-9a-f]{12}$/);
    const [missing] = runTask(dir, 'docker:build', { FAKE_INSPECT: '1' });
    expect(missing).not.toContain('--build-context');
  });

  test('an image set: one host build per image, and build-all bakes every image with its own archive', () => {
    const dir = synthesized(serviceWorkspace(), { binaries: ['api', 'worker'] });
    const hosts = runTask(dir, 'docker:build');
    expect(hosts.map((a) => flagValue(a, '--target'))).toEqual(['runtime-api', 'runtime-worker']);
    const [bake] = runTask(dir, 'docker:api:build-all');
    expect(bake.slice(0, 4)).toEqual(['buildx', 'bake', '-f', 'docker-bake.json']);
    const sets = bake.filter((_, i) => bake[i - 1] === '--set');
    expect(sets).toContain('api.output=type=oci,dest=target/docker/api.oci.tar');
    expect(sets).toContain('worker.output=type=oci,dest=target/docker/worker.oci.tar');
    expect(sets.find((s) => s.startsWith('*.args.IMAGE_VERSION='))).toBeDefined();
  });
});
