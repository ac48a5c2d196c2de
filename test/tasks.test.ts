// The generated local tasks, run by projen's own task runtime (the projen CLI in
// the synthesized project), and the script behind them, against a `docker`
// stand-in that records what it is asked to do. cargo is the real one when
// installed.
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { delimiter, join } from 'path';
import { exampleSources, newProject, simpleCrate } from '../harness/projects';
import { serviceWorkspace } from '../harness/service-workspace';
import { commandsDir, tempDir } from '../harness/temp';
import { BuildStrategy, CacheBackend, Platform, Registry, RustDockerImage, RustDockerImageOptions } from '../src';

const PROJEN_CLI = join(__dirname, '..', 'node_modules', 'projen', 'bin', 'projen');
const HAS_CARGO = spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * A `cargo` that answers `cargo pkgid` with $FAKE_PKGID, and `cargo audit ...
 * bin <file>` by failing for a file named in $FAKE_VULNERABLE (writing the
 * policy it found to $POLICY_SEEN), with a `cargo-audit` beside it; for the
 * runs without the real cargo, and for the gate's verdicts.
 */
function cargoStandIn(): string {
  return commandsDir('prd-cargo-', {
    'cargo': [
      '#!/bin/sh',
      'if [ "$1" = pkgid ]; then echo "$FAKE_PKGID"; exit 0; fi',
      'if [ "$1" = audit ]; then',
      '  for a in "$@"; do last=$a; done',
      '  [ -n "${POLICY_SEEN:-}" ] && cat .cargo/audit.toml > "$POLICY_SEEN"',
      '  case " ${FAKE_VULNERABLE:-} " in *" ${last##*/} "*) echo "error: 1 vulnerability found in $last"; exit 1 ;; esac',
      '  echo "Success No vulnerable packages found"; exit 0',
      'fi',
      'exit 2',
    ],
    'cargo-audit': ['#!/bin/sh', 'exit 0'],
  });
}
const CARGO_BIN = cargoStandIn();

/**
 * A `docker` that answers `docker version --format` with $FAKE_ARCH (and fails
 * with FAKE_DOWN=1), `buildx version` (failing with FAKE_NO_BUILDX=1),
 * `buildx imagetools inspect` with exit status $FAKE_INSPECT, `buildx inspect`
 * failing with $FAKE_REMOTE_ERROR when it is set, and writes every other buildx
 * call's arguments (build, bake, create, inspect), one per line, to $CALLS (a
 * local output gets one file, as if it were a binary); and an `openssl` that
 * prints $FAKE_OPENSSL_SAYS.
 */
function dockerStandIn(): string {
  return commandsDir('prd-docker-', {
    docker: [
      '#!/bin/sh',
      'if [ "$1" = version ]; then [ -z "$FAKE_DOWN" ] || exit 1; [ "$2" = --format ] && echo "$FAKE_ARCH"; exit 0; fi',
      'if [ "$1 $2" = "buildx version" ]; then [ -z "$FAKE_NO_BUILDX" ] || { echo "docker: unknown command: docker buildx" >&2; exit 1; }; exit 0; fi',
      'if [ "$1 $2" = "buildx imagetools" ]; then exit "${FAKE_INSPECT:-1}"; fi',
      // A remote builder: rm and create succeed; inspect --bootstrap prints $FAKE_REMOTE_ERROR and fails when it is set.
      'if [ "$1 $2" = "buildx rm" ]; then exit 0; fi',
      'if [ "$1 $2" = "buildx inspect" ] && [ -n "${FAKE_REMOTE_ERROR:-}" ]; then echo "$FAKE_REMOTE_ERROR" >&2; exit 1; fi',
      'for a in "$@"; do printf \'%s\\n\' "$a"; done >> "$CALLS"',
      'for a in "$@"; do case "$a" in type=local,dest=*) d=${a#type=local,dest=}; mkdir -p "$d/linux_amd64"; : > "$d/linux_amd64/app" ;; esac; done',
      'echo "--" >> "$CALLS"',
    ],
    // openssl, for the script's look at a remote builder: prints $FAKE_OPENSSL_SAYS (what openssl s_client would).
    openssl: ['#!/bin/sh', 'printf \'%s\\n\' "${FAKE_OPENSSL_SAYS:-}"', '[ -z "${FAKE_OPENSSL_SAYS:-}" ]'],
  });
}

