import { BuildStrategy, CacheBackend, CiOptions, NativeRunners, RemoteBuilder, RemoteBuilderTls, SignedAttestations } from '../../ci-options';
import { Platform } from '../../platform';
import { Registry } from '../../registry';
import { RustDockerConfigError } from '../errors';
import { platformFacts } from '../platforms';
import { ResolvedBinary, ResolvedCi, ResolvedRemoteBuilder } from './resolved';
import { RustDockerImageOptions } from '../../options';
import { registryHostOf, sameRegistryHost } from '../ci/registry-behaviour';
import { assertPattern, assertSafe } from '../validation/safe-values';

const RUNNER_LABEL = /^[A-Za-z0-9_.-]+$/;

function labels(field: string, value: string[] | undefined, fallback: string[]): string[] {
  const list = value ?? fallback;
  if (list.length === 0) throw new RustDockerConfigError(field, 'the list is empty', 'list at least one runner label, e.g. ["ubuntu-24.04"]');
  list.forEach((l, i) => assertPattern(`${field}[${i}]`, l, RUNNER_LABEL, 'a runner label such as "ubuntu-24.04"'));
  return [...list];
}

/**
 * Validates the CI options and applies their defaults. Undefined when CI is
 * off. Runs before any file or workflow is created.
 */
export function resolveCi(ci: CiOptions | undefined, defaultWorkflowName: string): ResolvedCi | undefined {
  if (ci?.enabled === false) return undefined;
  const c = ci ?? {};
  if (c.strategy !== undefined && !Object.values(BuildStrategy).includes(c.strategy)) {
    throw new RustDockerConfigError('ci.strategy', `"${c.strategy}" is not a strategy`, 'use BuildStrategy.CROSS_COMPILE or BuildStrategy.NATIVE_RUNNERS');
  }
  if (c.cache !== undefined && !Object.values(CacheBackend).includes(c.cache)) {
    throw new RustDockerConfigError('ci.cache', `"${c.cache}" is not a cache backend`, 'use CacheBackend.GITHUB_ACTIONS or CacheBackend.REGISTRY');
  }
  if (c.signedAttestations !== undefined && !Object.values(SignedAttestations).includes(c.signedAttestations)) {
    throw new RustDockerConfigError('ci.signedAttestations', `"${c.signedAttestations}" is not a choice`, `use one of: ${Object.keys(SignedAttestations).map((k) => `SignedAttestations.${k}`).join(', ')}`);
  }
  const remoteBuilder = c.remoteBuilder ? resolveRemoteBuilder(c.remoteBuilder) : undefined;
  (c.smokeTestArgs ?? []).forEach((a, i) => assertSafe(`ci.smokeTestArgs[${i}]`, a));
  if (c.defaultBranch !== undefined) assertPattern('ci.defaultBranch', c.defaultBranch, /^[A-Za-z0-9._/-]+$/, 'a branch name');
  const workflowName = c.workflowName ?? defaultWorkflowName;
  assertPattern('ci.workflowName', workflowName, /^[A-Za-z0-9_-]+$/, 'a workflow file name (letters, digits, - and _)');
  const runsOn = labels('ci.runsOn', c.runsOn, ['ubuntu-24.04']);
  return {
    strategy: c.strategy ?? BuildStrategy.CROSS_COMPILE,
    registry: c.registry ?? Registry.ghcr(),
    runsOn,
    nativeRunners: nativeRunners(c.nativeRunners ?? {}, runsOn),
    cache: c.cache ?? CacheBackend.GITHUB_ACTIONS,
    cacheOnPullRequests: c.cacheOnPullRequests ?? true,
    attestations: c.attestations ?? true,
    signedAttestations: c.signedAttestations ?? SignedAttestations.PUBLIC_REPOSITORIES,
    reproducible: c.reproducible ?? true,
    remoteBuilder,
    smokeTestArgs: [...(c.smokeTestArgs ?? [])],
    defaultBranch: c.defaultBranch,
    workflowName,
  };
}

/** A GitHub secret name: letters, digits and underscores, not starting with a digit or GITHUB_. */
const SECRET_NAME = /^(?!GITHUB_)[A-Za-z_][A-Za-z0-9_]*$/;

