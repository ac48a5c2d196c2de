import { PrivateGitOptions } from '../../private-git';
import { CargoWorkspace } from '../cargo/workspace';
import { RustDockerConfigError } from '../errors';
import { assertPattern } from '../validation/safe-values';

/** The BuildKit secret id the cook reads the token from. */
export const GIT_TOKEN_SECRET_ID = 'cargo-git-token';

/** `privateGit`, resolved: the token's name, the user name, and the origins git may send it to. */
export interface ResolvedPrivateGit {
  /** The repository secret (CI) and environment variable (locally, and inside the cook's RUN) holding the token. */
  readonly tokenSecret: string;
  readonly username: string;
  /** The origins (`https://host[:port]`) of Cargo.lock's git sources, sorted. */
  readonly origins: string[];
}

/**
 * The origins of the workspace's git sources, from Cargo.lock
 * (`git+https://host/...`), and the sources of another scheme.
 */
function gitOrigins(ws: CargoWorkspace): { origins: string[]; other: string[] } {
  const origins = new Set<string>();
  const other = new Set<string>();
  for (const p of ws.lockfile?.packages ?? []) {
    if (!p.source?.startsWith('git+')) continue;
    const m = /^git\+(https?:\/\/[^/?#@]+)[/?#]/.exec(p.source);
    if (m) origins.add(m[1]);
    else other.add(`${p.name} (${p.source.replace(/#.*$/, '')})`);
  }
  return { origins: [...origins].sort(), other: [...other].sort() };
}

/** Checks `privateGit` against Cargo.lock's git sources. */
export function resolvePrivateGit(options: PrivateGitOptions | undefined, ws: CargoWorkspace): ResolvedPrivateGit | undefined {
  if (!options) return undefined;
  const tokenSecret = options.tokenSecret ?? 'CARGO_GIT_TOKEN';
  assertPattern('privateGit.tokenSecret', tokenSecret, /^[A-Za-z_][A-Za-z0-9_]*$/, 'a secret and environment variable name (letters, digits and _)');
  if (tokenSecret.toUpperCase().startsWith('GITHUB_')) {
    throw new RustDockerConfigError('privateGit.tokenSecret', `${tokenSecret} starts with GITHUB_, which GitHub keeps for its own secrets`, 'choose another name, such as CARGO_GIT_TOKEN');
  }
  const username = options.username ?? 'x-access-token';
  assertPattern('privateGit.username', username, /^[A-Za-z0-9._-]+$/, 'a user name of letters, digits, ".", "_" and "-"');
  const { origins, other } = gitOrigins(ws);
  if (other.length) {
    throw new RustDockerConfigError('privateGit', `the token is sent over https, and these git sources of ${ws.displayRoot}Cargo.lock use another scheme: ${other.join(', ')}`,
      'give them https URLs in Cargo.toml (git = "https://..."), then run cargo update -p <name>');
  }
  if (!origins.length) {
    throw new RustDockerConfigError('privateGit', `${ws.displayRoot}Cargo.lock has no git source, so no build would use the token`, 'remove privateGit, or add the git dependency and run cargo update');
  }
  for (const o of origins) assertPattern('privateGit', o, /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]+)?$/, 'a git source of the form https://host[:port]/...');
  return { tokenSecret, username, origins };
}