const DOCKER_BIN = dockerStandIn();

/** The environment that gives the script a cargo: the real one when installed, else the stand-in answering `cargo pkgid` with `pkgid`. */
function cargoFor(pkgid: string): Record<string, string> {
  return HAS_CARGO ? {} : { PATH: `${DOCKER_BIN}${delimiter}${CARGO_BIN}${delimiter}${process.env.PATH}`, FAKE_PKGID: pkgid };
}

/** Synthesizes a project (written to disk) and returns its folder. */
function synthesized(files: string | Record<string, string>, options: RustDockerImageOptions): string {
  const project = typeof files === 'string' ? newProject({}, files) : newProject(files);
  new RustDockerImage(project, options);
  project.synth();
  return project.outdir;
}

interface Run { readonly status: number | null; readonly calls: string[][]; readonly stderr: string }

/** Runs a command with the docker stand-in first on PATH; returns its status, stderr and docker calls. */
function runWith(cmd: string, args: string[], dir: string, env: Record<string, string>): Run {
  const calls = join(tempDir('prd-calls-'), 'calls');
  const r = spawnSync(cmd, args, {
    cwd: dir,
    encoding: 'utf-8',
    env: { ...process.env, PATH: `${DOCKER_BIN}${delimiter}${process.env.PATH}`, CALLS: calls, FAKE_ARCH: 'amd64', PUSH: '', ...env },
  });
  const recorded = existsSync(calls) ? readFileSync(calls, 'utf-8').split('--\n').filter((c) => c).map((c) => c.trimEnd().split('\n')) : [];
  return { status: r.status, calls: recorded, stderr: `${r.stderr}` };
}

/** Runs a task with the projen CLI in `dir`; returns the docker calls, each as its argument list. */
function runTask(dir: string, task: string, env: Record<string, string> = {}): string[][] {
  const r = runWith(process.execPath, [PROJEN_CLI, task], dir, env);
  if (r.status !== 0) throw new Error(`projen ${task} failed (${r.status}):\n${r.stderr}`);
  return r.calls;
}

/** The value after `flag` whose value starts with `prefix` (e.g. --build-arg RUST_TARGETS=). */
function flagValue(args: string[], flag: string, prefix = ''): string | undefined {
  for (let i = 0; i < args.length - 1; i++) if (args[i] === flag && args[i + 1].startsWith(prefix)) return args[i + 1].slice(prefix.length);
  return undefined;
}

/** A folder of links to the few programs the script needs besides docker, for a PATH without docker. */
function minimalPath(): string {
  const bin = tempDir('prd-minbin-');
  for (const tool of ['sh', 'dirname', 'sed', 'cat', 'mkdir', 'rm', 'mktemp', 'find', 'sort', 'tr', 'printf']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf-8' }).stdout.trim();
    if (found.startsWith('/')) symlinkSync(found, join(bin, tool));
  }
  return bin;
}

