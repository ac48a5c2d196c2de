/**
 * The recipe repair (src/private/dockerfile/recipe-repair.ts) run with `sh`
 * on recipes written by real cargo-chef 0.1.78 (stored below; a check
 * regenerates them from test/workspaces when cargo-chef is installed), with
 * the machine's awk and, when installed, with busybox's sh and awk as on the
 * Alpine builder.
 */
import { execFileSync, spawnSync } from 'child_process';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { workspaceProject } from '../harness/projects';
import { skipNotice, tempDir } from '../harness/temp';
import { have, toolEnv } from '../harness/tools';
import { WORKSPACES } from '../harness/workspace-cases';
import { RustDockerImage, RustDockerImageOptions } from '../src';
import { parseToml } from '../src/private/cargo/toml-parser';
import { recipeRepairScript } from '../src/private/dockerfile/recipe-repair';

/** The repair as the planner's heredoc runs it. */
const SCRIPT = ['set -eu', ...recipeRepairScript('recipe.json')].join('\n');

/** Why `sh` cannot run the repair here, or undefined. */
function shellMissing(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v awk && command -v mv && command -v rm'], { stdio: 'ignore' });
  return r.status === 0 ? undefined : 'sh with awk, mv and rm';
}

const missing = shellMissing();
if (missing) skipNotice(`recipe repair: ${missing} not found`);
const suite = missing ? describe.skip : describe;

/** A folder whose PATH runs busybox's applets, as on Alpine, or undefined without busybox. */
function busyboxPath(): string | undefined {
  const bb = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf-8' });
  if (bb.status !== 0) return undefined;
  const dir = tempDir('prd-busybox-');
  for (const applet of ['sh', 'awk', 'mv', 'rm', '[', 'test']) symlinkSync(bb.stdout.trim(), join(dir, applet));
  return dir;
}

interface Repaired {
  readonly recipe: string;
  readonly log: string;
}

/** Runs the repair in a folder holding `recipe` as recipe.json, with `sh` (or busybox's, with only its applets on PATH). */
function repair(recipe: string, busybox?: string): Repaired {
  const dir = tempDir('prd-recipe-');
  writeFileSync(join(dir, 'recipe.json'), recipe);
  const log = busybox
    ? execFileSync(join(busybox, 'sh'), ['-c', SCRIPT], { cwd: dir, encoding: 'utf-8', env: { PATH: busybox } })
    : execFileSync('sh', ['-c', SCRIPT], { cwd: dir, encoding: 'utf-8' });
  return { recipe: readFileSync(join(dir, 'recipe.json'), 'utf-8'), log };
}

interface LockPackage {
  name: string;
  version: string;
  source?: string;
  dependencies?: string[];
}

/** The lock stored in a recipe. */
function lockOf(recipe: string): LockPackage[] {
  const lock = JSON.parse(recipe).skeleton.lock_file as string;
  return (parseToml(lock) as unknown as { package: LockPackage[] }).package;
}

/**
 * The dependency references of a lock that name no package, as Cargo reads
 * them: "name", "name version" or "name version (source)", a bare reference
 * meaning the path package when there is one.
 */
