/**
 * The recipe repair with the real tools: the recipes stored in
 * harness/recipes.ts are what cargo-chef writes for the test workspaces, and
 * busybox's sh and awk (the Alpine builder's) repair them to the same bytes
 * as the machine's.
 */
import { execFileSync } from 'child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  busyboxPath, COLLISION, COLLISION_BUMPED, COLLISION_SAME_VERSION, HAKARI_PUBLISHED, INHERITANCE, NO_VERSION, RENAMED, repair,
} from '../../harness/recipes';
import { skipNotice, tempDir } from '../../harness/temp';
import { have, toolEnv } from '../../harness/tools';
import { WORKSPACES } from '../../harness/workspace-cases';

describe('recipe repair, with the real tools', () => {
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
    expect(repair(HAKARI_PUBLISHED, bb, ['workspace-hack=0.1.0'])).toEqual(repair(HAKARI_PUBLISHED, undefined, ['workspace-hack=0.1.0']));
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
    expect(prepare('s-hakari-published')).toBe(HAKARI_PUBLISHED);
  });
});
