import { github } from 'projen';
import { ACTIONS } from './actions';
import { BuildJobsInput, BuildUnit, secretsInput } from './build-input';
import { cargoTargetSteps } from './cargo-target-steps';
import {
  builderContextStep, cacheScope, cacheSettings, checkoutStep, githubRuntimeStep, metadataStep, namesStep, NOT_PR, qemuStep, setupBuildxStep,
  sourceDateEpochStep,
} from './job-steps';
import { loginSteps, registryPermissions } from './registry-behaviour';
import { BUILDER_CONTEXT_OUTPUT, BUILDER_OUTPUT, DIGEST_OUTPUT, EPOCH_OUTPUT, STEP, stepOutput } from './step-ids';
import { gateSteps, signingPermissions, signingSteps } from './trust-steps';
import { BuildStrategy, SignedAttestations } from '../../ci-options';
import { Platform } from '../../platform';
import { Registry } from '../../registry';
import { archSlugOf, RUNNER_PLATFORM } from '../platforms';

type Job = github.workflows.Job;
type Step = github.workflows.JobStep;

/** A job's permissions: a pull request's job reads (no write token, no OIDC token); the publishing job pushes, and signs when it signs. */
function permissions(registry: Registry, publish: boolean, sign: boolean): github.workflows.JobPermissions {
  const signing = publish && sign ? signingPermissions() : {};
  return { contents: github.workflows.JobPermission.READ, ...registryPermissions(registry, publish), ...signing };
}

/** `if:` of a pull request's job. */
const ON_PR = "github.event_name == 'pull_request'";

/** `if:` of a job: the pull request's, or the publishing job's (no pull request, and the pushes `jobCondition` keeps). */
function jobIf(input: BuildJobsInput, publish: boolean): string {
  if (!publish) return ON_PR;
  return input.jobCondition ? `${NOT_PR} && (${input.jobCondition})` : NOT_PR;
}

function smokes(input: BuildJobsInput): boolean {
  return input.units.some((u) => u.smokeTestArgs?.length);
}

function commonSetup(input: BuildJobsInput, platforms: Platform[], publish: boolean): Step[] {
  const steps = [checkoutStep(), ...loginSteps(input.registry, publish), namesStep(input.names)];
  if (input.emulatedRunSteps || (smokes(input) && platforms.some((p) => p !== RUNNER_PLATFORM))) steps.push(qemuStep());
  steps.push(setupBuildxStep(input.remoteBuilder));
  if (input.builderStage) steps.push(builderContextStep(input.builderStage, stepOutput(STEP.names, BUILDER_OUTPUT)));
  if (input.reproducible) steps.push(sourceDateEpochStep());
  if (input.sccacheSecrets?.length) steps.push(githubRuntimeStep());
  return steps;
}

/** The `with` inputs every build-push step of a unit shares; `extra` adds or overrides. */
export function buildPushWith(
  input: BuildJobsInput, target: string | undefined, versionFrom: string | undefined, extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    'context': input.context,
    'file': input.dockerfile,
    'target': target,
    'build-contexts': input.builderStage ? stepOutput(STEP.builder, BUILDER_CONTEXT_OUTPUT) : undefined,
    'build-args': input.versionArg && versionFrom ? `${input.versionArg}=${stepOutput(versionFrom, 'version')}` : undefined,
    'secrets': secretsInput(input),
    ...extra,
  };
}

function buildEnv(input: BuildJobsInput): Record<string, string> | undefined {
  return input.reproducible ? { SOURCE_DATE_EPOCH: stepOutput(STEP.sourceDateEpoch, EPOCH_OUTPUT) } : undefined;
}

function attestationInputs(input: BuildJobsInput): Record<string, unknown> {
  return input.attestations ? { provenance: 'mode=max', sbom: true } : { provenance: false, sbom: false };
}

/**
 * The compile, in a step of its own before the per-platform loads and smoke
 * tests, so a compile error shows under it: the build stage for `platforms`
 * (one compile for all of them), its layers written to the cache (where the
 * job may write it) even when a later test fails.
 */