function danglingReferences(recipe: string): string[] {
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
function memberVersion(recipe: string, name: string): string | undefined {
  return lockOf(recipe).find((p) => p.name === name && !p.source)?.version;
}

/** The manifest of a skeleton at `path`. */
function manifest(recipe: string, path: string): string {
  const manifests = JSON.parse(recipe).skeleton.manifests as Array<{ relative_path: string; contents: string }>;
  return manifests.find((m) => m.relative_path === path)!.contents;
}

suite('recipe repair, on recipes written by cargo-chef 0.1.78', () => {
  test('a member named like a registry crate: its reference is masked like it, and its dummy library is named apart', () => {
    expect(danglingReferences(COLLISION)).toEqual(['itoa 0.1.0']);
    const r = repair(COLLISION);
    expect(danglingReferences(r.recipe)).toEqual([]);
    expect(lockOf(r.recipe).find((p) => p.name === 'app')!.dependencies).toEqual(['itoa 0.0.1', 'itoa 1.0.19']);
    expect(manifest(r.recipe, 'itoa/Cargo.toml')).toContain('[lib]\npath = "src/lib.rs"\nname = "chef_member_itoa"\n');
    expect(r.log).toContain('recipe-repair: the reference "itoa 0.1.0" now names the masked member (itoa 0.0.1)');
    // Nothing else changed: undoing the two edits gives the original bytes.
    expect(r.recipe.replace('\\"itoa 0.0.1\\"', '\\"itoa 0.1.0\\"').replace('chef_member_itoa', 'itoa')).toBe(COLLISION);
  });

  test('the repaired recipe is the same before and after a member\'s version bump, so the cook stays cached', () => {
    expect(COLLISION_BUMPED).not.toBe(COLLISION);
    expect(repair(COLLISION_BUMPED).recipe).toBe(repair(COLLISION).recipe);
  });

  test('a member at the registry crate\'s very version: the bare reference is the member\'s', () => {
    expect(danglingReferences(COLLISION_SAME_VERSION)).toEqual([]); // it resolves, but to the registry crate
    const r = repair(COLLISION_SAME_VERSION);
    expect(lockOf(r.recipe).find((p) => p.name === 'app')!.dependencies)
      .toEqual(['itoa 0.0.1', 'itoa 1.0.19 (registry+https://github.com/rust-lang/crates.io-index)']);
    expect(danglingReferences(r.recipe)).toEqual([]);
    expect(r.recipe).toBe(repair(COLLISION).recipe.replace('[\\"itoa 0.0.1\\", \\"itoa 1.0.19\\"]',
      '[\\"itoa 0.0.1\\", \\"itoa 1.0.19 (registry+https://github.com/rust-lang/crates.io-index)\\"]'));
  });

  test('a member without a version keeps Cargo\'s 0.0.0 in the lock, as in its manifest', () => {
    expect([memberVersion(NO_VERSION, 'app'), memberVersion(NO_VERSION, 'util')]).toEqual(['0.0.1', '0.0.1']);
    const r = repair(NO_VERSION);
    expect([memberVersion(r.recipe, 'app'), memberVersion(r.recipe, 'util')]).toEqual(['0.0.0', '0.0.1']);
    expect(r.log).toBe('recipe-repair: app has no version (0.0.0): unmasked in the lock\n');
    expect(memberVersion(r.recipe, 'itoa')).toBeUndefined();
    expect(r.recipe.split('version = \\"0.0.0\\"').join('version = \\"0.0.1\\"')).toBe(NO_VERSION);
  });

  test('without a collision the recipe stays byte-identical, and the repair says nothing', () => {
    for (const recipe of [RENAMED, INHERITANCE, '{"skeleton":{"manifests":[],"config_file":null,"lock_file":null,"rust_toolchain_file":null}}']) {
      expect(repair(recipe)).toEqual({ recipe, log: '' });
    }
  });

  test('it is idempotent', () => {
    for (const recipe of [COLLISION, COLLISION_SAME_VERSION, NO_VERSION]) {
      const once = repair(recipe).recipe;
      expect(repair(once)).toEqual({ recipe: once, log: '' });
    }
  });

  test('busybox sh and awk (the Alpine builder) give the same bytes', () => {
    const bb = busyboxPath();
    if (!bb) {
      if (process.env.CI) throw new Error('CI is set, but busybox is missing (run .ci/install-tools)');
      skipNotice('recipe repair with busybox: busybox is not installed (apt-get install busybox)');
      return;
    }
    for (const recipe of [COLLISION, COLLISION_BUMPED, COLLISION_SAME_VERSION, NO_VERSION, RENAMED, INHERITANCE]) {
      expect(repair(recipe, bb)).toEqual(repair(recipe));
    }
  });

  test('the stored recipes are what cargo-chef writes for the test workspaces', () => {
    if (!have('cargo-chef', ['chef', '--version']) || !have('cargo')) {
      if (process.env.CI) throw new Error('CI is set, but cargo-chef is missing (run .ci/install-tools)');
      skipNotice('recipe repair: cargo-chef is not installed (run .ci/install-tools); the stored recipes were not regenerated');
      return;
    }
    const prepare = (workspace: string, edit: (dir: string) => void = () => {}): string => {
      const dir = tempDir('prd-prepare-');
      cpSync(join(WORKSPACES, workspace), dir, { recursive: true });
      rmSync(join(dir, 'target'), { recursive: true, force: true });
      edit(dir);
      execFileSync('cargo', ['chef', 'prepare', '--recipe-path', 'recipe.json'], { cwd: dir, env: toolEnv(), stdio: 'pipe' });
      return readFileSync(join(dir, 'recipe.json'), 'utf-8');
    };
    const replace = (file: string, from: string, to: string) => {
      const text = readFileSync(file, 'utf-8');
      expect(text).toContain(from);
      writeFileSync(file, text.replace(from, to));
    };
    expect(prepare('s-name-collision')).toBe(COLLISION);
    expect(prepare('s-name-collision', (d) => {
      replace(join(d, 'itoa/Cargo.toml'), 'version = "0.1.0"', 'version = "0.1.1"');
      replace(join(d, 'Cargo.lock'), 'name = "itoa"\nversion = "0.1.0"', 'name = "itoa"\nversion = "0.1.1"');
      replace(join(d, 'Cargo.lock'), '"itoa 0.1.0"', '"itoa 0.1.1"');
    })).toBe(COLLISION_BUMPED);
    expect(prepare('s-name-collision', (d) => {
      replace(join(d, 'itoa/Cargo.toml'), 'version = "0.1.0"', 'version = "1.0.19"');
      replace(join(d, 'Cargo.lock'), 'name = "itoa"\nversion = "0.1.0"', 'name = "itoa"\nversion = "1.0.19"');
      replace(join(d, 'Cargo.lock'), ' "itoa 0.1.0",\n "itoa 1.0.19",', ' "itoa 1.0.19",\n "itoa 1.0.19 (registry+https://github.com/rust-lang/crates.io-index)",');
    })).toBe(COLLISION_SAME_VERSION);
    expect(prepare('s-no-version')).toBe(NO_VERSION);
    expect(prepare('s-renamed-dep')).toBe(RENAMED);
    expect(prepare('s-workspace-inheritance')).toBe(INHERITANCE);
  });
});

describe('the repair only where synthesis finds its trigger', () => {
  /** The planner stage of a test workspace's Dockerfile. */
  const planner = (dir: string, options: RustDockerImageOptions = {}) => {
    const project = workspaceProject(dir);
    const image = new RustDockerImage(project, options);
    return (project.tryFindFile(image.dockerfilePath) as any).synthesizeContent({}).split('\nFROM rust-builder AS planner\n')[1].split('\n\n')[0] as string;
  };

  test('a member without a version, and a member named like a registry crate: the planner repairs the recipe, and says why', () => {
    expect(planner('s-no-version')).toContain('member app has no version');
    expect(planner('s-name-collision')).toContain('member itoa shares its name with itoa 1.0.19 in Cargo.lock');
    for (const dir of ['s-no-version', 's-name-collision']) expect(planner(dir)).toContain(recipeRepairScript('recipe.json').join('\n'));
  });

  test('a workspace with neither gets no repair: prepare alone', () => {
    for (const dir of ['s-renamed-dep', 's-workspace-inheritance', 'c-zstd']) {
      expect({ dir, planner: planner(dir) }).toEqual({ dir, planner: expect.stringMatching(/^COPY \. \.\nRUN cargo chef prepare --recipe-path recipe\.json( --bin \S+)?$/) });
    }
  });

  test('another cargo-chef version with the trigger is refused at synthesis, with the fix; without it, it is accepted', () => {
    expect(() => planner('s-no-version', { builder: { cargoChefVersion: '0.1.77' } }))
      .toThrow(/builder\.cargoChefVersion: cargo-chef 0\.1\.77 is not one the recipe repair is proven on \(0\.1\.78\), and this workspace needs the repair: member app has no version.*Fix: leave builder\.cargoChefVersion unset/);
    expect(planner('s-renamed-dep', { builder: { cargoChefVersion: '0.1.77' } })).not.toContain('awk');
  });

  test('the awk program holds no single quote, which would end the shell word it is in', () => {
    const awk = recipeRepairScript('recipe.json');
    expect(awk.slice(2, -2).filter((l) => l.includes("'"))).toEqual([]);
  });
});

// Recipes written by `cargo chef prepare` (cargo-chef 0.1.78) for test/workspaces, byte for byte.

/** s-name-collision as committed: member itoa 0.1.0, registry itoa 1.0.19. */
const COLLISION = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"itoa\"]\nresolver = \"2\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: a member named like a registry crate that is also in the graph (cargo-chef masks one, not the references)\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\nitoa = \"1\"\n\n[dependencies.local-itoa]\npath = \"../itoa\"\npackage = \"itoa\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"itoa/Cargo.toml","contents":"[package]\nname = \"itoa\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"A workspace member that shares its name with the registry crate itoa\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\nname = \"itoa\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"itoa"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"itoa 0.1.0\", \"itoa 1.0.19\"]\n\n[[package]]\nname = \"itoa\"\nversion = \"0.0.1\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n","rust_toolchain_file":null}}`;

/** The same after a version bump of the member (0.1.1 in itoa/Cargo.toml and Cargo.lock). */
const COLLISION_BUMPED = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"itoa\"]\nresolver = \"2\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: a member named like a registry crate that is also in the graph (cargo-chef masks one, not the references)\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\nitoa = \"1\"\n\n[dependencies.local-itoa]\npath = \"../itoa\"\npackage = \"itoa\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"itoa/Cargo.toml","contents":"[package]\nname = \"itoa\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"A workspace member that shares its name with the registry crate itoa\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\nname = \"itoa\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"itoa"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"itoa 0.1.1\", \"itoa 1.0.19\"]\n\n[[package]]\nname = \"itoa\"\nversion = \"0.0.1\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n","rust_toolchain_file":null}}`;

