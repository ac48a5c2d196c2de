import { BASE_BUILDER_PACKAGES, SCCACHE_DIR } from './constants';
import { BuilderPackage, BuilderSpec, BuilderTool, ResolvedTarget } from './resolved';
import { Defaults } from '../../defaults';
import { BuilderOptions } from '../../options';
import { alpineFor, editionNeeds, firstRustFor, missingAlpineTag } from '../cargo/rust-releases';
import { CargoPackage, CargoWorkspace } from '../cargo/workspace';
import { CDependencyDecision } from '../deps/decisions';
import { targetLibrary, targetLibraryEnv, withNeeds } from '../deps/target-libraries';
import { RustDockerConfigError } from '../errors';
import { APK_PACKAGE, assertPattern, assertSafe, CARGO_NAME, ENV_NAME, RUST_CHANNEL, TOOL_VERSION } from '../validation/safe-values';

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The builder's Rust: the option, else the toolchain file's channel, else the
 * newest `rust-version` of the shipped packages when newer than the default.
 * A channel that is not a version (stable, nightly-...) is installed with
 * rustup on top of the default version's image.
 */
export function resolveRustVersion(
  ws: CargoWorkspace, option: string | undefined, packages: CargoPackage[],
): { version: string; extraToolchain?: string; field?: string } {
  const pickChannel = (channel: string, field: string) => {
    assertPattern(field, channel, RUST_CHANNEL, 'a Rust version ("1.87.0") or channel ("stable", "nightly-2025-01-01")');
    if (!/^[0-9]/.test(channel)) return { version: Defaults.RUST_VERSION, extraToolchain: channel };
    assertRustFits(field, channel, ws, packages);
    return { version: channel, field };
  };
  if (option !== undefined) return pickChannel(option, 'rustVersion');
  const channel = ws.toolchain?.channel;
  if (channel) return pickChannel(channel, `${ws.displayRoot}${ws.toolchain!.file}`);
  const msrv = packages.map((p) => p.metadata.rustVersion).filter((v): v is string => !!v && /^[0-9]+\.[0-9]+(\.[0-9]+)?$/.test(v));
  const newest = msrv.sort(compareVersions).pop();
  if (newest && compareVersions(newest, Defaults.RUST_VERSION) > 0) return { version: newest };
  return { version: Defaults.RUST_VERSION };
}

/**
 * Refuses a chosen Rust older than what the workspace declares: an edition
 * (Cargo cannot even read a member's manifest with a newer edition) or a
 * shipped package's `rust-version` (Cargo refuses to build it).
 */
function assertRustFits(field: string, version: string, ws: CargoWorkspace, packages: CargoPackage[]): void {
  const needs: Array<{ why: string; rust: string }> = [];
  for (const p of ws.packages) {
    const rust = editionNeeds(p.metadata.edition);
    if (rust) needs.push({ why: `package ${p.name} has edition ${p.metadata.edition}, which needs Rust ${rust}`, rust });
  }
  for (const p of packages) {
    const rust = p.metadata.rustVersion;
    if (rust && /^[0-9]+\.[0-9]+(\.[0-9]+)?$/.test(rust)) needs.push({ why: `package ${p.name} declares rust-version = "${rust}"`, rust });
  }
  const unmet = needs.filter((n) => compareVersions(version, n.rust) < 0).sort((a, b) => compareVersions(b.rust, a.rust));
  if (!unmet.length) return;
  throw new RustDockerConfigError(field, `Rust ${version} is too old for this workspace: ${unmet[0].why}`,
    `use Rust ${unmet[0].rust} or newer${field === 'rustVersion' ? ', or remove rustVersion (the default follows rust-version and rust-toolchain.toml)' : ''}`);
}

function tool(field: string, crate: string, version: string | undefined, fallback: string): BuilderTool {
  const v = version ?? fallback;
  assertPattern(field, v, TOOL_VERSION, `an exact version such as "${fallback}"`);
  return { crate, version: v };
}

/** What the builder needs besides its base: the pieces that other resolvers decide. */
export interface BuilderNeeds {
  /** The builder's Rust, and the setting or file that chose it (unset for the default). */
  readonly rust: { version: string; extraToolchain?: string; field?: string };
  readonly targets: ResolvedTarget[];
  readonly profile: string;
  readonly auditable: boolean;
  readonly debugSymbols: boolean;
  readonly sccacheVersion?: string;
  readonly decisions: CDependencyDecision[];
  /** Cargo fetches git sources with the git CLI (privateGit): the builder needs git. */
  readonly gitCli?: boolean;
}

