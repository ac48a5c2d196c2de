import { assertImageName } from '../validation/oci-reference';
import { assertPattern } from '../validation/safe-values';

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
  /** Docker Hub namespace (user or organisation). */
  readonly namespace: string;
  /** @default "DOCKERHUB_USERNAME" */
  readonly usernameSecret?: string;
  /** @default "DOCKERHUB_TOKEN" */
  readonly passwordSecret?: string;
}

/** Options of `Registry.generic`. */
export interface GenericRegistryOptions {
  /** Registry host, e.g. `registry.example.com` or `registry.example.com:5000`. */
  readonly host: string;
  /** Path under the host, e.g. `team/apps`. */
  readonly namespace: string;
  /** @default "REGISTRY_USERNAME" */
  readonly usernameSecret?: string;
  /** @default "REGISTRY_PASSWORD" */
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
   * Repository path prefix.
   * @default - none: the repository is the image name
   */
  readonly namespace?: string;
}

/** Options of `Registry.ghcr`. */
export interface GhcrRegistryOptions {
  /**
   * Namespace under ghcr.io.
   * @default - `<owner>/<repo>` of the repository running the workflow, lowercased
   */
  readonly namespace?: string;
}

const SECRET = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The registry images are pushed to. Create one with the static methods. */
export class Registry {
  /** GitHub Container Registry: `ghcr.io/<owner>/<repo>/<image>`, logged in with `GITHUB_TOKEN`. */
  public static ghcr(options: GhcrRegistryOptions = {}): Registry {
    if (options.namespace) assertImageName('ci.registry.namespace', options.namespace);
    return new Registry(RegistryKind.GHCR, 'ghcr.io', options.namespace);
  }

  /** Docker Hub: `docker.io/<namespace>/<image>`, logged in with two secrets. */
  public static dockerHub(options: DockerHubRegistryOptions): Registry {
    assertImageName('ci.registry.namespace', options.namespace);
    const r = new Registry(RegistryKind.DOCKER_HUB, 'docker.io', options.namespace,
      options.usernameSecret ?? 'DOCKERHUB_USERNAME', options.passwordSecret ?? 'DOCKERHUB_TOKEN');
    r.checkSecrets();
    return r;
  }

  /** Any registry with a username and password in two secrets. */
  public static generic(options: GenericRegistryOptions): Registry {
    assertImageName('ci.registry.host', `${options.host}/x`);
    assertImageName('ci.registry.namespace', options.namespace);
    const r = new Registry(RegistryKind.GENERIC, options.host, options.namespace,
      options.usernameSecret ?? 'REGISTRY_USERNAME', options.passwordSecret ?? 'REGISTRY_PASSWORD');
    r.checkSecrets();
    return r;
  }

  /** Amazon ECR, logged in through GitHub OIDC (`id-token: write`). */
  public static ecr(options: EcrRegistryOptions): Registry {
    assertPattern('ci.registry.accountId', options.accountId, /^[0-9]{12}$/, 'a 12-digit AWS account id');
    assertPattern('ci.registry.region', options.region, /^[a-z]{2}(-[a-z]+)+-[0-9]$/, 'an AWS region such as "eu-west-1"');
    assertPattern('ci.registry.roleArn', options.roleArn, /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]+$/, 'an IAM role ARN');
    if (options.namespace) assertImageName('ci.registry.namespace', options.namespace);
    return new Registry(RegistryKind.ECR, `${options.accountId}.dkr.ecr.${options.region}.amazonaws.com`, options.namespace,
      undefined, undefined, options.region, options.roleArn);
  }

  private constructor(
    /** The kind of registry. */
    public readonly kind: RegistryKind,
    /** Registry host. */
    public readonly host: string,
    /** Namespace under the host. */
    public readonly namespace?: string,
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
