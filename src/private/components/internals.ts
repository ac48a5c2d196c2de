import type { ResolvedImage } from '../config/resolved';
import type { DockerfileModel } from '../dockerfile/model';

/** What a `RustDockerImage` resolved and rendered, kept off its public surface. */
export interface ImageInternals {
  /** Every option resolved and validated. */
  readonly resolved: ResolvedImage;
  /** The Dockerfile's model, before rendering. */
  readonly model: DockerfileModel;
}

const INTERNALS = new WeakMap<object, ImageInternals>();

/** Records an image's internals (its constructor does, once). */
export function recordImageInternals(image: object, internals: ImageInternals): void {
  INTERNALS.set(image, internals);
}

/** The internals of an image this library constructed. */
export function imageInternals(image: object): ImageInternals {
  const found = INTERNALS.get(image);
  if (!found) throw new Error('imageInternals: not a RustDockerImage constructed by this library');
  return found;
}
