import { Instruction } from './model';
import { BASE_BUILDER_PACKAGES, WORKDIR, ZIG_CACHE_DIR } from '../config/constants';
import { BuilderSpec } from '../config/resolved';

/** Where the zig warm-up crate lives while it builds. */
const WARMUP_DIR = '/tmp/zig-warmup';

/**
 * The instructions that turn `rust:<version>-alpine` into the builder: zig,
 * the cargo tools, the Rust targets, a warm zig cache, then the packages the
 * C dependencies need. The tools come first so their layers are shared by
 * every project with the same tool versions. Used both by the inline builder
 * stage of the image Dockerfile and by the builder-image Dockerfile, so the
 * two always agree.
 */
export function builderInstructions(spec: BuilderSpec): Instruction[] {
  const rustup: string[] = [];
  if (spec.extraToolchain) {
    rustup.push(`rustup toolchain install ${spec.extraToolchain} --profile minimal`);
    rustup.push(`rustup default ${spec.extraToolchain}`);
  }
  rustup.push(`rustup target add ${spec.targets.join(' ')}`);
  if (spec.components.length) rustup.push(`rustup component add ${spec.components.join(' ')}`);
  const warm = ['cargo zigbuild --quiet', ...(spec.warmProfile === 'release' ? ['--release'] : []), ...spec.warmTargets.map((t) => `--target ${t}`)].join(' ');
  const instructions: Instruction[] = [
    {
      kind: 'RUN',
      comment: ['zig comes from the distro package of the builder\'s own architecture, pinned.'],
      commands: [`apk add --no-cache ${[...BASE_BUILDER_PACKAGES, spec.zigPackage].join(' ')}`],
    },
    {
      kind: 'RUN',
      commands: [
        `cargo install --locked ${spec.tools.map((t) => `${t.crate}@${t.version}`).join(' ')}`,
        'rm -rf "$CARGO_HOME/registry" "$CARGO_HOME/git"',
      ],
    },
    { kind: 'RUN', commands: rustup },
    {
      kind: 'ENV',
      pairs: [['ZIG_GLOBAL_CACHE_DIR', ZIG_CACHE_DIR]],
      comment: ['zig builds the C library of each target once, here, so a cook that misses pays for the dependencies only.'],
    },
    {
      kind: 'RUN',
      commands: [`cargo new --quiet --vcs none --bin ${WARMUP_DIR}`, `cd ${WARMUP_DIR}`, warm, 'cd /', `rm -rf ${WARMUP_DIR}`],
    },
  ];
  if (spec.packages.length) {
    const byReason = new Map<string, string[]>();
    for (const p of spec.packages) byReason.set(p.reason, [...(byReason.get(p.reason) ?? []), p.name]);
    instructions.push({
      kind: 'RUN',
      comment: ['Packages the C dependencies need:', ...[...byReason].map(([reason, names]) => `  ${names.join(', ')}: for ${reason}`)],
      commands: [`apk add --no-cache ${spec.packages.map((p) => p.name).join(' ')}`],
    });
  }
  instructions.push({ kind: 'WORKDIR', path: WORKDIR });
  return instructions;
}
