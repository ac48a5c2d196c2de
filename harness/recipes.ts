/**
 * Recipes that cargo-chef 0.1.78 wrote for test/workspaces, byte for byte,
 * and the planner's recipe repair (src/private/dockerfile/recipe-repair.ts)
 * run on them with `sh` (or busybox's applets, as on the Alpine builder).
 */
import { execFileSync, spawnSync } from 'child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { tempDir } from './temp';
import { parseToml } from '../src/private/cargo/toml-parser';
import { recipeRepairScript } from '../src/private/dockerfile/recipe-repair';

/** The repair as the planner's heredoc runs it, with the members whose version it gives back (`name=version`). */
export function script(unmask: readonly string[] = []): string {
  return ['set -eu', ...recipeRepairScript('recipe.json', unmask)].join('\n');
}

/** Why `sh` cannot run the repair here, or undefined. */
export function shellMissing(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v awk && command -v mv && command -v rm'], { stdio: 'ignore' });
  return r.status === 0 ? undefined : 'sh with awk, mv and rm';
}

/** A folder whose PATH runs busybox's `applets` (and nothing else), as on Alpine, or undefined without busybox. */
export function busyboxPath(applets: readonly string[] = ['sh', 'awk', 'mv', 'rm', '[', 'test']): string | undefined {
  const bb = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf-8' });
  if (bb.status !== 0) return undefined;
  const dir = tempDir('prd-busybox-');
  for (const applet of applets) symlinkSync(bb.stdout.trim(), join(dir, applet));
  return dir;
}

/** A repaired recipe and what the repair printed. */
export interface Repaired {
  readonly recipe: string;
  readonly log: string;
}

/** Runs the repair in a folder holding `recipe` as recipe.json, with `sh` (or busybox's, with only its applets on PATH). */
export function repair(recipe: string, busybox?: string, unmask: readonly string[] = []): Repaired {
  const dir = tempDir('prd-recipe-');
  writeFileSync(join(dir, 'recipe.json'), recipe);
  const log = busybox
    ? execFileSync(join(busybox, 'sh'), ['-c', script(unmask)], { cwd: dir, encoding: 'utf-8', env: { PATH: busybox } })
    : execFileSync('sh', ['-c', script(unmask)], { cwd: dir, encoding: 'utf-8' });
  return { recipe: readFileSync(join(dir, 'recipe.json'), 'utf-8'), log };
}

/** A package of the lock stored in a recipe. */
export interface LockPackage {
  name: string;
  version: string;
  source?: string;
  dependencies?: string[];
}

/** The lock stored in a recipe. */
export function lockOf(recipe: string): LockPackage[] {
  const lock = JSON.parse(recipe).skeleton.lock_file as string;
  return (parseToml(lock) as unknown as { package: LockPackage[] }).package;
}

/**
 * The dependency references of a lock that name no package, as Cargo reads
 * them: "name", "name version" or "name version (source)", a bare reference
 * meaning the path package when there is one.
 */
export function danglingReferences(recipe: string): string[] {
  const packages = lockOf(recipe);
  const dangling: string[] = [];
  for (const ref of packages.flatMap((p) => p.dependencies ?? [])) {
    const [name, version, source] = ref.split(' ');
    const candidates = packages.filter((p) => p.name === name && (!version || p.version === version)
      && (source ? `(${p.source})` === source : true));
    const pathOnes = candidates.filter((p) => !p.source);
    if (!(pathOnes.length === 1 || candidates.length === 1)) dangling.push(ref);
  }
  return dangling;
}

/** The version a lock gives the package `name` without a source (a workspace member). */
export function memberVersion(recipe: string, name: string): string | undefined {
  return lockOf(recipe).find((p) => p.name === name && !p.source)?.version;
}

/** The manifest of a skeleton at `path`. */
export function manifest(recipe: string, path: string): string {
  const manifests = JSON.parse(recipe).skeleton.manifests as Array<{ relative_path: string; contents: string }>;
  return manifests.find((m) => m.relative_path === path)!.contents;
}


