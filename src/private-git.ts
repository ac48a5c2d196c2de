/**
 * Git dependencies on private repositories: the cook fetches them over HTTPS
 * with an access token that reaches it as a BuildKit secret. The token is in
 * no layer, no build argument and no provenance: it lives in the cook's RUN
 * alone, where git's credential helper reads it for the hosts of Cargo.lock's
 * git sources and no other.
 */
export interface PrivateGitOptions {
  /**
   * The name of the token: the repository secret CI reads it from, and the
   * environment variable the local tasks read it from. The token must be
   * able to read every private repository Cargo.lock's git sources name
   * (for GitHub, a fine-grained token with Contents: read).
   * @default "CARGO_GIT_TOKEN"
   */
  readonly tokenSecret?: string;
  /**
   * The user name git sends with the token.
   * @default "x-access-token" (what GitHub expects with a token; GitLab takes "oauth2")
   */
  readonly username?: string;
}
