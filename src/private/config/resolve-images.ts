import { Libc } from '../../libc';
import { RustDockerImageOptions } from '../../options';
import { RustDockerConfigError } from '../errors';
import { BinChoice } from './resolve-binaries';
import { resolveLabels, resolveRuntime } from './resolve-runtime';
import { ResolvedBinary } from './resolved';
import { assertImageName } from '../validation/oci-reference';

/** `value` in lowercase letters, digits and dashes; empty when nothing of it is usable. */
function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** A short lowercase id made of letters, digits and dashes. */
export function slugOf(value: string): string {
  return slug(value) || 'image';
}

/**
 * One image per binary: its name, runtime stage, runtime settings (the
 * shared ones with the binary's own merged over them) and labels.
 */
export function resolveImages(choices: BinChoice[], options: RustDockerImageOptions, libc: Libc): ResolvedBinary[] {
  const single = choices.length === 1;
  if (!single && options.imageName !== undefined) {
    throw new RustDockerConfigError('imageName', 'is for a single binary; with "binaries" each image is named after its binary', 'set binaryOptions.<binary>.imageName instead');
  }
  const binaries: ResolvedBinary[] = choices.map(({ bin, pkg }) => {
    const own = options.binaryOptions?.[bin.name];
    const field = single ? 'runtime' : `binaryOptions.${bin.name}.runtime`;
    const imageName = options.imageName ?? own?.imageName ?? slugOf(bin.name);
    assertImageName(options.imageName === undefined && own?.imageName ? `binaryOptions.${bin.name}.imageName` : 'imageName', imageName);
    return {
      name: bin.name,
      package: pkg.name,
      stage: single ? 'runtime' : `runtime-${slugOf(bin.name)}`,
      imageName,
      slug: slugOf(imageName.split('/').pop()!),
      runtime: resolveRuntime(field, libc, options.runtime, own?.runtime),
      labels: resolveLabels(field, bin.name, pkg, { ...options.runtime?.labels, ...own?.runtime?.labels }),
    };
  });
  for (const key of Object.keys(options.binaryOptions ?? {})) {
    if (!binaries.some((x) => x.name === key)) {
      throw new RustDockerConfigError(`binaryOptions.${key}`, `"${key}" is not one of the shipped binaries (${binaries.map((x) => x.name).join(', ')})`, 'key binaryOptions by a binary listed in "binaries"');
    }
  }
  const slugs = new Set<string>();
  for (const x of binaries) {
    if (slugs.has(x.slug)) throw new RustDockerConfigError('binaryOptions', `two images would share the name "${x.slug}"`, 'give each binary its own imageName');
    slugs.add(x.slug);
  }
  return binaries;
}

/**
 * The id of an image's cache mount: `<project>-<image>-cargo-target`, or
 * `<image>-cargo-target` when the project has the image's name. A daemon
 * keeps one mount per id, whoever builds on it: the project's name keeps
 * images of the same name in other projects (a developer's other
 * repositories, or the repositories a fleet's buildkitd serves) out of it.
 * The name is reduced as an image's is, to lowercase letters, digits and
 * dashes (a name with none of them is left out).
 */
export function cargoTargetCacheId(projectName: string, image: string): string {
  const project = slug(projectName);
  return project && project !== image ? `${project}-${image}-cargo-target` : `${image}-cargo-target`;
}