// Recipes written by `cargo chef prepare` (cargo-chef 0.1.78) for test/workspaces, byte for byte.

/** s-name-collision as committed: member itoa 0.1.0, registry itoa 1.0.19. */
export const COLLISION = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"itoa\"]\nresolver = \"2\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: a member named like a registry crate that is also in the graph (cargo-chef masks one, not the references)\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\nitoa = \"1\"\n\n[dependencies.local-itoa]\npath = \"../itoa\"\npackage = \"itoa\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"itoa/Cargo.toml","contents":"[package]\nname = \"itoa\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"A workspace member that shares its name with the registry crate itoa\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\nname = \"itoa\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"itoa"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"itoa 0.1.0\", \"itoa 1.0.19\"]\n\n[[package]]\nname = \"itoa\"\nversion = \"0.0.1\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n","rust_toolchain_file":null}}`;

/** The same after a version bump of the member (0.1.1 in itoa/Cargo.toml and Cargo.lock). */
export const COLLISION_BUMPED = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"itoa\"]\nresolver = \"2\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: a member named like a registry crate that is also in the graph (cargo-chef masks one, not the references)\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\nitoa = \"1\"\n\n[dependencies.local-itoa]\npath = \"../itoa\"\npackage = \"itoa\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"itoa/Cargo.toml","contents":"[package]\nname = \"itoa\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"A workspace member that shares its name with the registry crate itoa\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\nname = \"itoa\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"itoa"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"itoa 0.1.1\", \"itoa 1.0.19\"]\n\n[[package]]\nname = \"itoa\"\nversion = \"0.0.1\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n","rust_toolchain_file":null}}`;

/** The member at the registry crate's version (1.0.19): Cargo writes the registry reference with its source. */
export const COLLISION_SAME_VERSION = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"itoa\"]\nresolver = \"2\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: a member named like a registry crate that is also in the graph (cargo-chef masks one, not the references)\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\nitoa = \"1\"\n\n[dependencies.local-itoa]\npath = \"../itoa\"\npackage = \"itoa\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"itoa/Cargo.toml","contents":"[package]\nname = \"itoa\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"A workspace member that shares its name with the registry crate itoa\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\nname = \"itoa\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"itoa"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"itoa 1.0.19\", \"itoa 1.0.19 (registry+https://github.com/rust-lang/crates.io-index)\"]\n\n[[package]]\nname = \"itoa\"\nversion = \"0.0.1\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n","rust_toolchain_file":null}}`;

/** s-no-version: a member without a version (0.0.0), and one with. */
export const NO_VERSION = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"util\"]\nresolver = \"2\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\ndescription = \"Shape: a member without a version (Cargo 1.75+ makes it 0.0.0)\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\nitoa = \"1\"\n\n[dependencies.util]\npath = \"../util\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"util/Cargo.toml","contents":"[package]\nname = \"util\"\nedition = \"2021\"\nversion = \"0.0.1\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\nname = \"util\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"util"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"itoa\", \"util\"]\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n\n[[package]]\nname = \"util\"\nversion = \"0.0.1\"\n","rust_toolchain_file":null}}`;

/** s-renamed-dep: no collision. */
export const RENAMED = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"core\"]\nresolver = \"2\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: renamed dependencies (package = ...), of a member (with a version requirement) and of a registry crate\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies.core]\nversion = \"0.0.1\"\npath = \"../core\"\npackage = \"app-core\"\n\n[dependencies.fmt]\nversion = \"1\"\npackage = \"itoa\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"core/Cargo.toml","contents":"[package]\nname = \"app-core\"\nedition = \"2021\"\nversion = \"0.0.1\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies.branch]\nversion = \"1\"\npackage = \"cfg-if\"\n\n[lib]\npath = \"src/lib.rs\"\nname = \"app_core\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"app_core"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"app-core\", \"itoa\"]\n\n[[package]]\nname = \"app-core\"\nversion = \"0.0.1\"\ndependencies = [\"cfg-if\"]\n\n[[package]]\nname = \"cfg-if\"\nversion = \"1.0.4\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"9330f8b2ff13f34540b44e946ef35111825727b38d33286ef986142615121801\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n","rust_toolchain_file":null}}`;

