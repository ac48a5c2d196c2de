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
  /** The job permissions a pull request's run needs to read the builder image: nothing that writes or signs. */
  readonly readPermissions: github.workflows.JobPermissions;
  /** Whether a pull request's run logs in (ECR's login needs an OIDC token, which pull requests do not get). */
  readonly loginOnPullRequests: boolean;
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
    readPermissions: { packages: github.workflows.JobPermission.READ },
    loginOnPullRequests: true,
    defaultNamespace: '${GITHUB_REPOSITORY}',
  },
  [RegistryKind.DOCKER_HUB]: {
    loginSteps: (r) => passwordLogin(r, `\${{ secrets.${r.usernameSecret} }}`, `\${{ secrets.${r.passwordSecret} }}`),
    permissions: {},
    readPermissions: {},
    loginOnPullRequests: true,
  },
  [RegistryKind.GENERIC]: {
    loginSteps: (r) => passwordLogin(r, `\${{ secrets.${r.usernameSecret} }}`, `\${{ secrets.${r.passwordSecret} }}`),
    permissions: {},
    readPermissions: {},
    loginOnPullRequests: true,
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
    readPermissions: {},
    loginOnPullRequests: false,
  },
};

/** The steps that log in to `registry` (in a pull request's job, only where it needs no token that writes). */
export function loginSteps(registry: Registry, publish = true): Step[] {
  return publish || BEHAVIOUR[registry.kind].loginOnPullRequests ? BEHAVIOUR[registry.kind].loginSteps(registry) : [];
}

/**
 * The job permissions for `registry`, besides `contents: read`: to log in and
 * push (`publish`), or only to read the builder image (a pull request's job).
 */
export function registryPermissions(registry: Registry, publish = true): github.workflows.JobPermissions {
  return publish ? BEHAVIOUR[registry.kind].permissions : BEHAVIOUR[registry.kind].readPermissions;
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
