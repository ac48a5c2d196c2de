import { RustDockerConfigError } from '../errors';
import { assertSafe } from './safe-values';

// The grammar of distribution/reference (reference.go), without the digest part.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const NAME = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/** Throws unless `name` is a valid image repository name (no tag). */
export function assertImageName(field: string, name: string): void {
  assertSafe(field, name);
  if (name.length > 255 || !NAME.test(name)) {
    throw new RustDockerConfigError(
      field,
      `${JSON.stringify(name)} is not a valid image name (OCI reference grammar: lowercase letters, digits and separators . _ - in /-separated path components, with an optional registry host)`,
      'use a lowercase name such as "my-service" or "ghcr.io/acme/my-service"',
    );
  }
}

/** Throws unless `tag` is a valid image tag. */
export function assertImageTag(field: string, tag: string): void {
  assertSafe(field, tag);
  if (!TAG.test(tag)) {
    throw new RustDockerConfigError(
      field,
      `${JSON.stringify(tag)} is not a valid image tag (at most 128 characters of letters, digits, "_", "." and "-", not starting with "." or "-")`,
      'use a tag such as "1.2.3" or "latest"',
    );
  }
}

/** Throws unless `ref` is a full image reference: name, optional `:tag`, optional `@digest`. */
export function assertImageReference(field: string, ref: string): void {
  assertSafe(field, ref);
  let rest = ref;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const digest = rest.slice(at + 1);
    if (!DIGEST.test(digest)) {
      throw new RustDockerConfigError(field, `${JSON.stringify(ref)} has an invalid digest`, 'use "name@sha256:<64 hex digits>"');
    }
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    assertImageTag(field, rest.slice(colon + 1));
    rest = rest.slice(0, colon);
  }
  assertImageName(field, rest);
}
