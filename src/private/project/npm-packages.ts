/**
 * The npm packages a RustDockerProject runs with, stated once: the
 * package.json projen writes, the refusal of a repository's own package.json
 * that lacks them, and `npx projen-rust-docker new` (and the README) all
 * name them from here.
 */

/** projen at this library's peer range. */
export const PROJEN_RANGE = '>=0.103.0 <1';
export const CONSTRUCTS = 'constructs@^10.5.0';
/** What runs a `.projenrc.ts`: ts-node, and a TypeScript it supports (ts-node 10 fails on newer majors). */
export const TS_DEV_DEPS = ['ts-node@^10.9.2', 'typescript@~5.9.0'];

/** The name of an npm spec (`typescript@~5.9.0` -> `typescript`). */
export function packageName(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at < 0 ? spec : spec.slice(0, at);
}

/**
 * The devDependencies a projenrc runs with: this library (`library`, its
 * specs) and constructs; for a `.projenrc.ts` also projen (`projen`, its
 * spec; a Python projenrc gets projen from pip), ts-node and TypeScript.
 */
export function projenrcPackages(python: boolean, projen: string, library: readonly string[]): string[] {
  return python ? [CONSTRUCTS, ...library] : [projen, ...library, CONSTRUCTS, ...TS_DEV_DEPS];
}

/**
 * What a repository's own package.json must list for `npx projen`, as specs
 * for `npm install --save-dev` (projen and this library at their latest: npm
 * writes the range it installed).
 */
export function ownPackageJsonSpecs(python: boolean): string[] {
  return projenrcPackages(python, 'projen', ['projen-rust-docker']);
}

/** The specs of `specs` whose packages `names` lists, in the order of `specs`: what to install for the missing ones. */
export function specsOf(specs: readonly string[], names: readonly string[]): string[] {
  return specs.filter((s) => names.includes(packageName(s)));
}