describe('the local tasks run under projen\'s task runtime', () => {
  const example = synthesized(exampleSources(), {});
  // The real cargo where there is one; else a stand-in that answers pkgid as cargo does.
  const withCargo = cargoFor(`path+file://${example}#hello-service@0.1.0`);

  test.each([
    ['amd64', 'x86_64-unknown-linux-musl'],
    ['arm64', 'aarch64-unknown-linux-musl'],
  ])('docker:build on a %s engine compiles only %s and loads the image', (arch, target) => {
    const calls = runTask(example, 'docker:build', { FAKE_ARCH: arch, ...withCargo });
    expect(calls).toHaveLength(1);
    const args = calls[0];
    expect(args.slice(0, 3)).toEqual(['buildx', 'build', '--load']);
    expect(flagValue(args, '--build-arg', 'RUST_TARGETS=')).toBe(target);
    expect(flagValue(args, '--build-arg', 'IMAGE_VERSION=')).toBe('0.1.0');
    expect(flagValue(args, '-t')).toBe('hello-service:dev');
    expect(args[args.length - 1]).toBe('.');
  });

  test.each([
    ['cargo\'s pkgid of today', 'path+file:///src/hello-service#0.1.0-rc.1', '0.1.0-rc.1'],
    ['cargo\'s pkgid with the name', 'path+file:///src#hello-service@0.1.0-rc.1', '0.1.0-rc.1'],
  ])('the version label comes from %s', (_what, pkgid, version) => {
    const calls = runTask(example, 'docker:build', { PATH: `${DOCKER_BIN}${delimiter}${CARGO_BIN}${delimiter}${process.env.PATH}`, FAKE_PKGID: pkgid });
    expect(flagValue(calls[0], '--build-arg', 'IMAGE_VERSION=')).toBe(version);
  });

  test('without cargo the version label is empty, as the script says (CI takes it from the git tag)', () => {
    const r = runWith('sh', ['docker-hello-service.sh', 'build'], example, { PATH: `${DOCKER_BIN}${delimiter}${minimalPath()}` });
    expect(r.status).toBe(0);
    expect(flagValue(r.calls[0], '--build-arg', 'IMAGE_VERSION=')).toBe('');
  });

  test('build-all writes an OCI archive for both platforms, or pushes with PUSH=1', () => {
    const [local] = runTask(example, 'docker:hello-service:build-all');
    expect(flagValue(local, '--platform')).toBe('linux/amd64,linux/arm64');
    expect(flagValue(local, '--output')).toBe('type=oci,dest=target/docker/hello-service.oci.tar');
    expect(local).not.toContain('--push');
    expect(flagValue(local, '-t')).toBe('hello-service:dev');
    const [pushed] = runTask(example, 'docker:hello-service:build-all', { PUSH: '1', GITHUB_REPOSITORY: 'Acme/Hello' });
    expect(pushed).toContain('--push');
    expect(pushed).not.toContain('--output');
    // Where CI pushes (ghcr.io/<owner>/<repo>/<image>), lowercased as CI does; TAG sets the tag.
    expect(flagValue(pushed, '-t')).toBe('ghcr.io/acme/hello/hello-service:dev');
    const [tagged] = runTask(example, 'docker:hello-service:build-all', { PUSH: '1', GITHUB_REPOSITORY: 'acme/hello', TAG: 'try-1' });
    expect(flagValue(tagged, '-t')).toBe('ghcr.io/acme/hello/hello-service:try-1');
  });

  test('PUSH=1 reads the GitHub repository from the origin remote, and says what to set when there is none', () => {
    const dir = synthesized(exampleSources(), {});
    const r = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { PUSH: '1', GITHUB_REPOSITORY: '', ...withCargo });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/PUSH=1 pushes where CI does, under the GitHub repository: set GITHUB_REPOSITORY=<owner>\/<repo> \(origin is no GitHub remote\)/);
    expect(r.calls).toEqual([]);
    if (!spawnSync('git', ['--version']).error) {
      for (const url of ['git@github.com:Acme/Hello.git', 'https://github.com/acme/hello']) {
        spawnSync('sh', ['-c', `git init -q 2>/dev/null; git remote remove origin 2>/dev/null; git remote add origin ${url}`], { cwd: dir });
        const ok = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { PUSH: '1', GITHUB_REPOSITORY: '', ...withCargo });
        expect({ url, tag: flagValue(ok.calls[0], '-t') }).toEqual({ url, tag: 'ghcr.io/acme/hello/hello-service:dev' });
      }
    }
  });

  test('PUSH=1 pushes to the configured registry (Docker Hub here)', () => {
    const hub = synthesized(exampleSources(), { ci: { registry: Registry.dockerHub({ repositoryPrefix: 'acme' }) } });
    const [pushed] = runTask(hub, 'docker:hello-service:build-all', { PUSH: '1', ...withCargo });
    expect(flagValue(pushed, '-t')).toBe('docker.io/acme/hello-service:dev');
  });

  test('audit exports every platform\'s binaries, then runs the gate (which names cargo-audit when it is missing)', () => {
    const r = runWith(process.execPath, [PROJEN_CLI, 'docker:hello-service:audit'], example, { PATH: `${DOCKER_BIN}${delimiter}${minimalPath()}` });
    expect(r.calls).toHaveLength(1);
    expect(flagValue(r.calls[0], '--target')).toBe('binaries');
    expect(flagValue(r.calls[0], '--platform')).toBe('linux/amd64,linux/arm64');
    expect(flagValue(r.calls[0], '--output')).toBe('type=local,dest=target/docker/binaries');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cargo-audit is not installed: cargo install cargo-audit --locked/);
  });

  test('audit: the gate passes when cargo audit passes every binary, and fails naming the count when one is vulnerable', () => {
    const env = (vulnerable: string) => ({
      PATH: `${DOCKER_BIN}${delimiter}${CARGO_BIN}${delimiter}${minimalPath()}`, FAKE_VULNERABLE: vulnerable, POLICY_SEEN: join(tempDir('prd-policy-'), 'audit.toml'),
    });
    const clean = env('');
    const passed = runWith(process.execPath, [PROJEN_CLI, 'docker:hello-service:audit'], example, clean);
    expect({ status: passed.status, stderr: passed.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/error/) });
    // The policy reached cargo audit: the default (every vulnerability fails, nothing ignored).
    expect(readFileSync(clean.POLICY_SEEN, 'utf-8')).toBe('[advisories]\nignore = []\n');
    const failed = runWith(process.execPath, [PROJEN_CLI, 'docker:hello-service:audit'], example, env('app'));
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/the vulnerability gate failed for 1 of 1 binaries \(reports in target\/docker\/audit\)/);
  });

  test('the builder task builds rust-builder.Dockerfile for the host and loads it', () => {
    const [args] = runTask(example, 'docker:rust-builder:build');
    expect(args.slice(0, 5)).toEqual(['buildx', 'build', '--load', '-f', 'rust-builder.Dockerfile']);
    expect(flagValue(args, '-t')).toMatch(/^rust-builder:\d+\.\d+\.\d+-[0-9a-f]{12}$/);
  });

  test('with a published builder, the tasks use it when it exists and say so when they build the tools inline', () => {
    const dir = synthesized(exampleSources(), { builder: { image: 'ghcr.io/acme/rust-builder' } });
    const [found] = runTask(dir, 'docker:build', { FAKE_INSPECT: '0' });
    expect(flagValue(found, '--build-context')).toMatch(/^rust-builder=docker-image:\/\/ghcr\.io\/acme\/rust-builder:\d+\.\d+\.\d+-[0-9a-f]{12}$/);
    const missing = runWith('sh', ['docker-hello-service.sh', 'build'], dir, { FAKE_INSPECT: '1' });
    expect(missing.calls[0]).not.toContain('--build-context');
    expect(missing.stderr).toMatch(/the builder image ghcr\.io\/acme\/rust-builder:\S+ cannot be read: the rust-builder stage builds the tools/);
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
    // The workspace's version (workspace.package), from the real cargo or the stand-in.
    const withVersion: Record<string, string> = HAS_CARGO ? {} : { PATH: `${DOCKER_BIN}${delimiter}${CARGO_BIN}${delimiter}${process.env.PATH}`, FAKE_PKGID: 'path+file:///w/crates/api#2.0.0' };
    const [versioned] = runTask(dir, 'docker:api:build-all', withVersion);
    expect(versioned.filter((_, i) => versioned[i - 1] === '--set')).toContain('*.args.IMAGE_VERSION=2.0.0');
    // PUSH=1: each target tagged where CI pushes it, no archives.
    const [pushed] = runTask(dir, 'docker:api:build-all', { PUSH: '1', GITHUB_REPOSITORY: 'acme/svc' });
    const pushSets = pushed.filter((_, i) => pushed[i - 1] === '--set');
    expect(pushSets).toEqual(expect.arrayContaining(['api.tags=ghcr.io/acme/svc/api:dev', 'worker.tags=ghcr.io/acme/svc/worker:dev']));
    expect(pushSets.filter((x) => x.includes('.output='))).toEqual([]);
    expect(pushed).toContain('--push');
  });
});

