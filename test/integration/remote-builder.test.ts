/**
 * A remote BuildKit reached over TCP with mutual TLS, driven for real: the
 * suite's buildkitd also listens on a loopback port with certificates the
 * test makes (harness/remote-buildkit.ts). The example, with
 * `ci.remoteBuilder.tls`, builds for linux/amd64 + linux/arm64 through the
 * generated local script (`BUILDER=remote ... build-all`, the real buildx
 * behind it) and through the generated workflow's buildx steps (its
 * setup-buildx inputs and secrets, its build-push inputs), and both binaries
 * run. A client certificate of another CA, a CA that did not sign the
 * daemon's certificate, and an endpoint where nothing listens each stop the
 * script at once, naming which.
 */
import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { BuildkitDaemon, expectExitZero, readOciArchive, SUITE_ROOT, standIns } from '../../harness/buildkit';
import { ImageProject, synthProject } from '../../harness/image-project';
import { freePort } from '../../harness/ports';
import { EXAMPLE_OPTIONS, exampleSources } from '../../harness/projects';
import { buildxArgsOf, dockerFront, frontendStandIn, makeTlsFiles, SetupBuildxStep, TlsBuildkitDaemon, TlsFiles, workflowBuilder } from '../../harness/remote-buildkit';
import { skipNotice, tempDir } from '../../harness/temp';
import { missingTools, runBinary, toolEnv, TOOLS_BIN } from '../../harness/tools';
import { Defaults } from '../../src';
import { imageInternals } from '../../src/private/components/internals';

jest.setTimeout(60 * 60 * 1000);

const why = BuildkitDaemon.unavailable()
  ?? (missingTools([['openssl', ['version']]]).length ? 'openssl is not installed' : undefined)
  ?? (existsSync(join(TOOLS_BIN, 'buildx')) && existsSync(join(TOOLS_BIN, 'dockerfile-frontend')) ? undefined : 'buildx or the Dockerfile frontend is not built (.ci/install-tools)');
if (why && process.env.CI) throw new Error(`CI is set, but the remote-builder checks cannot run: ${why}`);
if (why) skipNotice(`remote BuildKit over TLS: ${why}`);

