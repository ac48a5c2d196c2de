import { github } from 'projen';
import { ACTIONS } from './actions';
import { BUILDER_CONTEXT_OUTPUT, EPOCH_OUTPUT, STEP } from './step-ids';
import { CacheBackend } from '../../ci-options';
import { Registry, RegistryKind } from '../../registry';

type Step = github.workflows.JobStep;

/** `if:` of steps that publish: never on pull requests. */
export const NOT_PR = "github.event_name != 'pull_request'";
/**
 * `if:` of the registry login: pushes, and pull requests from the same
 * repository (which may read a private builder image). Fork pull requests
 * get no credentials, skip it, and fall back to the inline builder stage.
 */
export const CAN_LOGIN = "github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository";

export function checkoutStep(): Step {
  return github.WorkflowSteps.checkout({ id: STEP.checkout, name: 'Check out the repository' });
}

/** Login steps (AWS credentials first for ECR). */
export function loginSteps(registry: Registry): Step[] {
  if (registry.kind === RegistryKind.ECR) {
    return [
      {
        id: STEP.awsCredentials,
        name: 'Assume the AWS role (OIDC)',
        if: CAN_LOGIN,
        uses: ACTIONS.awsCredentials,
        with: { 'role-to-assume': registry.roleArn, 'aws-region': registry.awsRegion },
      },
      { id: STEP.login, name: 'Log in to Amazon ECR', if: CAN_LOGIN, uses: ACTIONS.login, with: { registry: registry.host } },
    ];
  }
  const creds = registry.kind === RegistryKind.GHCR
    ? { username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' }
    : { username: `\${{ secrets.${registry.usernameSecret} }}`, password: `\${{ secrets.${registry.passwordSecret} }}` };
  return [{ id: STEP.login, name: `Log in to ${registry.host}`, if: CAN_LOGIN, uses: ACTIONS.login, with: { registry: registry.host, ...creds } }];
}

/** A step that writes lowercased image references to its outputs. */
export function namesStep(refs: Record<string, string>): Step {
  const lines = Object.entries(refs).map(([key, ref]) => `  echo "${key}=$(printf '%s' "${ref}" | tr '[:upper:]' '[:lower:]')"`);
  return { id: STEP.names, name: 'Compute lowercase image names', run: ['{', ...lines, '} >> "$GITHUB_OUTPUT"'].join('\n') };
}

export function setupBuildxStep(remote?: { driver: string; endpoint: string }): Step {
  return { id: STEP.buildx, name: 'Set up Docker Buildx', uses: ACTIONS.setupBuildx, with: remote ? { driver: remote.driver, endpoint: remote.endpoint } : undefined };
}

/**
 * Uses the published builder image through a named build context when it
 * can be read; otherwise the inline stage builds the tools.
 */
export function builderContextStep(stage: string, builderRef: string): Step {
  return {
    id: STEP.builder,
    name: 'Use the published builder image if it exists',
    env: { BUILDER_REF: builderRef },
    run: [
      'if docker buildx imagetools inspect "$BUILDER_REF" >/dev/null 2>&1; then',
      `  echo "${BUILDER_CONTEXT_OUTPUT}=${stage}=docker-image://$BUILDER_REF" >> "$GITHUB_OUTPUT"`,
      'else',
      '  echo "Builder image $BUILDER_REF not found or not readable: the inline builder stage will build the tools."',
      'fi',
    ].join('\n'),
  };
}

/** SOURCE_DATE_EPOCH from the commit time, for reproducible images. */
export function sourceDateEpochStep(): Step {
  return { id: STEP.sourceDateEpoch, name: 'Take SOURCE_DATE_EPOCH from the commit', run: `echo "${EPOCH_OUTPUT}=$(git log -1 --pretty=%ct)" >> "$GITHUB_OUTPUT"` };
}

/** Exposes the runner's cache credentials to the next steps (for sccache's GitHub Actions backend). */
export function githubRuntimeStep(): Step {
  return { id: STEP.githubRuntime, name: 'Expose the Actions cache credentials to the build (sccache)', uses: ACTIONS.githubRuntime };
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

/** The creation label: the commit time, not the build time, so digests are reproducible (docker/metadata-action #403). */
const CREATED_LABEL = "org.opencontainers.image.created={{commit_date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}";

/**
 * metadata-action: tags, labels and annotations (index and manifest level,
 * so GHCR shows the description). The source label is left to
 * metadata-action, which names the repository that builds the image.
 */
export function metadataStep(id: string, imageExpr: string, labels: Array<[string, string]>, tagRules: string = TAG_RULES): Step {
  const own = labels.filter(([k]) => k !== 'org.opencontainers.image.source').map(([k, v]) => `${k}=${v}`);
  return {
    id,
    name: `Image metadata (${id})`,
    uses: ACTIONS.metadata,
    env: { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'index,manifest' },
    with: { images: imageExpr, tags: tagRules, labels: [...own, CREATED_LABEL].join('\n') },
  };
}

/**
 * cache-from / cache-to for one image and platform set. A failed cache
 * export never fails the build (moby/buildkit #4702).
 *
 * @param imageOutput the `names` step output holding the image repository
 * @param onPullRequests whether pull requests write the cache
 */
export function cacheSettings(backend: CacheBackend, scope: string, imageOutput: string, onPullRequests: boolean): { from: string; to: string } {
  const image = `steps.${STEP.names}.outputs.${imageOutput}`;
  if (backend === CacheBackend.REGISTRY) {
    return {
      from: `type=registry,ref=\${{ ${image} }}:buildcache-${scope}`,
      to: `\${{ ${NOT_PR} && format('type=registry,ref={0}:buildcache-${scope},mode=max,ignore-error=true', ${image}) || '' }}`,
    };
  }
  const to = `type=gha,mode=max,scope=${scope},ignore-error=true`;
  return { from: `type=gha,scope=${scope}`, to: onPullRequests ? to : `\${{ ${NOT_PR} && '${to}' || '' }}` };
}
