import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, renameSync } from 'fs';
import { join } from 'path';
import { github, Project } from 'projen';
import { RustDockerImageOptions } from '../src';
import { FIXTURES } from './projects';
import { skipNotice, tempDir } from './temp';

/** What a fixture's FIXTURE.json says its image ships. */
export interface Fixture {
  readonly name: string;
  readonly image: { binaries: string[]; packages: string[]; features: string[]; no_default_features: boolean };
  readonly notes?: string[];
}

/** The fixture names in ../shared/fixtures (empty when the folder is absent). */
export const FIXTURE_NAMES: string[] = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((n) => existsSync(join(FIXTURES, n, 'FIXTURE.json'))).sort() : [];

/** Why fixture tests skip, or undefined when the corpus is here. */
export const FIXTURES_ABSENT: string | undefined = FIXTURE_NAMES.length
  ? undefined
  : `the real-project fixtures are not here (${FIXTURES} is absent); they add tests when ../shared/fixtures sits beside the repository`;

/**
 * `describe` when the fixture corpus is present, else `describe.skip` with a
 * message naming the missing folder (printed once per suite).
 */
export function describeWithFixtures(name: string, body: () => void): void {
  if (FIXTURES_ABSENT) {
    skipNotice(FIXTURES_ABSENT);
    describe.skip(name, () => test('needs ../shared/fixtures', () => undefined));
    return;
  }
  describe(name, body);
}

export function readFixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'FIXTURE.json'), 'utf-8'));
}

function present(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The stored dependency graphs of the fixtures (refreshed by `npx projen test:graphs`). */
export const FIXTURE_GRAPHS = join(__dirname, '..', 'test', 'fixture-graphs');

/**
 * Copies a fixture into a fresh folder, moving the upstream Dockerfile and
 * .dockerignore aside (to `<name>.upstream`) as a team adopting the library
 * would, and adds its stored dependency graph.
 */
export function adoptFixtureDir(name: string): string {
  const outdir = tempDir();
  cpSync(join(FIXTURES, name), outdir, { recursive: true, verbatimSymlinks: true });
  for (const f of ['Dockerfile', '.dockerignore']) {
    if (present(join(outdir, f))) renameSync(join(outdir, f), join(outdir, `${f}.upstream`));
  }
  if (existsSync(join(FIXTURE_GRAPHS, name))) cpSync(join(FIXTURE_GRAPHS, name), outdir, { recursive: true });
  return outdir;
}

/** A project in a copy of a fixture (see `adoptFixtureDir`). */
export function adoptFixture(name: string): Project {
  const outdir = adoptFixtureDir(name);
  const project = new Project({ name, outdir });
  new github.GitHub(project, { mergify: false, pullRequestLint: false });
  return project;
}

/** The options that build what FIXTURE.json says the image ships. */
export function fixtureOptions(f: Fixture): RustDockerImageOptions {
  return {
    binary: f.image.binaries[0],
    features: f.image.features.length ? f.image.features : undefined,
    noDefaultFeatures: f.image.no_default_features || undefined,
  };
}

/**
 * The fixtures with a stored graph, as cases for the Cargo oracle. A fixture
 * Cargo cannot resolve here (lldap: a git dependency on github.com) has none.
 */
export function fixtureGraphCases(): Array<{ label: string; dir: string; options: RustDockerImageOptions; stored: (rel: string) => string }> {
  if (FIXTURES_ABSENT) skipNotice(`${FIXTURES_ABSENT} (the Cargo-oracle cases for the fixtures)`);
  return FIXTURE_NAMES.filter((name) => existsSync(join(FIXTURE_GRAPHS, name))).map((name) => ({
    label: `fixture ${name}`,
    dir: adoptFixtureDir(name),
    options: fixtureOptions(readFixture(name)),
    stored: (rel: string) => join(FIXTURE_GRAPHS, name, rel),
  }));
}
