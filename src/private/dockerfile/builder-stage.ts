import { wrapCommand } from './build-script';
import { Instruction, Stage } from './model';
import { targetLibraryCopies, targetLibraryStages } from './target-library-stages';
import { BASE_BUILDER_PACKAGES, WORKDIR, ZIG_CACHE_DIR } from '../config/constants';
import { BuilderSpec } from '../config/resolved';

/** Where the zig warm-up crate lives while it builds. */
const WARMUP_DIR = '/tmp/zig-warmup';

/** Stage names of the builder-image Dockerfile. */
export const BUILDER_IMAGE_STAGES = { cross: 'cross', zigCache: 'zig-cache', tools: 'tools' } as const;

/** Where the tools stage puts the tools it compiled for the target platform. */
export const TOOLS_OUT_DIR = '/tools/bin';

/**
 * The builder image's platforms and the musl triple its tools are compiled for
 * (static binaries, which run on Alpine of either architecture).
 */
export const TOOL_TRIPLES: Record<string, string> = {
  'linux/amd64': 'x86_64-unknown-linux-musl',
  'linux/arm64': 'aarch64-unknown-linux-musl',
};

/** The `apk add` of the base packages and zig. */
function apkBase(spec: BuilderSpec): Instruction {
  return {
    kind: 'RUN',
    commands: [`apk add --no-cache ${[...BASE_BUILDER_PACKAGES, spec.zigPackage].join(' ')}`],
  };
}

/** `cargo install --locked` of the tools, with the registry it downloaded removed from the layer. */
function cargoInstall(tools: BuilderSpec['tools']): Instruction {
  return { kind: 'RUN', commands: [`cargo install --locked ${tools.map((t) => `${t.crate}@${t.version}`).join(' ')}`, 'rm -rf "$CARGO_HOME/registry" "$CARGO_HOME/git"'] };
}

/** rustup: the extra toolchain, the targets and components. */
function rustupSetup(spec: BuilderSpec): Instruction {
  const rustup: string[] = [];
  if (spec.extraToolchain) {
    rustup.push(`rustup toolchain install ${spec.extraToolchain} --profile minimal`);
    rustup.push(`rustup default ${spec.extraToolchain}`);
  }
  rustup.push(`rustup target add ${spec.targets.join(' ')}`);
  if (spec.components.length) rustup.push(`rustup component add ${spec.components.join(' ')}`);
  return { kind: 'RUN', commands: rustup };
}

/** zig's global cache, outside any cache mount, so it stays in the image. */
function zigCacheEnv(comment: string): Instruction {
  return { kind: 'ENV', pairs: [['ZIG_GLOBAL_CACHE_DIR', ZIG_CACHE_DIR]], comment: [comment] };
}
const WARM_HERE = 'zig\'s libc of each target, built once here rather than in every cook.';

/** A throwaway crate built with cargo-zigbuild for every warm target, so zig's cache holds their C libraries. */
function zigWarmup(spec: BuilderSpec): Instruction {
  const warm = wrapCommand(['cargo zigbuild --quiet', ...(spec.warmProfile === 'release' ? ['--release'] : []), `--manifest-path ${WARMUP_DIR}/Cargo.toml`,
    ...spec.warmTargets.map((t) => `--target ${t}`)]);
  return { kind: 'RUN', script: true, commands: [`cargo new --quiet --vcs none --bin ${WARMUP_DIR}`, ...warm, `rm -rf ${WARMUP_DIR}`] };
}

/** The `apk add` of the packages the C dependencies need, grouped by the crate that needs them. */
function apkPackages(spec: BuilderSpec): Instruction[] {
  if (!spec.apkPackages.length) return [];
  const byReason = new Map<string, string[]>();
  for (const p of spec.apkPackages) byReason.set(p.reason, [...(byReason.get(p.reason) ?? []), p.name]);
  return [{
    kind: 'RUN',
    comment: ['Packages the C dependencies need:', ...[...byReason].map(([reason, names]) => `  ${names.join(', ')}: for ${reason}`)],
    commands: [`apk add --no-cache ${spec.apkPackages.map((p) => p.name).join(' ')}`],
  }];
}