describe('with ci.cache: CacheBackend.REGISTRY, build and build-all read CI\'s registry cache', () => {
  const registryCache = { ci: { cache: CacheBackend.REGISTRY } };
  const cacheFrom = (args: string[]) => args.filter((_, i) => args[i - 1] === '--cache-from');
  const withCargo = cargoFor('path+file:///w#0.1.0');

  test('build-all and build read the tag CI writes for both platforms, in the repository CI pushes to; NO_CI_CACHE=1 leaves it out', () => {
    const dir = synthesized(exampleSources(), registryCache);
    const [all] = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { GITHUB_REPOSITORY: 'Acme/Hello', ...withCargo }).calls;
    expect(cacheFrom(all)).toEqual(['type=registry,ref=ghcr.io/acme/hello/hello-service:buildcache-hello-service-amd64-arm64']);
    const [host] = runWith('sh', ['docker-hello-service.sh', 'build'], dir, { GITHUB_REPOSITORY: 'Acme/Hello', TAG: 'v1', ...withCargo }).calls;
    expect(cacheFrom(host)).toEqual(['type=registry,ref=ghcr.io/acme/hello/hello-service:buildcache-hello-service-amd64-arm64']);
    const [off] = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { GITHUB_REPOSITORY: 'acme/hello', NO_CI_CACHE: '1', ...withCargo }).calls;
    expect(cacheFrom(off)).toEqual([]);
    // The tag is the one the workflow's cache steps name.
    expect(readFileSync(join(dir, '.github', 'workflows', 'docker-hello-service.yml'), 'utf-8')).toContain(':buildcache-hello-service-amd64-arm64');
  });

  test('where the repository is unknown, the build goes on without the cache, saying nothing', () => {
    const dir = synthesized(exampleSources(), registryCache);
    const r = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { GITHUB_REPOSITORY: '', ...withCargo });
    expect(r.status).toBe(0);
    expect(cacheFrom(r.calls[0])).toEqual([]);
  });

  test('with a job per platform (native runners), one tag per platform, as each job writes its own', () => {
    const dir = synthesized(exampleSources(), { ci: { cache: CacheBackend.REGISTRY, strategy: BuildStrategy.NATIVE_RUNNERS } });
    const [all] = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { GITHUB_REPOSITORY: 'acme/hello', ...withCargo }).calls;
    expect(cacheFrom(all)).toEqual(['amd64', 'arm64'].map((a) => `type=registry,ref=ghcr.io/acme/hello/hello-service:buildcache-hello-service-${a}`));
  });

  test('an image set: each bake target reads its own image\'s cache', () => {
    const dir = synthesized(serviceWorkspace(), { binaries: ['api', 'worker'], ...registryCache });
    const [bake] = runWith('sh', ['docker-api.sh', 'build-all'], dir, { GITHUB_REPOSITORY: 'acme/svc', ...withCargo }).calls;
    expect(bake.filter((x, i) => bake[i - 1] === '--set' && x.includes('.cache-from='))).toEqual([
      'api.cache-from=type=registry,ref=ghcr.io/acme/svc/api:buildcache-api-amd64-arm64',
      'worker.cache-from=type=registry,ref=ghcr.io/acme/svc/worker:buildcache-worker-amd64-arm64',
    ]);
  });

  test('with GitHub\'s cache (the default), the script reads no cache', () => {
    expect(readFileSync(join(synthesized(exampleSources(), {}), 'docker-hello-service.sh'), 'utf-8')).not.toContain('ci_cache');
  });
});