function compileStep(
  input: BuildJobsInput, platforms: string, archScope: string, caches: Array<{ from: string; to: string }>, publish: boolean,
): Step[] {
  if (!input.compileTarget) return [];
  const names = input.units.map((u) => u.slug).join(', ');
  const writes = publish || input.cacheOnPullRequests;
  const cargoTarget = cargoTargetSteps(input, archScope, (target, extra) => buildPushWith(input, target, undefined, extra), writes);
  return [...cargoTarget.before, {
    id: STEP.compile,
    name: `Compile ${names} for ${platforms}`,
    uses: ACTIONS.buildPush,
    env: buildEnv(input),
    with: buildPushWith(input, input.compileTarget, undefined, {
      'platforms': platforms,
      'cache-from': caches.map((c) => c.from).join('\n'),
      'cache-to': publish || input.cacheOnPullRequests ? caches.map((c) => c.to).join('\n') : undefined,
      'outputs': 'type=cacheonly',
      'provenance': false,
      'sbom': false,
    }),
  }, ...cargoTarget.after];
}

/**
 * Build one platform's image, load it, and run it with the smoke-test
 * arguments: natively on a runner of its architecture, else under QEMU (the
 * finished binary only). Before anything is pushed, so a failure publishes
 * nothing; the push that follows reuses these layers.
 */
