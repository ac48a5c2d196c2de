/**
 * The supported Node versions are stated once (Defaults.NODE_VERSIONS) and
 * hold everywhere: in engines, the README and the workflows, and every
 * package npm ci installs supports the oldest version of each line, so it
 * prints no engine warnings there.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as semver from 'semver';
import { parse as parseYaml } from 'yaml';
import { Defaults } from '../src';

const ROOT = join(__dirname, '..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf-8');

/** The lowest version of each `||` part of a range: 20.19.0, 22.13.0, 24.0.0. */
const LOWEST = Defaults.NODE_VERSIONS.split('||').map((part) => semver.minVersion(part.trim())!.version);

test('engines and the README state the supported versions', () => {
  expect(JSON.parse(read('package.json')).engines.node).toBe(Defaults.NODE_VERSIONS);
  expect(read('README.md')).toContain(`\`${Defaults.NODE_VERSIONS}\``);
  expect(LOWEST).toEqual(['20.19.0', '22.13.0', '24.0.0']);
});

test('the workflows run a supported Node', () => {
  const versions = ['build.yml', 'release.yml'].flatMap((f) => JSON.stringify(parseYaml(read(`.github/workflows/${f}`))).match(/"node-version":"([^"]+)"/g) ?? []);
  expect(versions.length).toBeGreaterThan(0);
  for (const v of versions) expect(/"node-version":"20\.x"/.test(v)).toBe(true);
});

test('every package in the lock supports the oldest version of each supported line, and the Node running this test', () => {
  const lock = JSON.parse(read('package-lock.json'));
  const required = Object.entries<any>(lock.packages)
    .filter(([, p]) => p.engines?.node && !p.optional)
    .map(([name, p]) => [name, p.engines.node] as const);
  expect(required.length).toBeGreaterThan(50);
  const unsupported = [...LOWEST, process.versions.node].flatMap((v) => required.filter(([, range]) => !semver.satisfies(v, range)).map(([name, range]) => `${v}: ${name} wants ${range}`));
  expect(unsupported).toEqual([]);
});