/**
 * The instructions that turn `rust:<version>-alpine` into the builder's tools:
 * zig, the cargo tools, the Rust targets and a warm zig cache. They come
 * first so their layers are shared by every project with the same tool
 * versions. This is the inline builder of the image Dockerfile, which runs
 * on the build platform only, so it installs the tools natively. The
 * builder-image Dockerfile (`builderImageStages`) gives the same tools,
 * targets, zig cache, libraries, packages and layout, with the tools
 * cross-compiled, since it is also built for the other platform.
 */
export function toolInstructions(spec: BuilderSpec): Instruction[] {
  return [apkBase(spec), cargoInstall(spec.tools), rustupSetup(spec), zigCacheEnv(WARM_HERE), zigWarmup(spec)];
}

/** What follows the tools: the target libraries, the packages the C dependencies need, the working directory. */
export function finishInstructions(spec: BuilderSpec): Instruction[] {
  return [...targetLibraryCopies(spec), ...apkPackages(spec), { kind: 'WORKDIR', path: WORKDIR }];
}

/** The inline builder in one stage's instructions (a project that needs no target libraries). */
export function builderInstructions(spec: BuilderSpec): Instruction[] {
  return [...toolInstructions(spec), ...finishInstructions(spec)];
}

/** The Rust triple of a cargo-zigbuild target (without a glibc version suffix). */
function rustTriple(zigTarget: string): string {
  return zigTarget.replace(/\.[0-9.]+$/, '');
}

/**
 * The shell that compiles every tool for the target platform's musl triple,
 * as `cargo install --locked` would, but cross-compiled with cargo-zigbuild:
 * `cargo fetch` of a throwaway manifest that depends on `tool = "=<version>"`
 * extracts the published sources with their Cargo.lock into the registry, and
 * `cargo zigbuild --locked --bins` builds them there with the tool's own
 * locked dependency versions. Every binary the package builds goes to
 * `TOOLS_OUT_DIR`, as `cargo install` installs them all.
 */
function crossCompileTools(spec: BuilderSpec): string[] {
  // printf's format: the throwaway manifest (`\n` stays for printf to expand).
  const manifest = '[package]\\nname = "fetch-tool"\\nversion = "0.0.0"\\nedition = "2021"\\n\\n[dependencies]\\n%s = "=%s"\\n';
  return [
    'case "$TARGETPLATFORM" in',
    ...Object.entries(TOOL_TRIPLES).map(([p, t]) => `  ${p}) t=${t} ;;`),
    `  *) echo "error: the builder image is built for ${Object.keys(TOOL_TRIPLES).join(', ')}, not $TARGETPLATFORM" >&2; exit 1 ;;`,
    'esac',
    `mkdir -p /tmp/tools/src ${TOOLS_OUT_DIR}`,
    'touch /tmp/tools/src/lib.rs',
    `for tool in ${spec.tools.map((t) => `${t.crate}@${t.version}`).join(' ')}; do`,
    '  crate=${tool%@*} version=${tool#*@}',
    '  # A manifest that depends on the tool puts its published sources, with their Cargo.lock, in the registry.',
    `  printf '${manifest}' "$crate" "$version" > /tmp/tools/Cargo.toml`,
    '  rm -f /tmp/tools/Cargo.lock',
    '  cargo fetch --quiet --manifest-path /tmp/tools/Cargo.toml --target "$t"',
    '  src=$(ls -d "$CARGO_HOME"/registry/src/*/"$crate-$version" | head -n 1)',
    '  cargo zigbuild --locked --release --bins --target "$t" --target-dir /tmp/tools/target --manifest-path "$src/Cargo.toml"',
    'done',
    `find "/tmp/tools/target/$t/release" -maxdepth 1 -type f -perm -100 -exec cp {} ${TOOLS_OUT_DIR}/ \\;`,
    'rm -rf /tmp/tools "$CARGO_HOME/registry" "$CARGO_HOME/git"',
  ];
}