/** The member at the registry crate's version (1.0.19): Cargo writes the registry reference with its source. */
const COLLISION_SAME_VERSION = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"itoa\"]\nresolver = \"2\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: a member named like a registry crate that is also in the graph (cargo-chef masks one, not the references)\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\nitoa = \"1\"\n\n[dependencies.local-itoa]\npath = \"../itoa\"\npackage = \"itoa\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"itoa/Cargo.toml","contents":"[package]\nname = \"itoa\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"A workspace member that shares its name with the registry crate itoa\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\nname = \"itoa\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"itoa"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"itoa 1.0.19\", \"itoa 1.0.19 (registry+https://github.com/rust-lang/crates.io-index)\"]\n\n[[package]]\nname = \"itoa\"\nversion = \"0.0.1\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n","rust_toolchain_file":null}}`;

/** s-no-version: a member without a version (0.0.0), and one with. */
const NO_VERSION = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"util\"]\nresolver = \"2\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\ndescription = \"Shape: a member without a version (Cargo 1.75+ makes it 0.0.0)\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\nitoa = \"1\"\n\n[dependencies.util]\npath = \"../util\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"util/Cargo.toml","contents":"[package]\nname = \"util\"\nedition = \"2021\"\nversion = \"0.0.1\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\nname = \"util\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"util"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"itoa\", \"util\"]\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n\n[[package]]\nname = \"util\"\nversion = \"0.0.1\"\n","rust_toolchain_file":null}}`;

