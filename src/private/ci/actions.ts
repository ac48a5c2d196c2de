import { github } from 'projen';

/** projen's own pinned references (`ActionRefs`), in the projen versions that have them. */
const projenActionRefs = (github as unknown as { ActionRefs?: Record<string, string> }).ActionRefs;

/**
 * The GitHub Actions of the generated workflows, pinned in one table. The
 * actions projen knows (checkout, upload-artifact, download-artifact) come
 * from projen's own `WorkflowSteps`, and configure-aws-credentials from its
 * `ActionRefs`, so they follow the user's projen version. The others run in
 * jobs that hold a write token or an OIDC token, so each is pinned by commit
 * (the commit of the release named beside it): a moved tag cannot change
 * what runs with those tokens. Override any of them with projen's
 * `github.actions`, e.g.
 * `project.github!.actions.set('docker/build-push-action', 'docker/build-push-action@<sha>')`.
 */
export const ACTIONS = {
  /** v4.3.0 */
  setupBuildx: 'docker/setup-buildx-action@37fe631027851001ddb9b187196cc803df7f5f0e',
  /** v4.1.0 */
  login: 'docker/login-action@4907a6ddec9925e35a0a9e82d7399ccc52663121',
  /** v6.2.0 */
  metadata: 'docker/metadata-action@dc802804100637a589fabce1cb79ff13a1411302',
  /** v7.3.0 */
  buildPush: 'docker/build-push-action@53b7df96c91f9c12dcc8a07bcb9ccacbed38856a',
  /** v4.2.0: QEMU for the smoke tests of other architectures' images, and the builder image's cheap arm64 steps. */
  setupQemu: 'docker/setup-qemu-action@96fe6ef7f33517b61c61be40b68a1882f3264fb8',
  /** v2.86.5: prebuilt cargo-audit for the vulnerability gate. */
  installTool: 'taiki-e/install-action@ba47c86ac325773530516bb756137ac718732518',
  /** v4.1.0: keyless, signed SLSA build provenance (GitHub artifact attestations). */
  attestProvenance: 'actions/attest-build-provenance@a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32',
  /** v4.1.0: keyless, signed SBOM attestation of the pushed digest. */
  attestSbom: 'actions/attest-sbom@c604332985a26aa8cf1bdc465b92731239ec6b9e',
  /** v0.24.0: the SBOM (syft, which reads cargo-auditable's dependency list) of the pushed digest. */
  sbom: 'anchore/sbom-action@e22c389904149dbc22b58101806040fa8d37a610',
  /** v6.1.0: the cargo target cache across runners (restore, with lookup-only first). */
  cacheRestore: 'actions/cache/restore@55cc8345863c7cc4c66a329aec7e433d2d1c52a9',
  /** v6.1.0 */
  cacheSave: 'actions/cache/save@55cc8345863c7cc4c66a329aec7e433d2d1c52a9',
  /** v4.0.0: exposes the runner's cache credentials (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL) to later steps, for sccache. */
  githubRuntime: 'crazy-max/ghaction-github-runtime@04d248b84655b509d8c44dc1d6f990c879747487',
  awsCredentials: projenActionRefs?.AWS_ACTIONS_CONFIGURE_AWS_CREDENTIALS ?? 'aws-actions/configure-aws-credentials@v6',
  /** The generated-files check (a read-only token): the setup actions follow the user's projen version. */
  setupNode: projenActionRefs?.ACTIONS_SETUP_NODE ?? 'actions/setup-node@v7',
  setupPython: projenActionRefs?.ACTIONS_SETUP_PYTHON ?? 'actions/setup-python@v7',
} as const;
