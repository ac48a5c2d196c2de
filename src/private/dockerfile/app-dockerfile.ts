import { posix } from 'path';
import { builderImageStages, builderInstructions } from './builder-stage';
import { allTargets, cargoSelectionFlags, targetPrelude, TARGETS_VAR } from './cargo-flags';
import { DockerfileModel, Instruction, Mount, Stage } from './model';
import { recipeRepairCommands } from './recipe-repair';
import { LibcKind } from '../../libc';
import { CompileLayout } from '../../options';
import { BUILDER_STAGE, DEBUG_DIR, OUT_DIR, SCCACHE_DIR, WORKDIR } from '../config/constants';
import { BuilderSpec, ResolvedBinary, ResolvedImage } from '../config/resolved';
import { decisionScope } from '../deps/decisions';

/** Stage names of the image Dockerfile. */
export const STAGES = { builder: BUILDER_STAGE, planner: 'planner', cook: 'cook', build: 'build', debugSymbols: 'debug-symbols', binaries: 'binaries' } as const;

/** The section cargo-auditable writes the dependency list to. */
export const AUDITABLE_SECTION = '.dep-v0';

/** The build argument that carries the image version into its label. */
export const VERSION_ARG = 'IMAGE_VERSION';

/** Secrets that carry the GitHub Actions cache credentials to sccache. */
export const SCCACHE_SECRETS = ['ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN'] as const;

/** The Cargo root in the builder. */
export function cargoRoot(image: ResolvedImage): string {
  return image.paths.crateInContext === '.' ? WORKDIR : `${WORKDIR}/${image.paths.crateInContext}`;
}

/** Path of a binary in the build stage, relative to the Cargo root, per platform. */
export function outputPath(platform: string, binary: string): string {
  return `${OUT_DIR}/${platform}/${binary}`;
}

/**
 * Shell that runs `check` (which reads `$f`) on every file under `dir`,
 * after failing on one that is not an ELF file; it fails when there is none,
 * so a check never passes over binaries it did not see.
 */
function eachBinary(dir: string, check: string): string {
  return `files=$(find ${dir} -type f | sort); [ -n "$files" ] || { echo "error: no binary under ${dir}" >&2; exit 1; }; for f in $files; do `
    + 'readelf -hW "$f" >/dev/null 2>&1 || { echo "error: $f is not an ELF file" >&2; exit 1; }; '
    + `${check}; done`;
}

/** Shell command that fails unless every binary under `dir` (a folder, or one file) is statically linked. */
export function staticCheckCommand(dir: string): string {
  return eachBinary(dir, 'if readelf -lW "$f" | grep -q "program interpreter" || readelf -dW "$f" | grep -q "(NEEDED)"; then echo "error: $f is not statically linked" >&2; exit 1; fi');
}

/**
 * Shell command that fails when a binary needs a glibc symbol version newer
 * than `floor`, read from the binary's version needs (`readelf -V`).
 */
export function glibcFloorCheckCommand(dir: string, floor: string): string {
  return eachBinary(dir, 'need=$(readelf -VW "$f" | grep -o \'GLIBC_[0-9][0-9.]*\' | sed \'s/GLIBC_//\' | sort -uV | tail -n 1); '
    + `if [ -n "$need" ] && [ "$(printf '%s\\n%s\\n' "$need" "${floor}" | sort -V | tail -n 1)" != "${floor}" ]; then echo "error: $f needs glibc $need, newer than the floor ${floor}" >&2; exit 1; fi`);
}

function mounts(image: ResolvedImage): Mount[] {
  const m: Mount[] = [];
  // Only the registry: the cook's target directory must stay in the layer.
  if (image.registryCacheMount) {
    m.push({ kind: 'cache', target: '/usr/local/cargo/registry', id: 'cargo-registry', sharing: 'locked' });
    m.push({ kind: 'cache', target: '/usr/local/cargo/git/db', id: 'cargo-git', sharing: 'locked' });
  }
  if (image.sccache) {
    m.push({ kind: 'cache', target: SCCACHE_DIR, id: 'sccache', sharing: 'locked' });
    if (image.sccache.githubActionsCache) for (const s of SCCACHE_SECRETS) m.push({ kind: 'secret-env', id: s, env: s });
  }
  return m;
}

/** With sccache and the Actions cache secrets present, sccache uses the GitHub Actions cache. */
function sccachePrelude(image: ResolvedImage): string[] {
  return image.sccache?.githubActionsCache ? ['if [ -n "$ACTIONS_RUNTIME_TOKEN" ]; then export SCCACHE_GHA_ENABLED=on; fi'] : [];
}

