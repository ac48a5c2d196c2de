import { existsSync } from 'fs';
import { isAbsolute, join, posix, relative, resolve as resolvePath } from 'path';
import { cDependencyDecisions } from '../cargo/c-dependencies';
import { BinTarget } from '../cargo/targets';
import { CargoPackage, CargoWorkspace, isOutside, readWorkspace } from '../cargo/workspace';
import { BuildStrategy } from '../ci/ci-options';
import { RustDockerConfigError } from '../errors';
import { CompileLayout, RuntimeOptions, RustDockerImageOptions } from '../options';
import { DEFAULT_PLATFORMS, Platform, rustTargetOf, sortPlatforms } from '../platform';
import {
  BASE_BUILDER_PACKAGES, DEFAULT_ALPINE_VERSION, DEFAULT_CARGO_CHEF_VERSION, DEFAULT_CARGO_ZIGBUILD_VERSION, DEFAULT_RUNTIME_BASE_IMAGE,
  DEFAULT_RUNTIME_USER, DEFAULT_RUST_VERSION, DEFAULT_ZIG_PACKAGE,
} from './defaults';
import { BuilderPackage, BuilderSpec, ResolvedBinary, ResolvedImage, ResolvedRuntime } from './resolved';
import { assertImageName, assertImageReference } from '../validation/oci-reference';
import {
  APK_PACKAGE, assertPattern, assertSafe, CARGO_FEATURE, CARGO_NAME, ENV_NAME, IMAGE_PATH, RELATIVE_PATH, RUST_CHANNEL, TOOL_VERSION,
} from '../validation/safe-values';

/** A short lowercase id made of letters, digits and dashes. */
export function slugOf(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'image';
}

