/**
 * The README's relative links lead somewhere, in the repository and in the
 * npm package (where npm's own file list, from `npm pack --dry-run`, is the
 * oracle for what a user's node_modules holds).
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf-8');
/** Every relative link target of the README, without its #anchor. */
const LINKS = [...new Set([...README.matchAll(/\]\((?!https?:|#|mailto:)([^)\s#]+)(#[^)]*)?\)/g)].map((m) => m[1].replace(/^\.\//, '')))];

test('the README has relative links, and each names a file of the repository', () => {
  expect(LINKS.length).toBeGreaterThan(3);
  expect(LINKS.filter((l) => !existsSync(join(ROOT, l)))).toEqual([]);
});

const npm = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8' });
(npm.status === 0 ? test : test.skip)('each relative link target ships in the npm package', () => {
  const files = new Set<string>((JSON.parse(npm.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path));
  expect(files.has('README.md')).toBe(true);
  expect(LINKS.filter((l) => !files.has(l))).toEqual([]);
});