/** `ARG`s that select the targets: the targets list, or the target platform. */
function targetArgs(image: ResolvedImage): Instruction[] {
  return image.layout === CompileLayout.ALL_TARGETS_ONCE
    ? [{ kind: 'ARG', name: TARGETS_VAR, defaultValue: allTargets(image), comment: ['Targets to compile (all by default; a local build for the host passes one).'] }]
    : [{ kind: 'ARG', name: 'TARGETPLATFORM' }];
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

/** `COPY` of the build context into the builder, and the move to the Cargo root when it is a subfolder. */
function copyContext(image: ResolvedImage): Instruction[] {
  const root = cargoRoot(image);
  return root === WORKDIR
    ? [{ kind: 'COPY', sources: ['.'], destination: '.' }]
    : [{ kind: 'COPY', sources: ['.'], destination: `${WORKDIR}/` }, { kind: 'WORKDIR', path: root }];
}

function plannerStage(image: ResolvedImage): Stage {
  // One binary: the recipe keeps only the members and locked packages it needs (cargo-chef 0.1.76's prepare --bin),
  // so an edit to an unrelated member's manifest leaves the cook cached. Several binaries in one recipe is not offered yet.
  const single = image.binaries.length === 1 ? ` --bin ${image.binaries[0].name}` : '';
  return {
    name: STAGES.planner,
    from: {
      kind: 'FROM',
      image: STAGES.builder,
      comment: [`Planner: the dependency recipe${single ? ` of ${image.binaries[0].name}` : ''}. It changes only when ${single ? 'its ' : ''}dependencies change.`],
    },
    instructions: [...copyContext(image), {
      kind: 'RUN',
      comment: [
        'cargo-chef 0.1.78 masks member versions to 0.0.1, but not the "name version" references Cargo.lock writes when a member',
        'shares its name with another package, nor members without a version (0.0.0). The awk repairs recipe.json so that',
        'cook --locked accepts it, and names such a member\'s dummy library apart so the cook keeps the other package. No-op otherwise.',
      ],
      commands: [`cargo chef prepare --recipe-path recipe.json${single}`, ...recipeRepairCommands('recipe.json')],
    }],
  };
}

/**
 * One fixed modification time for the path crates cargo-chef does not
 * skeleton, in the cook and in the build: cargo judges a path crate by its
 * files' times, and BuildKit's cache keys COPY by content, so a cook cached
 * from another checkout would otherwise see them as changed and recompile them.
 */
function pathCrateTimes(image: ResolvedImage): string[] {
  if (!image.pathCratesForCook.length) return [];
  return [`find ${image.pathCratesForCook.map((d) => `${WORKDIR}/${d}`).join(' ')} -exec touch -t 200001010000 {} +`];
}

function cookStage(image: ResolvedImage): Stage {
  const root = cargoRoot(image);
  const instructions: Instruction[] = [...targetArgs(image)];
  if (root !== WORKDIR) instructions.push({ kind: 'WORKDIR', path: root });
  if (image.buildEnv.length) {
    instructions.push({ kind: 'ENV', pairs: image.buildEnv, comment: ['Environment shared by cook and build (same values, or every dependency recompiles).'] });
  }
  instructions.push({ kind: 'COPY', from: STAGES.planner, sources: [`${root}/recipe.json`], destination: 'recipe.json' });
  for (const dir of image.pathCratesForCook) {
    instructions.push({ kind: 'COPY', sources: [dir], destination: `${WORKDIR}/${dir}`, comment: [`Path crate ${dir}: cargo-chef does not skeleton it, so its sources go into the cook.`] });
  }
  const all = image.targets.map((t) => t.rustTarget);
  const notes = image.decisions.map((d) => `${d.crate} ${d.versions.join(', ')}${decisionScope(d, all)}: ${d.summary}`);
  const glibc = image.libc.kind === LibcKind.GLIBC;
  instructions.push({
    kind: 'RUN',
    comment: [
      ...(notes.length ? ['C dependencies this image compiles (from Cargo\'s resolution):', ...notes] : []),
      ...(glibc ? ['cargo-zigbuild writes <arch>-unknown-linux-gnu.<glibc>/ to <arch>-unknown-linux-gnu/; the link lets cargo-chef clean up there (cargo-chef #367).'] : []),
    ],
    mounts: mounts(image),
    commands: [
      ...pathCrateTimes(image),
      ...targetPrelude(image),
      ...sccachePrelude(image),
      ...(glibc ? [`for t in $${TARGETS_VAR}; do ${targetCase(image)}; mkdir -p "target/$d"; ln -sfn "$d" "target/$t"; done`] : []),
      ['cargo chef cook --zigbuild', ...cargoSelectionFlags(image), '--recipe-path recipe.json'].join(' '),
    ],
  });
  return {
    name: STAGES.cook,
    from: { kind: 'FROM', image: STAGES.builder, comment: ['Cook: compiles only the dependencies, for every target. Cached while recipe.json is unchanged.'] },
    instructions,
  };
}

/** The shell `case` that maps a cargo-zigbuild target to its platform and output folder. */
function targetCase(image: ResolvedImage): string {
  const arms = image.targets.map((t) => `${t.zigTarget}) p=${t.platform} d=${t.rustTarget} ;;`).join(' ');
  return `case "$t" in ${arms} *) echo "unsupported target: $t" >&2; exit 1 ;; esac`;
}

/** Commands that copy each target's binaries to the per-platform folder (and split their debug info). */
function collectCommands(image: ResolvedImage): string[] {
  const per: string[] = ['mkdir -p "target/image/$p"'];
  if (image.debugSymbols) per.push('mkdir -p "target/debug-symbols/$p"');
  for (const b of image.binaries) {
    const out = `"${outputPath('$p', b.name)}"`;
    per.push(`cp "target/$d/${image.profileDir}/${b.name}" ${out}`);
    if (image.debugSymbols) {
      const dbg = `"${DEBUG_DIR}/$p/${b.name}.debug"`;
      // --strip-all would drop cargo-auditable's dependency list (.dep-v0) too: keep it.
      const keep = image.auditable ? ` --keep-section=${AUDITABLE_SECTION}` : '';
      per.push(`"$objcopy" --only-keep-debug ${out} ${dbg}`, `"$objcopy" --strip-all${keep} --add-gnu-debuglink=${dbg} ${out}`);
    }
  }
  const commands: string[] = [];
  if (image.debugSymbols) commands.push('objcopy="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n \'s/^host: //p\')/bin/llvm-objcopy"');
  commands.push(`for t in $${TARGETS_VAR}; do ${targetCase(image)}; ${per.join('; ')}; done`);
  return commands;
}

function buildStage(image: ResolvedImage): Stage {
  const check = image.libc.kind === LibcKind.GLIBC ? glibcFloorCheckCommand(OUT_DIR, image.libc.glibcVersion!) : staticCheckCommand(OUT_DIR);
  const compile = ['cargo', ...(image.auditable ? ['auditable'] : []), 'zigbuild', ...cargoSelectionFlags(image)].join(' ');
  return {
    name: STAGES.build,
    from: { kind: 'FROM', image: STAGES.cook, comment: ['Build: compiles the workspace crates with cargo zigbuild.'] },
    instructions: [
      ...targetArgs(image),
      ...copyContext(image).filter((i) => i.kind === 'COPY'),
      {
        kind: 'RUN',
        comment: [
          'Same flags as the cook, so only workspace crates compile.',
          ...(image.auditable ? ['cargo auditable embeds the dependency list in each binary, for SBOM scanners and cargo audit.'] : []),
          image.libc.kind === LibcKind.GLIBC ? `The binaries must need no glibc newer than ${image.libc.glibcVersion}.` : 'The binaries must be static.',
        ],
        mounts: mounts(image),
        commands: [...pathCrateTimes(image), ...targetPrelude(image), ...sccachePrelude(image), compile, ...collectCommands(image), check],
      },
    ],
  };
}

/** A stage that only exports files of the build stage (`--target <name> --output type=local`). */
function exportStage(name: string, comment: string[], instructions: Instruction[]): Stage {
  return { name, from: { kind: 'FROM', image: 'scratch', comment }, instructions };
}

function debugSymbolsStage(image: ResolvedImage): Stage {
  return exportStage(STAGES.debugSymbols, [
    'Debug symbols, apart from the image: docker buildx build --target debug-symbols --output type=local,dest=<dir> .',
    'Each <platform>/<binary>.debug belongs to the stripped binary that names it in its GNU debuglink.',
  ], [{ kind: 'COPY', from: STAGES.build, sources: [`${cargoRoot(image)}/${DEBUG_DIR}/`], destination: '/' }]);
}

/** Every platform's binaries, for the vulnerability gate (`--target binaries --output type=local`). */
function binariesStage(image: ResolvedImage): Stage {
  return exportStage(STAGES.binaries, [
    'The binaries of the target platform, for the vulnerability gate (cargo audit bin):',
    'docker buildx build --platform <platforms> --target binaries --output type=local,dest=<dir> .',
  ], [
    { kind: 'ARG', name: 'TARGETPLATFORM' },
    { kind: 'COPY', from: STAGES.build, sources: [`${cargoRoot(image)}/${outputPath('${TARGETPLATFORM}', '')}`], destination: '/' },
  ]);
}

/** The runtime stage of one binary: no RUN, so no emulation. */
export function runtimeStage(image: ResolvedImage, b: ResolvedBinary): Stage {
  const rt = b.runtime;
  const binPath = `${rt.binDir}/${b.name}`;
  const instructions: Instruction[] = [
    { kind: 'ARG', name: 'TARGETPLATFORM' },
    { kind: 'ARG', name: VERSION_ARG, comment: ['The image version, for its label: set by CI from the git tag, and by the local tasks from Cargo.'] },
    { kind: 'COPY', from: STAGES.builder, sources: ['/etc/ssl/certs/ca-certificates.crt'], destination: '/etc/ssl/certs/ca-certificates.crt' },
    { kind: 'COPY', from: STAGES.build, chmod: '0755', sources: [`${cargoRoot(image)}/${outputPath('${TARGETPLATFORM}', b.name)}`], destination: binPath },
  ];
  for (const f of rt.extraFiles) instructions.push({ kind: 'COPY', sources: [f.source], destination: f.destination, chmod: f.mode });
  if (rt.env.length) instructions.push({ kind: 'ENV', pairs: rt.env });
  if (rt.ports.length) instructions.push({ kind: 'EXPOSE', ports: rt.ports });
  instructions.push({ kind: 'LABEL', pairs: b.labels });
  instructions.push({ kind: 'LABEL', pairs: [['org.opencontainers.image.version', `\${${VERSION_ARG}}`]], expandArgs: true });
  instructions.push({ kind: 'USER', user: rt.user });
  if (rt.healthcheck) {
    const h = rt.healthcheck;
    instructions.push({
      kind: 'HEALTHCHECK',
      argv: [binPath, ...h.args],
      intervalSeconds: h.intervalSeconds,
      timeoutSeconds: h.timeoutSeconds,
      startPeriodSeconds: h.startPeriodSeconds,
      retries: h.retries,
      comment: ['The binary\'s own probe, in exec form: no shell or curl needed.'],
    });
  }
  instructions.push({ kind: 'ENTRYPOINT', argv: [binPath] });
  if (rt.args.length) instructions.push({ kind: 'CMD', argv: rt.args });
  return {
    name: b.stage,
    from: { kind: 'FROM', image: rt.baseImage, comment: [`Runtime image of ${b.name}, for the target platform. It has no RUN: nothing runs emulated.`] },
    instructions,
  };
}

/** The image Dockerfile: builder, planner, cook, build, debug symbols, then one runtime stage per binary. */
export function appDockerfileModel(image: ResolvedImage): DockerfileModel {
  const names = image.binaries.map((b) => b.name).join(', ');
  const dockerfileInContext = posix.relative(image.paths.contextPath, image.paths.dockerfile);
  return {
    syntax: 'docker/dockerfile:1',
    header: [
      `Multi-arch image${image.binaries.length > 1 ? 's' : ''} of ${names} (${image.platforms.join(', ')}).`,
      'Compiling stages run on $BUILDPLATFORM and cross-compile with cargo-zigbuild; cargo-chef caches the dependencies.',
      `Build: docker buildx build --platform ${image.platforms.join(',')} -f ${dockerfileInContext} .`,
    ],
    stages: [
      builderStage(image),
      plannerStage(image),
      cookStage(image),
      buildStage(image),
      ...(image.debugSymbols ? [debugSymbolsStage(image)] : []),
      ...(image.gate ? [binariesStage(image)] : []),
      ...image.binaries.map((b) => runtimeStage(image, b)),
    ],
  };
}

/**
 * The builder-image Dockerfile: the builder stage's tools and layout as a
 * standalone image, whose tools are cross-compiled on the build platform, so
 * both platforms build on one host with only COPY, apk and rustup emulated.
 */
export function builderDockerfileModel(spec: BuilderSpec): DockerfileModel {
  return {
    syntax: 'docker/dockerfile:1',
    header: [
      `Builder image: Rust ${spec.rustVersion}, ${spec.tools.map((t) => `${t.crate} ${t.version}`).join(', ')}, ${spec.zigPackage}.`,
      'Build it for linux/amd64 and linux/arm64, so $BUILDPLATFORM resolves natively on either host. One host builds both:',
      'the tools compile on the build platform with cargo-zigbuild, so the other platform only runs COPY, apk and rustup',
      '(emulated: register QEMU with binfmt_misc, e.g. docker/setup-qemu-action).',
    ],
    stages: builderImageStages(spec),
  };
}
