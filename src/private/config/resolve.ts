import { join, posix, relative } from 'path';
import { BinChoice, chooseBinaries, resolveFeatures } from './resolve-binaries';
import { assertNoCDependencyErrors, BuilderNeeds, cargoConfigWarnings, resolveBuildEnv, resolveBuilder, resolveIgnoredCrates, resolveRustVersion } from './resolve-builder';
import { assertImageHosts, remoteBuilderWarnings, resolveCi } from './resolve-ci';
import { resolveGate } from './resolve-gate';
import { cargoTargetCacheId, resolveImages, slugOf } from './resolve-images';
import { ImageFolders, pathCratesForCook, resolveDockerfile, resolveDockerignore, resolveFolders } from './resolve-paths';
import { resolvePrivateGit } from './resolve-private-git';
import { BuilderSpec, ResolvedImage, ResolvedTarget } from './resolved';
import { BuildStrategy } from '../../ci-options';
import { CompilerCacheKind } from '../../compiler-cache';
import { Defaults } from '../../defaults';
import { Libc } from '../../libc';
import { CompileLayout, RustDockerImageOptions } from '../../options';
import { Platform } from '../../platform';
import { RECIPE_REPAIR_CHEF_VERSIONS, recipeRepairTriggers, recipeUnmasked } from '../cargo/chef-recipe';
import { staleLockFix, staleLockProblems } from '../cargo/lock-freshness';
import { CargoWorkspace, enclosingWorkspace, readWorkspace } from '../cargo/workspace';
import { GraphQuery, graphToJson } from '../deps/crate-graph';
import { CDependencyDecision, cDependencyDecisions } from '../deps/decisions';
import { knownBreakageWarnings } from '../deps/known-breakages';
import { resolveCrateGraph } from '../deps/resolve-graph';
import { RustDockerConfigError } from '../errors';
import { DEFAULT_PLATFORMS, rustTargetOf, sortPlatforms, zigTargetOf } from '../platforms';
import { assertImageName } from '../validation/oci-reference';
import { assertPattern, assertSafe, CARGO_NAME } from '../validation/safe-values';


/**
 * A package folder inside a workspace is built from the workspace root, with
 * the root's Cargo.lock: point cratePath there instead.
 */
function assertNotAMember(projectOutdir: string, cratePath: string, ws: CargoWorkspace): void {
  const parent = enclosingWorkspace(ws.root);
  if (!parent) return;
  const rel = relative(projectOutdir, parent).split(/[\\/]/).join('/') || '.';
  const pkg = ws.packages[0];
  const bins = pkg?.bins.map((b) => b.name) ?? [];
  const choice = bins.length === 1 ? `binary: "${bins[0]}"` : `cargoPackage: "${pkg?.name}"${bins.length ? ` and binary (one of ${bins.join(', ')})` : ''}`;
  throw new RustDockerConfigError(
    'cratePath',
    `"${cratePath}" holds package ${pkg?.name ?? '?'}, a member of the Cargo workspace at "${rel}"; Cargo builds members from the workspace root, with its Cargo.lock`,
    `set cratePath: "${rel}" and ${choice}${rel.startsWith('..') ? ' (the workspace root is outside this project: move the projen project up to it)' : ''}`,
  );
}

/** Builds use --locked: Cargo.lock must exist and record what the manifests declare. */
function assertLockUsable(ws: CargoWorkspace, locked: boolean, warnings: string[]): void {
  const display = `${ws.displayRoot}Cargo.lock`;
  if (!ws.lockfile) {
    if (locked) throw new RustDockerConfigError(display, 'the file is missing, but builds use --locked', 'run "cargo generate-lockfile" and commit Cargo.lock (or set locked: false)');
    return;
  }
  const problems = staleLockProblems(ws);
  if (!problems.length) return;
  const listed = problems.slice(0, 6).join('; ') + (problems.length > 6 ? `; and ${problems.length - 6} more` : '');
  if (!locked) {
    warnings.push(`${display} is out of date (${listed}); the build updates it inside the image. Fix: ${staleLockFix(ws)}`);
    return;
  }
  throw new RustDockerConfigError(display, `is out of date for the manifests (${listed}), and the image builds with --locked, so cargo would stop there`, staleLockFix(ws));
}

/** Whether `.git` stays in the build context: when a compiled build script embeds git metadata, unless turned off. */
function resolveIncludeGit(options: RustDockerImageOptions, decisions: CDependencyDecision[], warnings: string[]): boolean {
  (options.dockerignore?.extraPatterns ?? []).forEach((p, i) => assertSafe(`dockerignore.extraPatterns[${i}]`, p));
  const needsGit = decisions.filter((d) => d.needsGit).map((d) => d.crate);
  const includeGit = options.dockerignore?.includeGit ?? needsGit.length > 0;
  if (needsGit.length && !includeGit) {
    warnings.push(`${needsGit.join(', ')}: the build embeds git metadata, but dockerignore.includeGit is false, so .git is not in the build context. `
      + 'Fix: pass the metadata to the build script another way (e.g. VERGEN_IDEMPOTENT=1 or VERGEN_GIT_SHA in builder.env), or set includeGit: true');
  }
  return includeGit;
}

