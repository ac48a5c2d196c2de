/**
 * Facts about Rust releases and the official `rust:<version>-alpine<release>`
 * image tags, for checks at synthesis: the Rust a Cargo edition needs, and
 * whether a tag can exist at all.
 */

/** The first Rust release of each Cargo edition (a manifest without one is 2015). */
const EDITION_RUST: Record<string, number> = { 2015: 0, 2018: 31, 2021: 56, 2024: 85 };

/** A minor release every six weeks on Thursdays since Rust 1.1 (2015-06-25); 1.0 itself came a day late, on 2015-05-15. */
const RUST_1_0 = Date.UTC(2015, 4, 14);
const SIX_WEEKS = 42 * 24 * 3600 * 1000;

/** The day Rust 1.`minor` came out (1.0: the train's day, one before the real one). */
export function rustReleaseDay(minor: number): number {
  return RUST_1_0 + minor * SIX_WEEKS;
}

/**
 * Alpine releases (x.y.0, alpinelinux.org/releases), for the releases whose
 * day is known here. A newer Alpine is not checked.
 */
const ALPINE_RELEASED: Record<string, number> = {
  '3.17': Date.UTC(2022, 10, 22),
  '3.18': Date.UTC(2023, 4, 9),
  '3.19': Date.UTC(2023, 11, 7),
  '3.20': Date.UTC(2024, 4, 22),
  '3.21': Date.UTC(2024, 11, 5),
  '3.22': Date.UTC(2025, 4, 30),
  '3.23': Date.UTC(2025, 11, 3),
};

/** The minor number of a Rust version ("1.85", "1.85.1"), or undefined for another form. */
export function rustMinor(version: string): number | undefined {
  const m = /^1\.([0-9]+)(\.[0-9]+)?$/.exec(version);
  return m ? Number(m[1]) : undefined;
}

/** The Rust a Cargo edition needs ("1.85" for 2024), or undefined for an edition not known here. */
export function editionNeeds(edition: string | undefined): string | undefined {
  const minor = EDITION_RUST[edition ?? '2015'];
  return minor === undefined ? undefined : `1.${minor}`;
}

/**
 * Why `rust:<version>-alpine<alpine>` cannot exist, or undefined when it can.
 * The official images build only the current stable Rust, on the two newest
 * Alpine releases: a version replaced before an Alpine release never got its
 * tag, and an Alpine release two releases old (plus six weeks for the image
 * maintainers) is no longer built for a new Rust.
 */
export function missingAlpineTag(version: string, alpine: string): string | undefined {
  const minor = rustMinor(version);
  const released = ALPINE_RELEASED[alpine];
  if (minor === undefined || released === undefined) return undefined;
  if (rustReleaseDay(minor + 1) <= released) {
    return `Rust 1.${minor} was replaced by 1.${minor + 1} before Alpine ${alpine} came out, so the official image has no rust:${version}-alpine${alpine}`;
  }
  const [major, sub] = alpine.split('.').map(Number);
  const twoLater = ALPINE_RELEASED[`${major}.${sub + 2}`];
  if (twoLater !== undefined && twoLater + SIX_WEEKS < rustReleaseDay(minor)) {
    return `Rust 1.${minor} came out after Alpine ${major}.${sub + 2}, when the official image no longer built Alpine ${alpine}, so it has no rust:${version}-alpine${alpine}`;
  }
  return undefined;
}

/** The newest Alpine release known here whose `rust:<version>-alpine<release>` tag can exist, if any. */
export function alpineFor(version: string): string | undefined {
  return Object.keys(ALPINE_RELEASED).filter((a) => !missingAlpineTag(version, a)).pop();
}

/** The oldest Rust minor release (as "1.N") that can have a `-alpine<alpine>` tag, or undefined for an Alpine not known here. */
export function firstRustFor(alpine: string): string | undefined {
  const released = ALPINE_RELEASED[alpine];
  if (released === undefined) return undefined;
  let minor = 0;
  while (rustReleaseDay(minor + 1) <= released) minor++;
  return `1.${minor}`;
}
