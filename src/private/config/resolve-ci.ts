import { BuildStrategy, CacheBackend, CiOptions } from '../../ci-options';
import { Registry } from '../../registry';
import { RustDockerConfigError } from '../errors';
import { ResolvedCi } from './resolved';
import { assertPattern, assertSafe } from '../validation/safe-values';

const DEFAULT_RUNNERS: Record<string, string[]> = {
  amd64: ['ubuntu-24.04'],
  arm64: ['ubuntu-24.04-arm'],
  armv7: ['ubuntu-24.04'],
  riscv64: ['ubuntu-24.04'],
};
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
  if (c.remoteBuilder) {
    assertPattern('ci.remoteBuilder.driver', c.remoteBuilder.driver, /^[a-z-]+$/, 'a buildx driver such as "remote" or "cloud"');
    assertPattern('ci.remoteBuilder.endpoint', c.remoteBuilder.endpoint, /^[A-Za-z0-9_.:/@-]+$/, 'an endpoint such as "tcp://buildkitd:1234"');
  }
  (c.smokeTestArgs ?? []).forEach((a, i) => assertSafe(`ci.smokeTestArgs[${i}]`, a));
  const defaultBranch = c.defaultBranch ?? 'main';
  assertPattern('ci.defaultBranch', defaultBranch, /^[A-Za-z0-9._/-]+$/, 'a branch name');
  const workflowName = c.workflowName ?? defaultWorkflowName;
  assertPattern('ci.workflowName', workflowName, /^[A-Za-z0-9_-]+$/, 'a workflow file name (letters, digits, - and _)');
  const n = c.nativeRunners ?? {};
  return {
    strategy: c.strategy ?? BuildStrategy.CROSS_COMPILE,
    registry: c.registry ?? Registry.ghcr(),
    runsOn: labels('ci.runsOn', c.runsOn, ['ubuntu-24.04']),
    nativeRunners: {
      amd64: labels('ci.nativeRunners.amd64', n.amd64, DEFAULT_RUNNERS.amd64),
      arm64: labels('ci.nativeRunners.arm64', n.arm64, DEFAULT_RUNNERS.arm64),
      armv7: labels('ci.nativeRunners.armV7', n.armV7, DEFAULT_RUNNERS.armv7),
      riscv64: labels('ci.nativeRunners.riscv64', n.riscv64, DEFAULT_RUNNERS.riscv64),
    },
    cache: c.cache ?? CacheBackend.GITHUB_ACTIONS,
    cacheOnPullRequests: c.cacheOnPullRequests ?? true,
    attestations: c.attestations ?? true,
    reproducible: c.reproducible ?? true,
    remoteBuilder: c.remoteBuilder,
    smokeTestArgs: [...(c.smokeTestArgs ?? [])],
    defaultBranch,
    workflowName,
  };
}