describe('the task script checks what it needs first, and never changes targets silently', () => {
  const example = synthesized(exampleSources(), {});
  const script = (env: Record<string, string>, args = ['build']) => runWith('sh', ['docker-hello-service.sh', ...args], example, env);

  test('without docker: names docker and how to get it', () => {
    const r = script({ PATH: minimalPath() });
    expect({ status: r.status, calls: r.calls.length }).toEqual({ status: 1, calls: 0 });
    expect(r.stderr).toMatch(/docker is not installed: install Docker Engine or Docker Desktop/);
  });

  test('with the daemon down: says the daemon does not answer', () => {
    const r = script({ FAKE_DOWN: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the Docker daemon does not answer \(docker version failed\)/);
  });

  test('without buildx: names buildx and the plugin, instead of "unknown flag: --load"', () => {
    for (const args of [['build'], ['build-all']]) {
      const r = script({ FAKE_NO_BUILDX: '1' }, args);
      expect({ args, status: r.status, calls: r.calls.length }).toEqual({ args, status: 1, calls: 0 });
      expect(r.stderr).toMatch(/docker buildx is missing: install the buildx plugin \(the docker-buildx-plugin package/);
      expect(r.stderr).not.toMatch(/unknown flag/);
    }
  });

  test('a host of another architecture is refused with the platforms, not widened to every target', () => {
    const r = script({ FAKE_ARCH: 's390x' });
    expect({ status: r.status, calls: r.calls.length }).toEqual({ status: 1, calls: 0 });
    expect(r.stderr).toMatch(/the Docker host is s390x, and the images are built for linux\/amd64, linux\/arm64 only: use build-all/);
  });

  test('a 32-bit ARM host (Docker reports "arm") builds the arm/v7 target when it is a platform', () => {
    const dir = synthesized(simpleCrate(), { platforms: [Platform.LINUX_AMD64, Platform.LINUX_ARM_V7] });
    const r = runWith('sh', ['docker-app.sh', 'build'], dir, { FAKE_ARCH: 'arm' });
    expect(r.status).toBe(0);
    expect(flagValue(r.calls[0], '--build-arg', 'RUST_TARGETS=')).toBe('armv7-unknown-linux-musleabihf');
  });

  test('an unknown command or image is refused with the choices', () => {
    expect(script({}, ['deploy']).stderr).toMatch(/unknown command 'deploy': use one of build, build-all, audit, audit-bins/);
    expect(script({}, ['build', 'nope']).stderr).toMatch(/unknown image nope: use one of hello-service/);
  });
});

describe('a subfolder crate', () => {
  test('the script sits beside the Dockerfile and runs from the build context wherever it is called from', () => {
    const outdir = tempDir();
    mkdirSync(join(outdir, 'rust'));
    const files = simpleCrate();
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(join(outdir, 'rust', p, '..'), { recursive: true });
      writeFileSync(join(outdir, 'rust', p), c);
    }
    const dir = synthesized(outdir, { cratePath: 'rust', contextPath: '.' });
    const [args] = runTask(dir, 'docker:app:build-all');
    expect(flagValue(args, '-f')).toBe('rust/Dockerfile');
    expect(flagValue(args, '--output')).toBe('type=oci,dest=rust/target/docker/app.oci.tar');
  });
});

describe('BUILDER=remote: the local tasks on CI\'s remote BuildKit', () => {
  const tls = { driver: 'remote', endpoint: 'tcp://buildkitd.internal:1234', tls: { serverName: 'buildkitd' } };
  const dir = synthesized(exampleSources(), { ci: { remoteBuilder: tls } });
  const certs = tempDir('prd-certs-');
  for (const f of ['ca.pem', 'client.pem', 'client-key.pem']) writeFileSync(join(certs, f), 'PEM\n');
  const files = { BUILDKIT_TLS_CACERT: join(certs, 'ca.pem'), BUILDKIT_TLS_CERT: join(certs, 'client.pem'), BUILDKIT_TLS_KEY: join(certs, 'client-key.pem') };
  const cargo = { PATH: `${DOCKER_BIN}${delimiter}${CARGO_BIN}${delimiter}${process.env.PATH}`, FAKE_PKGID: 'path+file:///src#hello-service@0.1.0' };

  test('build-all makes the builder from the endpoint and the certificate files, checks it answers, and builds on it; no local daemon is needed', () => {
    const r = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { ...cargo, ...files, BUILDER: 'remote', FAKE_DOWN: '1' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const [create, inspect, build] = r.calls;
    expect(create).toEqual(['buildx', 'create', '--name', 'hello-service-remote', '--driver', 'remote', '--driver-opt',
      `cacert=${files.BUILDKIT_TLS_CACERT},cert=${files.BUILDKIT_TLS_CERT},key=${files.BUILDKIT_TLS_KEY},servername=buildkitd`, 'tcp://buildkitd.internal:1234']);
    expect(inspect).toEqual(['buildx', 'inspect', '--bootstrap', 'hello-service-remote']);
    expect(build.slice(0, 4)).toEqual(['buildx', 'build', '--builder', 'hello-service-remote']);
    expect(flagValue(build, '--platform')).toBe('linux/amd64,linux/arm64');
  });

  test('relative certificate paths reach buildx absolute', () => {
    const rel = { BUILDKIT_TLS_CACERT: 'certs/ca.pem', BUILDKIT_TLS_CERT: 'certs/client.pem', BUILDKIT_TLS_KEY: 'certs/client-key.pem' };
    mkdirSync(join(dir, 'certs'), { recursive: true });
    for (const f of Object.values(rel)) writeFileSync(join(dir, f), 'PEM\n');
    const r = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { ...cargo, ...rel, BUILDER: 'remote' });
    expect(r.status).toBe(0);
    expect(flagValue(r.calls[0], '--driver-opt')).toBe(`cacert=${join(dir, 'certs/ca.pem')},cert=${join(dir, 'certs/client.pem')},key=${join(dir, 'certs/client-key.pem')},servername=buildkitd`);
  });

  test.each([
    ['a missing variable', { BUILDKIT_TLS_CACERT: '' }, /BUILDKIT_TLS_CACERT is not set: BUILDER=remote reaches tcp:\/\/buildkitd\.internal:1234 with mutual TLS; set it to the PEM file of the CA certificate/],
    ['a file that is not there', { BUILDKIT_TLS_KEY: '/nowhere/key.pem' }, /BUILDKIT_TLS_KEY=\/nowhere\/key\.pem: no readable file there/],
    ['a refused handshake', { FAKE_REMOTE_ERROR: 'ERROR: failed to get status: transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority' },
      /tcp:\/\/buildkitd\.internal:1234 refused the TLS handshake: check BUILDKIT_TLS_CACERT, BUILDKIT_TLS_CERT, BUILDKIT_TLS_KEY against the daemon's certificates \(ERROR: .*x509: certificate signed by unknown authority\)/],
    ['an endpoint that does not answer', { FAKE_REMOTE_ERROR: 'ERROR: dial tcp 10.0.0.9:1234: connect: connection refused' }, /tcp:\/\/buildkitd\.internal:1234 did not answer: ERROR: dial tcp 10\.0\.0\.9:1234: connect: connection refused/],
  ])('%s fails before anything builds, naming it', (_what, env, message) => {
    const r = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { ...cargo, ...files, BUILDER: 'remote', ...env });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.calls.filter((c) => c[1] === 'build')).toEqual([]);
  });

  test.each([
    ['nothing listens', 'connect:errno=111', /nothing answers at buildkitd\.internal:1234 \(tcp:\/\/buildkitd\.internal:1234\): start buildkitd there, or check the address and the network/],
    ['the daemon\'s certificate is another CA\'s', 'verify error:num=20:unable to get local issuer certificate',
      /the daemon at buildkitd\.internal:1234 has a certificate that BUILDKIT_TLS_CACERT does not sign, or that does not name buildkitd: check the CA file, or set ci\.remoteBuilder\.tls\.serverName/],
    ['the daemon refuses the client certificate', 'SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca',
      /the daemon at buildkitd\.internal:1234 refused the client certificate of BUILDKIT_TLS_CERT: it must be signed by the CA the daemon trusts/],
  ])('openssl\'s look tells why at once (%s), before buildx is asked', (_what, says, message) => {
    const r = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { ...cargo, ...files, BUILDER: 'remote', FAKE_OPENSSL_SAYS: says });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.calls).toEqual([]);
  });

  test('the audit builds its binaries on the remote builder too; build (which loads locally) says to use build-all; another BUILDER value is named', () => {
    const audit = synthesized(exampleSources(), { ci: { remoteBuilder: tls }, vulnerabilityGate: {} });
    const r = runWith('sh', ['docker-hello-service.sh', 'audit'], audit, { ...cargo, ...files, BUILDER: 'remote' });
    expect(r.calls.find((c) => c[1] === 'build')!.slice(0, 4)).toEqual(['buildx', 'build', '--builder', 'hello-service-remote']);
    const build = runWith('sh', ['docker-hello-service.sh', 'build'], dir, { ...cargo, ...files, BUILDER: 'remote' });
    expect(build.status).toBe(1);
    expect(build.stderr).toMatch(/BUILDER=remote builds every platform with build-all \(into an archive, or PUSH=1\): build loads the image into the local Docker/);
    const other = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { ...cargo, BUILDER: 'fleet' });
    expect(other.stderr).toMatch(/BUILDER=fleet: use BUILDER=remote \(CI's remote BuildKit\), or leave it unset for the local Docker/);
  });

  test('unset, the script builds on the local Docker as before, and asks for its daemon', () => {
    const r = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { ...cargo });
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0].slice(0, 3)).toEqual(['buildx', 'build', '--platform']);
    const down = runWith('sh', ['docker-hello-service.sh', 'build-all'], dir, { ...cargo, FAKE_DOWN: '1' });
    expect(down.stderr).toMatch(/the Docker daemon does not answer/);
  });

  test('an image set bakes on the remote builder', () => {
    const set = synthesized(serviceWorkspace(), { binaries: ['api', 'worker'], ci: { remoteBuilder: tls } });
    const script = readdirSync(set).find((f) => f.endsWith('.sh'))!;
    const r = runWith('sh', [script, 'build-all'], set, { ...cargo, ...files, BUILDER: 'remote' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const bake = r.calls.find((c) => c[1] === 'bake')!;
    expect(bake.slice(0, 4)).toEqual(['buildx', 'bake', '--builder', r.calls[0][3]]);
    expect(r.calls[0].slice(0, 3)).toEqual(['buildx', 'create', '--name']);
  });

  test('a cloud builder: no certificates, the driver and endpoint as configured', () => {
    const cloud = synthesized(exampleSources(), { ci: { remoteBuilder: { driver: 'cloud', endpoint: 'acme/builder' } } });
    const r = runWith('sh', ['docker-hello-service.sh', 'build-all'], cloud, { ...cargo, BUILDER: 'remote' });
    expect(r.status).toBe(0);
    expect(r.calls[0]).toEqual(['buildx', 'create', '--name', 'hello-service-remote', '--driver', 'cloud', 'acme/builder']);
    expect(readFileSync(join(cloud, 'docker-hello-service.sh'), 'utf-8')).not.toContain('BUILDKIT_TLS');
  });
});
