import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, renameSync } from 'fs';
import { join } from 'path';
import { github, Project } from 'projen';
import { RustDockerImageOptions } from '../src';
import { FIXTURES, tempDir } from './util';

/** What a fixture's FIXTURE.json says its image ships. */
export interface Fixture {
  readonly name: string;
  readonly image: { binaries: string[]; packages: string[]; features: string[]; no_default_features: boolean };
  readonly notes?: string[];
}

/** The fixture names in ../shared/fixtures (empty when the folder is absent). */
export const FIXTURE_NAMES: string[] = existsSync(FIXTURES) ? readdirSync(FIXTURES).sort() : [];

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

/**
 * Copies a fixture into a fresh project, moving the upstream Dockerfile and
 * .dockerignore aside (to `<name>.upstream`) as a team adopting the library would.
 */
export function adoptFixture(name: string): Project {
  const outdir = tempDir();
  cpSync(join(FIXTURES, name), outdir, { recursive: true, verbatimSymlinks: true });
  for (const f of ['Dockerfile', '.dockerignore']) {
    if (present(join(outdir, f))) renameSync(join(outdir, f), join(outdir, `${f}.upstream`));
  }
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
