import { github } from 'projen';
import { ACTIONS } from './actions';
import { CacheBackend } from './ci-options';
import { Registry, RegistryKind } from './registry';

type Step = github.workflows.JobStep;

/** `if:` condition of steps that need registry access. */
export const NOT_PR = "github.event_name != 'pull_request'";

export function checkoutStep(): Step {
  return { id: 'checkout', name: 'Check out the repository', uses: ACTIONS.checkout };
}

/** Login steps (AWS credentials first for ECR); skipped on pull requests. */
export function loginSteps(registry: Registry): Step[] {
  const steps: Step[] = [];
  if (registry.kind === RegistryKind.ECR) {
    steps.push({
      id: 'aws-credentials',
      name: 'Assume the AWS role (OIDC)',
      if: NOT_PR,
      uses: ACTIONS.awsCredentials,
      with: { 'role-to-assume': registry.roleArn, 'aws-region': registry.awsRegion },
    });
    steps.push({ id: 'login', name: 'Log in to Amazon ECR', if: NOT_PR, uses: ACTIONS.login, with: { registry: registry.host } });
    return steps;
  }
  const creds = registry.kind === RegistryKind.GHCR
    ? { username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' }
    : { username: `\${{ secrets.${registry.usernameSecret} }}`, password: `\${{ secrets.${registry.passwordSecret} }}` };
  steps.push({
    id: 'login',
    name: `Log in to ${registry.host}`,
    if: NOT_PR,
    uses: ACTIONS.login,
    with: { registry: registry.host, ...creds },
  });
  return steps;
}

/** A step that writes lowercased image references to its outputs. */
export function namesStep(refs: Record<string, string>): Step {
  const lines = Object.entries(refs).map(([key, ref]) => `  echo "${key}=$(printf '%s' "${ref}" | tr '[:upper:]' '[:lower:]')"`);
  return { id: 'names', name: 'Compute lowercase image names', run: ['{', ...lines, '} >> "$GITHUB_OUTPUT"'].join('\n') };
}

export function setupBuildxStep(remote?: { driver: string; endpoint: string }): Step {
  return {
    id: 'buildx',
    name: 'Set up Docker Buildx',
    uses: ACTIONS.setupBuildx,
    with: remote ? { driver: remote.driver, endpoint: remote.endpoint } : undefined,
  };
}

/**
 * Uses the published builder image through a named build context when it
 * exists; before the first builder is published the inline stage builds it.
 */
export function builderContextStep(stage: string): Step {
  return {
    id: 'builder',
    name: 'Use the published builder image if it exists',
    env: { BUILDER_REF: '${{ steps.names.outputs.builder }}' },
    run: [
      'if docker buildx imagetools inspect "$BUILDER_REF" >/dev/null 2>&1; then',
      `  echo "context=${stage}=docker-image://$BUILDER_REF" >> "$GITHUB_OUTPUT"`,
      'else',
      '  echo "Builder image $BUILDER_REF not found: the inline builder stage will build the tools."',
      'fi',
    ].join('\n'),
  };
}

/** SOURCE_DATE_EPOCH from the commit time, for reproducible images. */
export function sourceDateEpochStep(): Step {
  return { id: 'source-date-epoch', name: 'Take SOURCE_DATE_EPOCH from the commit', run: 'echo "epoch=$(git log -1 --pretty=%ct)" >> "$GITHUB_OUTPUT"' };
}

/** metadata-action tags: branch, PR, semver (no bare major for 0.x), short sha. */
export const TAG_RULES = [
  'type=ref,event=branch',
  'type=ref,event=pr',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  "type=semver,pattern={{major}},enable=${{ !startsWith(github.ref, 'refs/tags/v0.') }}",
  'type=sha',
].join('\n');

export function metadataStep(id: string, imageExpr: string, labels: Array<[string, string]>, tagRules: string = TAG_RULES): Step {
  return {
    id,
    name: `Image metadata (${id})`,
    uses: ACTIONS.metadata,
    with: {
      images: imageExpr,
      tags: tagRules,
      labels: labels.map(([k, v]) => `${k}=${v}`).join('\n'),
    },
  };
}

/**
 * cache-from / cache-to for one image and platform set.
 *
 * @param imageOutput the `names` step output holding the image repository
 */
export function cacheSettings(backend: CacheBackend, scope: string, imageOutput: string): { from: string; to: string } {
  if (backend === CacheBackend.REGISTRY) {
    return {
      from: `type=registry,ref=\${{ steps.names.outputs.${imageOutput} }}:buildcache-${scope}`,
      to: `\${{ ${NOT_PR} && format('type=registry,ref={0}:buildcache-${scope},mode=max', steps.names.outputs.${imageOutput}) || '' }}`,
    };
  }
  return { from: `type=gha,scope=${scope}`, to: `type=gha,mode=max,scope=${scope}` };
}

/** The `names` step output key of an image slug. */
export function imageOutputKey(slug: string): string {
  return `image_${slug.replace(/-/g, '_')}`;
}