function oneLine(value: string | undefined): string | undefined {
  const v = value?.replace(/\s+/g, ' ').trim();
  return v ? v : undefined;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Resolves `cratePath` to a folder inside the project, or throws. */
export function resolveContextDir(projectOutdir: string, cratePath: string | undefined): string {
  const value = cratePath ?? '.';
  assertSafe('cratePath', value);
  const abs = resolvePath(projectOutdir, value);
  const rel = relative(projectOutdir, abs);
  if (isAbsolute(value) || rel.startsWith('..') || isAbsolute(rel)) {
    throw new RustDockerConfigError('cratePath', `"${value}" is outside the project folder`, 'use a path relative to the project, inside it, such as "." or "services/api"');
  }
  if (!existsSync(abs)) {
    throw new RustDockerConfigError('cratePath', `"${value}" does not exist`, 'point cratePath at the folder that holds the Cargo workspace root');
  }
  return rel === '' ? '.' : rel.split(/[\\/]/).join('/');
}

interface BinChoice {
  readonly bin: BinTarget;
  readonly pkg: CargoPackage;
}

function listBins(choices: BinChoice[]): string {
  return choices.map((c) => `${c.bin.name} (package ${c.pkg.name})`).join(', ');
}

function chooseBinaries(ws: CargoWorkspace, options: RustDockerImageOptions): BinChoice[] {
  if (options.binary !== undefined && options.binaries !== undefined) {
    throw new RustDockerConfigError('binaries', 'both "binary" and "binaries" are set', 'set "binary" for one image or "binaries" for several, not both');
  }
  let packages = ws.packages;
  if (options.package !== undefined) {
    assertPattern('package', options.package, CARGO_NAME, 'a Cargo package name');
    const pkg = ws.packages.find((p) => p.name === options.package);
    if (!pkg) {
      throw new RustDockerConfigError('package', `no workspace member is named "${options.package}"`, `use one of: ${ws.packages.map((p) => p.name).join(', ')}`);
    }
    packages = [pkg];
  }
  const all: BinChoice[] = packages.flatMap((pkg) => pkg.bins.map((bin) => ({ bin, pkg })));
  if (all.length === 0) {
    throw new RustDockerConfigError(
      options.package !== undefined ? 'package' : 'cratePath',
      `no binary target found in ${options.package !== undefined ? `package "${options.package}"` : `the workspace at ${ws.displayRoot || './'}`}`,
      'add src/main.rs, src/bin/<name>.rs or a [[bin]] section, or pick another package',
    );
  }
  const pick = (field: string, name: string): BinChoice => {
    assertPattern(field, name, CARGO_NAME, 'a Cargo binary name');
    const matches = all.filter((c) => c.bin.name === name);
    if (matches.length === 0) {
      throw new RustDockerConfigError(field, `no binary named "${name}"`, `use one of: ${listBins(all)}`);
    }
    if (matches.length > 1) {
      throw new RustDockerConfigError(field, `binary "${name}" exists in several packages (${matches.map((m) => m.pkg.name).join(', ')})`, 'set "package" to the one to build');
    }
    return matches[0];
  };

  if (options.binaries !== undefined) {
    if (options.binaries.length === 0) {
      throw new RustDockerConfigError('binaries', 'the list is empty', `list at least one binary, e.g. one of: ${listBins(all)}`);
    }
    const seen = new Set<string>();
    return options.binaries.map((name, i) => {
      if (seen.has(name)) throw new RustDockerConfigError(`binaries[${i}]`, `"${name}" is listed twice`, 'list each binary once');
      seen.add(name);
      return pick(`binaries[${i}]`, name);
    });
  }
  if (options.binary !== undefined) return [pick('binary', options.binary)];
  if (all.length === 1) return all;
  // Several binaries: narrow to the workspace's default-members, as `cargo run` does.
  const defaults = options.package === undefined && ws.defaultMembers ? all.filter((c) => ws.defaultMembers!.includes(c.pkg.name)) : all;
  if (defaults.length === 1) return defaults;
  // Then a package's default-run decides when only one package is in play.
  const owners = [...new Set(defaults.map((c) => c.pkg))];
  if (owners.length === 1 && owners[0].defaultRun) return [pick('binary', owners[0].defaultRun)];
  throw new RustDockerConfigError('binary', `the workspace has several binaries: ${listBins(all)}`, 'set "binary" to the one to ship (or "binaries" to ship several)');
}

function resolveRustVersion(ws: CargoWorkspace, option: string | undefined, packages: CargoPackage[]): { version: string; extraToolchain?: string; source: string } {
  const pickChannel = (channel: string, field: string, source: string) => {
    assertPattern(field, channel, RUST_CHANNEL, 'a Rust version ("1.87.0") or channel ("stable", "nightly-2025-01-01")');
    return /^[0-9]/.test(channel)
      ? { version: channel, source }
      : { version: DEFAULT_RUST_VERSION, extraToolchain: channel, source };
  };
  if (option !== undefined) return pickChannel(option, 'rustVersion', 'the rustVersion option');
  const channel = ws.toolchain?.channel;
  if (channel) return pickChannel(channel, `${ws.displayRoot}${ws.toolchain!.file}`, ws.toolchain!.file);
  const msrv = packages.map((p) => p.metadata.rustVersion).filter((v): v is string => !!v && /^[0-9]+\.[0-9]+(\.[0-9]+)?$/.test(v));
  const newest = msrv.sort(compareVersions).pop();
  if (newest && compareVersions(newest, DEFAULT_RUST_VERSION) > 0) return { version: newest, source: 'the package rust-version' };
  return { version: DEFAULT_RUST_VERSION, source: 'the default' };
}

function resolveRuntime(field: string, shared: RuntimeOptions | undefined, own: RuntimeOptions | undefined): ResolvedRuntime {
  const r: RuntimeOptions = { ...shared, ...own };
  const baseImage = r.baseImage ?? DEFAULT_RUNTIME_BASE_IMAGE;
  assertImageReference(`${field}.baseImage`, baseImage);
  const user = r.user ?? DEFAULT_RUNTIME_USER;
  assertPattern(`${field}.user`, user, /^[0-9]+(:[0-9]+)?$/, 'a numeric user such as "65532" or "10001:10001"');
  if (/^0(:|$)/.test(user)) {
    throw new RustDockerConfigError(`${field}.user`, 'the image would run as root (uid 0)', 'use a non-root numeric user such as "65532:65532"');
  }
  const ports = (r.ports ?? []).map((p, i) => {
    assertPattern(`${field}.ports[${i}]`, p, /^[0-9]{1,5}(\/(tcp|udp))?$/, 'a port such as "8080" or "53/udp"');
    const n = Number(p.split('/')[0]);
    if (n < 1 || n > 65535) throw new RustDockerConfigError(`${field}.ports[${i}]`, `${n} is not a port number`, 'use a port from 1 to 65535');
    return p;
  });
  const env = Object.entries(r.env ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]): [string, string] => {
    assertPattern(`${field}.env`, k, ENV_NAME, 'an environment variable name');
    assertSafe(`${field}.env.${k}`, v);
    return [k, v];
  });
  const args = (r.args ?? []).map((a, i) => {
    assertSafe(`${field}.args[${i}]`, a);
    return a;
  });
  const extraFiles = (r.extraFiles ?? []).map((f, i) => {
    assertPattern(`${field}.extraFiles[${i}].source`, f.source, RELATIVE_PATH, 'a relative path inside the build context');
    if (/^target(\/|$)/.test(f.source)) {
      throw new RustDockerConfigError(`${field}.extraFiles[${i}].source`, `"${f.source}" is under target/, which .dockerignore excludes`, 'copy build outputs through the build stage, or keep assets outside target/');
    }
    assertPattern(`${field}.extraFiles[${i}].destination`, f.destination, IMAGE_PATH, 'an absolute path in the image');
    if (f.mode !== undefined) assertPattern(`${field}.extraFiles[${i}].mode`, f.mode, /^0?[0-7]{3,4}$/, 'an octal mode such as "0644"');
    return { source: f.source.replace(/\/+$/, ''), destination: f.destination, mode: f.mode };
  });
  const binDir = r.binDir ?? '/usr/local/bin';
  assertPattern(`${field}.binDir`, binDir, IMAGE_PATH, 'an absolute path in the image');
  return { baseImage, user, ports, env, args, extraFiles, binDir: binDir.replace(/(.)\/+$/, '$1') };
}

