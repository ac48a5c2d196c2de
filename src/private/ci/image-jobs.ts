import { github } from 'projen';
import { BuildStrategy } from '../../ci-options';
import { Platform } from '../../platform';
import { Registry, RegistryKind } from '../../registry';
import { ResolvedCi } from '../config/resolved';
import { archSlugOf } from '../platforms';
import { ACTIONS } from './actions';
import {
  builderContextStep, cacheSettings, checkoutStep, githubRuntimeStep, loginSteps, metadataStep, namesStep, NOT_PR, setupBuildxStep,
  sourceDateEpochStep,
} from './job-steps';
import { BUILDER_CONTEXT_OUTPUT, BUILDER_OUTPUT, EPOCH_OUTPUT, STEP, stepOutput } from './step-ids';

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

/** Everything needed to generate the build jobs of one Dockerfile: the CI settings, and what to build. */
export interface BuildJobsInput extends Pick<ResolvedCi,
'strategy' | 'registry' | 'runsOn' | 'nativeRunners' | 'cache' | 'cacheOnPullRequests' | 'attestations' | 'reproducible' | 'remoteBuilder'> {
  /** Prefix of artifact names, unique per workflow. */
  readonly id: string;
  readonly context: string;
  readonly dockerfile: string;
  readonly platforms: Platform[];
  readonly units: BuildUnit[];
  /** `names` step outputs: key -> bash expression of the repository. */
  readonly names: Record<string, string>;
  /** Stage replaced by the published builder image, when there is one. */
  readonly builderStage?: string;
  /** Build argument that receives the image version from the metadata. */
  readonly versionArg?: string;
  /** The build target that exports debug symbols, when they are split. */
  readonly debugSymbolsTarget?: string;
  /** Secrets that carry the Actions cache credentials to sccache. */
  readonly sccacheSecrets?: readonly string[];
  /** Working directory of run steps in the build job. */
  readonly workingDirectory?: string;
}

/** The architecture the hosted amd64 runner is: the one platform CROSS_COMPILE can smoke-test. */
const RUNNER_PLATFORM = Platform.LINUX_AMD64;

function permissions(registry: Registry): github.workflows.JobPermissions {
  return {
    contents: github.workflows.JobPermission.READ,
    packages: registry.kind === RegistryKind.GHCR ? github.workflows.JobPermission.WRITE : undefined,
    idToken: registry.kind === RegistryKind.ECR ? github.workflows.JobPermission.WRITE : undefined,
  };
}

function commonSetup(input: BuildJobsInput): Step[] {
  const steps = [checkoutStep(), ...loginSteps(input.registry), namesStep(input.names), setupBuildxStep(input.remoteBuilder)];
  if (input.builderStage) steps.push(builderContextStep(input.builderStage, stepOutput(STEP.names, BUILDER_OUTPUT)));
  if (input.reproducible) steps.push(sourceDateEpochStep());
  if (input.sccacheSecrets?.length) steps.push(githubRuntimeStep());
  return steps;
}

/** The `with` inputs every build-push step of a unit shares; `extra` adds or overrides. */
function buildPushWith(input: BuildJobsInput, unit: BuildUnit, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    'context': input.context,
    'file': input.dockerfile,
    'target': unit.target,
    'build-contexts': input.builderStage ? stepOutput(STEP.builder, BUILDER_CONTEXT_OUTPUT) : undefined,
    'build-args': input.versionArg ? `${input.versionArg}=${stepOutput(STEP.meta(unit.slug), 'version')}` : undefined,
    'secrets': input.sccacheSecrets?.length ? input.sccacheSecrets.map((s) => `${s}=\${{ env.${s} }}`).join('\n') : undefined,
    ...extra,
  };
}

function buildEnv(input: BuildJobsInput): Record<string, string> | undefined {
  return input.reproducible ? { SOURCE_DATE_EPOCH: stepOutput(STEP.sourceDateEpoch, EPOCH_OUTPUT) } : undefined;
}

function attestationInputs(input: BuildJobsInput): Record<string, unknown> {
  return input.attestations ? { provenance: 'mode=max', sbom: true } : { provenance: false, sbom: false };
}

