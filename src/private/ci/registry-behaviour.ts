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
  /** What the repository must provide for the login, in a sentence's words (the README's registry table says the same). */
  needs(registry: Registry): string;
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
    needs: () => 'no secret: the workflow\'s GITHUB_TOKEN with packages: write (the job asks for it); '
      + 'a package that already exists must grant this repository write access (package settings, Manage Actions access)',
    permissions: { packages: github.workflows.JobPermission.WRITE },
    readPermissions: { packages: github.workflows.JobPermission.READ },
    loginOnPullRequests: true,
    defaultNamespace: '${GITHUB_REPOSITORY}',
  },
  [RegistryKind.DOCKER_HUB]: {
    loginSteps: (r) => passwordLogin(r, `\${{ secrets.${r.usernameSecret} }}`, `\${{ secrets.${r.passwordSecret} }}`),
    needs: (r) => `the repository secrets ${r.usernameSecret} (the Docker Hub username) and ${r.passwordSecret} (a Docker Hub access token with Read & Write scope)`,
    permissions: {},
    readPermissions: {},
    loginOnPullRequests: true,
  },
  [RegistryKind.GENERIC]: {
    loginSteps: (r) => passwordLogin(r, `\${{ secrets.${r.usernameSecret} }}`, `\${{ secrets.${r.passwordSecret} }}`),
    needs: (r) => `the repository secrets ${r.usernameSecret} and ${r.passwordSecret} (a username of ${r.host} and its password or token, allowed to push)`,
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
    needs: (r) => `the IAM role ${r.roleArn}, trusting GitHub's OIDC provider (token.actions.githubusercontent.com) for this repository, `
      + `with ECR push rights in ${r.awsRegion}; no secret`,
    permissions: { idToken: github.workflows.JobPermission.WRITE },
    readPermissions: {},
    loginOnPullRequests: false,
  },
};

/** What the repository must provide to log in to `registry`. */
export function registryNeeds(registry: Registry): string {
  return BEHAVIOUR[registry.kind].needs(registry);
}

/**
 * The steps that log in to `registry` (in a pull request's job, only where it
 * needs no token that writes), and one that says in the run's summary what
 * the login needs when it fails.
 */
export function loginSteps(registry: Registry, publish = true): Step[] {
  if (!publish && !BEHAVIOUR[registry.kind].loginOnPullRequests) return [];
  const steps = BEHAVIOUR[registry.kind].loginSteps(registry);
  const failed = steps.map((s) => `steps.${s.id}.outcome == 'failure'`).join(' || ');
  return [...steps, {
    id: STEP.loginHelp,
    name: `Say what logging in to ${registry.host} needs`,
    if: `failure() && (${failed})`,
    env: { NEEDS: registryNeeds(registry) },
    run: `echo "**Logging in to ${registry.host} failed.** The login needs $NEEDS." >> "$GITHUB_STEP_SUMMARY"`,
  }];
}

/**
 * The job permissions for `registry`, besides `contents: read`: to log in and
 * push (`publish`), or only to read the builder image (a pull request's job).
 */
export function registryPermissions(registry: Registry, publish = true): github.workflows.JobPermissions {
  return publish ? BEHAVIOUR[registry.kind].permissions : BEHAVIOUR[registry.kind].readPermissions;
}

/** The registry host an image name starts with (as Docker reads a reference), if any. */
export function registryHostOf(imageName: string): string | undefined {
  const first = imageName.split('/')[0];
  return imageName.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : undefined;
}

/** Docker Hub's other names. */
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Whether an image name's host is `registry`'s. */
export function sameRegistryHost(host: string, registry: Registry): boolean {
  return host === registry.host || (DOCKER_HUB_HOSTS.has(host) && DOCKER_HUB_HOSTS.has(registry.host));
}

/**
 * The image repository for `imageName` in `registry`, as a bash expression
 * that is lowercased at run time (repository owners may have capitals, image
 * references may not). A name that already carries a registry host is used
 * as is.
 */
export function imageRefExpression(registry: Registry, imageName: string): string {
  if (registryHostOf(imageName)) return imageName;
  const ns = registry.repositoryPrefix ?? BEHAVIOUR[registry.kind].defaultNamespace;
  return [registry.host, ns, imageName].filter(Boolean).join('/');
}