function smokeSteps(input: BuildJobsInput, unit: BuildUnit, platform: string, arch: string, cacheFrom: string, oneOfSeveral: boolean): Step[] {
  if (!unit.smokeTestArgs?.length) return [];
  const tag = `smoke-${unit.slug}-${arch}:ci`;
  const idArch = oneOfSeveral ? arch : undefined;
  return [
    {
      id: STEP.smokeBuild(unit.slug, idArch),
      name: `Build and load ${unit.slug} for ${platform}`,
      uses: ACTIONS.buildPush,
      env: buildEnv(input),
      with: buildPushWith(input, unit.target, STEP.meta(unit.slug), {
        'platforms': platform, 'load': true, 'tags': tag, 'cache-from': cacheFrom, 'provenance': false, 'sbom': false,
      }),
    },
    {
      id: STEP.smokeRun(unit.slug, idArch),
      name: `Smoke test ${unit.slug} on ${platform} before pushing`,
      run: `docker run --rm --platform ${platform} ${tag} ${unit.smokeTestArgs.map((a) => `'${a}'`).join(' ')}`,
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
      with: buildPushWith(input, input.debugSymbolsTarget, STEP.meta(unit.slug), {
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

/** Whether a job signs: CI signs, and the job is the one that pushes the tags. */
function signs(input: BuildJobsInput): boolean {
  return input.signedAttestations !== SignedAttestations.NEVER;
}

/**
 * One job of `CROSS_COMPILE`: every platform on one runner. The compile has
 * a step of its own; each platform's image is smoke-tested (other
 * architectures under QEMU) and the vulnerability gate checks every binary.
 * The publishing job then pushes the images and signs their digests; a pull
 * request's job stops before that, with no token that writes or signs.
 */
function crossCompileJob(input: BuildJobsInput, publish: boolean): Job {
  const steps = commonSetup(input, input.platforms, publish);
  const rewrite = input.reproducible ? ',rewrite-timestamp=true' : '';
  const archs = input.platforms.map(archSlugOf);
  const caches = input.units.map((u) => cacheSettings(input.cache, cacheScope(u.slug, archs), u.imageOutput, input.cacheOnPullRequests));
  input.units.forEach((unit) => steps.push(metadataStep(STEP.meta(unit.slug), stepOutput(STEP.names, unit.imageOutput), unit.labels, unit.tagRules)));
  steps.push(...compileStep(input, input.platforms.join(','), archs.join('-'), caches, publish));
  input.units.forEach((unit, i) => {
    for (const p of input.platforms) steps.push(...smokeSteps(input, unit, p, archSlugOf(p), caches[i].from, true));
  });
  if (input.gate) steps.push(...gateSteps(input, input.platforms.join(','), caches[0].from, `audit-${input.id}`));
  if (publish) {
    input.units.forEach((unit, i) => {
      const meta = STEP.meta(unit.slug);
      steps.push({
        id: STEP.build(unit.slug),
        name: `Build ${unit.slug} (${input.platforms.join(', ')}) and push it`,
        uses: ACTIONS.buildPush,
        env: buildEnv(input),
        with: buildPushWith(input, unit.target, meta, {
          'platforms': input.platforms.join(','),
          'tags': stepOutput(meta, 'tags'),
          'labels': stepOutput(meta, 'labels'),
          'annotations': stepOutput(meta, 'annotations'),
          'cache-from': caches[i].from,
          'cache-to': caches[i].to,
          'outputs': `type=image,push=true${rewrite}`,
          ...attestationInputs(input),
        }),
      });
      steps.push(...signingSteps(input, unit, stepOutput(STEP.build(unit.slug), 'digest')));
    });
  }
  steps.push(...debugSymbolSteps(input, input.units[0], input.platforms.join(','), `debug-symbols-${input.id}`));
  return {
    name: publish ? 'Build, test and push' : 'Build and test (pull request: nothing is pushed)',
    runsOn: input.runsOn,
    if: jobIf(input, publish),
    permissions: permissions(input.registry, publish, signs(input)),
    defaults: input.workingDirectory ? { run: { workingDirectory: input.workingDirectory } } : undefined,
    steps,
  };
}

/** `CROSS_COMPILE`: a pull request's job, and the job that publishes. */
function crossCompileJobs(input: BuildJobsInput): Record<string, Job> {
  return { test: crossCompileJob(input, false), build: crossCompileJob(input, true) };
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
      env: { IMAGE: stepOutput(STEP.names, unit.imageOutput), META_JSON: stepOutput(meta, 'json'), VERSION: stepOutput(meta, 'version') },
      run: [
        'args=()',
        'while IFS= read -r tag; do args+=(-t "$tag"); done < <(jq -r \'.tags[]\' <<< "$META_JSON")',
        'while IFS= read -r a; do args+=(--annotation "$a"); done < <(jq -r \'.annotations[] | select(startswith("index:"))\' <<< "$META_JSON")',
        'for digest in *; do args+=("$IMAGE@sha256:$digest"); done',
        'docker buildx imagetools create "${args[@]}"',
        'docker buildx imagetools inspect "$IMAGE:$VERSION"',
        `echo "${DIGEST_OUTPUT}=$(docker buildx imagetools inspect "$IMAGE:$VERSION" --format '{{json .Manifest}}' | jq -r .digest)" >> "$GITHUB_OUTPUT"`,
      ].join('\n'),
    });
    steps.push(...signingSteps(input, unit, stepOutput(STEP.manifest(unit.slug), DIGEST_OUTPUT)));
  }
  return {
    name: 'Create multi-arch tags',
    needs: ['build'],
    if: jobIf(input, true),
    runsOn: input.runsOn,
    permissions: permissions(input.registry, true, signs(input)),
    steps,
  };
}

/** One platform's push by digest of a unit (off pull requests, which build only), and the digest kept for the merge job. */
function pushByDigestSteps(input: BuildJobsInput, unit: BuildUnit, cache: { from: string; to: string }, rewrite: string): Step[] {
  const meta = STEP.meta(unit.slug);
  const build = STEP.build(unit.slug);
  return [
    {
      id: build,
      name: `Build ${unit.slug} (\${{ matrix.platform }}) and push it by digest`,
      uses: ACTIONS.buildPush,
      env: buildEnv(input),
      with: buildPushWith(input, unit.target, meta, {
        'platforms': '${{ matrix.platform }}',
        'labels': stepOutput(meta, 'labels'),
        'annotations': stepOutput(meta, 'annotations'),
        'cache-from': cache.from,
        'cache-to': cache.to,
        'outputs': `type=image,name=${stepOutput(STEP.names, unit.imageOutput)},push-by-digest=true,name-canonical=true,push=true${rewrite}`,
        ...attestationInputs(input),
      }),
    },
    {
      id: STEP.digest(unit.slug),
      name: `Export the ${unit.slug} digest`,
      env: { DIGEST: stepOutput(build, 'digest') },
      run: `mkdir -p "$RUNNER_TEMP/digests/${unit.slug}"\ntouch "$RUNNER_TEMP/digests/${unit.slug}/\${DIGEST#sha256:}"`,
    },
  ];
}

/**
 * One matrix job of `NATIVE_RUNNERS`, a job per platform: compile, smoke
 * test and gate, then (the publishing job) push by digest for the merge job.
 * A platform runs on its configured runner, by default `runsOn`; a platform
 * of another architecture than its runner is cross-compiled and its smoke
 * test runs under QEMU.
 */
function nativeRunnerJob(input: BuildJobsInput, publish: boolean): Job {
  const steps = commonSetup(input, input.platforms, publish);
  const rewrite = input.reproducible ? ',rewrite-timestamp=true' : '';
  const caches = input.units.map((u) => cacheSettings(input.cache, cacheScope(u.slug, ['${{ matrix.arch }}']), u.imageOutput, input.cacheOnPullRequests));
  input.units.forEach((unit) => steps.push(metadataStep(STEP.meta(unit.slug), stepOutput(STEP.names, unit.imageOutput), unit.labels, unit.tagRules)));
  steps.push(...compileStep(input, '${{ matrix.platform }}', '${{ matrix.arch }}', caches, publish));
  input.units.forEach((unit, i) => steps.push(...smokeSteps(input, unit, '${{ matrix.platform }}', '${{ matrix.arch }}', caches[i].from, false)));
  if (input.gate) steps.push(...gateSteps(input, '${{ matrix.platform }}', caches[0].from, `audit-${input.id}-\${{ matrix.arch }}`));
  if (publish) {
    input.units.forEach((unit, i) => steps.push(...pushByDigestSteps(input, unit, caches[i], rewrite)));
    steps.push(github.WorkflowSteps.uploadArtifact({
      id: STEP.uploadDigests,
      name: 'Upload the digests',
      with: { name: `digests-${input.id}-\${{ matrix.arch }}`, path: '${{ runner.temp }}/digests/*', ifNoFilesFound: 'error', retentionDays: 1 },
    }));
  }
  steps.push(...debugSymbolSteps(input, input.units[0], '${{ matrix.platform }}', `debug-symbols-${input.id}-\${{ matrix.arch }}`));
  const include = input.platforms.map((p) => ({ platform: p, runner: JSON.stringify(input.nativeRunners[p]), arch: archSlugOf(p) }));
  return {
    name: publish ? 'Build ${{ matrix.platform }}' : 'Build and test ${{ matrix.platform }} (pull request: nothing is pushed)',
    runsOn: ['${{ fromJSON(matrix.runner) }}'],
    if: jobIf(input, publish),
    strategy: { failFast: true, matrix: { domain: {}, include } },
    permissions: permissions(input.registry, publish, false),
    defaults: input.workingDirectory ? { run: { workingDirectory: input.workingDirectory } } : undefined,
    steps,
  };
}

/** `NATIVE_RUNNERS`: a pull request's matrix job; the publishing matrix job, then the merge job that creates the tags and signs the index. */
function nativeRunnerJobs(input: BuildJobsInput): Record<string, Job> {
  return { test: nativeRunnerJob(input, false), build: nativeRunnerJob(input, true), merge: mergeJob(input) };
}

/** The jobs that build, test, gate, cache, push and sign the images of one Dockerfile. */
export function buildJobs(input: BuildJobsInput): Record<string, Job> {
  return input.strategy === BuildStrategy.NATIVE_RUNNERS ? nativeRunnerJobs(input) : crossCompileJobs(input);
}
