import { Lockfile } from '../cargo/lockfile';

/** A locked crate version known not to compile on newer Rust, and the one-line cure. */
interface KnownBreakage {
  readonly crate: string;
  /** The first broken version. */
  readonly from: string;
  /** The first fixed version. */
  readonly fixedIn: string;
  /** The first Rust release it fails on. */
  readonly rust: string;
  readonly symptom: string;
}

/**
 * The table. `time` before 0.3.35 stopped compiling with Rust 1.80, which
 * infers a `Box<_>` type differently (time-rs/time #693, fixed in 0.3.35).
 */
const KNOWN: readonly KnownBreakage[] = [
  { crate: 'time', from: '0.3.0', fixedIn: '0.3.35', rust: '1.80.0', symptom: 'error[E0282]: type annotations needed for `Box<_>`' },
];

function parts(v: string): number[] {
  return v.split(/[.+-]/).slice(0, 3).map((x) => Number(x) || 0);
}

function compare(a: string, b: string): number {
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * Warnings for locked crate versions that do not compile on the builder's
 * Rust, each with the command that updates just that crate. A channel that
 * is not a version (stable, nightly) counts as newer than every entry.
 */
export function knownBreakageWarnings(lock: Lockfile | undefined, rust: string, display: string): string[] {
  const numeric = /^[0-9]+\.[0-9]+/.test(rust);
  const out: string[] = [];
  for (const k of KNOWN) {
    if (numeric && compare(rust, k.rust) < 0) continue;
    const broken = [...new Set((lock?.packages ?? [])
      .filter((p) => p.name === k.crate && p.source !== undefined && compare(p.version, k.from) >= 0 && compare(p.version, k.fixedIn) < 0)
      .map((p) => p.version))].sort();
    for (const version of broken) {
      out.push(`${display}: ${k.crate} ${version} does not compile on Rust ${k.rust} and later (the builder has ${rust}): ${k.symptom}. `
        + `Fix: run \`cargo update -p ${k.crate}@${version}\` (it updates ${k.crate} to ${k.fixedIn} or newer, with what that release needs, and nothing else) and commit Cargo.lock`);
    }
  }
  return out;
}