/** Build for `platform`, load it, and run it: before anything is pushed, so a failure publishes nothing. */
function smokeSteps(input: BuildJobsInput, unit: BuildUnit, platform: string, cacheFrom: string, condition?: string): Step[] {
  if (!unit.smokeTestArgs?.length) return [];
  const tag = `smoke-${unit.slug}:ci`;
  return [
    {
      id: STEP.smokeBuild(unit.slug),
      name: `Build and load ${unit.slug} for ${platform}`,
      if: condition,
      uses: ACTIONS.buildPush,
      with: buildPushWith(input, unit, { 'platforms': platform, 'load': true, 'tags': tag, 'cache-from': cacheFrom, 'provenance': false, 'sbom': false }),
    },
    {
      id: STEP.smokeRun(unit.slug),
      name: `Smoke test ${unit.slug} before pushing`,
      if: condition,
      run: `docker run --rm ${tag} ${unit.smokeTestArgs.map((a) => `'${a}'`).join(' ')}`,
    },
  ];
}

/** Exports the debug files of `platforms` and uploads them as an artifact. */
function debugSymbolSteps(input: BuildJobsInput, unit: BuildUnit, platforms: string, artifact: string): Step[] {
  if (!input.debugSymbolsTarget) return [];
  return [
    {
      id: STEP.debugSymbols,
      name: 'Export the debug symbols',
      uses: ACTIONS.buildPush,
      with: buildPushWith(input, { ...unit, target: input.debugSymbolsTarget }, {
        platforms: platforms, outputs: 'type=local,dest=${{ runner.temp }}/debug-symbols', provenance: false, sbom: false,
      }),
    },
    github.WorkflowSteps.uploadArtifact({
      id: STEP.uploadDebugSymbols,
      name: 'Upload the debug symbols',
      with: { name: artifact, path: '${{ runner.temp }}/debug-symbols', ifNoFilesFound: 'error' },
    }),
  ];
}

/** The single job of `CROSS_COMPILE`: every platform on one runner, no QEMU; smoke test, then push. */
function crossCompileJobs(input: BuildJobsInput): Record<string, Job> {
  const steps = commonSetup(input);
  const scopeSuffix = input.platforms.map(archSlugOf).join('-');
  const rewrite = input.reproducible ? ',rewrite-timestamp=true' : '';
  for (const unit of input.units) {
    const cache = cacheSettings(input.cache, `${unit.slug}-${scopeSuffix}`, unit.imageOutput, input.cacheOnPullRequests);
    const meta = STEP.meta(unit.slug);
    steps.push(metadataStep(meta, stepOutput(STEP.names, unit.imageOutput), unit.labels, unit.tagRules));
    // The runner is amd64: only that platform can run without emulation.
    if (input.platforms.includes(RUNNER_PLATFORM)) steps.push(...smokeSteps(input, unit, RUNNER_PLATFORM, cache.from));
    steps.push({
      id: STEP.build(unit.slug),
      name: `Build ${unit.slug} (${input.platforms.join(', ')}) and push it`,
      uses: ACTIONS.buildPush,
      env: buildEnv(input),
      with: buildPushWith(input, unit, {
        'platforms': input.platforms.join(','),
        'tags': stepOutput(meta, 'tags'),
        'labels': stepOutput(meta, 'labels'),
        'annotations': stepOutput(meta, 'annotations'),
        'cache-from': cache.from,
        'cache-to': cache.to,
        'outputs': `type=image,push=\${{ ${NOT_PR} }}${rewrite}`,
        ...attestationInputs(input),
      }),
    });
  }
  steps.push(...debugSymbolSteps(input, input.units[0], RUNNER_PLATFORM, `debug-symbols-${input.id}`));
  return {
    build: {
      name: 'Build, test and push',
      runsOn: input.runsOn,
      permissions: permissions(input.registry),
      defaults: input.workingDirectory ? { run: { workingDirectory: input.workingDirectory } } : undefined,
      steps,
    },
  };
}

function mergeJob(input: BuildJobsInput): Job {
  const steps: Step[] = [
    github.WorkflowSteps.downloadArtifact({
      id: STEP.downloadDigests,
      name: 'Download the digests',
      with: { path: '${{ runner.temp }}/digests', pattern: `digests-${input.id}-*`, mergeMultiple: true },
    }),
    ...loginSteps(input.registry),
    namesStep(input.names),
    setupBuildxStep(input.remoteBuilder),
  ];
  for (const unit of input.units) {
    const meta = STEP.meta(unit.slug);
    steps.push(metadataStep(meta, stepOutput(STEP.names, unit.imageOutput), unit.labels, unit.tagRules));
    steps.push({
      id: STEP.manifest(unit.slug),
      name: `Create the ${unit.slug} multi-arch tags`,
      workingDirectory: `\${{ runner.temp }}/digests/${unit.slug}`,
      env: { IMAGE: stepOutput(STEP.names, unit.imageOutput), META_JSON: stepOutput(meta, 'json') },
      run: [
        'args=()',
        'while IFS= read -r tag; do args+=(-t "$tag"); done < <(jq -r \'.tags[]\' <<< "$META_JSON")',
        'while IFS= read -r a; do args+=(--annotation "$a"); done < <(jq -r \'.annotations[] | select(startswith("index:"))\' <<< "$META_JSON")',
        'for digest in *; do args+=("$IMAGE@sha256:$digest"); done',
        'docker buildx imagetools create "${args[@]}"',
      ].join('\n'),
    });
    steps.push({
      id: STEP.inspect(unit.slug),
      name: `Inspect the ${unit.slug} manifest list`,
      env: { IMAGE: stepOutput(STEP.names, unit.imageOutput), VERSION: stepOutput(meta, 'version') },
      run: 'docker buildx imagetools inspect "$IMAGE:$VERSION"',
    });
  }
  return { name: 'Create multi-arch tags', needs: ['build'], if: NOT_PR, runsOn: input.runsOn, permissions: permissions(input.registry), steps };
}

