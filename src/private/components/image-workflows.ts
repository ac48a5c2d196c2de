import { posix } from 'path';
import { github, Project } from 'projen';
import { imageScriptPath } from './image-tasks';
import { BUILDER_PLATFORMS, pathFromRoot, RustBuilderImage } from './rust-builder-image';
import { BuildStrategy } from '../../ci-options';
import { Platform } from '../../platform';
import { BuildJobsInput } from '../ci/build-input';
import { buildJobs } from '../ci/image-jobs';
import { imageRefExpression } from '../ci/registry-behaviour';
import { BUILDER_OUTPUT, imageOutputKey } from '../ci/step-ids';
import { BUILDER_STAGE } from '../config/constants';
import { GIT_TOKEN_SECRET_ID } from '../config/resolve-private-git';
import { ResolvedCi, ResolvedImage } from '../config/resolved';
import { SCCACHE_SECRETS, STAGES, VERSION_ARG } from '../dockerfile/app-dockerfile';
import { CARGO_TARGET_DELTA_MARK, CARGO_TARGET_IMPORT, CARGO_TARGET_RUN_ARG } from '../dockerfile/cargo-target-cache';

function joinPath(...parts: string[]): string {
  const p = posix.join(...parts.filter((x) => x && x !== '.'));
  return p === '' ? '.' : p;
}

/** `.github/workflows/<name>.yml`. */
export function workflowFile(name: string): string {
  return `.github/workflows/${name}.yml`;
}

/**
 * `if:` of the jobs when the publishing branch is read at run time: pull
 * requests, dispatches and schedules run, and of the pushes only tags and the
 * repository's default branch, whatever its name.
 */
const DEFAULT_BRANCH_PUSHES = "github.event_name != 'push' || github.ref_type == 'tag' || github.ref_name == github.event.repository.default_branch";

/** The push trigger: the configured branch, or every branch (the jobs then keep the default branch's). */
function pushTrigger(defaultBranch: string | undefined, paths: string[] | undefined, tags: boolean): github.workflows.PushOptions {
  return { branches: [defaultBranch ?? '**'], tags: tags ? ['v*'] : undefined, paths };
}