/**
 * The builder image as stages, so that nothing compiles on the target
 * platform: a build-platform stage (`cross`) with zig and cargo-zigbuild,
 * which warms zig's cache (`zig-cache`, shared by every platform) and
 * cross-compiles the tools for the target platform's musl triple (`tools`);
 * the final stage on the target platform copies them in and only runs
 * `apk add` and `rustup`. Built for linux/amd64 and linux/arm64 on one host,
 * only those steps of the other platform run emulated.
 */
export function builderImageStages(spec: BuilderSpec): Stage[] {
  const libraries = targetLibraryStages(spec, BUILDER_IMAGE_STAGES.zigCache);
  return [crossStage(spec), zigCacheStage(spec), toolsStage(spec), ...libraries, finalBuilderStage(spec)];
}

/** The build-platform stage: cargo-zigbuild and the Rust targets of the tools and of zig's warm-up. */
function crossStage(spec: BuilderSpec): Stage {
  const zigbuild = spec.tools.find((t) => t.crate === 'cargo-zigbuild')!;
  const crossTargets = [...new Set([...Object.values(TOOL_TRIPLES), ...spec.warmTargets.map(rustTriple)])];
  return {
    name: BUILDER_IMAGE_STAGES.cross,
    from: {
      kind: 'FROM',
      image: spec.baseImage,
      platform: '$BUILDPLATFORM',
      comment: ['Cross-compiling tools on the build platform: nothing below compiles under emulation.'],
    },
    instructions: [
      apkBase(spec),
      cargoInstall([zigbuild]),
      { kind: 'RUN', commands: [`rustup target add ${crossTargets.join(' ')}`] },
    ],
  };
}

/** A stage that starts from the build-platform stage. */
function onCrossStage(name: string, comment: string[], instructions: Instruction[]): Stage {
  return { name, from: { kind: 'FROM', image: BUILDER_IMAGE_STAGES.cross, comment }, instructions };
}

/** zig's libc cache, warmed once on the build platform for every platform. */
function zigCacheStage(spec: BuilderSpec): Stage {
  return onCrossStage(BUILDER_IMAGE_STAGES.zigCache, [
    'zig\'s cache of the C libraries, warmed once for every platform: the zig of the other architecture',
    '(same version, same lib folder) finds the same entries, so it builds no libc under emulation.',
  ], [zigCacheEnv(WARM_HERE), zigWarmup(spec)]);
}

/** The tools, cross-compiled on the build platform for the target platform. */
function toolsStage(spec: BuilderSpec): Stage {
  return onCrossStage(BUILDER_IMAGE_STAGES.tools,
    ['The tools, compiled for the target platform with their own locked dependencies (as cargo install --locked does).'],
    [{ kind: 'ARG', name: 'TARGETPLATFORM' }, { kind: 'RUN', script: true, commands: crossCompileTools(spec) }]);
}

/** The builder for the target platform: only COPY, apk and rustup run there. */
function finalBuilderStage(spec: BuilderSpec): Stage {
  return {
    from: {
      kind: 'FROM',
      image: spec.baseImage,
      comment: ['The builder, for the target platform: only COPY, apk and rustup run here.'],
    },
    instructions: [
      apkBase(spec),
      { kind: 'COPY', from: BUILDER_IMAGE_STAGES.tools, sources: [`${TOOLS_OUT_DIR}/`], destination: '/usr/local/cargo/bin/' },
      rustupSetup(spec),
      zigCacheEnv('zig\'s cache, warmed in the zig-cache stage: a cook that misses pays for the dependencies only.'),
      { kind: 'COPY', from: BUILDER_IMAGE_STAGES.zigCache, sources: [ZIG_CACHE_DIR], destination: ZIG_CACHE_DIR },
      ...finishInstructions(spec),
    ],
  };
}
