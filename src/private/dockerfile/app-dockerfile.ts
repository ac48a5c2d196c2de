import { BUILDER_STAGE, OUT_DIR, WORKDIR } from '../config/defaults';
import { ResolvedBinary, ResolvedImage } from '../config/resolved';
import { CompileLayout } from '../options';
import { Platform, rustTargetOf } from '../platform';
import { builderInstructions } from './builder-stage';
import { CacheMount, DockerfileModel, Instruction, Stage } from './model';

/** Stage names of the image Dockerfile. */
export const STAGES = { builder: BUILDER_STAGE, planner: 'planner', cook: 'cook', build: 'build' } as const;

/** File written by the per-platform layout: the Rust target of TARGETPLATFORM. */
const TARGET_FILE = '/tmp/rust-target';

/** The cargo flags shared by cook and build: one function, so they cannot drift apart. */
export function cargoSelectionFlags(image: ResolvedImage, targets: string[]): string[] {
  const flags: string[] = [];
  if (image.locked) flags.push('--locked');
  flags.push(image.profile === 'release' ? '--release' : `--profile ${image.profile}`);
  for (const t of targets) flags.push(`--target ${t}`);
  flags.push('--target-dir target');
  if (image.noDefaultFeatures) flags.push('--no-default-features');
  if (image.features.length) flags.push(`--features ${image.features.join(',')}`);
  for (const p of image.packages) flags.push(`--package ${p}`);
  for (const b of image.binaries) flags.push(`--bin ${b.name}`);
  return flags;
}

/** The `--target` values: literal triples, or the per-platform file's content. */
function targetArgs(image: ResolvedImage): string[] {
  return image.layout === CompileLayout.ALL_TARGETS_ONCE ? image.platforms.map(rustTargetOf) : [`"$(cat ${TARGET_FILE})"`];
}

/** Path of a binary in the build stage, relative to WORKDIR, per platform. */
export function outputPath(platform: string, binary: string): string {
  return `${OUT_DIR}/${platform}/${binary}`;
}

/** Shell command that fails unless every listed binary is statically linked. */
export function staticCheckCommand(paths: string[]): string {
  return `for f in ${paths.join(' ')}; do if readelf -lW "$f" | grep -q "program interpreter" || readelf -dW "$f" | grep -q "(NEEDED)"; then echo "error: $f is not statically linked" >&2; exit 1; fi; done`;
}

/** The shell command that writes the Rust target of $TARGETPLATFORM to a file. */
function targetMappingCommand(platforms: Platform[]): string {
  const arms = platforms.map((p) => `${p}) echo ${rustTargetOf(p)} ;;`).join(' ');
  return `case "$TARGETPLATFORM" in ${arms} *) echo "unsupported platform: $TARGETPLATFORM" >&2; exit 1 ;; esac > ${TARGET_FILE}`;
}

function cacheMounts(image: ResolvedImage): CacheMount[] | undefined {
  if (!image.registryCacheMount) return undefined;
  // Only the registry: the cook's target directory must stay in the layer.
  return [
    { target: '/usr/local/cargo/registry', id: 'cargo-registry', sharing: 'locked' },
    { target: '/usr/local/cargo/git/db', id: 'cargo-git', sharing: 'locked' },
  ];
}

function builderStage(image: ResolvedImage): Stage {
  return {
    name: STAGES.builder,
    from: {
      kind: 'FROM',
      image: image.builder.baseImage,
      platform: '$BUILDPLATFORM',
      comment: [
        'Builder tools (cargo-chef, cargo-zigbuild, zig), on the build platform. The same content as the',
        'builder-image Dockerfile: CI swaps in the published image with',
        `--build-context ${STAGES.builder}=docker-image://<builder image>, so app builds compile no tools.`,
      ],
    },
    instructions: builderInstructions(image.builder),
  };
}

function plannerStage(): Stage {
  return {
    name: STAGES.planner,
    from: { kind: 'FROM', image: STAGES.builder, comment: ['Planner: the dependency recipe. It changes only when dependencies change.'] },
    instructions: [
      { kind: 'COPY', sources: ['.'], destination: '.' },
      { kind: 'RUN', commands: ['cargo chef prepare --recipe-path recipe.json'] },
    ],
  };
}

function cookStage(image: ResolvedImage): Stage {
  const perPlatform = image.layout === CompileLayout.PER_TARGET_PLATFORM;
  const instructions: Instruction[] = [];
  if (perPlatform) instructions.push({ kind: 'ARG', name: 'TARGETPLATFORM' });
  if (image.buildEnv.length) {
    instructions.push({ kind: 'ENV', pairs: image.buildEnv, comment: ['Environment shared by cook and build (same values, or every dependency recompiles).'] });
  }
  instructions.push({ kind: 'COPY', from: STAGES.planner, sources: [`${WORKDIR}/recipe.json`], destination: 'recipe.json' });
  for (const dir of image.patchedPathCrates) {
    instructions.push({ kind: 'COPY', sources: [dir], destination: dir, comment: [`[patch] path crate ${dir}: cargo-chef does not skeleton it, so it is copied before the cook.`] });
  }
  if (perPlatform) instructions.push({ kind: 'RUN', commands: [targetMappingCommand(image.platforms)] });
  const notes = image.decisions.map((d) => `${d.crate} ${d.versions.join(', ')}: ${d.summary}`);
  instructions.push({
    kind: 'RUN',
    comment: notes.length ? ['C dependencies found in Cargo.lock:', ...notes] : undefined,
    cacheMounts: cacheMounts(image),
    commands: [['cargo chef cook --zigbuild', ...cargoSelectionFlags(image, targetArgs(image)), '--recipe-path recipe.json'].join(' ')],
  });
  return {
    name: STAGES.cook,
    from: { kind: 'FROM', image: STAGES.builder, comment: ['Cook: compiles only the dependencies, for every target. Cached while recipe.json is unchanged.'] },
    instructions,
  };
}

