/**
 * The recipe repair (src/private/dockerfile/recipe-repair.ts) run with `sh`
 * and the machine's awk on recipes written by real cargo-chef 0.1.78 (stored
 * in harness/recipes.ts; the real-tool suite regenerates them with
 * cargo-chef, and runs the repair with busybox's sh and awk as on the Alpine
 * builder: test/integration/recipe-repair.test.ts), and where synthesis puts it.
 */
import { workspaceProject } from '../harness/projects';
import {
  COLLISION, COLLISION_BUMPED, COLLISION_SAME_VERSION, danglingReferences, HAKARI_PUBLISHED, INHERITANCE, lockOf, manifest, memberVersion, NO_VERSION,
  RENAMED, repair, shellMissing,
} from '../harness/recipes';
import { skipNotice } from '../harness/temp';
import { RustDockerImage, RustDockerImageOptions } from '../src';
import { recipeRepairScript } from '../src/private/dockerfile/recipe-repair';

const missing = shellMissing();
if (missing) skipNotice(`recipe repair: ${missing} not found`);
const suite = missing ? describe.skip : describe;

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

  test('a member a [patch] puts in place of the registry crate (cargo-hakari\'s workspace-hack): its own version back, in its manifest and the lock', () => {
    expect(memberVersion(HAKARI_PUBLISHED, 'workspace-hack')).toBe('0.0.1');
    const r = repair(HAKARI_PUBLISHED, undefined, ['workspace-hack=0.1.0']);
    expect(['app', 'shop-core', 'workspace-hack'].map((m) => memberVersion(r.recipe, m))).toEqual(['0.0.1', '0.0.1', '0.1.0']);
    expect(manifest(r.recipe, 'workspace-hack/Cargo.toml')).toMatch(/^\[package\]\nname = "workspace-hack"\n(?:.*\n)*?version = "0\.1\.0"\n/);
    for (const m of ['app/Cargo.toml', 'shop-core/Cargo.toml']) expect(manifest(r.recipe, m)).toContain('\nversion = "0.0.1"\n');
    expect(r.log).toBe('recipe-repair: workspace-hack is what a [patch] puts in place of the registry crate: its version 0.1.0 unmasked\n');
    // Nothing else changed: the two 0.1.0s back to the mask give the original bytes.
    expect(r.recipe.split('name = \\"workspace-hack\\"\\nversion = \\"0.1.0\\"').join('name = \\"workspace-hack\\"\\nversion = \\"0.0.1\\"')
      .replace('version = \\"0.1.0\\"', 'version = \\"0.0.1\\"')).toBe(HAKARI_PUBLISHED);
    // Without the member named, the recipe is left as it is.
    expect(repair(HAKARI_PUBLISHED)).toEqual({ recipe: HAKARI_PUBLISHED, log: '' });
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

  test('a member a [patch] points at: the planner gives its version back, naming it; a member only depended on by path needs nothing', () => {
    const hakari = planner('s-hakari-published');
    expect(hakari.replace(/\n#\s+/g, ' ')).toContain('member workspace-hack is what a [patch] puts in place of the registry\'s workspace-hack, so it must keep its version 0.1.0');
    expect(hakari).toContain(recipeRepairScript('recipe.json', ['workspace-hack=0.1.0']).join('\n'));
    expect(hakari).toContain("awk -v out=/tmp/recipe-repair.json -v unmask='workspace-hack=0.1.0' '");
    expect(planner('s-patch-member')).toContain("-v unmask='itoa=1.0.99'");
  });

  test('a workspace with neither gets no repair: prepare alone', () => {
    for (const dir of ['s-renamed-dep', 's-workspace-inheritance', 'c-zstd', 's-hakari-path']) {
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

