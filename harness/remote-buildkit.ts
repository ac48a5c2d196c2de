/**
 * A remote BuildKit as a team runs one: buildkitd listening on TCP with mutual
 * TLS (certificates the suite makes with openssl), reached by the real buildx,
 * standalone. What stands in, and why:
 * - `docker`: the generated script calls `docker buildx ...`; here it is a
 *   front that runs the real buildx, with no daemon behind it (the script needs
 *   none with BUILDER=remote).
 * - the images a Dockerfile names (its base images, and the frontend of its
 *   `# syntax=` line): no registry is reachable here, so the front adds them
 *   as named build contexts (OCI layouts), as every real-build check does; the
 *   frontend is BuildKit's own Dockerfile frontend at the daemon's version.
 * - setup-buildx-action and build-push-action: `workflowBuilder` and
 *   `buildxArgsOf` do what they do with the generated inputs (the certificate
 *   secrets written to files for node 0, the build inputs as buildx flags).
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { basename, join } from 'path';
import { BuildkitDaemon, BuildResult, OciLayout, parseProgress } from './buildkit';
import { commandsDir, tempDir } from './temp';
import { pinnedVersion, toolEnv, TOOLS_BIN } from './tools';
import { expand, ExpressionContext } from './workflow-expressions';

/** The PEM files of a CA, a server certificate for 127.0.0.1 and `buildkitd`, and a client certificate it signed. */
export interface TlsFiles {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA of its own in `dir`, and the certificates it signs (`names`: the server's DNS names; `ips`: its addresses). */
export function makeTlsFiles(dir: string, names: string[] = ['buildkitd', 'localhost'], ips: string[] = ['127.0.0.1']): TlsFiles {
  mkdirSync(dir, { recursive: true });
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=test CA ${basename(dir)}`]);
  const sign = (name: string, ext: string) => {
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  };
  sign('server', `subjectAltName=${[...names.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)].join(',')}\nextendedKeyUsage=serverAuth`);
  sign('client', 'extendedKeyUsage=clientAuth');
  return {
    ca: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server-key.pem'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client-key.pem'),
  };
}

/** buildkitd that also listens on `tcp://127.0.0.1:<port>`, where it asks every client for a certificate its CA signed. */
export class TlsBuildkitDaemon extends BuildkitDaemon {
  constructor(root: string, public readonly tcp: string, private readonly tls: TlsFiles) {
    super(root);
  }

  protected listenArgs(): string[] {
    return ['--addr', this.tcp, '--tlscacert', this.tls.ca, '--tlscert', this.tls.serverCert, '--tlskey', this.tls.serverKey];
  }
}

/** Moves a file into an OCI layout's blobs; returns its descriptor. */
function blob(layout: string, file: string, mediaType: string): { mediaType: string; digest: string; size: number } {
  const data = readFileSync(file);
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  writeFileSync(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
  return { mediaType, digest, size: data.length };
}

/**
 * BuildKit's Dockerfile frontend (built by .ci/install-tools with the daemon)
 * as an image: the gateway runs its entrypoint, once the image's labels declare
 * the capabilities buildx asks for (named contexts among them), as the
 * published frontend's do. What a `# syntax=` line names.
 */
export function frontendStandIn(): OciLayout {
  const out = join(TOOLS_BIN, '..', 'standins', `dockerfile-frontend-${pinnedVersion('BUILDKIT_VERSION')}`);
  if (!existsSync(join(out, 'index.json'))) {
    const work = tempDir('prd-frontend-');
    mkdirSync(join(out, 'blobs', 'sha256'), { recursive: true });
    mkdirSync(join(work, 'rootfs', 'bin'), { recursive: true });
    execFileSync('cp', [join(TOOLS_BIN, 'dockerfile-frontend'), join(work, 'rootfs', 'bin', 'dockerfile-frontend')]);
    execFileSync('tar', ['--sort=name', '--mtime=2000-01-01 00:00:00', '--numeric-owner', '-C', join(work, 'rootfs'), '-cf', join(work, 'layer.tar'), '.']);
    const layer = blob(out, join(work, 'layer.tar'), 'application/vnd.oci.image.layer.v1.tar');
    writeFileSync(join(work, 'config.json'), JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Entrypoint: ['/bin/dockerfile-frontend'], Labels: { 'moby.buildkit.frontend.caps': 'moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts' } },
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }));
    const config = blob(out, join(work, 'config.json'), 'application/vnd.oci.image.config.v1+json');
    writeFileSync(join(work, 'manifest.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] }));
    const manifest = blob(out, join(work, 'manifest.json'), 'application/vnd.oci.image.manifest.v1+json');
    writeFileSync(join(out, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(join(out, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...manifest, platform: { os: 'linux', architecture: 'amd64' } }] }));
  }
  return { dir: out, digest: JSON.parse(readFileSync(join(out, 'index.json'), 'utf-8')).manifests[0].digest };
}

/**
 * A folder with the `docker` front: `docker buildx ...` runs the real buildx
 * (with `--build-context` for each of `contexts`, an image reference to its
 * stand-in, on build); anything else fails as docker does without a daemon.
 * buildx keeps its builders in `config`.
 */
export function dockerFront(contexts: Record<string, OciLayout>, config: string): string {
  const flags = Object.entries(contexts).map(([ref, l]) => `--build-context ${ref}=oci-layout://${l.dir}@${l.digest}`).join(' ');
  return commandsDir('prd-docker-front-', {
    docker: [
      '#!/bin/sh',
      `export BUILDX_CONFIG='${config}'`,
      'if [ "$1" = buildx ]; then',
      '  shift',
      `  if [ "$1" = build ]; then shift; exec '${join(TOOLS_BIN, 'buildx')}' build ${flags} "$@"; fi`,
      `  exec '${join(TOOLS_BIN, 'buildx')}' "$@"`,
      'fi',
      'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2',
      'exit 1',
    ],
  });
}

/** The setup-buildx-action step's inputs and environment, as the generated workflow gives them. */
export interface SetupBuildxStep {
  readonly with: { 'driver': string; 'endpoint': string; 'driver-opts'?: string };
  readonly env?: Record<string, string>;
}

/**
 * What setup-buildx-action does with the generated step for a `remote`
 * driver: the node-0 TLS variables (their values, the secrets, given in
 * `secrets`) written to files, a builder created with them and booted.
 * Returns the builder's name, or throws with buildx's output.
 */
export function workflowBuilder(step: SetupBuildxStep, secrets: Record<string, string>, config: string): string {
  const files = tempDir('prd-buildx-certs-');
  const opts: string[] = [];
  for (const [variable, opt] of [['BUILDER_NODE_0_AUTH_TLS_CACERT', 'cacert'], ['BUILDER_NODE_0_AUTH_TLS_CERT', 'cert'], ['BUILDER_NODE_0_AUTH_TLS_KEY', 'key']]) {
    const expr = step.env?.[variable];
    if (!expr) continue;
    const secret = /^\$\{\{ secrets\.(\w+) \}\}$/.exec(expr)?.[1];
    if (!secret || secrets[secret] === undefined) throw new Error(`${variable}: ${expr} is no secret given here`);
    writeFileSync(join(files, `${opt}.pem`), secrets[secret]);
    opts.push(`${opt}=${join(files, `${opt}.pem`)}`);
  }
  if (step.with['driver-opts']) opts.push(...step.with['driver-opts'].split(/[\n,]/).filter(Boolean));
  const name = `workflow-${Date.now()}`;
  const env = { ...toolEnv(), BUILDX_CONFIG: config };
  const args = ['create', '--name', name, '--driver', step.with.driver, ...(opts.length ? ['--driver-opt', opts.join(',')] : []), step.with.endpoint];
  execFileSync(join(TOOLS_BIN, 'buildx'), args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const boot = spawnSync(join(TOOLS_BIN, 'buildx'), ['inspect', '--bootstrap', name], { env, encoding: 'utf-8' });
  if (boot.status !== 0) throw new Error(`the workflow's builder did not boot: ${boot.stdout}${boot.stderr}`);
  return name;
}

/**
 * A build-push-action step's inputs as `buildx build` flags, for the inputs
 * the generated workflow's build steps use (file, target, platforms, build
 * args and contexts, caches, outputs, provenance and sbom). Expressions are
 * evaluated with `context` (harness/workflow-expressions.ts): a step output
 * it does not hold is empty, as on a runner where that step gave none, and a
 * line that comes out empty is no flag. GitHub's cache service (`type=gha`)
 * is not here: its cache lines are left out; a registry cache is kept.
 */
export function buildxArgsOf(inputs: Record<string, string | boolean | undefined>, context: ExpressionContext = {}): string[] {
  const lines = (v: string | boolean | undefined) => (typeof v === 'string' ? expand(v, context).split('\n').map((l) => l.trim()).filter(Boolean) : []);
  const args: string[] = [];
  const flag = (input: string, name: string) => lines(inputs[input]).forEach((l) => args.push(name, l));
  flag('file', '-f');
  flag('target', '--target');
  flag('platforms', '--platform');
  flag('build-args', '--build-arg');
  flag('build-contexts', '--build-context');
  flag('no-cache-filters', '--no-cache-filter');
  for (const [input, name] of [['cache-from', '--cache-from'], ['cache-to', '--cache-to']]) {
    lines(inputs[input]).filter((l) => !l.startsWith('type=gha')).forEach((l) => args.push(name, l));
  }
  flag('outputs', '--output');
  if (inputs.provenance === false || inputs.provenance === 'false') args.push('--provenance=false');
  if (inputs.sbom === false || inputs.sbom === 'false') args.push('--sbom=false');
  return [...args, expand(String(inputs.context ?? '.'), context)];
}

/**
 * `docker buildx build --builder <builder> --progress plain <args>` in `cwd`,
 * through the docker front in `front` (see dockerFront); never throws on a
 * failed build.
 */
export function buildxBuild(front: string, builder: string, args: string[], cwd: string): BuildResult {
  const start = Date.now();
  const r = spawnSync('docker', ['buildx', 'build', '--builder', builder, '--progress', 'plain', ...args], {
    cwd, encoding: 'utf-8', env: { ...toolEnv(), PATH: `${front}:${toolEnv().PATH}` }, maxBuffer: 512 * 1024 * 1024,
  });
  const log = `${r.stdout}${r.stderr}`;
  return { ok: r.status === 0, log, ms: Date.now() - start, steps: parseProgress(log) };
}

/** A step of a generated workflow job, as its YAML holds it. */
export interface WorkflowStep {
  readonly id: string;
  readonly if?: string;
  readonly uses?: string;
  readonly with?: Record<string, string | boolean>;
  readonly run?: string;
  readonly shell?: string;
  readonly env?: Record<string, string>;
}

/**
 * Runs a `run:` step as the runner does: with bash (and pipefail, as
 * `shell: bash` has it), its `env` evaluated with `context`, `GITHUB_OUTPUT`
 * and `GITHUB_STEP_SUMMARY` given files. Returns its outputs and standard
 * output; throws with its output when it fails.
 */
export function runStep(step: WorkflowStep, context: ExpressionContext, env: NodeJS.ProcessEnv): { outputs: Record<string, string>; stdout: string } {
  const outputs = join(tempDir('prd-runner-'), 'output');
  writeFileSync(outputs, '');
  const own = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, context)]));
  const r = spawnSync('bash', ['-e', ...(step.shell === 'bash' ? ['-o', 'pipefail'] : []), '-c', step.run ?? ''], { encoding: 'utf-8', env: { ...env, ...own, GITHUB_OUTPUT: outputs, GITHUB_STEP_SUMMARY: `${outputs}.summary` } });
  if (r.status !== 0) throw new Error(`step ${step.id} failed (${r.status}): ${r.stdout}${r.stderr}`);
  const pairs = readFileSync(outputs, 'utf-8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
  return { outputs: Object.fromEntries(pairs), stdout: r.stdout };
}