/** s-renamed-dep: no collision. */
const RENAMED = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"app\", \"core\"]\nresolver = \"2\"\n","targets":[]},{"relative_path":"app/Cargo.toml","contents":"[package]\nname = \"app\"\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: renamed dependencies (package = ...), of a member (with a version requirement) and of a registry crate\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies.core]\nversion = \"0.0.1\"\npath = \"../core\"\npackage = \"app-core\"\n\n[dependencies.fmt]\nversion = \"1\"\npackage = \"itoa\"\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nedition = \"2021\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"core/Cargo.toml","contents":"[package]\nname = \"app-core\"\nedition = \"2021\"\nversion = \"0.0.1\"\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies.branch]\nversion = \"1\"\npackage = \"cfg-if\"\n\n[lib]\npath = \"src/lib.rs\"\nname = \"app_core\"\nedition = \"2021\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"app_core"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"app-core\", \"itoa\"]\n\n[[package]]\nname = \"app-core\"\nversion = \"0.0.1\"\ndependencies = [\"cfg-if\"]\n\n[[package]]\nname = \"cfg-if\"\nversion = \"1.0.4\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"9330f8b2ff13f34540b44e946ef35111825727b38d33286ef986142615121801\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n","rust_toolchain_file":null}}`;

/** s-workspace-inheritance: no collision, inherited versions. */
const INHERITANCE = String.raw`{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n[workspace.dependencies]\nitoa = \"1\"\n\n[workspace.dependencies.cfg-if]\nversion = \"1\"\n\n[workspace.dependencies.shared]\nversion = \"0.0.1\"\npath = \"crates/shared\"\n\n[workspace.package]\nedition = \"2021\"\nversion = \"0.0.1\"\ndescription = \"Shape: workspace inheritance of the version and of dependencies\"\nlicense = \"Apache-2.0\"\n","targets":[]},{"relative_path":"crates/app/Cargo.toml","contents":"[package]\nname = \"app\"\npublish = false\n\n[package.edition]\nworkspace = true\n\n[package.version]\nworkspace = true\n\n[package.description]\nworkspace = true\n\n[package.license]\nworkspace = true\n\n[dependencies.itoa]\nworkspace = true\n\n[dependencies.shared]\nworkspace = true\n\n[[bin]]\npath = \"src/main.rs\"\nname = \"app\"\nrequired-features = []\n","targets":[{"path":"src/main.rs","kind":"Bin","name":"app"}]},{"relative_path":"crates/shared/Cargo.toml","contents":"[package]\nname = \"shared\"\npublish = false\n\n[package.edition]\nworkspace = true\n\n[package.version]\nworkspace = true\n\n[package.license]\nworkspace = true\n\n[dependencies.cfg-if]\nworkspace = true\n\n[lib]\npath = \"src/lib.rs\"\nname = \"shared\"\nrequired-features = []\ncrate-type = [\"lib\"]\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"shared"}]}],"config_file":null,"lock_file":"version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.1\"\ndependencies = [\"itoa\", \"shared\"]\n\n[[package]]\nname = \"cfg-if\"\nversion = \"1.0.4\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"9330f8b2ff13f34540b44e946ef35111825727b38d33286ef986142615121801\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.19\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4\"\n\n[[package]]\nname = \"shared\"\nversion = \"0.0.1\"\ndependencies = [\"cfg-if\"]\n","rust_toolchain_file":null}}`;
