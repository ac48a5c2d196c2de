import { RustDockerImageOptions } from '../../options';
import { BinTarget } from '../cargo/targets';
import { CargoPackage, CargoWorkspace } from '../cargo/workspace';
import { RustDockerConfigError } from '../errors';
import { assertPattern, CARGO_FEATURE, CARGO_NAME } from '../validation/safe-values';

/** A binary and the package that defines it. */
export interface BinChoice {
  readonly bin: BinTarget;
  readonly pkg: CargoPackage;
}

function listBins(choices: BinChoice[]): string {
  return choices.map((c) => `${c.bin.name} (package ${c.pkg.name})`).join(', ');
}

/**
 * The binaries to ship: `binaries`, `binary`, or the one Cargo would run
 * (the only binary, then `default-members`, then `default-run`).
 */
export function chooseBinaries(ws: CargoWorkspace, options: RustDockerImageOptions): BinChoice[] {
  if (options.binary !== undefined && options.binaries !== undefined) {
    throw new RustDockerConfigError('binaries', 'both "binary" and "binaries" are set', 'set "binary" for one image or "binaries" for several, not both');
  }
  let packages = ws.packages;
  if (options.cargoPackage !== undefined) {
    assertPattern('cargoPackage', options.cargoPackage, CARGO_NAME, 'a Cargo package name');
    const pkg = ws.packages.find((p) => p.name === options.cargoPackage);
    if (!pkg) {
      throw new RustDockerConfigError('cargoPackage', `no workspace member is named "${options.cargoPackage}"`, `use one of: ${ws.packages.map((p) => p.name).join(', ')}`);
    }
    packages = [pkg];
  }
  const all: BinChoice[] = packages.flatMap((pkg) => pkg.bins.map((bin) => ({ bin, pkg })));
  if (all.length === 0) {
    throw new RustDockerConfigError(
      options.cargoPackage !== undefined ? 'cargoPackage' : 'cratePath',
      `no binary target found in ${options.cargoPackage !== undefined ? `package "${options.cargoPackage}"` : `the workspace at ${ws.displayRoot || './'}`}`,
      'add src/main.rs, src/bin/<name>.rs or a [[bin]] section, or pick another package',
    );
  }
  const pick = (field: string, name: string): BinChoice => {
    assertPattern(field, name, CARGO_NAME, 'a Cargo binary name');
    const matches = all.filter((c) => c.bin.name === name);
    if (matches.length === 0) throw new RustDockerConfigError(field, `no binary named "${name}"`, `use one of: ${listBins(all)}`);
    if (matches.length > 1) {
      throw new RustDockerConfigError(field, `binary "${name}" exists in several packages (${matches.map((m) => m.pkg.name).join(', ')})`, 'set "cargoPackage" to the one to build');
    }
    return matches[0];
  };

  if (options.binaries !== undefined) {
    if (options.binaries.length === 0) throw new RustDockerConfigError('binaries', 'the list is empty', `list at least one binary, e.g. one of: ${listBins(all)}`);
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
  const defaults = options.cargoPackage === undefined && ws.defaultMembers ? all.filter((c) => ws.defaultMembers!.includes(c.pkg.name)) : all;
  if (defaults.length === 1) return defaults;
  // Then a package's default-run decides when only one package is in play.
  const owners = [...new Set(defaults.map((c) => c.pkg))];
  if (owners.length === 1 && owners[0].defaultRun) return [pick('binary', owners[0].defaultRun)];
  throw new RustDockerConfigError('binary', `the workspace has several binaries: ${listBins(all)}`, 'set "binary" to the one to ship (or "binaries" to ship several)');
}

/** A package's features, counting optional dependencies (implicit features). */
function knownFeatures(pkg: CargoPackage): string[] {
  return [...pkg.features, ...pkg.optionalDependencies.filter((d) => !pkg.features.includes(d))];
}

/**
 * The features for cook and build: the requested ones, each checked against
 * the package, plus every binary's `required-features` (cargo-chef #146).
 * With binaries from several packages, features must name their package.
 */
export function resolveFeatures(choices: BinChoice[], requested: string[], displayRoot: string): string[] {
  const packages = [...new Set(choices.map((c) => c.pkg))];
  const multiPackage = packages.length > 1;
  const features = new Set<string>();
  requested.forEach((f, i) => {
    assertPattern(`features[${i}]`, f, CARGO_FEATURE, 'a Cargo feature name');
    const [owner, name] = f.includes('/') ? f.split('/', 2) : [undefined, f];
    if (owner === undefined && multiPackage) {
      throw new RustDockerConfigError(`features[${i}]`, `"${f}" does not say which package it belongs to, and the binaries come from several packages (${packages.map((p) => p.name).join(', ')})`, `write it as "<package>/${f}"`);
    }
    // "<dependency>/<feature>" enables a dependency's feature: Cargo checks it.
    const pkg = owner === undefined ? packages[0] : packages.find((p) => p.name === owner);
    if (pkg && name !== 'default' && !knownFeatures(pkg).includes(name)) {
      throw new RustDockerConfigError(`features[${i}]`, `package ${pkg.name} has no feature "${name}"`, `use one of: ${knownFeatures(pkg).join(', ') || '(none declared)'}`);
    }
    features.add(f);
  });
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
  return [...features].sort();
}
