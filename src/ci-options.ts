import { Registry } from './registry';

/** How CI builds the platforms. */
export enum BuildStrategy {
  /**
   * One job on one runner builds every platform with buildx and
   * cargo-zigbuild. No QEMU: the runtime stage has no `RUN`.
   */
  CROSS_COMPILE = 'cross-compile',
  /**
   * One job per platform on a native runner; each pushes by digest and a
   * merge job creates the multi-arch tags.
   */
  NATIVE_RUNNERS = 'native-runners',
}

/** Where BuildKit caches layers between CI runs. */
export enum CacheBackend {
  /** GitHub's cache service (`type=gha`), one scope per image and platform. */
  GITHUB_ACTIONS = 'gha',
  /** A registry cache (`type=registry,ref=<image>:buildcache-<arch>`). */
  REGISTRY = 'registry',
}

/** When CI signs attestations for the pushed images (GitHub artifact attestations, keyless through the workflow's OIDC token). */
export enum SignedAttestations {
  /**
   * Sign in public repositories only: GitHub offers artifact attestations
   * to private repositories on GitHub Enterprise Cloud alone, and elsewhere
   * the step would fail after the push. Private repositories skip it and say
   * so in the job summary.
   */
  PUBLIC_REPOSITORIES = 'public-repositories',
  /** Always sign (public repositories, or private ones on GitHub Enterprise Cloud). */
  ALWAYS = 'always',
  /** Never sign. */
  NEVER = 'never',
}

/**
 * Runner labels per platform for `BuildStrategy.NATIVE_RUNNERS`. The compile
 * stages run on the build platform, so any runner can build any platform: a
 * platform without a runner of its own is cross-compiled on `runsOn`, and its
 * smoke test runs the finished binary under QEMU. Name a runner of the
 * platform's own architecture where the repository can have one: GitHub's
 * `ubuntu-24.04-arm` in public repositories, or a paid larger runner.
 */
export interface NativeRunners {
  /**
   * Runner labels of the linux/amd64 job.
   * @default - `runsOn`
   */
  readonly amd64?: string[];
  /**
   * Runner labels of the linux/arm64 job, e.g. `["ubuntu-24.04-arm"]` in a public repository.
   * @default - `runsOn` (cross-compiled; the smoke test runs under QEMU)
   */
  readonly arm64?: string[];
  /**
   * Runner labels of the linux/arm/v7 job.
   * @default - `runsOn` (cross-compiled; the smoke test runs under QEMU)
   */
  readonly armV7?: string[];
  /**
   * Runner labels of the linux/riscv64 job.
   * @default - `runsOn` (cross-compiled; the smoke test runs under QEMU)
   */
  readonly riscv64?: string[];
}

/**
 * Mutual TLS to a buildkitd reached over TCP (buildx's `remote` driver). The
 * certificates never enter a generated file: CI reads them from repository
 * secrets, a local build from files named by environment variables
 * (`BUILDKIT_TLS_CACERT`, `BUILDKIT_TLS_CERT`, `BUILDKIT_TLS_KEY`).
 */
export interface RemoteBuilderTls {
  /**
   * Repository secret holding the CA certificate (PEM) that signed the daemon's certificate.
   * @default "BUILDKIT_CA_CERT"
   */
  readonly caCertSecret?: string;
  /**
   * Repository secret holding the client certificate (PEM) the daemon trusts.
   * @default "BUILDKIT_CLIENT_CERT"
   */
  readonly certSecret?: string;
  /**
   * Repository secret holding the client certificate's private key (PEM).
   * @default "BUILDKIT_CLIENT_KEY"
   */
  readonly keySecret?: string;
  /**
   * The name the daemon's certificate is checked against, when it is not the endpoint's host.
   * @default - the endpoint's host
   */
  readonly serverName?: string;
}

/** A remote BuildKit builder for `docker/setup-buildx-action` and the local tasks. */
export interface RemoteBuilder {
  /** Buildx driver, e.g. `remote` (a buildkitd you run) or `cloud` (Docker Build Cloud). */
  readonly driver: string;
  /** Builder endpoint, e.g. `tcp://buildkitd.internal:1234` or `acme/builder`. */
  readonly endpoint: string;
  /**
   * Mutual TLS for a `remote` driver over `tcp://`: the client certificate and
   * key, and the CA to trust, from repository secrets.
   * @default - no TLS (a `tcp://` endpoint without it gets a warning)
   */
  readonly tls?: RemoteBuilderTls;
}

/** GitHub Actions settings. */
export interface CiOptions {
  /**
   * Generate the workflows.
   * @default true (when the root project has GitHub support)
   */
  readonly enabled?: boolean;
  /**
   * How the platforms are built.
   * @default BuildStrategy.CROSS_COMPILE
   */
  readonly strategy?: BuildStrategy;
  /**
   * The registry images are pushed to.
   * @default Registry.ghcr()
   */
  readonly registry?: Registry;
  /**
   * Runner labels of the single job of `CROSS_COMPILE` and of the merge job.
   * @default ["ubuntu-24.04"]
   */
  readonly runsOn?: string[];
  /**
   * Runner labels per platform for `NATIVE_RUNNERS`.
   * @default - `runsOn` for every platform: no job waits for a runner the repository may not have
   */
  readonly nativeRunners?: NativeRunners;
  /**
   * Layer cache backend. The cook layer is what the cache must keep: its
   * size is about that of the compiled dependencies for every target. For a
   * large workspace near GitHub's 10 GB cache limit, use the registry cache,
   * or stop pull requests from writing to the cache (`cacheOnPullRequests`).
   * @default CacheBackend.GITHUB_ACTIONS
   */
  readonly cache?: CacheBackend;
  /**
   * Let pull-request builds write the layer cache. Pull requests always read
   * it. Turn it off for large workspaces: each pull request then stops
   * adding cache entries that evict the default branch's.
   * @default true
   */
  readonly cacheOnPullRequests?: boolean;
  /**
   * Attach provenance and SBOM attestations to pushed images.
   * @default true
   */
  readonly attestations?: boolean;
  /**
   * Signed build provenance and SBOM attestations for every pushed image
   * digest, verifiable with `gh attestation verify oci://<image>@<digest> --owner <owner>`.
   * Pull-request builds sign nothing.
   * @default SignedAttestations.PUBLIC_REPOSITORIES
   */
  readonly signedAttestations?: SignedAttestations;
  /**
   * Reproducible images: `SOURCE_DATE_EPOCH` from the commit time and
   * `rewrite-timestamp=true`.
   * @default true
   */
  readonly reproducible?: boolean;
  /**
   * Build on a remote BuildKit builder instead of the runner's own.
   * @default - the runner's docker-container builder
   */
  readonly remoteBuilder?: RemoteBuilder;
  /**
   * Before anything is pushed, load each platform's image and run it with
   * these arguments (e.g. `["--version"]`): natively on a runner of its own
   * architecture, else under QEMU (only the finished binary runs emulated).
   * A failure on any platform publishes nothing.
   * @default - no smoke test
   */
  readonly smokeTestArgs?: string[];
  /**
   * Branch whose pushes publish images.
   * @default - the repository's default branch, whatever its name (read when the workflow runs)
   */
  readonly defaultBranch?: string;
  /**
   * Workflow name (file `.github/workflows/<name>.yml`).
   * @default "docker-<image>"
   */
  readonly workflowName?: string;
}