function resolveLabels(field: string, name: string, pkg: CargoPackage, extra: Record<string, string> | undefined): Array<[string, string]> {
  const m = pkg.metadata;
  const labels = new Map<string, string>();
  const set = (k: string, v: string | undefined) => {
    const value = oneLine(v);
    if (value) labels.set(`org.opencontainers.image.${k}`, value);
  };
  set('title', name);
  set('description', m.description);
  set('version', m.version);
  set('licenses', m.license);
  set('source', m.repository);
  set('url', m.homepage);
  for (const [k, v] of Object.entries(extra ?? {})) {
    assertPattern(`${field}.labels`, k, /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'a label key such as "org.example.team"');
    assertSafe(`${field}.labels.${k}`, v);
    labels.set(k, v);
  }
  return [...labels.entries()];
}

/** Everything `resolveImage` needs besides the options. */
export interface ResolveContext {
  /** Absolute project outdir. */
  readonly projectOutdir: string;
  /** Dockerfile name to use when the option is unset, given the image id and the build context. */
  readonly defaultDockerfile: (id: string, contextDir: string) => string;
}

/**
 * Validates the options, reads the Cargo workspace and resolves every
 * setting. Pure apart from reading files; throws `RustDockerConfigError`.
 */
export function resolveImage(options: RustDockerImageOptions, ctx: ResolveContext): ResolvedImage {
  const contextDir = resolveContextDir(ctx.projectOutdir, options.cratePath);
  const displayRoot = contextDir === '.' ? '' : `${contextDir}/`;
  const ws = readWorkspace(join(ctx.projectOutdir, contextDir), displayRoot);
  const warnings: string[] = [];

  // Path dependencies must be inside the build context.
  for (const dep of ws.pathDependencies) {
    if (isOutside(ws.root, dep.dir)) {
      throw new RustDockerConfigError(
        dep.declaredIn,
        `path dependency "${dep.name}" at "${dep.dir}" is outside the build context (${contextDir}); Docker cannot send it and cargo-chef cannot skeleton it`,
        'move the crate inside the workspace folder (or set cratePath to a folder that contains it), or depend on it through git or a registry',
      );
    }
  }

  const locked = options.locked ?? true;
  if (locked && !ws.lockfile) {
    throw new RustDockerConfigError(`${displayRoot}Cargo.lock`, 'the file is missing, but builds use --locked', 'run "cargo generate-lockfile" and commit Cargo.lock (or set locked: false)');
  }

  const choices = chooseBinaries(ws, options);
  const packages = [...new Set(choices.map((c) => c.pkg.name))];
  const multiPackage = packages.length > 1;

  const selected = choices.map((c) => c.pkg).filter((p, i, all) => all.indexOf(p) === i);
  const knownFeatures = (pkg: CargoPackage) => [...pkg.features, ...pkg.optionalDependencies.filter((d) => !pkg.features.some((f) => f === d))];
  const features = new Set<string>();
  (options.features ?? []).forEach((f, i) => {
    assertPattern(`features[${i}]`, f, CARGO_FEATURE, 'a Cargo feature name');
    const [owner, name] = f.includes('/') ? f.split('/', 2) : [undefined, f];
    if (owner === undefined && multiPackage) {
      throw new RustDockerConfigError(`features[${i}]`, `"${f}" does not say which package it belongs to, and the binaries come from several packages (${packages.join(', ')})`, `write it as "<package>/${f}"`);
    }
    // "<dependency>/<feature>" enables a dependency's feature: Cargo checks it.
    const pkg = owner === undefined ? selected[0] : selected.find((p) => p.name === owner);
    if (pkg && name !== 'default' && !knownFeatures(pkg).includes(name)) {
      throw new RustDockerConfigError(`features[${i}]`, `package ${pkg.name} has no feature "${name}"`, `use one of: ${knownFeatures(pkg).join(', ') || '(none declared)'}`);
    }
    features.add(f);
  });
  // A binary's required-features are enabled for both cook and build (cargo-chef #146).
  for (const { bin, pkg } of choices) {
    const unknown = bin.requiredFeatures.filter((f) => !f.includes('/') && !knownFeatures(pkg).includes(f));
    if (unknown.length) {
      throw new RustDockerConfigError(
        `${displayRoot}${pkg.dir === '.' ? '' : pkg.dir + '/'}Cargo.toml`,
        `binary "${bin.name}" requires feature${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')} that package ${pkg.name} does not declare`,
        `declare ${unknown.join(', ')} under [features], or fix required-features of [[bin]] ${bin.name}`,
      );
    }
    for (const f of bin.requiredFeatures) {
      const name = multiPackage && !f.includes('/') ? `${pkg.name}/${f}` : f;
      if (!features.has(name) && !features.has(f)) features.add(name);
    }
  }

  const profile = options.profile ?? 'release';
  assertPattern('profile', profile, CARGO_NAME, 'a Cargo profile name');
  const profileDir = profile === 'dev' || profile === 'test' ? 'debug' : profile === 'bench' ? 'release' : profile;

  if (options.platforms !== undefined && options.platforms.length === 0) {
    throw new RustDockerConfigError('platforms', 'the list is empty', 'list at least one platform, e.g. [Platform.LINUX_AMD64, Platform.LINUX_ARM64]');
  }
  const known = Object.values(Platform) as string[];
  (options.platforms ?? []).forEach((p, i) => {
    if (!known.includes(p)) throw new RustDockerConfigError(`platforms[${i}]`, `"${p}" is not a supported platform`, `use one of: ${known.join(', ')}`);
  });
  const platforms = sortPlatforms(options.platforms ?? DEFAULT_PLATFORMS);

  const rust = resolveRustVersion(ws, options.rustVersion, choices.map((c) => c.pkg));

  // Builder: C-dependency registry decisions plus the user's packages.
  const b = options.builder ?? {};
  const ignoreCrates = (b.ignoreCrates ?? []).map((c, i) => {
    assertPattern(`builder.ignoreCrates[${i}]`, c, CARGO_NAME, 'a crate name');
    return c;
  });
  const decisions = cDependencyDecisions(ws.lockfile, ignoreCrates);
  const errors = decisions.filter((d) => d.level === 'error');
  if (errors.length) {
    throw new RustDockerConfigError(
      `${displayRoot}Cargo.lock`,
      errors.map((d) => `${d.crate} ${d.versions.join(', ')}: ${d.summary}`).join('; '),
      errors.map((d) => d.fix).join('; '),
    );
  }
  for (const d of decisions.filter((x) => x.level === 'warning')) warnings.push(`${d.crate}: ${d.summary}. Fix: ${d.fix}`);

  const packagesByName = new Map<string, BuilderPackage>();
  for (const name of BASE_BUILDER_PACKAGES) packagesByName.set(name, { name, reason: 'builder base' });
  for (const d of decisions) for (const p of d.packages) if (!packagesByName.has(p)) packagesByName.set(p, { name: p, reason: d.crate });
  (b.extraPackages ?? []).forEach((p, i) => {
    assertPattern(`builder.extraPackages[${i}]`, p, APK_PACKAGE, 'an Alpine package name');
    if (!packagesByName.has(p)) packagesByName.set(p, { name: p, reason: 'builder.extraPackages' });
  });
  const zigPackage = b.zigPackage ?? DEFAULT_ZIG_PACKAGE;
  assertPattern('builder.zigPackage', zigPackage, APK_PACKAGE, 'an Alpine package spec such as "zig~0.15"');
  const zigMinor = /~0\.([0-9]+)/.exec(zigPackage);
  if (decisions.some((d) => d.crate === 'ring') && zigMinor && Number(zigMinor[1]) >= 16) {
    warnings.push(`ring: zig 0.${zigMinor[1]} breaks ar for ring (cargo-zigbuild #433). Fix: keep builder.zigPackage at "zig~0.15" (or "zig~0.14")`);
  }
  const alpine = b.alpineVersion ?? DEFAULT_ALPINE_VERSION;
  assertPattern('builder.alpineVersion', alpine, /^[0-9]+\.[0-9]+$/, 'an Alpine release such as "3.23"');
  const cargoChefVersion = b.cargoChefVersion ?? DEFAULT_CARGO_CHEF_VERSION;
  assertPattern('builder.cargoChefVersion', cargoChefVersion, TOOL_VERSION, 'an exact version such as "0.1.77"');
  const cargoZigbuildVersion = b.cargoZigbuildVersion ?? DEFAULT_CARGO_ZIGBUILD_VERSION;
  assertPattern('builder.cargoZigbuildVersion', cargoZigbuildVersion, TOOL_VERSION, 'an exact version such as "0.22.3"');
  if (b.image !== undefined) assertImageName('builder.image', b.image);

  const targets = [...new Set([...platforms.map(rustTargetOf), ...(ws.toolchain?.targets ?? [])])];
  targets.forEach((t, i) => assertPattern(`${ws.toolchain?.file ?? 'targets'}[${i}]`, t, /^[a-z0-9_.-]+$/, 'a target triple'));
  const builder: BuilderSpec = {
    baseImage: `rust:${rust.version}-alpine${alpine}`,
    rustVersion: rust.extraToolchain ?? rust.version,
    extraToolchain: rust.extraToolchain,
    packages: [...packagesByName.values()],
    zigPackage,
    cargoChefVersion,
    cargoZigbuildVersion,
    targets,
    components: (ws.toolchain?.components ?? []).map((c) => {
      assertPattern(`${ws.toolchain!.file} components`, c, /^[a-z0-9-]+$/, 'a rustup component');
      return c;
    }),
  };

  const buildEnv = new Map<string, string>();
  for (const d of decisions) for (const [k, v] of d.env) buildEnv.set(k, v);
  for (const [k, v] of Object.entries(b.env ?? {})) {
    assertPattern('builder.env', k, ENV_NAME, 'an environment variable name');
    assertSafe(`builder.env.${k}`, v);
    buildEnv.set(k, v);
  }

  // .cargo/config.toml settings that interact with the cross build.
  const cfg = ws.cargoConfig;
  const envFlags = ['RUSTFLAGS', 'CARGO_ENCODED_RUSTFLAGS'].filter((k) => buildEnv.has(k));
  const configFlags = cfg && (cfg.hasBuildRustflags || Object.values(cfg.targets).some((t) => t.hasRustflags));
  if (envFlags.length && configFlags) {
    warnings.push(`${displayRoot}${cfg!.file}: its rustflags are ignored because builder.env sets ${envFlags.join(' and ')}, which take precedence; move the flags into one place`);
  }
  if (cfg?.buildTarget !== undefined) {
    warnings.push(`${displayRoot}${cfg.file}: build.target is set, but the image build passes --target for each platform, which overrides it`);
  }
  for (const [key, t] of Object.entries(cfg?.targets ?? {})) {
    const applies = key.startsWith('cfg(') || targets.includes(key);
    if (applies && t.linker) {
      warnings.push(`${displayRoot}${cfg!.file}: target.${key}.linker = "${t.linker}" is replaced by zig (cargo-zigbuild sets the linker); remove it for the image targets if the build fails`);
    }
  }

  const single = choices.length === 1;
  if (!single && options.imageName !== undefined) {
    throw new RustDockerConfigError('imageName', 'is for a single binary; with "binaries" each image is named after its binary', 'set binaryOptions.<binary>.imageName instead');
  }
  const binaries: ResolvedBinary[] = choices.map(({ bin, pkg }) => {
    const own = options.binaryOptions?.[bin.name];
    const field = single ? 'runtime' : `binaryOptions.${bin.name}.runtime`;
    const imageName = options.imageName ?? own?.imageName ?? slugOf(bin.name);
    assertImageName(options.imageName === undefined && own?.imageName ? `binaryOptions.${bin.name}.imageName` : 'imageName', imageName);
    const slug = slugOf(imageName.split('/').pop()!);
    return {
      name: bin.name,
      package: pkg.name,
      stage: single ? 'runtime' : `runtime-${slugOf(bin.name)}`,
      imageName,
      slug,
      runtime: resolveRuntime(field, options.runtime, own?.runtime),
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

  const id = binaries[0].slug;
  const dockerfile = options.dockerfile ?? ctx.defaultDockerfile(id, contextDir);
  assertPattern('dockerfile', dockerfile, RELATIVE_PATH, 'a relative path inside cratePath');

  (options.dockerignore?.extraPatterns ?? []).forEach((p, i) => assertSafe(`dockerignore.extraPatterns[${i}]`, p));

  const layout = options.compileLayout
    ?? (options.ci?.strategy === BuildStrategy.NATIVE_RUNNERS ? CompileLayout.PER_TARGET_PLATFORM : CompileLayout.ALL_TARGETS_ONCE);

  return {
    id,
    contextDir,
    dockerfile: posix.normalize(dockerfile),
    binaries,
    packages,
    features: [...features].sort(),
    noDefaultFeatures: options.noDefaultFeatures ?? false,
    profile,
    profileDir,
    locked,
    platforms,
    layout,
    registryCacheMount: options.registryCacheMount ?? true,
    builder,
    buildEnv: [...buildEnv.entries()].sort(([a], [x]) => a.localeCompare(x)),
    memberDirs: ws.packages.map((p) => p.dir),
    patchedPathCrates: ws.patchedPathCrates,
    decisions,
    warnings,
  };
}
