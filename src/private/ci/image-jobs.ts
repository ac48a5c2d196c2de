import { github } from 'projen';
import { archSlugOf, Platform } from '../platform';
import { ACTIONS } from './actions';
import { BuildStrategy, CacheBackend, RemoteBuilder } from './ci-options';
import {
  builderContextStep, cacheSettings, checkoutStep, loginSteps, metadataStep, namesStep, NOT_PR, setupBuildxStep, sourceDateEpochStep,
} from './job-steps';
import { Registry, RegistryKind } from './registry';

type Job = github.workflows.Job;
type Step = github.workflows.JobStep;

/** One image a job builds: a runtime stage of a Dockerfile. */
export interface BuildUnit {
  /** Short id, used in step ids, cache scopes and digest folders. */
  readonly slug: string;
  /** The build target (stage), or undefined for the last stage. */
  readonly target?: string;
  /** The `names` step output holding the repository. */
  readonly imageOutput: string;
  /** metadata-action `tags` rules. */
  readonly tagRules?: string;
  readonly labels: Array<[string, string]>;
  /** Arguments for the smoke test run, if any. */
  readonly smokeTestArgs?: string[];
}

/** Everything needed to generate the build jobs of one Dockerfile. */
export interface BuildJobsInput {
  /** Prefix of artifact names, unique per workflow. */
  readonly id: string;
  readonly context: string;
  readonly dockerfile: string;
  readonly platforms: Platform[];
  readonly units: BuildUnit[];
  readonly registry: Registry;
  /** `names` step outputs: key -> bash expression of the repository. */
  readonly names: Record<string, string>;
  readonly strategy: BuildStrategy;
  readonly runsOn: string;
  readonly nativeRunners: Record<string, string>;
  readonly cache: CacheBackend;
  readonly attestations: boolean;
  readonly reproducible: boolean;
  readonly remoteBuilder?: RemoteBuilder;
  /** Stage replaced by the published builder image, when there is one. */
  readonly builderStage?: string;
  /** Working directory of run steps in the build job. */
  readonly workingDirectory?: string;
}

const out = (key: string) => `\${{ steps.names.outputs.${key} }}`;

function permissions(registry: Registry, pushes: boolean): github.workflows.JobPermissions {
  return {
    contents: github.workflows.JobPermission.READ,
    packages: pushes && registry.kind === RegistryKind.GHCR ? github.workflows.JobPermission.WRITE : undefined,
    idToken: pushes && registry.kind === RegistryKind.ECR ? github.workflows.JobPermission.WRITE : undefined,
  };
}

function attestationInputs(input: BuildJobsInput): Record<string, unknown> {
  return input.attestations ? { provenance: 'mode=max', sbom: true } : { provenance: false, sbom: false };
}

function commonSetup(input: BuildJobsInput): Step[] {
  const steps = [checkoutStep(), ...loginSteps(input.registry), namesStep(input.names), setupBuildxStep(input.remoteBuilder)];
  if (input.builderStage) steps.push(builderContextStep(input.builderStage));
  if (input.reproducible) steps.push(sourceDateEpochStep());
  return steps;
}

function buildEnv(input: BuildJobsInput): Record<string, string> | undefined {
  return input.reproducible ? { SOURCE_DATE_EPOCH: '${{ steps.source-date-epoch.outputs.epoch }}' } : undefined;
}

function smokeSteps(input: BuildJobsInput, unit: BuildUnit, platform: string, cacheFrom: string): Step[] {
  if (!unit.smokeTestArgs?.length) return [];
  const tag = `smoke-${unit.slug}:ci`;
  return [
    {
      id: `smoke-build-${unit.slug}`,
      name: `Load ${unit.slug} for ${platform}`,
      uses: ACTIONS.buildPush,
      with: {
        'context': input.context,
        'file': input.dockerfile,
        'platforms': platform,
        'target': unit.target,
        'load': true,
        'tags': tag,
        'build-contexts': input.builderStage ? '${{ steps.builder.outputs.context }}' : undefined,
        'cache-from': cacheFrom,
        'provenance': false,
        'sbom': false,
      },
    },
    {
      id: `smoke-run-${unit.slug}`,
      name: `Smoke test ${unit.slug}`,
      run: `docker run --rm ${tag} ${unit.smokeTestArgs.map((a) => `'${a}'`).join(' ')}`,
    },
  ];
}

/** The single job of `CROSS_COMPILE`: every platform on one runner, no QEMU. */
function crossCompileJobs(input: BuildJobsInput): Record<string, Job> {
  const steps = commonSetup(input);
  const scopeSuffix = input.platforms.map(archSlugOf).join('-');
  for (const unit of input.units) {
    const cache = cacheSettings(input.cache, `${unit.slug}-${scopeSuffix}`, unit.imageOutput);
    const rewrite = input.reproducible ? ',rewrite-timestamp=true' : '';
    steps.push(metadataStep(`meta-${unit.slug}`, out(unit.imageOutput), unit.labels, unit.tagRules));
    steps.push({
      id: `build-${unit.slug}`,
      name: `Build ${unit.slug} (${input.platforms.join(', ')})`,
      uses: ACTIONS.buildPush,
      env: buildEnv(input),
      with: {
        'context': input.context,
        'file': input.dockerfile,
        'platforms': input.platforms.join(','),
        'target': unit.target,
        'tags': `\${{ steps.meta-${unit.slug}.outputs.tags }}`,
        'labels': `\${{ steps.meta-${unit.slug}.outputs.labels }}`,
        'build-contexts': input.builderStage ? '${{ steps.builder.outputs.context }}' : undefined,
        'cache-from': cache.from,
        'cache-to': cache.to,
        'outputs': `type=image,push=\${{ ${NOT_PR} }}${rewrite}`,
        ...attestationInputs(input),
      },
    });
    // The runner is amd64: only that platform can run without emulation.
    if (input.platforms.includes(Platform.LINUX_AMD64)) steps.push(...smokeSteps(input, unit, Platform.LINUX_AMD64, cache.from));
  }
  return {
    build: {
      name: 'Build and push',
      runsOn: [input.runsOn],
      permissions: permissions(input.registry, true),
      defaults: input.workingDirectory ? { run: { workingDirectory: input.workingDirectory } } : undefined,
      steps,
    },
  };
}

