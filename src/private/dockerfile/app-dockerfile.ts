import { posix } from 'path';
import { binaryPath, checkLines, targetLines, wrapCommand } from './build-script';
import { builderImageStages, builderInstructions, finishInstructions, toolInstructions } from './builder-stage';
import { allTargets, cargoSelectionFlags, TARGETS_VAR } from './cargo-flags';
import { CARGO_TARGET_STAGES, cargoTargetMount, cargoTargetNote, cargoTargetRestore, cargoTargetSave, cargoTargetTransferStages } from './cargo-target-cache';
import { DockerfileModel, Instruction, Mount, Stage } from './model';
import { recipeRepairScript } from './recipe-repair';
import { targetLibraryStages } from './target-library-stages';
import { LibcKind } from '../../libc';
import { CompileLayout } from '../../options';
import { BUILDER_STAGE, SCCACHE_DIR, WORKDIR } from '../config/constants';
import { GIT_TOKEN_SECRET_ID } from '../config/resolve-private-git';
import { BuilderSpec, ResolvedBinary, ResolvedImage } from '../config/resolved';
import { decisionScope } from '../deps/decisions';
import { librarySbom, librarySbomPath } from '../deps/library-sbom';
import { TargetLibrary } from '../deps/target-libraries';
import { archSlugOf } from '../platforms';

/** Stage names of the image Dockerfile. */
export const STAGES = {
  builder: BUILDER_STAGE,
  tools: 'rust-tools',
  planner: 'planner',
  cook: 'cook',
  build: 'build',
  debugSymbols: 'debug-symbols',
  binaries: 'binaries',
  cargoTargetSeed: CARGO_TARGET_STAGES.seed,
  cargoTargetCollect: CARGO_TARGET_STAGES.collect,
  cargoTargetExport: CARGO_TARGET_STAGES.export,
} as const;

/** The build argument that carries the image version into its label. */
export const VERSION_ARG = 'IMAGE_VERSION';

/** Secrets that carry the GitHub Actions cache credentials to sccache. */
export const SCCACHE_SECRETS = ['ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN'] as const;

/** The Cargo root in the builder. */
export function cargoRoot(image: ResolvedImage): string {
  return image.paths.crateInContext === '.' ? WORKDIR : `${WORKDIR}/${image.paths.crateInContext}`;
}

/** Cargo's git database, shared by every RUN that fetches git sources. */
const GIT_DB_MOUNT: Mount = { kind: 'cache', target: '/usr/local/cargo/git/db', sharing: 'locked' };

function mounts(image: ResolvedImage): Mount[] {
  const m: Mount[] = [];
  // Only the registry (and git sources): the cook's target directory must stay in the layer.
  if (image.registryCacheMount) {
    m.push({ kind: 'cache', target: '/usr/local/cargo/registry', sharing: 'locked' });
    if (image.gitDependencies) m.push(GIT_DB_MOUNT);
  }
  if (image.sccache) {
    m.push({ kind: 'cache', target: SCCACHE_DIR, id: 'sccache', sharing: 'locked' });
    if (image.sccache.githubActionsCache) for (const s of SCCACHE_SECRETS) m.push({ kind: 'secret-env', id: s, env: s });
  }
  return m;
}

/** The token of private git dependencies, as a secret in the RUN's environment (planner and cook), or none. */
function gitTokenMount(image: ResolvedImage): Mount[] {
  return image.privateGit ? [{ kind: 'secret-env', id: GIT_TOKEN_SECRET_ID, env: image.privateGit.tokenSecret }] : [];
}

/**
 * Private git dependencies: without the token the planner and the cook stop, naming it;
 * with it, cargo fetches through the git CLI, whose credential helper (set in
 * this RUN's environment alone, for the origins of Cargo.lock's git sources)
 * reads the token when git asks. Nothing of it is written to the layer.
 */
