import { github } from 'projen';
import { ACTIONS } from './actions';
import { BuildJobsInput, BuildUnit, secretsInput } from './build-input';
import { NOT_PR } from './job-steps';
import { STEP, stepOutput } from './step-ids';
import { SignedAttestations } from '../../ci-options';

type Step = github.workflows.JobStep;

/**
 * The vulnerability gate, before any push: export every platform's binaries
 * from the (cached) build, install cargo-audit, and run the policy of the
 * image's task script on them, the same command the local `audit` task runs.
 * The JSON reports are kept as an artifact, also when the gate fails.
 */
export function gateSteps(input: BuildJobsInput, platforms: string, cacheFrom: string, artifact: string): Step[] {
  const gate = input.gate!;
  return [
    {
      id: STEP.binaries,
      name: `Export the binaries of ${platforms} for the vulnerability gate`,
      uses: ACTIONS.buildPush,
      with: {
        'context': input.context,
        'file': input.dockerfile,
        'target': gate.binariesStage,
        'build-contexts': input.builderStage ? stepOutput(STEP.builder, 'context') : undefined,
        'platforms': platforms,
        'cache-from': cacheFrom,
        'outputs': 'type=local,dest=${{ runner.temp }}/binaries',
        'secrets': secretsInput(input),
        'provenance': false,
        'sbom': false,
      },
    },
    { id: STEP.installAudit, name: 'Install cargo-audit', uses: ACTIONS.installTool, with: { tool: 'cargo-audit' } },
    {
      id: STEP.audit,
      name: 'Vulnerability gate: cargo audit bin on every binary',
      run: `sh ${gate.script} audit-bins "$RUNNER_TEMP/binaries" "$RUNNER_TEMP/audit"`,
    },
    github.WorkflowSteps.uploadArtifact({
      id: STEP.uploadAudit,
      name: 'Keep the vulnerability reports',
      if: 'always()',
      with: { name: artifact, path: '${{ runner.temp }}/audit', ifNoFilesFound: 'warn' },
    }),
  ];
}

/** The permissions signing needs: an OIDC token for the Sigstore certificate, and writing the attestation. */
export function signingPermissions(): github.workflows.JobPermissions {
  return { idToken: github.workflows.JobPermission.WRITE, attestations: github.workflows.JobPermission.WRITE };
}

/** When the signing steps run: pushes only, and in public repositories unless told to always sign. */
function signingCondition(mode: SignedAttestations): string {
  return mode === SignedAttestations.PUBLIC_REPOSITORIES ? `${NOT_PR} && github.event.repository.visibility == 'public'` : NOT_PR;
}

/**
 * Signed attestations of a pushed digest, keyless through the workflow's
 * OIDC token (GitHub artifact attestations, stored with the image):
 * SLSA build provenance, and the SBOM syft reads from the image (the crates
 * cargo-auditable embedded). A pull request signs nothing. Verify with
 * `gh attestation verify oci://<image>@<digest> --owner <owner>`.
 */
export function signingSteps(input: BuildJobsInput, unit: BuildUnit, digest: string): Step[] {
  if (input.signedAttestations === SignedAttestations.NEVER) return [];
  const condition = signingCondition(input.signedAttestations);
  const image = stepOutput(STEP.names, unit.imageOutput);
  const sbomFile = `\${{ runner.temp }}/sbom-${unit.slug}.spdx.json`;
  const steps: Step[] = [
    {
      id: STEP.sbom(unit.slug),
      name: `SBOM of the pushed ${unit.slug} image`,
      if: condition,
      uses: ACTIONS.sbom,
      // syft reads SBOM files inside an image only with its sbom cataloger, which an image scan leaves out by default.
      ...(input.embeddedSboms ? { env: { SYFT_SELECT_CATALOGERS: '+sbom-cataloger' } } : {}),
      with: { 'image': `${image}@${digest}`, 'format': 'spdx-json', 'output-file': sbomFile, 'upload-artifact': false },
    },
    {
      id: STEP.attestProvenance(unit.slug),
      name: `Sign the build provenance of ${unit.slug}`,
      if: condition,
      uses: ACTIONS.attestProvenance,
      with: { 'subject-name': image, 'subject-digest': digest, 'push-to-registry': true },
    },
    {
      id: STEP.attestSbom(unit.slug),
      name: `Sign the SBOM of ${unit.slug}`,
      if: condition,
      uses: ACTIONS.attestSbom,
      with: { 'subject-name': image, 'subject-digest': digest, 'sbom-path': sbomFile, 'push-to-registry': true },
    },
  ];
  if (input.signedAttestations === SignedAttestations.PUBLIC_REPOSITORIES && unit === input.units[0]) {
    steps.push({
      id: STEP.signingSkipped,
      name: 'Say why a private repository signs nothing',
      if: `${NOT_PR} && github.event.repository.visibility != 'public'`,
      run: [
        'msg="Signed attestations skipped: GitHub offers artifact attestations to private repositories on GitHub Enterprise Cloud only. With it, set ci.signedAttestations to SignedAttestations.ALWAYS."',
        'echo "::notice title=Signing::$msg"',
        'echo "$msg" >> "$GITHUB_STEP_SUMMARY"',
      ].join('\n'),
    });
  }
  return steps;
}