/** The compile layout: per target platform with native runners, else all targets in one compile. */
function resolveLayout(options: RustDockerImageOptions): CompileLayout {
  const layout = options.compileLayout
    ?? (options.ci?.strategy === BuildStrategy.NATIVE_RUNNERS ? CompileLayout.PER_TARGET_PLATFORM : CompileLayout.ALL_TARGETS_ONCE);
  if (!Object.values(CompileLayout).includes(layout)) {
    throw new RustDockerConfigError('compileLayout', `"${layout}" is not a layout`, 'use CompileLayout.ALL_TARGETS_ONCE or CompileLayout.PER_TARGET_PLATFORM');
  }
  return layout;
}

/** What the project already holds, for default file names. */
export interface ResolveContext {
  /** Absolute project outdir. */
  readonly projectOutdir: string;
  /** The project's name (projen's `name`). */
  readonly projectName: string;
  /** Whether another component already writes the file at a path (relative to the project). */
  readonly isTaken: (path: string) => boolean;
  /** Whether a hand-written file (not one projen generated) stands at a path (relative to the project). */
  readonly isHandWritten: (path: string) => boolean;
}

function resolvePlatforms(option: Platform[] | undefined): Platform[] {
  if (option !== undefined && option.length === 0) {
    throw new RustDockerConfigError('platforms', 'the list is empty', 'list at least one platform, e.g. [Platform.LINUX_AMD64, Platform.LINUX_ARM64]');
  }
  const known = Object.values(Platform) as string[];
  (option ?? []).forEach((p, i) => {
    if (!known.includes(p)) throw new RustDockerConfigError(`platforms[${i}]`, `"${p}" is not a supported platform`, `use one of: ${known.join(', ')}`);
  });
  return sortPlatforms(option ?? DEFAULT_PLATFORMS);
}

/** What the image compiles: the Cargo side of the configuration, up to the dependency graph. */
export interface CargoSelection {
  readonly folders: ImageFolders;
  readonly ws: CargoWorkspace;
  readonly choices: BinChoice[];
  readonly packages: string[];
  readonly features: string[];
  readonly noDefaultFeatures: boolean;
  readonly platforms: Platform[];
  readonly libc: Libc;
  readonly targets: ResolvedTarget[];
  /** The graph query: what `cargo tree` resolves. */
  readonly query: GraphQuery;
}

/** Reads the workspace and picks the packages, features and targets the image compiles. */
export function resolveSelection(options: RustDockerImageOptions, projectOutdir: string): CargoSelection {
  const folders = resolveFolders(projectOutdir, options.cratePath, options.contextPath);
  const ws = readWorkspace(join(projectOutdir, folders.cratePath), folders.cratePath === '.' ? '' : `${folders.cratePath}/`);
  if (!ws.isWorkspace) assertNotAMember(projectOutdir, folders.cratePath, ws);
  const choices = chooseBinaries(ws, options);
  const packages = [...new Set(choices.map((c) => c.pkg.name))];
  const features = resolveFeatures(choices, options.features ?? [], ws.displayRoot);
  const noDefaultFeatures = options.noDefaultFeatures ?? false;
  const platforms = resolvePlatforms(options.platforms);
  const libc = options.libc ?? Libc.musl();
  const targets: ResolvedTarget[] = platforms.map((platform) => ({
    platform, rustTarget: rustTargetOf(platform, libc), zigTarget: zigTargetOf(platform, libc),
  }));
  const query: GraphQuery = {
    packages, features, noDefaultFeatures, targets: [...new Set(targets.map((t) => t.rustTarget))],
  };
  return { folders, ws, choices, packages, features, noDefaultFeatures, platforms, libc, targets, query };
}

/** The id of an image: its (first) image name's last path segment, as a slug. */
function imageId(options: RustDockerImageOptions, choices: BinChoice[]): string {
  const first = choices[0].bin.name;
  const name = options.imageName ?? options.binaryOptions?.[first]?.imageName ?? first;
  return slugOf(name.split('/').pop()!);
}

/** Where an image's dependency graph is stored, relative to the project. */
export function crateGraphPath(options: RustDockerImageOptions, selection: CargoSelection): string {
  return posix.join(selection.folders.cratePath, `${imageId(options, selection.choices)}.crate-graph.json`);
}

