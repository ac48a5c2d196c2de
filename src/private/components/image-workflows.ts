import { posix, relative } from 'path';
import { github, Project } from 'projen';
import { assertNotHandWritten } from './file-guard';
import { BUILDER_PLATFORMS, RustBuilderImage } from './rust-builder-image';
import { BuildStrategy, CacheBackend, CiOptions } from '../ci/ci-options';
import { BuildJobsInput, buildJobs } from '../ci/image-jobs';
import { imageOutputKey } from '../ci/job-steps';
import { Registry } from '../ci/registry';
import { imageRefExpression } from '../ci/registry-refs';
import { BUILDER_STAGE } from '../config/defaults';
import { ResolvedImage } from '../config/resolved';
import { RustDockerConfigError } from '../errors';
import { Platform } from '../platform';
import { assertPattern, assertSafe } from '../validation/safe-values';

const builderWorkflows = new WeakSet<RustBuilderImage>();

const DEFAULT_RUNNERS = { amd64: 'ubuntu-24.04', arm64: 'ubuntu-24.04-arm', armv7: 'ubuntu-24.04-arm' };
const RUNNER_LABEL = /^[A-Za-z0-9_.-]+$/;

/** Posix path of `project`'s folder relative to the root project ('' for the root). */
function pathFromRoot(project: Project): string {
  return relative(project.root.outdir, project.outdir).split(/[\\/]/).filter(Boolean).join('/');
}

function joinPath(...parts: string[]): string {
  const p = posix.join(...parts.filter((x) => x && x !== '.'));
  return p === '' ? '.' : p;
}

/** The validated CI settings with defaults applied. */
interface CiSettings {
  readonly strategy: BuildStrategy;
  readonly registry: Registry;
  readonly runsOn: string;
  readonly nativeRunners: Record<string, string>;
  readonly cache: CacheBackend;
  readonly attestations: boolean;
  readonly reproducible: boolean;
  readonly remoteBuilder?: { driver: string; endpoint: string };
  readonly smokeTestArgs: string[];
  readonly defaultBranch: string;
}

function settingsOf(ci: CiOptions): CiSettings {
  const runsOn = ci.runsOn ?? 'ubuntu-24.04';
  assertPattern('ci.runsOn', runsOn, RUNNER_LABEL, 'a runner label such as "ubuntu-24.04"');
  const nativeRunners = {
    amd64: ci.nativeRunners?.amd64 ?? DEFAULT_RUNNERS.amd64,
    arm64: ci.nativeRunners?.arm64 ?? DEFAULT_RUNNERS.arm64,
    armv7: ci.nativeRunners?.armV7 ?? DEFAULT_RUNNERS.armv7,
  };
  for (const [k, v] of Object.entries(nativeRunners)) assertPattern(`ci.nativeRunners.${k}`, v, RUNNER_LABEL, 'a runner label');
  if (ci.remoteBuilder) {
    assertPattern('ci.remoteBuilder.driver', ci.remoteBuilder.driver, /^[a-z-]+$/, 'a buildx driver such as "remote" or "cloud"');
    assertPattern('ci.remoteBuilder.endpoint', ci.remoteBuilder.endpoint, /^[A-Za-z0-9_.:/@-]+$/, 'an endpoint such as "tcp://buildkitd:1234"');
  }
  (ci.smokeTestArgs ?? []).forEach((a, i) => assertSafe(`ci.smokeTestArgs[${i}]`, a));
  const defaultBranch = ci.defaultBranch ?? 'main';
  assertPattern('ci.defaultBranch', defaultBranch, /^[A-Za-z0-9._/-]+$/, 'a branch name');
  if (ci.strategy !== undefined && !Object.values(BuildStrategy).includes(ci.strategy)) {
    throw new RustDockerConfigError('ci.strategy', `"${ci.strategy}" is not a strategy`, 'use BuildStrategy.CROSS_COMPILE or BuildStrategy.NATIVE_RUNNERS');
  }
  return {
    strategy: ci.strategy ?? BuildStrategy.CROSS_COMPILE,
    registry: ci.registry ?? Registry.ghcr(),
    runsOn,
    nativeRunners,
    cache: ci.cache ?? CacheBackend.GITHUB_ACTIONS,
    attestations: ci.attestations ?? true,
    reproducible: ci.reproducible ?? true,
    remoteBuilder: ci.remoteBuilder,
    smokeTestArgs: ci.smokeTestArgs ?? [],
    defaultBranch,
  };
}

function triggers(branch: string, paths: string[] | undefined, extra: Partial<github.workflows.Triggers> = {}): github.workflows.Triggers {
  return {
    push: { branches: [branch], tags: extra.push ? undefined : ['v*'], paths },
    pullRequest: { paths },
    workflowDispatch: {},
    ...extra,
  };
}

function concurrency() {
  return { group: '${{ github.workflow }}-${{ github.ref }}', cancelInProgress: "${{ github.event_name == 'pull_request' }}" as unknown as boolean };
}