/** The builder image's content. */
export function resolveBuilder(ws: CargoWorkspace, b: BuilderOptions, needs: BuilderNeeds, warnings: string[]): BuilderSpec {
  const alpine = b.alpineVersion ?? Defaults.ALPINE_VERSION;
  assertPattern('builder.alpineVersion', alpine, /^[0-9]+\.[0-9]+$/, 'an Alpine release such as "3.23"');
  const missing = missingAlpineTag(needs.rust.version, alpine);
  if (missing) {
    const fits = alpineFor(needs.rust.version);
    const first = firstRustFor(alpine);
    const older = fits ? `set builder.alpineVersion to "${fits}" (its images have Rust ${needs.rust.version}) and builder.zigPackage to the zig that release packages` : '';
    const newer = first && !missing.includes('no longer built') ? `use Rust ${first} or newer` : 'use a newer Rust';
    throw new RustDockerConfigError(b.alpineVersion ? 'builder.alpineVersion' : needs.rust.field ?? 'rustVersion', missing, [newer, older].filter(Boolean).join(', or '));
  }
  const zigPackage = b.zigPackage ?? Defaults.ZIG_PACKAGE;
  assertPattern('builder.zigPackage', zigPackage, APK_PACKAGE, 'an Alpine package spec such as "zig~0.15"');

  const tools = [
    tool('builder.cargoChefVersion', 'cargo-chef', b.cargoChefVersion, Defaults.CARGO_CHEF_VERSION),
    tool('builder.cargoZigbuildVersion', 'cargo-zigbuild', b.cargoZigbuildVersion, Defaults.CARGO_ZIGBUILD_VERSION),
  ];
  if (needs.auditable) tools.push(tool('builder.cargoAuditableVersion', 'cargo-auditable', b.cargoAuditableVersion, Defaults.CARGO_AUDITABLE_VERSION));
  if (needs.sccacheVersion) tools.push({ crate: 'sccache', version: needs.sccacheVersion });

  const zigbuild = tools[1].version;
  const zigMinor = /~0\.([0-9]+)/.exec(zigPackage);
  if (needs.decisions.some((d) => d.crate === 'ring') && zigMinor && Number(zigMinor[1]) >= 16 && compareVersions(zigbuild, '0.23.0') < 0) {
    warnings.push(`ring: zig 0.${zigMinor[1]} breaks ar for ring with cargo-zigbuild ${zigbuild} (cargo-zigbuild #433). Fix: use cargo-zigbuild 0.23 or newer (builder.cargoZigbuildVersion), or builder.zigPackage "zig~0.15"`);
  }

  const packages = new Map<string, BuilderPackage>();
  for (const d of needs.decisions) for (const p of d.apkPackages) if (!packages.has(p)) packages.set(p, { name: p, reason: d.crate });
  if (needs.gitCli && !packages.has('git')) packages.set('git', { name: 'git', reason: 'privateGit' });
  (b.extraPackages ?? []).forEach((p, i) => {
    assertPattern(`builder.extraPackages[${i}]`, p, APK_PACKAGE, 'an Alpine package name');
    if (!packages.has(p) && !BASE_BUILDER_PACKAGES.includes(p)) packages.set(p, { name: p, reason: 'builder.extraPackages' });
  });

  const targets = [...new Set([...needs.targets.map((t) => t.rustTarget), ...(ws.toolchain?.targets ?? [])])];
  targets.forEach((t, i) => assertPattern(`${ws.toolchain?.file ?? 'targets'}[${i}]`, t, /^[a-z0-9_.-]+$/, 'a target triple'));
  const components = (ws.toolchain?.components ?? []).map((c) => {
    assertPattern(`${ws.toolchain!.file} components`, c, /^[a-z0-9-]+$/, 'a rustup component');
    return c;
  });
  if (needs.debugSymbols && !components.includes('llvm-tools')) components.push('llvm-tools');

  return {
    baseImage: `rust:${needs.rust.version}-alpine${alpine}`,
    rustVersion: needs.rust.extraToolchain ?? needs.rust.version,
    extraToolchain: needs.rust.extraToolchain,
    zigPackage,
    tools,
    targets,
    components,
    warmTargets: needs.targets.map((t) => t.zigTarget),
    warmProfile: needs.profile === 'dev' || needs.profile === 'test' ? 'dev' : 'release',
    apkPackages: [...packages.values()],
    targetLibraries: withNeeds(needs.decisions.flatMap((d) => d.libraries)),
  };
}