/** The generated files' paths, relative to the project; default names step aside from files already there. */
function resolveFilePaths(options: RustDockerImageOptions, ctx: ResolveContext, selection: CargoSelection, id: string, warnings: string[]): ResolvedImage['paths'] {
  const { folders } = selection;
  const plainDockerfile = posix.join(folders.cratePath, 'Dockerfile');
  const ownDockerfile = !options.adoptExistingFiles && ctx.isHandWritten(plainDockerfile);
  const fallbackDockerfile = ctx.isTaken(plainDockerfile) || ownDockerfile ? `${id}.Dockerfile` : 'Dockerfile';
  const dockerfile = resolveDockerfile(folders, options.dockerfile, fallbackDockerfile);
  const chosen = options.dockerignore?.dockerfileSpecific;
  const plainIgnore = resolveDockerignore(folders, dockerfile, chosen);
  // A hand-written context .dockerignore where the generated one would go, or beside a hand-written Dockerfile (whose
  // .dockerignore the context's is): the generated patterns go to a Dockerfile-specific file of their own.
  const ownIgnore = chosen === undefined && !options.adoptExistingFiles
    && plainIgnore === resolveDockerignore(folders, dockerfile, false) && ctx.isHandWritten(plainIgnore);
  const besideOwn = chosen === undefined && ownDockerfile && options.dockerfile === undefined;
  const dockerignore = ownIgnore || besideOwn ? resolveDockerignore(folders, dockerfile, true) : plainIgnore;
  if (besideOwn) {
    warnings.push(`${plainDockerfile} is hand-written, so it is left alone: the generated Dockerfile is ${dockerfile}, with its own ${dockerignore}. `
      + 'Fix: set dockerfile to choose that name, or adoptExistingFiles: true to replace the hand-written one');
  } else if (ownIgnore) {
    warnings.push(`${plainIgnore} is hand-written, so it is left alone: the generated patterns go to ${dockerignore}, which BuildKit reads for ${dockerfile} instead. `
      + 'Fix: to keep its patterns in this build too, move them into dockerignore.extraPatterns, or set adoptExistingFiles: true');
  }
  const defaultBake = posix.join(folders.contextPath, 'docker-bake.json');
  const bakeFile = options.binaries === undefined ? undefined
    : ctx.isTaken(defaultBake) ? posix.join(folders.contextPath, `${id}.docker-bake.json`) : defaultBake;
  return { ...folders, dockerfile, dockerignore, crateGraph: crateGraphPath(options, selection), bakeFile };
}

/** What Cargo says the image compiles (per target), and the decisions about its native crates. Refusals throw. */
function resolveNativeCrates(options: RustDockerImageOptions, ctx: ResolveContext, selection: CargoSelection, graphPath: string, warnings: string[]) {
  const { ws } = selection;
  const graph = resolveCrateGraph(ws, selection.query, join(ctx.projectOutdir, graphPath), graphPath);
  if (graph.notice) warnings.push(graph.notice);
  if (!ws.lockfile) warnings.push(`${ws.displayRoot}Cargo.lock is missing, so the C dependencies of the image were not checked. Fix: run "cargo generate-lockfile" and commit Cargo.lock`);
  const decisions = cDependencyDecisions(graph.graph, resolveIgnoredCrates(options.builder ?? {}));
  assertNoCDependencyErrors(decisions, graphPath);
  for (const d of decisions.filter((x) => x.level === 'warning')) warnings.push(`${d.crate}: ${d.summary}. Fix: ${d.fix}`);
  return { decisions, crateGraph: graph.graph ? graphToJson(graph.graph) : undefined };
}

/** The builder image, and the environment the cook and build share. */
function resolveBuildSetup(
  options: RustDockerImageOptions, selection: CargoSelection, profile: string, decisions: CDependencyDecision[], warnings: string[], gitCli: boolean,
) {
  const { ws, choices, targets } = selection;
  const auditable = options.auditable ?? true;
  const sccache = options.compilerCache?.kind === CompilerCacheKind.SCCACHE ? options.compilerCache : undefined;
  const needs: BuilderNeeds = {
    rust: resolveRustVersion(ws, options.rustVersion, choices.map((c) => c.pkg)),
    targets,
    profile,
    auditable,
    debugSymbols: options.debugSymbols ?? false,
    sccacheVersion: sccache ? sccache.version ?? Defaults.SCCACHE_VERSION : undefined,
    decisions,
    gitCli,
  };
  const b = options.builder ?? {};
  if (b.image !== undefined) assertImageName('builder.image', b.image);
  const builder = resolveBuilder(ws, b, needs, warnings);
  const buildEnv = resolveBuildEnv(b, needs, sccache !== undefined);
  warnings.push(...cargoConfigWarnings(ws, buildEnv, targets.map((t) => t.rustTarget)));
  warnings.push(...knownBreakageWarnings(ws.lockfile, needs.rust.extraToolchain ?? needs.rust.version, `${ws.displayRoot}Cargo.lock`));
  const sccacheSetup = sccache ? { githubActionsCache: sccache.githubActionsCache } : undefined;
  return { auditable, debugSymbols: needs.debugSymbols, sccache: sccacheSetup, builder, buildEnv };
}

