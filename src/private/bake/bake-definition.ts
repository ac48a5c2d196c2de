import { posix } from 'path';
import { BUILDER_STAGE } from '../config/constants';
import { GIT_TOKEN_SECRET_ID } from '../config/resolve-private-git';
import { ResolvedImage } from '../config/resolved';

/** A `docker buildx bake` JSON definition. */
export interface BakeDefinition {
  readonly group: Record<string, { targets: string[] }>;
  readonly target: Record<string, BakeTarget>;
}

/** One bake target. */
export interface BakeTarget {
  readonly context: string;
  readonly dockerfile: string;
  readonly target: string;
  readonly platforms: string[];
  readonly tags: string[];
  /** BuildKit secrets from the environment (`id=...,env=...`): the token of private git dependencies. */
  readonly secret?: string[];
}

/**
 * The bake definition of an image set: one target per image (named after
 * its slug) for every platform, and a `default` group with all of them. Bake
 * builds the targets in one BuildKit session, so the shared planner, cook and
 * build stages are computed once. Paths are relative to the bake file, which
 * sits at the build-context root.
 */
export function bakeDefinition(image: ResolvedImage): BakeDefinition {
  const target: Record<string, BakeTarget> = {};
  for (const b of image.binaries) {
    target[b.slug] = {
      context: '.',
      dockerfile: posix.relative(image.paths.contextPath, image.paths.dockerfile),
      target: b.stage,
      platforms: [...image.platforms],
      tags: [`${b.imageName}:dev`],
      ...(image.privateGit ? { secret: [`id=${GIT_TOKEN_SECRET_ID},env=${image.privateGit.tokenSecret}`] } : {}),
    };
  }
  return { group: { default: { targets: Object.keys(target) } }, target };
}

/** `--set` flags that replace the inline builder stage of every target with a published builder image. */
export function bakeBuilderContextFlags(definition: BakeDefinition, builderRef: string): string {
  return Object.keys(definition.target).map((t) => `--set ${t}.contexts.${BUILDER_STAGE}=docker-image://${builderRef}`).join(' ');
}
