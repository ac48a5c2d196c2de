/**
 * The ids of the generated workflow steps, and the expressions that read
 * their outputs: one place, so a step and its readers cannot disagree.
 */
export const STEP = {
  checkout: 'checkout',
  awsCredentials: 'aws-credentials',
  login: 'login',
  loginHelp: 'login-help',
  names: 'names',
  buildx: 'buildx',
  qemu: 'qemu',
  builder: 'builder',
  githubRuntime: 'github-runtime',
  sourceDateEpoch: 'source-date-epoch',
  uploadDigests: 'upload-digests',
  downloadDigests: 'download-digests',
  meta: (slug: string) => `meta-${slug}`,
  /** With the architecture when one job smoke-tests several platforms. */
  smokeBuild: (slug: string, arch?: string) => `smoke-build-${slug}${arch ? `-${arch}` : ''}`,
  smokeRun: (slug: string, arch?: string) => `smoke-run-${slug}${arch ? `-${arch}` : ''}`,
  compile: 'compile',
  cargoTargetLookup: 'cargo-target-lookup',
  cargoTargetRestore: 'cargo-target-restore',
  cargoTargetSeed: 'cargo-target-seed',
  cargoTargetExport: 'cargo-target-export',
  cargoTargetMerge: 'cargo-target-merge',
  cargoTargetSave: 'cargo-target-save',
  binaries: 'binaries',
  installAudit: 'install-cargo-audit',
  audit: 'audit',
  uploadAudit: 'upload-audit',
  sbom: (slug: string) => `sbom-${slug}`,
  attestProvenance: (slug: string) => `attest-provenance-${slug}`,
  attestSbom: (slug: string) => `attest-sbom-${slug}`,
  signingSkipped: 'signing-skipped',
  build: (slug: string) => `build-${slug}`,
  digest: (slug: string) => `digest-${slug}`,
  debugSymbols: 'debug-symbols',
  uploadDebugSymbols: 'upload-debug-symbols',
  manifest: (slug: string) => `manifest-${slug}`,
  inspect: (slug: string) => `inspect-${slug}`,
} as const;

/** `${{ steps.<id>.outputs.<key> }}`. */
export function stepOutput(id: string, key: string): string {
  return `\${{ steps.${id}.outputs.${key} }}`;
}

/** The `names` step output key of an image slug (the builder's is `builder`). */
export function imageOutputKey(slug: string): string {
  return `image_${slug.replace(/-/g, '_')}`;
}

/** The key of the builder image in the `names` step outputs. */
export const BUILDER_OUTPUT = 'builder';
/** The `builder` step output holding the `--build-context` value. */
export const BUILDER_CONTEXT_OUTPUT = 'context';
/** The `manifest-<slug>` step output holding the pushed index digest (NATIVE_RUNNERS). */
export const DIGEST_OUTPUT = 'digest';
/** The `source-date-epoch` step output. */
export const EPOCH_OUTPUT = 'epoch';