function buildStage(image: ResolvedImage): Stage {
  const perPlatform = image.layout === CompileLayout.PER_TARGET_PLATFORM;
  const commands = [['cargo zigbuild', ...cargoSelectionFlags(image, targetArgs(image))].join(' ')];
  const paths: string[] = [];
  if (perPlatform) {
    commands.push(`mkdir -p "${OUT_DIR}/$TARGETPLATFORM"`);
    for (const b of image.binaries) {
      commands.push(`cp "target/$(cat ${TARGET_FILE})/${image.profileDir}/${b.name}" "${outputPath('$TARGETPLATFORM', b.name)}"`);
      paths.push(`"${outputPath('$TARGETPLATFORM', b.name)}"`);
    }
  } else {
    commands.push(`mkdir -p ${image.platforms.map((p) => `${OUT_DIR}/${p}`).join(' ')}`);
    for (const p of image.platforms) {
      for (const b of image.binaries) {
        commands.push(`cp target/${rustTargetOf(p)}/${image.profileDir}/${b.name} ${outputPath(p, b.name)}`);
        paths.push(outputPath(p, b.name));
      }
    }
  }
  commands.push(staticCheckCommand(paths));
  const instructions: Instruction[] = [];
  if (perPlatform) instructions.push({ kind: 'ARG', name: 'TARGETPLATFORM' });
  instructions.push({ kind: 'COPY', sources: ['.'], destination: '.' });
  instructions.push({
    kind: 'RUN',
    comment: ['Same flags as the cook, so only workspace crates compile. The binaries must be static.'],
    cacheMounts: cacheMounts(image),
    commands,
  });
  return {
    name: STAGES.build,
    from: { kind: 'FROM', image: STAGES.cook, comment: ['Build: compiles the workspace crates with cargo zigbuild.'] },
    instructions,
  };
}

/** The runtime stage of one binary: no RUN, so no emulation. */
export function runtimeStage(b: ResolvedBinary): Stage {
  const rt = b.runtime;
  const binPath = `${rt.binDir}/${b.name}`;
  const instructions: Instruction[] = [
    { kind: 'ARG', name: 'TARGETPLATFORM' },
    { kind: 'COPY', from: STAGES.builder, sources: ['/etc/ssl/certs/ca-certificates.crt'], destination: '/etc/ssl/certs/ca-certificates.crt' },
    { kind: 'COPY', from: STAGES.build, chmod: '0755', sources: [`${WORKDIR}/${outputPath('${TARGETPLATFORM}', b.name)}`], destination: binPath },
  ];
  for (const f of rt.extraFiles) {
    instructions.push({ kind: 'COPY', sources: [f.source], destination: f.destination, chmod: f.mode });
  }
  if (rt.env.length) instructions.push({ kind: 'ENV', pairs: rt.env });
  if (rt.ports.length) instructions.push({ kind: 'EXPOSE', ports: rt.ports });
  instructions.push({ kind: 'LABEL', pairs: b.labels });
  instructions.push({ kind: 'USER', user: rt.user });
  instructions.push({ kind: 'ENTRYPOINT', argv: [binPath] });
  if (rt.args.length) instructions.push({ kind: 'CMD', argv: rt.args });
  return {
    name: b.stage,
    from: {
      kind: 'FROM',
      image: rt.baseImage,
      comment: [`Runtime image of ${b.name}, for the target platform. It has no RUN: nothing runs emulated.`],
    },
    instructions,
  };
}

/** The image Dockerfile: builder, planner, cook, build, then one runtime stage per binary. */
export function appDockerfileModel(image: ResolvedImage): DockerfileModel {
  const names = image.binaries.map((b) => b.name).join(', ');
  return {
    syntax: 'docker/dockerfile:1',
    header: [
      `Multi-arch image${image.binaries.length > 1 ? 's' : ''} of ${names} (${image.platforms.join(', ')}).`,
      'Compiling stages run on $BUILDPLATFORM and cross-compile with cargo-zigbuild; cargo-chef caches the dependencies.',
      'Build: docker buildx build --platform ' + image.platforms.join(',') + ` -f ${image.dockerfile} .`,
    ],
    stages: [
      builderStage(image),
      plannerStage(),
      cookStage(image),
      buildStage(image),
      ...image.binaries.map((b) => runtimeStage(b)),
    ],
  };
}

/** The builder-image Dockerfile: the builder stage's content as a standalone image. */
export function builderDockerfileModel(spec: ResolvedImage['builder']): DockerfileModel {
  return {
    syntax: 'docker/dockerfile:1',
    header: [
      `Builder image: Rust ${spec.rustVersion}, cargo-chef ${spec.cargoChefVersion}, cargo-zigbuild ${spec.cargoZigbuildVersion}, ${spec.zigPackage}.`,
      'Build it for linux/amd64 and linux/arm64, so $BUILDPLATFORM resolves natively on either host.',
    ],
    stages: [{ from: { kind: 'FROM', image: spec.baseImage }, instructions: builderInstructions(spec) }],
  };
}
