import { Platform } from '../../platform';
import { ResolvedCi } from '../config/resolved';

/** The vulnerability gate in CI: the stage that holds the binaries, and the script that checks them. */
export interface GateInput {
  /** The Dockerfile stage with each platform's binaries. */
  readonly binariesStage: string;
  /** The image's task script, relative to the job's working directory (it runs `audit-bins`). */
  readonly script: string;
}

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

/** The cargo target cache of one job in CI: the Dockerfile stages that move it, and what its actions/cache key hashes. */
export interface CargoTargetCacheInput {
  /** The stage that puts a folder into the cook's cache mount (from the import context). */
  readonly seedStage: string;
  /** The named build context the seed stage reads. */
  readonly importContext: string;
  /** The build argument that makes the seed and the export run every time. */
  readonly runArg: string;
  /** The stage whose files are the mount's content (exported with `type=local`). */
  readonly exportStage: string;
  /** The file an export holds when it is only what the cook wrote after this run's seed, to merge into the restored folder. */
  readonly deltaMark: string;
  /** Key prefix, before the job's architectures: the image and the builder tag (another toolchain starts a new series). */
  readonly keyPrefix: string;
  /** hashFiles patterns, relative to the workspace: Cargo.lock and the manifests. */
  readonly hashFiles: readonly string[];
}

/** Everything needed to generate the build jobs of one Dockerfile: the CI settings, and what to build. */
export interface BuildJobsInput extends Pick<ResolvedCi,
'strategy' | 'registry' | 'runsOn' | 'nativeRunners' | 'cache' | 'cacheOnPullRequests' | 'attestations' | 'signedAttestations' | 'reproducible' | 'remoteBuilder'> {
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
  /** The build target that compiles the workspace (the app Dockerfile's build stage): compiled in a step of its own. */
  readonly compileTarget?: string;
  /** The build target that exports debug symbols, when they are split. */
  readonly debugSymbolsTarget?: string;
  /** The vulnerability gate, when on. */
  readonly gate?: GateInput;
  /** The cargo target cache, carried across runners in actions/cache, when on. */
  readonly cargoTargetCache?: CargoTargetCacheInput;
  /** Secrets that carry the Actions cache credentials to sccache. */
  readonly sccacheSecrets?: readonly string[];
  /** Private git dependencies: the BuildKit secret id and the repository secret that holds the token. */
  readonly gitToken?: { readonly id: string; readonly secret: string };
  /** Working directory of run steps in the build job. */
  readonly workingDirectory?: string;
  /** The Dockerfile has RUN steps on the target platform (the builder image's arm64 stage): QEMU even without smoke tests. */
  readonly emulatedRunSteps?: boolean;
  /** `if:` of every job: which pushes run (the default branch and tags), when the branch is read at run time. */
  readonly jobCondition?: string;
  /** The images carry CycloneDX files of the system libraries in their binaries: the SBOM step reads them too. */
  readonly embeddedSboms?: boolean;
}

/** build-push-action's `secrets`: sccache's from the job's environment, the git token from the repository's secrets. */
export function secretsInput(input: BuildJobsInput): string | undefined {
  const lines = [
    ...(input.sccacheSecrets ?? []).map((s) => `${s}=\${{ env.${s} }}`),
    ...(input.gitToken ? [`${input.gitToken.id}=\${{ secrets.${input.gitToken.secret} }}`] : []),
  ];
  return lines.length ? lines.join('\n') : undefined;
}
