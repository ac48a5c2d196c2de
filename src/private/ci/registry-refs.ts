import { Registry, RegistryKind } from '../../registry';

/**
 * The image repository for `imageName` in `registry`, as a bash expression
 * that is lowercased at run time (repository owners may have capitals, image
 * references may not). A name that already carries a registry host is used
 * as is.
 */
export function imageRefExpression(registry: Registry, imageName: string): string {
  const first = imageName.split('/')[0];
  if (imageName.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return imageName;
  const ns = registry.repositoryPrefix ?? (registry.kind === RegistryKind.GHCR ? '${GITHUB_REPOSITORY}' : undefined);
  return [registry.host, ns, imageName].filter(Boolean).join('/');
}