function privateGitPrelude(image: ResolvedImage): string[] {
  const git = image.privateGit;
  if (!git) return [];
  const token = git.tokenSecret;
  return [
    `if [ -z "\${${token}:-}" ]; then`,
    `  echo 'error: the build secret ${GIT_TOKEN_SECRET_ID} is missing: the token that reads the private git dependencies (${git.origins.join(', ')})' >&2`,
    `  echo 'Fix: in CI, set the repository secret ${token}; locally, export ${token}; then build again' >&2`,
    '  exit 1',
    'fi',
    '# git runs the helper, which reads the token from this RUN\'s environment; no file holds it.',
    '# shellcheck disable=SC2016',
    `helper='!f() { echo username=${git.username}; echo "password=$${token}"; }; f'`,
    `export CARGO_NET_GIT_FETCH_WITH_CLI=true GIT_TERMINAL_PROMPT=0 GIT_CONFIG_COUNT=${git.origins.length}`,
    ...git.origins.flatMap((o, i) => [`export GIT_CONFIG_KEY_${i}='credential.${o}.helper'`, `export GIT_CONFIG_VALUE_${i}="$helper"`]),
  ];
}

/** With sccache and the Actions cache secrets present, sccache uses the GitHub Actions cache. */
function sccachePrelude(image: ResolvedImage): string[] {
  return image.sccache?.githubActionsCache ? ['if [ -n "$ACTIONS_RUNTIME_TOKEN" ]; then export SCCACHE_GHA_ENABLED=on; fi'] : [];
}

/** `ARG`s that select the targets: the targets list, or the target platform. */
function targetArgs(image: ResolvedImage): Instruction[] {
  return image.layout === CompileLayout.ALL_TARGETS_ONCE
    ? [{ kind: 'ARG', name: TARGETS_VAR, defaultValue: allTargets(image), comment: ['Targets: all by default; a local build passes the host\'s.'] }]
    : [{ kind: 'ARG', name: 'TARGETPLATFORM' }];
}

const BUILDER_COMMENT = `Builder tools; CI swaps in the image of rust-builder.Dockerfile (--build-context ${STAGES.builder}=docker-image://...).`;

/**
 * The inline builder, on the build platform: one stage, or, with target
 * libraries, the tools stage, a stage per library on it, and the builder
 * that copies them in (CI's swap replaces the builder, so none of these run).
 */
function builderStages(image: ResolvedImage): Stage[] {
  const spec = image.builder;
  if (!spec.targetLibraries.length) {
    return [{ name: STAGES.builder, from: { kind: 'FROM', image: spec.baseImage, platform: '$BUILDPLATFORM', comment: [BUILDER_COMMENT] }, instructions: builderInstructions(spec) }];
  }
  return [
    { name: STAGES.tools, from: { kind: 'FROM', image: spec.baseImage, platform: '$BUILDPLATFORM', comment: ['The builder\'s tools, on the build platform.'] }, instructions: toolInstructions(spec) },
    ...targetLibraryStages(spec, STAGES.tools),
    { name: STAGES.builder, from: { kind: 'FROM', image: STAGES.tools, platform: '$BUILDPLATFORM', comment: [BUILDER_COMMENT] }, instructions: finishInstructions(spec) },
  ];
}

/** `COPY` of the build context into the builder, and the move to the Cargo root when it is a subfolder. */
function copyContext(image: ResolvedImage): Instruction[] {
  const root = cargoRoot(image);
  return root === WORKDIR
    ? [{ kind: 'COPY', sources: ['.'], destination: '.' }]
    : [{ kind: 'COPY', sources: ['.'], destination: `${WORKDIR}/` }, { kind: 'WORKDIR', path: root }];
}