(why ? describe.skip : describe)('a remote buildkitd over TCP with mutual TLS', () => {
  let tls: TlsFiles;
  let daemon: TlsBuildkitDaemon;
  let endpoint: string;
  let p: ImageProject;
  let front: string;
  const config = tempDir('prd-buildx-config-');

  /** Runs the generated script with the docker front first on PATH. */
  const script = (args: string[], env: Record<string, string>) => spawnSync('sh', [`docker-${p.image.binaries[0]}.sh`, ...args], {
    cwd: p.dir, encoding: 'utf-8', env: { ...toolEnv(), PATH: `${front}:${toolEnv().PATH}`, BUILDER: 'remote', ...env },
  });
  const clientFiles = (t: TlsFiles) => ({ BUILDKIT_TLS_CACERT: t.ca, BUILDKIT_TLS_CERT: t.clientCert, BUILDKIT_TLS_KEY: t.clientKey });

  /** Both platforms' binaries under `dir/<os>_<arch>/` run and print the example's version. */
  function expectBinariesRun(images: Array<{ platform: string; bin: string }>): void {
    expect(images.map((i) => i.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    for (const i of images) expect({ platform: i.platform, out: runBinary(i.platform, i.bin, ['--version']).trim() }).toEqual({ platform: i.platform, out: 'hello-service 0.1.0' });
  }

  beforeAll(async () => {
    tls = makeTlsFiles(tempDir('prd-tls-'));
    endpoint = `tcp://127.0.0.1:${await freePort()}`;
    daemon = new TlsBuildkitDaemon(SUITE_ROOT, endpoint, tls);
    await daemon.start();
    p = synthProject(exampleSources(), { ...EXAMPLE_OPTIONS, ci: { ...EXAMPLE_OPTIONS.ci, remoteBuilder: { driver: 'remote', endpoint, tls: { serverName: 'buildkitd' } } } });
    const bases = standIns();
    const r = imageInternals(p.image).resolved;
    front = dockerFront({
      'docker/dockerfile:1': frontendStandIn(),
      [r.builder.baseImage]: bases.builder,
      [r.binaries[0].runtime.baseImage]: bases.runtime,
    }, config);
    expect(r.builder.baseImage).toBe(`rust:${Defaults.RUST_VERSION}-alpine3.23`);
  });

  afterAll(() => daemon?.stop());

  test('the generated local task builds both platforms on it: BUILDER=remote build-all, with the certificate files and no Docker daemon', () => {
    const r = script(['build-all'], clientFiles(tls));
    expectExitZero(r);
    const archive = join(p.dir, 'target', 'docker', 'hello-service.oci.tar');
    expectBinariesRun(readOciArchive(archive).map((img) => ({ platform: img.platform, bin: join(img.rootfs, 'usr/local/bin/hello-service') })));
    // The builder it made is the remote driver at the endpoint, with the certificate files it was given.
    const inspect = spawnSync(join(TOOLS_BIN, 'buildx'), ['inspect', 'hello-service-remote'], { encoding: 'utf-8', env: { ...toolEnv(), BUILDX_CONFIG: config } }).stdout;
    expect(inspect).toMatch(/Driver:\s+remote/);
    expect(inspect).toContain(endpoint);
    expect(inspect).toContain(`cacert="${tls.ca}"`);
  });

  test('the generated workflow\'s buildx steps build on it: setup-buildx with the secrets of node 0, then the gate\'s binaries export', () => {
    const wf = parseYaml(p.files['.github/workflows/docker-hello-service.yml']);
    const steps = wf.jobs.build.steps as Array<{ id: string; with?: Record<string, string>; env?: Record<string, string> }>;
    const setup = steps.find((s) => s.id === 'buildx') as unknown as SetupBuildxStep;
    expect(setup.with).toEqual({ 'driver': 'remote', endpoint, 'driver-opts': 'servername=buildkitd' });
    const secrets = { BUILDKIT_CA_CERT: readFileSync(tls.ca, 'utf-8'), BUILDKIT_CLIENT_CERT: readFileSync(tls.clientCert, 'utf-8'), BUILDKIT_CLIENT_KEY: readFileSync(tls.clientKey, 'utf-8') };
    const builder = workflowBuilder(setup, secrets, config);
    const runnerTemp = tempDir('prd-runner-temp-');
    const exportStep = steps.find((s) => s.id === 'binaries')!;
    const args = buildxArgsOf(exportStep.with!, { 'runner.temp': runnerTemp });
    expect(args).toEqual(['-f', 'Dockerfile', '--target', 'binaries', '--platform', 'linux/amd64,linux/arm64', '--output', `type=local,dest=${runnerTemp}/binaries`,
      '--provenance=false', '--sbom=false', '.']);
    const r = spawnSync('docker', ['buildx', 'build', '--builder', builder, ...args], { cwd: p.dir, encoding: 'utf-8', env: { ...toolEnv(), PATH: `${front}:${toolEnv().PATH}` } });
    expectExitZero(r);
    const dirs = readdirSync(join(runnerTemp, 'binaries')).sort();
    expect(dirs).toEqual(['linux_amd64', 'linux_arm64']);
    expectBinariesRun(dirs.map((d) => ({ platform: d.replace('_', '/'), bin: join(runnerTemp, 'binaries', d, 'hello-service') })));
  });

  test('a client certificate of another CA: the script stops at once, saying the daemon refused it', () => {
    const other = makeTlsFiles(tempDir('prd-tls-other-'));
    const r = script(['build-all'], { ...clientFiles(tls), BUILDKIT_TLS_CERT: other.clientCert, BUILDKIT_TLS_KEY: other.clientKey });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`the daemon at ${endpoint.slice('tcp://'.length)} refused the client certificate of BUILDKIT_TLS_CERT`);
  });

  test('a CA file that did not sign the daemon\'s certificate: the script stops, saying so', () => {
    const other = makeTlsFiles(tempDir('prd-tls-other-'));
    const r = script(['build-all'], { ...clientFiles(tls), BUILDKIT_TLS_CACERT: other.ca });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('has a certificate that BUILDKIT_TLS_CACERT does not sign, or that does not name buildkitd');
  });

  test('an endpoint where nothing listens: the script stops, naming the address', async () => {
    const nobody = `tcp://127.0.0.1:${await freePort()}`;
    const q = synthProject(exampleSources(), { ci: { remoteBuilder: { driver: 'remote', endpoint: nobody, tls: {} } } });
    const r = spawnSync('sh', ['docker-hello-service.sh', 'build-all'], {
      cwd: q.dir, encoding: 'utf-8', env: { ...toolEnv(), PATH: `${front}:${toolEnv().PATH}`, BUILDER: 'remote', ...clientFiles(tls) },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`nothing answers at ${nobody.slice('tcp://'.length)} (${nobody})`);
  });
});
