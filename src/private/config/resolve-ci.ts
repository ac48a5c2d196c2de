import { BuildStrategy, CacheBackend, CiOptions, NativeRunners, SignedAttestations } from '../../ci-options';
import { Platform } from '../../platform';
import { Registry } from '../../registry';
import { RustDockerConfigError } from '../errors';
import { platformFacts } from '../platforms';
import { ResolvedBinary, ResolvedCi } from './resolved';
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
  if (c.remoteBuilder) {
    assertPattern('ci.remoteBuilder.driver', c.remoteBuilder.driver, /^[a-z-]+$/, 'a buildx driver such as "remote" or "cloud"');
    assertPattern('ci.remoteBuilder.endpoint', c.remoteBuilder.endpoint, /^[A-Za-z0-9_.:/@-]+$/, 'an endpoint such as "tcp://buildkitd:1234"');
  }
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
    remoteBuilder: c.remoteBuilder,
    smokeTestArgs: [...(c.smokeTestArgs ?? [])],
    defaultBranch: c.defaultBranch,
    workflowName,
  };
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