/**
 * Why the planner must repair cargo-chef's recipe, from the workspace (see
 * recipe-repair.ts). The repair reads the recipe layout of the cargo-chef
 * versions it is proven on, so another version with a trigger is refused.
 */
function resolveRecipeRepair(ws: CargoWorkspace, builder: BuilderSpec): string[] {
  const triggers = recipeRepairTriggers(ws);
  const chef = builder.tools.find((t) => t.crate === 'cargo-chef')!.version;
  if (triggers.length && !RECIPE_REPAIR_CHEF_VERSIONS.includes(chef)) {
    throw new RustDockerConfigError('builder.cargoChefVersion',
      `cargo-chef ${chef} is not one the recipe repair is proven on (${RECIPE_REPAIR_CHEF_VERSIONS.join(', ')}), and this workspace needs the repair: ${triggers.join('; ')}`,
      `leave builder.cargoChefVersion unset (${Defaults.CARGO_CHEF_VERSION}), or give every member a version and a name no other package of Cargo.lock has`);
  }
  return triggers;
}

/** The members the repair gives their version back, each word checked: they are written into the planner's script. */
function resolveRecipeUnmasked(ws: CargoWorkspace): string[] {
  const words = recipeUnmasked(ws);
  for (const w of words) assertPattern(`${ws.displayRoot}Cargo.toml [patch]`, w, /^[A-Za-z0-9_][A-Za-z0-9_-]*=[0-9A-Za-z.+-]+$/, 'a package name and a Cargo version');
  return words;
}

/** The Cargo profile and the folder under target/<triple>/ that holds its output. */
function resolveProfile(options: RustDockerImageOptions): { profile: string; profileDir: string } {
  const profile = options.profile ?? 'release';
  assertPattern('profile', profile, CARGO_NAME, 'a Cargo profile name');
  return { profile, profileDir: profile === 'dev' || profile === 'test' ? 'debug' : profile === 'bench' ? 'release' : profile };
}

/**
 * Validates every option, reads the Cargo workspace and resolves every
 * setting, CI included. Reads files (and runs `cargo tree` when the stored
 * dependency graph is stale) but writes nothing; throws
 * `RustDockerConfigError`.
 */
export function resolve(options: RustDockerImageOptions, ctx: ResolveContext): ResolvedImage {
  const selection = resolveSelection(options, ctx.projectOutdir);
  const { folders, ws, choices, packages, features, platforms, libc, targets } = selection;
  const warnings: string[] = [];
  const locked = options.locked ?? true;
  assertLockUsable(ws, locked, warnings);
  const privateGit = resolvePrivateGit(options.privateGit, ws);
  const { profile, profileDir } = resolveProfile(options);
  const binaries = resolveImages(choices, options, libc);
  const id = binaries[0].slug;
  const paths = resolveFilePaths(options, ctx, selection, id, warnings);
  const { decisions, crateGraph } = resolveNativeCrates(options, ctx, selection, paths.crateGraph, warnings);
  const setup = resolveBuildSetup(options, selection, profile, decisions, warnings, privateGit !== undefined);
  const ci = assertImageHosts(resolveCi(options.ci, `docker-${id}`), binaries, options);
  warnings.push(...remoteBuilderWarnings(ci?.remoteBuilder));
  return {
    id,
    paths,
    binaries,
    cargoPackages: packages,
    features,
    profile,
    profileDir,
    locked,
    platforms,
    libc,
    targets,
    decisions,
    crateGraph,
    warnings,
    ...setup,
    cargoTargetCache: (options.compilerCache?.kind ?? CompilerCacheKind.CARGO_TARGET) === CompilerCacheKind.CARGO_TARGET
      ? cargoTargetCacheId(ctx.projectName, id) : undefined,
    noDefaultFeatures: options.noDefaultFeatures ?? false,
    layout: resolveLayout(options),
    registryCacheMount: options.registryCacheMount ?? true,
    gitDependencies: !ws.lockfile || ws.lockfile.packages.some((p) => p.source?.startsWith('git+')),
    privateGit,
    gate: resolveGate(options, setup.auditable),
    memberDirs: ws.packages.map((p) => posix.normalize(posix.join(folders.crateInContext, p.dir))),
    recipeRepair: resolveRecipeRepair(ws, setup.builder),
    recipeUnmasked: resolveRecipeUnmasked(ws),
    pathCratesForCook: pathCratesForCook(ctx.projectOutdir, folders, ws),
    includeGit: resolveIncludeGit(options, decisions, warnings),
    dockerignoreExtra: options.dockerignore?.extraPatterns ?? [],
    ci,
  };
}
