import { existsSync } from 'fs';
import { isAbsolute, posix, relative, resolve as resolvePath } from 'path';
import { CargoWorkspace, isOutside } from '../cargo/workspace';
import { RustDockerConfigError } from '../errors';
import { assertPattern, assertSafe, RELATIVE_PATH } from '../validation/safe-values';

/** Posix form of a relative path ('.' for the folder itself). */
function posixRel(from: string, to: string): string {
  const rel = relative(from, to).split(/[\\/]/).filter(Boolean).join('/');
  return rel === '' ? '.' : rel;
}

/**
 * Resolves a folder option to a path inside the project, or throws naming
 * the option.
 */
export function resolveProjectFolder(projectOutdir: string, field: string, value: string | undefined, purpose: string): string {
  const v = value ?? '.';
  assertSafe(field, v);
  const abs = resolvePath(projectOutdir, v);
  const rel = relative(projectOutdir, abs);
  if (isAbsolute(v) || rel.startsWith('..') || isAbsolute(rel)) {
    throw new RustDockerConfigError(field, `"${v}" is outside the project folder`, `use a path relative to the project, inside it, such as "." or "services/api" (${purpose})`);
  }
  if (!existsSync(abs)) {
    throw new RustDockerConfigError(field, `"${v}" does not exist`, `point ${field} at ${purpose}`);
  }
  return posixRel(projectOutdir, abs);
}

/** The Cargo root and build context of an image. */
export interface ImageFolders {
  readonly cratePath: string;
  readonly contextPath: string;
  /** The Cargo root relative to the build context. */
  readonly crateInContext: string;
}

/** Resolves `cratePath` and `contextPath`: the context must contain the Cargo root. */
export function resolveFolders(projectOutdir: string, cratePath: string | undefined, contextPath: string | undefined): ImageFolders {
  const crate = resolveProjectFolder(projectOutdir, 'cratePath', cratePath, 'the folder that holds the Cargo workspace root');
  const context = contextPath === undefined ? crate : resolveProjectFolder(projectOutdir, 'contextPath', contextPath, 'the Docker build context, a folder that contains cratePath');
  const crateInContext = posixRel(resolvePath(projectOutdir, context), resolvePath(projectOutdir, crate));
  if (crateInContext.startsWith('..')) {
    throw new RustDockerConfigError('contextPath', `"${context}" does not contain cratePath "${crate}", so Docker could not send the Cargo workspace`, `set contextPath to "${crate}" or to a folder above it`);
  }
  return { cratePath: crate, contextPath: context, crateInContext };
}

/**
 * Checks that every path dependency lies inside the build context, and
 * returns the path crates that cargo-chef does not skeleton, relative to the
 * build context.
 */
export function pathCratesForCook(projectOutdir: string, folders: ImageFolders, ws: CargoWorkspace): string[] {
  const contextAbs = resolvePath(projectOutdir, folders.contextPath);
  for (const dep of ws.pathDependencies) {
    const abs = resolvePath(ws.root, dep.dir);
    if (!isOutside(contextAbs, abs)) continue;
    const common = commonAncestor(projectOutdir, contextAbs, abs);
    const fix = common
      ? `set contextPath to "${common}" (a folder that holds both the Cargo root and "${dep.dir}"), keeping cratePath "${folders.cratePath}"`
      : 'move the crate inside the project, or depend on it through git or a registry';
    throw new RustDockerConfigError(
      dep.declaredIn,
      `path dependency "${dep.name}" at "${dep.dir}" is outside the build context ("${folders.contextPath}"), so Docker cannot send it`,
      fix,
    );
  }
  return ws.nonMemberPathCrates.map((dir) => posix.normalize(posix.join(folders.crateInContext, dir)));
}

/** The nearest folder inside the project holding both paths, relative to the project; undefined when there is none. */
function commonAncestor(projectOutdir: string, a: string, b: string): string | undefined {
  let dir = a;
  while (isOutside(dir, b)) {
    const parent = resolvePath(dir, '..');
    if (parent === dir) return undefined;
    dir = parent;
  }
  return isOutside(projectOutdir, dir) ? undefined : posixRel(projectOutdir, dir);
}

/** The Dockerfile path relative to the project, validated. */
export function resolveDockerfile(folders: ImageFolders, option: string | undefined, fallback: string): string {
  const dockerfile = option ?? fallback;
  assertPattern('dockerfile', dockerfile, RELATIVE_PATH, 'a relative path inside cratePath');
  return posix.normalize(posix.join(folders.cratePath, dockerfile));
}

/**
 * The `.dockerignore` path: the context root's when the context is the Cargo
 * root, else (or when asked) a Dockerfile-specific one beside the Dockerfile,
 * which BuildKit prefers and which leaves the context's own `.dockerignore`
 * alone.
 */
export function resolveDockerignore(folders: ImageFolders, dockerfile: string, dockerfileSpecific: boolean | undefined): string {
  return (dockerfileSpecific ?? folders.crateInContext !== '.') ? `${dockerfile}.dockerignore` : posix.join(folders.contextPath, '.dockerignore');
}