/**
 * `NATIVE_RUNNERS`: one job per platform (smoke test, then push by digest),
 * then a merge job. A platform without a runner of its own arch is
 * cross-compiled on the amd64 runner and skips the smoke test.
 */
function nativeRunnerJobs(input: BuildJobsInput): Record<string, Job> {
  const steps = commonSetup(input);
  const rewrite = input.reproducible ? ',rewrite-timestamp=true' : '';
  for (const unit of input.units) {
    const cache = cacheSettings(input.cache, `${unit.slug}-\${{ matrix.arch }}`, unit.imageOutput, input.cacheOnPullRequests);
    const meta = STEP.meta(unit.slug);
    const build = STEP.build(unit.slug);
    steps.push(metadataStep(meta, stepOutput(STEP.names, unit.imageOutput), unit.labels, unit.tagRules));
    steps.push(...smokeSteps(input, unit, '${{ matrix.platform }}', cache.from, 'matrix.smoke'));
    steps.push({
      id: build,
      name: `Build ${unit.slug} (\${{ matrix.platform }}) and push it by digest`,
      uses: ACTIONS.buildPush,
      env: buildEnv(input),
      with: buildPushWith(input, unit, {
        'platforms': '${{ matrix.platform }}',
        'labels': stepOutput(meta, 'labels'),
        'annotations': stepOutput(meta, 'annotations'),
        'cache-from': cache.from,
        'cache-to': cache.to,
        'outputs': `type=image,name=${stepOutput(STEP.names, unit.imageOutput)},push-by-digest=true,name-canonical=true,push=\${{ ${NOT_PR} }}${rewrite}`,
        ...attestationInputs(input),
      }),
    });
    steps.push({
      id: STEP.digest(unit.slug),
      name: `Export the ${unit.slug} digest`,
      if: NOT_PR,
      env: { DIGEST: stepOutput(build, 'digest') },
      run: `mkdir -p "$RUNNER_TEMP/digests/${unit.slug}"\ntouch "$RUNNER_TEMP/digests/${unit.slug}/\${DIGEST#sha256:}"`,
    });
  }
  steps.push(github.WorkflowSteps.uploadArtifact({
    id: STEP.uploadDigests,
    name: 'Upload the digests',
    if: NOT_PR,
    with: { name: `digests-${input.id}-\${{ matrix.arch }}`, path: '${{ runner.temp }}/digests/*', ifNoFilesFound: 'error', retentionDays: 1 },
  }));
  steps.push(...debugSymbolSteps(input, input.units[0], '${{ matrix.platform }}', `debug-symbols-${input.id}-\${{ matrix.arch }}`));

  // amd64 and arm64 have hosted runners of their own, so their images run there; the others are
  // cross-compiled on another arch's runner and would need QEMU to run.
  const include = input.platforms.map((p) => {
    const arch = archSlugOf(p);
    return { platform: p, runner: JSON.stringify(input.nativeRunners[arch]), arch, smoke: arch === 'amd64' || arch === 'arm64' };
  });
  return {
    build: {
      name: 'Build ${{ matrix.platform }}',
      runsOn: ['${{ fromJSON(matrix.runner) }}'],
      strategy: { failFast: true, matrix: { domain: {}, include } },
      permissions: permissions(input.registry),
      defaults: input.workingDirectory ? { run: { workingDirectory: input.workingDirectory } } : undefined,
      steps,
    },
    merge: mergeJob(input),
  };
}

/** The jobs that build, test, cache, attest and push the images of one Dockerfile. */
export function buildJobs(input: BuildJobsInput): Record<string, Job> {
  return input.strategy === BuildStrategy.NATIVE_RUNNERS ? nativeRunnerJobs(input) : crossCompileJobs(input);
}

