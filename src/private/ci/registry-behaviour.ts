import { github } from 'projen';
import { ACTIONS } from './actions';
import { STEP } from './step-ids';
import { Registry, RegistryKind } from '../../registry';

type Step = github.workflows.JobStep;

/**
 * `if:` of the registry login: pushes, and pull requests from the same
 * repository (which may read a private builder image). Fork pull requests
 * get no credentials, skip it, and fall back to the inline builder stage.
 */
export const CAN_LOGIN = "github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository";

/** What the workflows do differently for one kind of registry. */
interface RegistryBehaviour {
  /** The job permissions the login and push need, besides `contents: read`. */
  readonly permissions: github.workflows.JobPermissions;
  /** The repository path under the host when `repositoryPrefix` is unset (a bash expression). */
  readonly defaultNamespace?: string;
  /** The steps that log in (and get credentials first where needed). */
  loginSteps(registry: Registry): Step[];
}

function passwordLogin(registry: Registry, username: string, password: string): Step[] {
  return [{ id: STEP.login, name: `Log in to ${registry.host}`, if: CAN_LOGIN, uses: ACTIONS.login, with: { registry: registry.host, username, password } }];
}

/**
 * One row per kind of registry: a new `RegistryKind` fails to compile until
 * it has its row here (and its factory in `Registry`).
 */
const BEHAVIOUR: Record<RegistryKind, RegistryBehaviour> = {
  [RegistryKind.GHCR]: {
    loginSteps: (r) => passwordLogin(r, '${{ github.actor }}', '${{ secrets.GITHUB_TOKEN }}'),
    permissions: { packages: github.workflows.JobPermission.WRITE },
    defaultNamespace: '${GITHUB_REPOSITORY}',
  },
  [RegistryKind.DOCKER_HUB]: {
    loginSteps: (r) => passwordLogin(r, `\${{ secrets.${r.usernameSecret} }}`, `\${{ secrets.${r.passwordSecret} }}`),
    permissions: {},
  },
  [RegistryKind.GENERIC]: {
    loginSteps: (r) => passwordLogin(r, `\${{ secrets.${r.usernameSecret} }}`, `\${{ secrets.${r.passwordSecret} }}`),
    permissions: {},
  },
  [RegistryKind.ECR]: {
    loginSteps: (r) => [
      {
        id: STEP.awsCredentials,
        name: 'Assume the AWS role (OIDC)',
        if: CAN_LOGIN,
        uses: ACTIONS.awsCredentials,
        with: { 'role-to-assume': r.roleArn, 'aws-region': r.awsRegion },
      },
      { id: STEP.login, name: 'Log in to Amazon ECR', if: CAN_LOGIN, uses: ACTIONS.login, with: { registry: r.host } },
    ],
    permissions: { idToken: github.workflows.JobPermission.WRITE },
  },
};

/** The steps that log in to `registry`. */
export function loginSteps(registry: Registry): Step[] {
  return BEHAVIOUR[registry.kind].loginSteps(registry);
}

/** The job permissions that logging in to and pushing to `registry` need, besides `contents: read`. */
export function registryPermissions(registry: Registry): github.workflows.JobPermissions {
  return BEHAVIOUR[registry.kind].permissions;
}

/**
 * The image repository for `imageName` in `registry`, as a bash expression
 * that is lowercased at run time (repository owners may have capitals, image
 * references may not). A name that already carries a registry host is used
 * as is.
 */
export function imageRefExpression(registry: Registry, imageName: string): string {
  const first = imageName.split('/')[0];
  if (imageName.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return imageName;
  const ns = registry.repositoryPrefix ?? BEHAVIOUR[registry.kind].defaultNamespace;
  return [registry.host, ns, imageName].filter(Boolean).join('/');
}