/** `CARGO_PROFILE_<NAME>_` for a profile name. */
function profileEnvPrefix(profile: string): string {
  return `CARGO_PROFILE_${profile.toUpperCase().replace(/-/g, '_')}_`;
}

/**
 * The environment shared by cook and build (the same values in both, or every
 * dependency recompiles): the C-dependency rules', debug-symbol and compiler
 * cache settings, then the user's `builder.env`.
 */
export function resolveBuildEnv(b: BuilderOptions, needs: BuilderNeeds, sccache: boolean): Array<[string, string]> {
  const env = new Map<string, string>();
  for (const d of needs.decisions) for (const [k, v] of d.env) env.set(k, v);
  const triples = [...new Set(needs.targets.map((t) => t.rustTarget))];
  // Only for the crates the graph shows: a library built because another needs it is inside that one's archive.
  for (const id of new Set(needs.decisions.flatMap((d) => d.libraries))) {
    for (const t of triples) for (const [k, v] of targetLibraryEnv(targetLibrary(id), t)) env.set(k, v);
  }
  if (needs.debugSymbols) {
    const p = profileEnvPrefix(needs.profile);
    env.set(`${p}DEBUG`, 'limited');
    env.set(`${p}STRIP`, 'false');
    env.set(`${p}SPLIT_DEBUGINFO`, 'off');
  }
  if (sccache) {
    env.set('RUSTC_WRAPPER', 'sccache');
    env.set('SCCACHE_DIR', SCCACHE_DIR);
    env.set('CARGO_INCREMENTAL', '0');
  }
  for (const [k, v] of Object.entries(b.env ?? {})) {
    assertPattern('builder.env', k, ENV_NAME, 'an environment variable name');
    assertSafe(`builder.env.${k}`, v);
    env.set(k, v);
  }
  return [...env.entries()].sort(([a], [x]) => a.localeCompare(x));
}

/** Validates `builder.ignoreCrates`. */
export function resolveIgnoredCrates(b: BuilderOptions): string[] {
  return (b.ignoreCrates ?? []).map((c, i) => {
    assertPattern(`builder.ignoreCrates[${i}]`, c, CARGO_NAME, 'a crate name');
    return c;
  });
}

/** Warnings about `.cargo/config.toml` settings that interact with the cross build. */
export function cargoConfigWarnings(ws: CargoWorkspace, buildEnv: Array<[string, string]>, targets: string[]): string[] {
  const warnings: string[] = [];
  const cfg = ws.cargoConfig;
  if (!cfg) return warnings;
  const where = `${ws.displayRoot}${cfg.file}`;
  const envFlags = ['RUSTFLAGS', 'CARGO_ENCODED_RUSTFLAGS'].filter((k) => buildEnv.some(([key]) => key === k));
  if (envFlags.length && (cfg.hasBuildRustflags || Object.values(cfg.targets).some((t) => t.hasRustflags))) {
    warnings.push(`${where}: its rustflags are ignored because builder.env sets ${envFlags.join(' and ')}, which take precedence; move the flags into one place`);
  }
  if (cfg.buildTarget !== undefined) warnings.push(`${where}: build.target is set, but the image build passes --target for each platform, which overrides it`);
  for (const [key, t] of Object.entries(cfg.targets)) {
    if ((key.startsWith('cfg(') || targets.includes(key)) && t.linker) {
      warnings.push(`${where}: target.${key}.linker = "${t.linker}" is replaced by zig (cargo-zigbuild sets the linker); remove it for the image targets if the build fails`);
    }
  }
  return warnings;
}

/** Errors of the C-dependency decisions, as one error naming the graph's source. */
export function assertNoCDependencyErrors(decisions: CDependencyDecision[], where: string): void {
  const errors = decisions.filter((d) => d.level === 'error');
  if (!errors.length) return;
  throw new RustDockerConfigError(
    where,
    errors.map((d) => `${d.crate} ${d.versions.join(', ')} is compiled for ${d.targets.join(', ')}: ${d.summary}`).join('; '),
    errors.map((d) => d.fix).join('; '),
  );
}
