import { github } from 'projen';
import { ACTIONS } from './actions';
import { BUILDER_CONTEXT_OUTPUT, EPOCH_OUTPUT, STEP } from './step-ids';
import { CacheBackend } from '../../ci-options';
import { ResolvedRemoteBuilder } from '../config/resolved';

type Step = github.workflows.JobStep;

/** `if:` of steps that publish: never on pull requests. */
export const NOT_PR = "github.event_name != 'pull_request'";
export function checkoutStep(): Step {
  return github.WorkflowSteps.checkout({ id: STEP.checkout, name: 'Check out the repository' });
}

/** A step that writes lowercased image references to its outputs. */
export function namesStep(refs: Record<string, string>): Step {
  const lines = Object.entries(refs).map(([key, ref]) => `  echo "${key}=$(printf '%s' "${ref}" | tr '[:upper:]' '[:lower:]')"`);
  return { id: STEP.names, name: 'Compute lowercase image names', run: ['{', ...lines, '} >> "$GITHUB_OUTPUT"'].join('\n') };
}

/**
 * Buildx, with the runner's own builder or a remote one. For a remote
 * buildkitd with mutual TLS, the action writes the repository secrets it is
 * given as node 0's certificate files (its BUILDER_NODE_0_AUTH_TLS_*
 * variables), so no certificate is in the workflow.
 */
export function setupBuildxStep(remote?: ResolvedRemoteBuilder): Step {
  const tls = remote?.tls;
  return {
    id: STEP.buildx,
    name: 'Set up Docker Buildx',
    uses: ACTIONS.setupBuildx,
    with: remote ? { 'driver': remote.driver, 'endpoint': remote.endpoint, 'driver-opts': tls?.serverName ? `servername=${tls.serverName}` : undefined } : undefined,
    env: tls ? {
      BUILDER_NODE_0_AUTH_TLS_CACERT: `\${{ secrets.${tls.caCertSecret} }}`,
      BUILDER_NODE_0_AUTH_TLS_CERT: `\${{ secrets.${tls.certSecret} }}`,
      BUILDER_NODE_0_AUTH_TLS_KEY: `\${{ secrets.${tls.keySecret} }}`,
    } : undefined,
  };
}

/**
 * Uses the published builder image through a named build context, pinned to
 * the digest it has when the workflow runs (so the provenance names exactly
 * which builder compiled the binaries). When it cannot be read, the inline
 * stage builds the tools, and the log and the job summary say so and why.
 */
export function builderContextStep(stage: string, builderRef: string): Step {
  return {
    id: STEP.builder,
    name: 'Use the published builder image, pinned by digest, if it can be read',
    env: { BUILDER_REF: builderRef },
    run: [
      'if out=$(docker buildx imagetools inspect "$BUILDER_REF" --format \'{{json .Manifest}}\' 2>&1); then',
      '  digest=$(jq -r .digest <<< "$out")',
      `  echo "${BUILDER_CONTEXT_OUTPUT}=${stage}=docker-image://$BUILDER_REF@$digest" >> "$GITHUB_OUTPUT"`,
      '  echo "Builder image: $BUILDER_REF@$digest"',
      '  exit 0',
      'fi',
      'case "$out" in',
      '  *"not found"*|*MANIFEST_UNKNOWN*|*"manifest unknown"*|*NAME_UNKNOWN*) why="it is not published yet (the builder workflow publishes it from the default branch)" ;;',
      '  *denied*|*unauthorized*|*UNAUTHORIZED*|*DENIED*|*403*|*401*) why="this workflow\'s token cannot read it (a pull request from a fork, or a package not shared with this repository)" ;;',
      '  *) why="inspecting it failed: $(tail -n 1 <<< "$out")" ;;',
      'esac',
      `echo "::warning title=Inline builder::$BUILDER_REF cannot be used: $why. The ${stage} stage builds cargo-chef, cargo-zigbuild and cargo-auditable in this run."`,
      `echo "**Builder:** $BUILDER_REF cannot be used: $why. The inline ${stage} stage builds the tools in this run." >> "$GITHUB_STEP_SUMMARY"`,
    ].join('\n'),
  };
}

/** QEMU, to run other architectures' finished binaries (smoke tests) and the builder image's cheap arm64 steps. */
export function qemuStep(): Step {
  return { id: STEP.qemu, name: 'Set up QEMU (runs finished binaries of other architectures; nothing compiles under it)', uses: ACTIONS.setupQemu };
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

/** The registry cache's tags begin with this, before the scope. */
const CACHE_TAG_PREFIX = 'buildcache-';

/**
 * The cache scope of an image built for some architectures in one build
 * (`<image>-amd64-arm64`), which the registry cache tags `buildcache-<scope>`.
 */
export function cacheScope(slug: string, archs: readonly string[]): string {
  return `${slug}-${archs.join('-')}`;
}

/**
 * The registry cache tags CI writes for an image: one for all platforms when
 * one job compiles them, one per platform with a job per platform.
 */
export function registryCacheTags(perPlatformJobs: boolean, slug: string, archs: readonly string[]): string[] {
  return (perPlatformJobs ? archs.map((a) => [a]) : [archs]).map((a) => `${CACHE_TAG_PREFIX}${cacheScope(slug, a)}`);
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
      from: `type=registry,ref=\${{ ${image} }}:${CACHE_TAG_PREFIX}${scope}`,
      to: `\${{ ${NOT_PR} && format('type=registry,ref={0}:${CACHE_TAG_PREFIX}${scope},mode=max,ignore-error=true', ${image}) || '' }}`,
    };
  }
  const to = `type=gha,mode=max,scope=${scope},ignore-error=true`;
  return { from: `type=gha,scope=${scope}`, to: onPullRequests ? to : `\${{ ${NOT_PR} && '${to}' || '' }}` };
}