/**
 * Plans the image workflow (and the builder workflow, once per builder) for
 * a RustDockerImage. All checks run at once; `create()` adds the workflows.
 */
export function addImageWorkflows(project: Project, image: ResolvedImage, builder: RustBuilderImage, ci: CiOptions | undefined, adopt: boolean): { create(): void } {
  const nothing = { create() {} };
  if (ci?.enabled === false) return nothing;
  const settings = settingsOf(ci ?? {});
  const gh = github.GitHub.of(project.root);
  if (!gh) {
    project.logger.warn(`projen-rust-docker: the root project has no GitHub support, so no workflows were generated for ${image.id}. Enable github in the root project, or set ci.enabled: false to silence this.`);
    return nothing;
  }
  const workflowName = ci?.workflowName ?? `docker-${image.id}`;
  assertPattern('ci.workflowName', workflowName, /^[A-Za-z0-9_-]+$/, 'a workflow file name (letters, digits, - and _)');
  const rootOutdir = project.root.outdir;
  const workflowFile = `.github/workflows/${workflowName}.yml`;
  assertNotHandWritten(rootOutdir, workflowFile, 'ci.workflowName', adopt);
  const builderWorkflowName = builder.name;
  const builderWorkflowFile = `.github/workflows/${builderWorkflowName}.yml`;
  const makeBuilderWorkflow = !builderWorkflows.has(builder);
  if (makeBuilderWorkflow) assertNotHandWritten(rootOutdir, builderWorkflowFile, 'builder (its workflow)', adopt);

  const fromRoot = pathFromRoot(project);
  const context = joinPath(fromRoot, image.contextDir);
  const dockerfile = joinPath(context, image.dockerfile);
  const registry = settings.registry;
  const builderRepo = imageRefExpression(registry, 'rust-builder');

  const names: Record<string, string> = { builder: `${builderRepo}:${builder.tag}` };
  for (const b of image.binaries) names[imageOutputKey(b.slug)] = imageRefExpression(registry, b.imageName);

  const input: BuildJobsInput = {
    id: image.id,
    context,
    dockerfile,
    platforms: image.platforms,
    units: image.binaries.map((b) => ({
      slug: b.slug,
      target: b.stage,
      imageOutput: imageOutputKey(b.slug),
      labels: b.labels,
      smokeTestArgs: settings.smokeTestArgs,
    })),
    registry,
    names,
    strategy: settings.strategy,
    runsOn: settings.runsOn,
    nativeRunners: settings.nativeRunners,
    cache: settings.cache,
    attestations: settings.attestations,
    reproducible: settings.reproducible,
    remoteBuilder: settings.remoteBuilder,
    builderStage: BUILDER_STAGE,
    workingDirectory: context === '.' ? undefined : context,
  };
  const jobs = buildJobs(input);
  const paths = context === '.' ? undefined : [`${context}/**`, workflowFile];

  return {
    create() {
      const wf = new github.GithubWorkflow(gh, workflowName, { limitConcurrency: true, concurrencyOptions: concurrency() } as github.GithubWorkflowOptions);
      wf.on(triggers(settings.defaultBranch, paths));
      wf.addJobs(jobs);
      if (makeBuilderWorkflow) {
        builderWorkflows.add(builder);
        const builderInput: BuildJobsInput = {
          ...input,
          id: builder.name,
          context: posix.dirname(builder.dockerfileFromRoot),
          dockerfile: builder.dockerfileFromRoot,
          platforms: BUILDER_PLATFORMS as Platform[],
          units: [{
            slug: 'builder',
            imageOutput: 'builder',
            tagRules: [`type=raw,value=${builder.tag}`, `type=raw,value=${builder.spec.rustVersion}`].join('\n'),
            labels: [['org.opencontainers.image.title', builder.name], ['org.opencontainers.image.description', `Rust ${builder.spec.rustVersion} with cargo-chef ${builder.spec.cargoChefVersion}, cargo-zigbuild ${builder.spec.cargoZigbuildVersion} and zig`]],
          }],
          names: { builder: builderRepo },
          // The builder image has RUN steps, so each platform builds on its own native runner.
          strategy: BuildStrategy.NATIVE_RUNNERS,
          builderStage: undefined,
          workingDirectory: undefined,
        };
        const bwf = new github.GithubWorkflow(gh, builderWorkflowName, { limitConcurrency: true, concurrencyOptions: concurrency() } as github.GithubWorkflowOptions);
        const bpaths = [builder.dockerfileFromRoot, builderWorkflowFile];
        bwf.on({
          push: { branches: [settings.defaultBranch], paths: bpaths },
          pullRequest: { paths: bpaths },
          schedule: [{ cron: '17 4 * * 1' }],
          workflowDispatch: {},
        });
        bwf.addJobs(buildJobs(builderInput));
      }
    },
  };
}