/** The remote builder, validated; TLS gets its default secret names. */
export function resolveRemoteBuilder(r: RemoteBuilder): ResolvedRemoteBuilder {
  assertPattern('ci.remoteBuilder.driver', r.driver, /^[a-z-]+$/, 'a buildx driver such as "remote" or "cloud"');
  assertPattern('ci.remoteBuilder.endpoint', r.endpoint, /^[A-Za-z0-9_.:/@-]+$/, 'an endpoint such as "tcp://buildkitd:1234"');
  if (!r.tls) return { driver: r.driver, endpoint: r.endpoint };
  if (r.driver !== 'remote' || !r.endpoint.startsWith('tcp://')) {
    throw new RustDockerConfigError('ci.remoteBuilder.tls', `is for the "remote" driver over tcp://, and this builder is driver "${r.driver}" at ${r.endpoint}`,
      'remove tls (a cloud builder authenticates with docker login), or use driver "remote" with a tcp:// endpoint');
  }
  const secret = (field: keyof RemoteBuilderTls, fallback: string) => {
    const name = (r.tls![field] as string | undefined) ?? fallback;
    assertPattern(`ci.remoteBuilder.tls.${field}`, name, SECRET_NAME, 'a repository secret name (letters, digits and _, not starting with a digit or GITHUB_)');
    return name;
  };
  const tls = {
    caCertSecret: secret('caCertSecret', 'BUILDKIT_CA_CERT'),
    certSecret: secret('certSecret', 'BUILDKIT_CLIENT_CERT'),
    keySecret: secret('keySecret', 'BUILDKIT_CLIENT_KEY'),
    serverName: r.tls.serverName,
  };
  if (tls.serverName !== undefined) assertPattern('ci.remoteBuilder.tls.serverName', tls.serverName, /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'a host name, e.g. "buildkitd.internal"');
  if (new Set([tls.caCertSecret, tls.certSecret, tls.keySecret]).size < 3) {
    throw new RustDockerConfigError('ci.remoteBuilder.tls', `names the same secret twice (${tls.caCertSecret}, ${tls.certSecret}, ${tls.keySecret})`, 'give the CA certificate, the client certificate and the key a secret each');
  }
  return { driver: r.driver, endpoint: r.endpoint, tls };
}

/** The warning for a builder reached over plain TCP, or none. */
export function remoteBuilderWarnings(r: ResolvedRemoteBuilder | undefined): string[] {
  if (!r || r.tls || r.driver !== 'remote' || !r.endpoint.startsWith('tcp://')) return [];
  return [`ci.remoteBuilder: ${r.endpoint} is reached over plain TCP, so whoever reaches that port can run builds, and the build's secrets and sources cross the network in the clear. `
    + 'Fix: serve buildkitd with --tlscacert, --tlscert and --tlskey, and set ci.remoteBuilder.tls (the certificates come from repository secrets)'];
}

/**
 * The runner of each platform's job with `NATIVE_RUNNERS`: the configured
 * labels, else `runsOn`. No runner of another architecture is assumed: the
 * standard arm64 runners are not offered to private repositories, and a job
 * waiting for a runner that never comes publishes nothing.
 */
function nativeRunners(option: NativeRunners, runsOn: string[]): Record<Platform, string[]> {
  const out = {} as Record<Platform, string[]>;
  for (const platform of Object.values(Platform)) {
    const key = platformFacts(platform).runnerOption;
    out[platform] = labels(`ci.nativeRunners.${key}`, option[key], runsOn);
  }
  return out;
}

/**
 * Refuses an image name whose registry host is not the one CI logs in to:
 * the workflow would log in to one registry and push to another.
 */
export function assertImageHosts(ci: ResolvedCi | undefined, binaries: ResolvedBinary[], options: RustDockerImageOptions): ResolvedCi | undefined {
  if (!ci) return ci;
  for (const b of binaries) {
    const host = registryHostOf(b.imageName);
    if (!host || sameRegistryHost(host, ci.registry)) continue;
    const field = options.imageName !== undefined ? 'imageName' : `binaryOptions.${b.name}.imageName`;
    throw new RustDockerConfigError(field, `"${b.imageName}" names the registry ${host}, but ci.registry logs in and pushes to ${ci.registry.host}`,
      `name the image without a host ("${b.imageName.split('/').pop()}": ci.registry adds its own host and repository prefix), or set ci.registry to the registry at ${host}`);
  }
  return ci;
}
