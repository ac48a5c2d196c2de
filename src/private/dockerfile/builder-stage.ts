import { Instruction } from './model';
import { WORKDIR } from '../config/defaults';
import { BuilderSpec } from '../config/resolved';

/**
 * The instructions that turn `rust:<version>-alpine` into the builder: zig,
 * cargo-chef, cargo-zigbuild, the Rust targets and the C toolchain pieces.
 * Used both by the inline builder stage of the image Dockerfile and by the
 * builder-image Dockerfile, so the two always agree.
 */
export function builderInstructions(spec: BuilderSpec): Instruction[] {
  const packages = [...spec.packages.map((p) => p.name), spec.zigPackage];
  const byReason = new Map<string, string[]>();
  for (const p of spec.packages.filter((x) => x.reason !== 'builder base')) {
    byReason.set(p.reason, [...(byReason.get(p.reason) ?? []), p.name]);
  }
  const rustup: string[] = [];
  if (spec.extraToolchain) {
    rustup.push(`rustup toolchain install ${spec.extraToolchain} --profile minimal`);
    rustup.push(`rustup default ${spec.extraToolchain}`);
  }
  rustup.push(`rustup target add ${spec.targets.join(' ')}`);
  if (spec.components.length) rustup.push(`rustup component add ${spec.components.join(' ')}`);
  return [
    {
      kind: 'RUN',
      comment: [
        'zig comes from the distro package of the builder\'s own architecture, pinned (zig 0.16 broke ar for ring).',
        ...[...byReason].map(([reason, names]) => `${names.join(', ')}: for ${reason}`),
      ],
      commands: [`apk add --no-cache ${packages.join(' ')}`],
    },
    {
      kind: 'RUN',
      commands: [
        `cargo install --locked cargo-chef@${spec.cargoChefVersion} cargo-zigbuild@${spec.cargoZigbuildVersion}`,
        ...rustup,
        'rm -rf "$CARGO_HOME/registry" "$CARGO_HOME/git"',
      ],
    },
    { kind: 'WORKDIR', path: WORKDIR },
  ];
}