/** The planner's RUN: `cargo chef prepare`, then the recipe repair where the workspace needs it. */
function prepareRun(image: ResolvedImage, prepare: string): Instruction {
  // cargo chef prepare runs cargo metadata, which fetches the git sources: private ones need the token here too.
  // The git database's cache is the cook's, so the planner's fetch serves it.
  const git = image.privateGit
    ? { mounts: [...(image.registryCacheMount ? [GIT_DB_MOUNT] : []), ...gitTokenMount(image)], prelude: privateGitPrelude(image) }
    : undefined;
  if (!image.recipeRepair.length && !git) return { kind: 'RUN', commands: [prepare] };
  return {
    kind: 'RUN',
    comment: image.recipeRepair.length ? [
      `cargo-chef masks member versions to 0.0.1, which breaks the recipe's lock here (${image.recipeRepair.join('; ')}).`,
      'The awk below repairs recipe.json so that cook --locked accepts it (docs/compatibility.md, "Workspace shapes").',
    ] : undefined,
    mounts: git?.mounts,
    script: true,
    commands: [...(git?.prelude ?? []), prepare, ...(image.recipeRepair.length ? recipeRepairScript('recipe.json', image.recipeUnmasked) : [])],
  };
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
      comment: [`Planner: the recipe of ${single ? `${image.binaries[0].name}'s` : 'the'} dependencies.`],
    },
    instructions: [...copyContext(image), prepareRun(image, `cargo chef prepare --recipe-path recipe.json${single}`)],
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

/** The C-dependency note above the cook: what Cargo's resolution says the image compiles. */
function cDependencyNote(image: ResolvedImage): string[] {
  const all = image.targets.map((t) => t.rustTarget);
  const notes = image.decisions.map((d) => `  ${d.crate} ${d.versions.join(', ')}${decisionScope(d, all)}: ${d.summary}`);
  return notes.length ? ['C dependencies this image compiles (from Cargo\'s resolution):', ...notes] : [];
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
  const glibc = image.libc.kind === LibcKind.GLIBC;
  instructions.push({
    kind: 'RUN',
    comment: [
      ...cDependencyNote(image),
      ...cargoTargetNote(image),
      ...(glibc ? ['cargo-zigbuild writes <arch>-unknown-linux-gnu.<glibc>/ to <arch>-unknown-linux-gnu/: the link lets cargo-chef clean up there (cargo-chef #367).'] : []),
    ],
    mounts: [...mounts(image), ...gitTokenMount(image), ...cargoTargetMount(image)],
    script: true,
    commands: [
      ...pathCrateTimes(image),
      ...targetLines(image),
      ...sccachePrelude(image),
      ...privateGitPrelude(image),
      ...cargoTargetRestore(image),
      ...(glibc ? [`for t in $${TARGETS_VAR}; do mkdir -p "target/\${t%%.*}"; ln -sfn "\${t%%.*}" "target/$t"; done`] : []),
      ...wrapCommand(['cargo chef cook --zigbuild', ...cargoSelectionFlags(image), '--recipe-path recipe.json']),
      ...cargoTargetSave(image),
    ],
  });
  return {
    name: STAGES.cook,
    from: { kind: 'FROM', image: STAGES.builder, comment: ['Cook: the dependencies of every target, cached while recipe.json is unchanged.'] },
    instructions,
  };
}

function buildStage(image: ResolvedImage): Stage {
  const compile = ['cargo', ...(image.auditable ? ['auditable'] : []), 'zigbuild', ...cargoSelectionFlags(image)];
  const linking = image.libc.kind === LibcKind.GLIBC ? `need no glibc newer than ${image.libc.glibcVersion}` : 'be static';
  return {
    name: STAGES.build,
    from: {
      kind: 'FROM',
      image: STAGES.cook,
      comment: [
        `Build: the workspace crates with the cook's flags${image.auditable ? ' (cargo auditable embeds the dependency list)' : ''}; the binaries must ${linking}.`,
      ],
    },
    instructions: [
      ...targetArgs(image),
      ...copyContext(image).filter((i) => i.kind === 'COPY'),
      {
        kind: 'RUN',
        mounts: mounts(image),
        script: true,
        commands: [...pathCrateTimes(image), ...targetLines(image), ...sccachePrelude(image), ...wrapCommand(compile), ...checkLines(image)],
      },
    ],
  };
}

/**
 * The stage a platform's files come from: one stage per platform named
 * `<name>-<slug>`, and `<name>` picks the target platform's with
 * `$TARGETARCH$TARGETVARIANT` (the slugs are those values: amd64, arm64,
 * armv7, riscv64), so no shell maps platforms to Rust targets.
 */
function perPlatformStages(image: ResolvedImage, name: string, comment: string[], file: (b: ResolvedBinary) => string): Stage[] {
  const root = cargoRoot(image);
  return [
    ...image.targets.map((t, n): Stage => ({
      name: `${name}-${archSlugOf(t.platform)}`,
      from: { kind: 'FROM', image: 'scratch', comment: n === 0 ? comment : undefined },
      instructions: image.binaries.map((b): Instruction => ({ kind: 'COPY', from: STAGES.build, sources: [`${root}/${binaryPath(image, t.rustTarget, file(b))}`], destination: '/' })),
    })),
    { name, from: { kind: 'FROM', image: `${name}-\${TARGETARCH}\${TARGETVARIANT}` }, instructions: [] },
  ];
}

/** Each platform's binaries, for the runtime stages and the vulnerability gate. */
function binariesStages(image: ResolvedImage): Stage[] {
  return perPlatformStages(image, STAGES.binaries, [
    `Each platform's binaries${image.gate ? ' (the vulnerability gate exports them with --target binaries)' : ''}.`,
  ], (b) => b.name);
}

/** Each platform's debug files, apart from the image. */
function debugSymbolsStages(image: ResolvedImage): Stage[] {
  return perPlatformStages(image, STAGES.debugSymbols, [
    'Debug symbols, apart from the image: --target debug-symbols --output type=local,dest=<dir>.',
    'Each <binary>.debug belongs to the stripped binary that names it in its GNU debuglink.',
  ], (b) => `${b.name}.debug`);
}

/** The builder's CA bundle, for a runtime base that has none. */
function caCertificates(): Instruction {
  const bundle = '/etc/ssl/certs/ca-certificates.crt';
  return { kind: 'COPY', from: STAGES.builder, sources: [bundle], destination: bundle, comment: ['CA certificates, which the base image lacks.'] };
}

/** The runtime stage of one binary: no RUN, so no emulation. */
export function runtimeStage(b: ResolvedBinary, libraries: readonly TargetLibrary[] = []): Stage {
  const rt = b.runtime;
  const binPath = `${rt.binDir}/${b.name}`;
  const instructions: Instruction[] = [
    { kind: 'ARG', name: VERSION_ARG, comment: ['Version label: from the git tag in CI, from Cargo locally.'] },
    ...(rt.copyCaCertificates ? [caCertificates()] : []),
    { kind: 'COPY', from: STAGES.binaries, chmod: '0755', sources: [`/${b.name}`], destination: binPath },
  ];
  if (libraries.length) {
    instructions.push({
      kind: 'COPY',
      content: librarySbom(b.name, libraries),
      sources: [],
      destination: librarySbomPath(b.name),
      comment: ['The system libraries inside the static binary, for scanners (syft reads it with its sbom cataloger).'],
    });
  }
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
    from: { kind: 'FROM', image: rt.baseImage, comment: [`Runtime image of ${b.name}: no RUN, so nothing runs emulated.`] },
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
      `${names} for ${image.platforms.join(', ')}: cargo-zigbuild cross-compiles on $BUILDPLATFORM, cargo-chef caches the dependencies.`,
      `Build: docker buildx build --platform ${image.platforms.join(',')} -f ${dockerfileInContext} .`,
    ],
    stages: [
      ...builderStages(image),
      plannerStage(image),
      cookStage(image),
      buildStage(image),
      ...(image.debugSymbols ? debugSymbolsStages(image) : []),
      ...cargoTargetTransferStages(image),
      ...binariesStages(image),
      ...image.binaries.map((b) => runtimeStage(b, image.builder.targetLibraries)),
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
