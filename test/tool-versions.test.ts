/**
 * Tool versions are stated once. The generator's defaults live in
 * src/defaults.ts; the real-tool suite's tools in .ci/install-tools. Every
 * copy elsewhere (the suite's pins of the builder's tools, the README's
 * table) is checked against them here, so no copy can drift.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { pinnedVersion } from '../harness/tools';
import { Defaults } from '../src';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf-8');

/** The README's table row of a tool: its default, as the second cell. */
function readmeDefault(tool: string): string {
  const row = README.split('\n').find((l) => l.startsWith(`| ${tool} |`));
  if (!row) throw new Error(`the README's table has no row for ${tool}`);
  return row.split('|')[2].trim().replace(/`/g, '');
}

describe('the suite installs the builder\'s own tools, at the generator\'s defaults', () => {
  test.each([
    ['RUST_VERSION', Defaults.RUST_VERSION],
    ['CARGO_CHEF_VERSION', Defaults.CARGO_CHEF_VERSION],
    ['CARGO_ZIGBUILD_VERSION', Defaults.CARGO_ZIGBUILD_VERSION],
    ['CARGO_AUDITABLE_VERSION', Defaults.CARGO_AUDITABLE_VERSION],
  ])('%s is %s', (name, version) => {
    expect(pinnedVersion(name)).toBe(version);
  });

  test('the pinned zig is of the builder\'s zig package (zig~0.15 -> 0.15.x)', () => {
    const minor = /^zig~(\d+\.\d+)$/.exec(Defaults.ZIG_PACKAGE)![1];
    expect(pinnedVersion('ZIGLANG_VERSION')).toMatch(new RegExp(`^${minor.replace('.', '\\.')}\\.\\d+$`));
  });

  test('a pin that is missing is an error, not a silent default', () => {
    expect(() => pinnedVersion('NO_SUCH_TOOL_VERSION')).toThrow(/\.ci\/install-tools pins no NO_SUCH_TOOL_VERSION/);
  });
});

describe('the README\'s table of defaults is src/defaults.ts', () => {
  test.each([
    ['Rust', Defaults.RUST_VERSION],
    ['zig', Defaults.ZIG_PACKAGE],
    ['cargo-chef', Defaults.CARGO_CHEF_VERSION],
    ['cargo-zigbuild', Defaults.CARGO_ZIGBUILD_VERSION],
    ['cargo-auditable', Defaults.CARGO_AUDITABLE_VERSION],
  ])('%s: %s', (tool, version) => {
    expect(readmeDefault(tool)).toBe(version);
  });
});