/** Cancels superseded pull-request runs; pushes always finish. */
export function limitConcurrency(wf: github.GithubWorkflow): void {
  wf.file?.addOverride('concurrency', { 'group': '${{ github.workflow }}-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" });
}

/** The image workflow's jobs input. */
function imageJobsInput(project: Project, image: ResolvedImage, ci: ResolvedCi, builder: RustBuilderImage): BuildJobsInput {
  const fromRoot = pathFromRoot(project);
  const context = joinPath(fromRoot, image.paths.contextPath);
  const cargoRootFromRoot = joinPath(context, image.paths.crateInContext);
  const names: Record<string, string> = { [BUILDER_OUTPUT]: `${imageRefExpression(ci.registry, builder.name)}:${builder.tag}` };
  for (const b of image.binaries) names[imageOutputKey(b.slug)] = imageRefExpression(ci.registry, b.imageName);
  return {
    id: image.id,
    context,
    dockerfile: joinPath(fromRoot, image.paths.dockerfile),
    platforms: image.platforms,
    units: image.binaries.map((b) => ({
      slug: b.slug, target: b.stage, imageOutput: imageOutputKey(b.slug), labels: b.labels, smokeTestArgs: ci.smokeTestArgs,
    })),
    registry: ci.registry,
    names,
    strategy: ci.strategy,
    runsOn: ci.runsOn,
    nativeRunners: ci.nativeRunners,
    cache: ci.cache,
    cacheOnPullRequests: ci.cacheOnPullRequests,
    attestations: ci.attestations,
    signedAttestations: ci.signedAttestations,
    reproducible: ci.reproducible,
    remoteBuilder: ci.remoteBuilder,
    builderStage: BUILDER_STAGE,
    versionArg: VERSION_ARG,
    compileTarget: STAGES.build,
    debugSymbolsTarget: image.debugSymbols ? STAGES.debugSymbols : undefined,
    gate: image.gate ? { binariesStage: STAGES.binaries, script: posix.relative(context, joinPath(fromRoot, imageScriptPath(image))) } : undefined,
    cargoTargetCache: image.cargoTargetCache ? {
      seedStage: STAGES.cargoTargetSeed,
      importContext: CARGO_TARGET_IMPORT,
      runArg: CARGO_TARGET_RUN_ARG,
      exportStage: STAGES.cargoTargetExport,
      deltaMark: CARGO_TARGET_DELTA_MARK,
      keyPrefix: `cargo-target-${image.id}-${builder.tag}`,
      // The dependency set: the lock and every manifest under the Cargo root (what cargo-chef's recipe is made of).
      hashFiles: [joinPath(cargoRootFromRoot, 'Cargo.lock'), joinPath(cargoRootFromRoot, '**/Cargo.toml')],
    } : undefined,
    sccacheSecrets: image.sccache?.githubActionsCache ? SCCACHE_SECRETS : undefined,
    gitToken: image.privateGit ? { id: GIT_TOKEN_SECRET_ID, secret: image.privateGit.tokenSecret } : undefined,
    workingDirectory: context === '.' ? undefined : context,
    jobCondition: ci.defaultBranch ? undefined : DEFAULT_BRANCH_PUSHES,
    embeddedSboms: image.builder.targetLibraries.length > 0,
  };
}

/**
 * Adds the image workflow, and the builder's workflow the first time a
 * builder is seen. The CI settings were validated before.
 */
export function addImageWorkflows(
  project: Project, gh: github.GitHub, image: ResolvedImage, ci: ResolvedCi, builder: RustBuilderImage,
): github.GithubWorkflow {
  const input = imageJobsInput(project, image, ci, builder);
  const wf = new github.GithubWorkflow(gh, ci.workflowName);
  limitConcurrency(wf);
  const paths = input.context === '.' ? undefined : [`${input.context}/**`, workflowFile(ci.workflowName)];
  wf.on({ push: pushTrigger(ci.defaultBranch, paths, true), pullRequest: { paths }, workflowDispatch: {} });
  wf.addJobs(buildJobs(input));

  if (!gh.tryFindWorkflow(builder.name)) {
    // Each builder its own repository, named as its files are: builders of different settings never push one tag.
    const builderRepo = imageRefExpression(ci.registry, builder.name);
    const bwf = new github.GithubWorkflow(gh, builder.name);
    limitConcurrency(bwf);
    const bpaths = [builder.dockerfileFromRoot, workflowFile(builder.name)];
    bwf.on({ push: pushTrigger(ci.defaultBranch, bpaths, false), pullRequest: { paths: bpaths }, schedule: [{ cron: '17 4 * * 1' }], workflowDispatch: {} });
    bwf.addJobs(buildJobs({
      ...input,
      id: builder.name,
      context: posix.dirname(builder.dockerfileFromRoot),
      dockerfile: builder.dockerfileFromRoot,
      platforms: BUILDER_PLATFORMS as Platform[],
      units: [{
        slug: 'builder',
        imageOutput: BUILDER_OUTPUT,
        tagRules: [`type=raw,value=${builder.tag}`, `type=raw,value=${builder.spec.rustVersion}`].join('\n'),
        // The cross-compiled tools run on every platform before the builder is pushed.
        smokeTestArgs: ['cargo', 'zigbuild', '--version'],
        labels: [
          ['org.opencontainers.image.title', builder.name],
          ['org.opencontainers.image.description', `Rust ${builder.spec.rustVersion} with ${builder.spec.tools.map((t) => `${t.crate} ${t.version}`).join(', ')} and zig`],
        ],
      }],
      names: { [BUILDER_OUTPUT]: builderRepo },
      // One amd64 runner builds both platforms: the tools are cross-compiled on the build
      // platform, and the arm64 image's own steps (apk add, rustup target add) are cheap under QEMU.
      strategy: BuildStrategy.CROSS_COMPILE,
      emulatedRunSteps: true,
      builderStage: undefined,
      versionArg: undefined,
      compileTarget: undefined,
      debugSymbolsTarget: undefined,
      gate: undefined,
      sccacheSecrets: undefined,
      cargoTargetCache: undefined,
      workingDirectory: undefined,
    }));
  }
  return wf;
}
