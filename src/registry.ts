import { assertImageName } from './private/validation/oci-reference';
import { assertPattern } from './private/validation/safe-values';

/** The kinds of registry. */
export enum RegistryKind {
  /** GitHub Container Registry. */
  GHCR = 'ghcr',
  /** Docker Hub. */
  DOCKER_HUB = 'docker-hub',
  /** Any registry with a username and password. */
  GENERIC = 'generic',
  /** Amazon ECR through GitHub OIDC. */
  ECR = 'ecr',
}

/** Options of `Registry.dockerHub`. */
export interface DockerHubRegistryOptions {
  /** Docker Hub account (user or organisation) the images go under. */
  readonly repositoryPrefix: string;
  /**
   * Name of the repository secret holding the Docker Hub username.
   * @default "DOCKERHUB_USERNAME"
   */
  readonly usernameSecret?: string;
  /**
   * Name of the repository secret holding a Docker Hub access token.
   * @default "DOCKERHUB_TOKEN"
   */
  readonly passwordSecret?: string;
}

/** Options of `Registry.generic`. */
export interface GenericRegistryOptions {
  /** Registry host, e.g. `registry.example.com` or `registry.example.com:5000`. */
  readonly host: string;
  /** Path under the host the images go under, e.g. `team/apps`. */
  readonly repositoryPrefix: string;
  /**
   * Name of the repository secret holding the registry username.
   * @default "REGISTRY_USERNAME"
   */
  readonly usernameSecret?: string;
  /**
   * Name of the repository secret holding the registry password or token.
   * @default "REGISTRY_PASSWORD"
   */
  readonly passwordSecret?: string;
}

/** Options of `Registry.ecr`. */
export interface EcrRegistryOptions {
  /** AWS account id (12 digits). */
  readonly accountId: string;
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** ARN of the IAM role that GitHub's OIDC token assumes. */
  readonly roleArn: string;
  /**
   * Path prefix of the image repositories.
   * @default - none: the repository is the image name
   */
  readonly repositoryPrefix?: string;
}

/** Options of `Registry.ghcr`. */
export interface GhcrRegistryOptions {
  /**
   * Path under ghcr.io the images go under.
   * @default - `<owner>/<repo>` of the repository running the workflow, lowercased
   */
  readonly repositoryPrefix?: string;
}

const SECRET = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The registry images are pushed to. Create one with the static methods. */
export class Registry {
  /** GitHub Container Registry: `ghcr.io/<owner>/<repo>/<image>`, logged in with `GITHUB_TOKEN`. */
  public static ghcr(options: GhcrRegistryOptions = {}): Registry {
    if (options.repositoryPrefix) assertImageName('ci.registry.repositoryPrefix', options.repositoryPrefix);
    return new Registry(RegistryKind.GHCR, 'ghcr.io', options.repositoryPrefix);
  }

  /** Docker Hub: `docker.io/<repositoryPrefix>/<image>`, logged in with two secrets. */
  public static dockerHub(options: DockerHubRegistryOptions): Registry {
    assertImageName('ci.registry.repositoryPrefix', options.repositoryPrefix);
    const r = new Registry(RegistryKind.DOCKER_HUB, 'docker.io', options.repositoryPrefix,
      options.usernameSecret ?? 'DOCKERHUB_USERNAME', options.passwordSecret ?? 'DOCKERHUB_TOKEN');
    r.checkSecrets();
    return r;
  }

  /** Any registry with a username and password in two secrets. */
  public static generic(options: GenericRegistryOptions): Registry {
    assertImageName('ci.registry.host', `${options.host}/x`);
    assertImageName('ci.registry.repositoryPrefix', options.repositoryPrefix);
    const r = new Registry(RegistryKind.GENERIC, options.host, options.repositoryPrefix,
      options.usernameSecret ?? 'REGISTRY_USERNAME', options.passwordSecret ?? 'REGISTRY_PASSWORD');
    r.checkSecrets();
    return r;
  }

  /** Amazon ECR, logged in through GitHub OIDC (`id-token: write`). */
  public static ecr(options: EcrRegistryOptions): Registry {
    assertPattern('ci.registry.accountId', options.accountId, /^[0-9]{12}$/, 'a 12-digit AWS account id');
    assertPattern('ci.registry.region', options.region, /^[a-z]{2}(-[a-z]+)+-[0-9]$/, 'an AWS region such as "eu-west-1"');
    assertPattern('ci.registry.roleArn', options.roleArn, /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]+$/, 'an IAM role ARN');
    if (options.repositoryPrefix) assertImageName('ci.registry.repositoryPrefix', options.repositoryPrefix);
    return new Registry(RegistryKind.ECR, `${options.accountId}.dkr.ecr.${options.region}.amazonaws.com`, options.repositoryPrefix,
      undefined, undefined, options.region, options.roleArn);
  }

  private constructor(
    /** The kind of registry. */
    public readonly kind: RegistryKind,
    /** Registry host. */
    public readonly host: string,
    /** Path prefix of the image repositories under the host. */
    public readonly repositoryPrefix?: string,
    /** Secret holding the username. */
    public readonly usernameSecret?: string,
    /** Secret holding the password or token. */
    public readonly passwordSecret?: string,
    /** AWS region (ECR). */
    public readonly awsRegion?: string,
    /** IAM role (ECR). */
    public readonly roleArn?: string,
  ) {}

  private checkSecrets() {
    assertPattern('ci.registry.usernameSecret', this.usernameSecret!, SECRET, 'a secret name (letters, digits, _)');
    assertPattern('ci.registry.passwordSecret', this.passwordSecret!, SECRET, 'a secret name (letters, digits, _)');
  }
}