/** s-workspace-inheritance: no collision, inherited versions. */
export const INHERITANCE = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n[workspace.dependencies]\nitoa = \"1\"\n\n[workspace.dependencies.cfg-if]\nversion = \"1\"\n\n[workspace.dependencies.shared]\nversion = \"0.0.1\"\npath = \"crates/shared\"\n\n[workspace.package]\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: workspace inheritance of the version and of dependencies\"\nlicense = \"Apache-2.0\"\n","targets":[]},{"relative_path":"crates/app/Cargo.toml","contents":"[package]\nname = \"app\"\npublish = false\n\n[package.edition]\nworkspace = true\n\n[package.version]\nworkspace = true\n\n[package.description]\nworkspace = true\n\n[package.license]\nworkspace = true\n\n[dependencies.itoa]\nworkspace = true\n\n[dependencies.shared]\nworkspace = true\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"crates/shared/Cargo.toml","contents":"[package]\nname = \"shared\"\npublish = false\n\n[package.edition]\nworkspace = true\n\n[package.version]\nworkspace = true\n\n[package.license]\nworkspace = true\n\n[dependencies.cfg-if]\nworkspace = true\n\n[lib]\npath = \"src/lib.rs\"\nname = \"shared\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"shared"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"itoa\", \"shared\"]\n\n[[package]]\nname = \"cfg-if\"\nversion = \"1.0.4\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"9330f8b2ff13f34540b44e946ef35111825727b38d33286ef986142615121801\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n\n[[package]]\nname = \"shared\"\nversion = \"0.0.1\"\ndependencies = [\"cfg-if\"]\n","rust_toolchain_file":null}}`;

/** s-hakari-published: cargo-hakari's workspace-hack member, which [patch.crates-io] puts in place of the registry's stub. */
export const HAKARI_PUBLISHED = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"shop-core\", \"workspace-hack\"]\nresolver = \"2\"\n\n[patch.crates-io.workspace-hack]\npath = \"workspace-hack\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: cargo-hakari's workspace-hack, published pattern\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\nmemchr = \"2\"\nworkspace-hack = \"0.1\"\n\n[dependencies.shop-core]\npath = \"../shop-core\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"shop-core/Cargo.toml","contents":"[package]\nname = \"shop-core\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"A library member that, like every member, depends on the workspace-hack\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\nworkspace-hack = \"0.1\"\n\n[dependencies.memchr]\nversion = \"2\"\ndefault-features = false\n\n[lib]\npath = \"src/lib.rs\"\nname = \"shop_core\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"shop_core"}]},{"relative_path":"workspace-hack/Cargo.toml","contents":"[package]\nname = \"workspace-hack\"\nversion = \"0.0.1\"\nbuild = \"build.rs\"\ndescription = \"workspace-hack package, managed by hakari\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies.memchr]\nversion = \"2\"\nfeatures = [\"std\"]\n\n[build-dependencies.memchr]\nversion = \"2\"\nfeatures = [\"std\"]\n\n[lib]\npath = \"src/lib.rs\"\nname = \"workspace_hack\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"build.rs","kind":"BuildScript","name":"build-script-build"},{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"workspace_hack"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"memchr\", \"shop-core\", \"workspace-hack\"]\n\n[[package]]\nname = \"memchr\"\nversion = \"2.8.3\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"cf8baf1c55e62ffcace7a9f06f4bd9cd3f0c4beb022d3b367256b91b87513d98\"\n\n[[package]]\nname = \"shop-core\"\nversion = \"0.0.1\"\ndependencies = [\"memchr\", \"workspace-hack\"]\n\n[[package]]\nname = \"workspace-hack\"\nversion = \"0.0.1\"\ndependencies = [\"memchr\"]\n","rust_toolchain_file":null}}`;
