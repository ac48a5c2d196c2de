import { github } from 'projen';

/** projen's own pinned references (`ActionRefs`), in the projen versions that have them. */
const projenActionRefs = (github as unknown as { ActionRefs?: Record<string, string> }).ActionRefs;

/**
 * The GitHub Actions of the generated workflows, pinned in one table. The
 * actions projen knows (checkout, upload-artifact, download-artifact) come
 * from projen's own `WorkflowSteps`, and configure-aws-credentials from its
 * `ActionRefs`, so they follow the user's projen version. Override any of
 * them with projen's `github.actions`, e.g. to pin by SHA:
 * `project.github!.actions.set('docker/build-push-action', 'docker/build-push-action@<sha>')`.
 */
export const ACTIONS = {
  setupBuildx: 'docker/setup-buildx-action@v4',
  login: 'docker/login-action@v4',
  metadata: 'docker/metadata-action@v6',
  buildPush: 'docker/build-push-action@v7',
  /** QEMU for the smoke tests of other architectures' images, and the builder image's cheap arm64 steps. */
  setupQemu: 'docker/setup-qemu-action@v4',
  /** Prebuilt cargo-audit for the vulnerability gate. */
  installTool: 'taiki-e/install-action@v2',
  /** Keyless, signed SLSA build provenance (GitHub artifact attestations). */
  attestProvenance: 'actions/attest-build-provenance@v4',
  /** Keyless, signed SBOM attestation of the pushed digest. */
  attestSbom: 'actions/attest-sbom@v4',
  /** The SBOM (syft, which reads cargo-auditable's dependency list) of the pushed digest. */
  sbom: 'anchore/sbom-action@v0',
  /** Exposes the runner's cache credentials (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL) to later steps, for sccache. */
  githubRuntime: 'crazy-max/ghaction-github-runtime@v3',
  awsCredentials: projenActionRefs?.AWS_ACTIONS_CONFIGURE_AWS_CREDENTIALS ?? 'aws-actions/configure-aws-credentials@v6',
} as const;
