/**
 * The GitHub Actions the generated workflows use, pinned in one place.
 * Override any of them with projen's `github.actions`, e.g. to pin by SHA:
 * `project.github!.actions.set('docker/build-push-action', 'docker/build-push-action@<sha>')`.
 */
export const ACTIONS = {
  checkout: 'actions/checkout@v4',
  uploadArtifact: 'actions/upload-artifact@v4',
  downloadArtifact: 'actions/download-artifact@v4',
  setupBuildx: 'docker/setup-buildx-action@v3',
  login: 'docker/login-action@v3',
  metadata: 'docker/metadata-action@v5',
  buildPush: 'docker/build-push-action@v6',
  awsCredentials: 'aws-actions/configure-aws-credentials@v4',
} as const;