/** `NATIVE_RUNNERS`: one job per platform pushing by digest, then a merge job. */
function nativeRunnerJobs(input: BuildJobsInput): Record<string, Job> {
  const steps = commonSetup(input);
  const rewrite = input.reproducible ? ',rewrite-timestamp=true' : '';
  for (const unit of input.units) {
    const cache = cacheSettings(input.cache, `${unit.slug}-\${{ matrix.arch }}`, unit.imageOutput);
    steps.push(metadataStep(`meta-${unit.slug}`, out(unit.imageOutput), unit.labels, unit.tagRules));
    steps.push({
      id: `build-${unit.slug}`,
      name: `Build ${unit.slug} (\${{ matrix.platform }})`,
      uses: ACTIONS.buildPush,
      env: buildEnv(input),
      with: {
        'context': input.context,
        'file': input.dockerfile,
        'platforms': '${{ matrix.platform }}',
        'target': unit.target,
        'labels': `\${{ steps.meta-${unit.slug}.outputs.labels }}`,
        'build-contexts': input.builderStage ? '${{ steps.builder.outputs.context }}' : undefined,
        'cache-from': cache.from,
        'cache-to': cache.to,
        'outputs': `type=image,name=${out(unit.imageOutput)},push-by-digest=true,name-canonical=true,push=\${{ ${NOT_PR} }}${rewrite}`,
        ...attestationInputs(input),
      },
    });
    steps.push({
      id: `digest-${unit.slug}`,
      name: `Export the ${unit.slug} digest`,
      if: NOT_PR,
      env: { DIGEST: `\${{ steps.build-${unit.slug}.outputs.digest }}` },
      run: `mkdir -p "$RUNNER_TEMP/digests/${unit.slug}"\ntouch "$RUNNER_TEMP/digests/${unit.slug}/\${DIGEST#sha256:}"`,
    });
    steps.push(...smokeSteps(input, unit, '${{ matrix.platform }}', cache.from));
  }
  steps.push({
    id: 'upload-digests',
    name: 'Upload the digests',
    if: NOT_PR,
    uses: ACTIONS.uploadArtifact,
    with: {
      'name': `digests-${input.id}-\${{ matrix.arch }}`,
      'path': '${{ runner.temp }}/digests/*',
      'if-no-files-found': 'error',
      'retention-days': 1,
    },
  });

  const mergeSteps: Step[] = [
    {
      id: 'download-digests',
      name: 'Download the digests',
      uses: ACTIONS.downloadArtifact,
      with: { 'path': '${{ runner.temp }}/digests', 'pattern': `digests-${input.id}-*`, 'merge-multiple': true },
    },
    ...loginSteps(input.registry),
    namesStep(input.names),
    setupBuildxStep(input.remoteBuilder),
  ];
  for (const unit of input.units) {
    mergeSteps.push(metadataStep(`meta-${unit.slug}`, out(unit.imageOutput), unit.labels, unit.tagRules));
    mergeSteps.push({
      id: `manifest-${unit.slug}`,
      name: `Create the ${unit.slug} multi-arch tags`,
      workingDirectory: `\${{ runner.temp }}/digests/${unit.slug}`,
      env: { IMAGE: out(unit.imageOutput), META_JSON: `\${{ steps.meta-${unit.slug}.outputs.json }}` },
      run: [
        'tags=()',
        'while IFS= read -r tag; do tags+=(-t "$tag"); done < <(jq -r \'.tags[]\' <<< "$META_JSON")',
        'refs=()',
        'for digest in *; do refs+=("$IMAGE@sha256:$digest"); done',
        'docker buildx imagetools create "${tags[@]}" "${refs[@]}"',
      ].join('\n'),
    });
    mergeSteps.push({
      id: `inspect-${unit.slug}`,
      name: `Inspect the ${unit.slug} manifest list`,
      env: { IMAGE: out(unit.imageOutput), VERSION: `\${{ steps.meta-${unit.slug}.outputs.version }}` },
      run: 'docker buildx imagetools inspect "$IMAGE:$VERSION"',
    });
  }

  const include = input.platforms.map((p) => ({ platform: p, runner: input.nativeRunners[archSlugOf(p)], arch: archSlugOf(p) }));
  return {
    build: {
      name: 'Build ${{ matrix.platform }}',
      runsOn: ['${{ matrix.runner }}'],
      strategy: { failFast: true, matrix: { domain: {}, include } },
      permissions: permissions(input.registry, true),
      defaults: input.workingDirectory ? { run: { workingDirectory: input.workingDirectory } } : undefined,
      steps,
    },
    merge: {
      name: 'Create multi-arch tags',
      needs: ['build'],
      if: NOT_PR,
      runsOn: [input.runsOn],
      permissions: permissions(input.registry, true),
      steps: mergeSteps,
    },
  };
}

/** The jobs that build, cache, attest and push the images of one Dockerfile. */
export function buildJobs(input: BuildJobsInput): Record<string, Job> {
  return input.strategy === BuildStrategy.NATIVE_RUNNERS ? nativeRunnerJobs(input) : crossCompileJobs(input);
}
