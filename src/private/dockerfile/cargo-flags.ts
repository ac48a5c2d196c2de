import { ResolvedImage } from '../config/resolved';

/** The shell variable that holds the cargo-zigbuild targets in the cook and build steps. */
export const TARGETS_VAR = 'RUST_TARGETS';

/** The `--target` flags: the shell's positional parameters, which `targetLines` (build-script.ts) sets from the targets variable. */
const TARGET_FLAGS = '"$@"';

/**
 * The cargo flags shared by cook and build: one function, so they cannot
 * drift apart (cargo-chef recompiles everything when they differ).
 */
export function cargoSelectionFlags(image: ResolvedImage): string[] {
  const flags: string[] = [];
  if (image.locked) flags.push('--locked');
  flags.push(image.profile === 'release' ? '--release' : `--profile ${image.profile}`);
  flags.push(TARGET_FLAGS);
  flags.push('--target-dir target');
  if (image.noDefaultFeatures) flags.push('--no-default-features');
  if (image.features.length) flags.push(`--features ${image.features.join(',')}`);
  for (const p of image.cargoPackages) flags.push(`--package ${p}`);
  for (const b of image.binaries) flags.push(`--bin ${b.name}`);
  return flags;
}

/** The default value of the `RUST_TARGETS` build argument: every target. */
export function allTargets(image: ResolvedImage): string {
  return image.targets.map((t) => t.zigTarget).join(' ');
}
