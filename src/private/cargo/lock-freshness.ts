import { CargoWorkspace } from './workspace';

/**
 * What makes Cargo.lock out of date for the manifests: the differences that
 * make `cargo build --locked` stop with "cannot update the lock file". Read
 * from the files alone, so it needs no cargo. For each workspace member:
 * its entry in the lock, its version there, and the names of the packages
 * it depends on (every kind and target, as the lock records them).
 *
 * @returns one line per difference, empty when the lock is current
 */
export function staleLockProblems(ws: CargoWorkspace): string[] {
  const lock = ws.lockfile;
  if (!lock) return [];
  const problems: string[] = [];
  for (const pkg of ws.packages) {
    const version = pkg.metadata.version ?? '0.0.0';
    const entries = lock.packages.filter((p) => p.name === pkg.name && p.source === undefined);
    if (entries.length === 0) {
      problems.push(`package ${pkg.name} is not in Cargo.lock`);
      continue;
    }
    const entry = entries.find((e) => e.version === version);
    if (!entry) {
      problems.push(`package ${pkg.name} is version ${version} in its manifest but ${entries.map((e) => e.version).join(', ')} in Cargo.lock`);
      continue;
    }
    const declared = new Set(pkg.dependencies.map((d) => d.packageName));
    const locked = new Set(entry.dependencies);
    for (const name of [...declared].filter((n) => !locked.has(n)).sort()) {
      problems.push(`package ${pkg.name} depends on ${name}, which Cargo.lock does not record for it`);
    }
    for (const name of [...locked].filter((n) => !declared.has(n)).sort()) {
      problems.push(`Cargo.lock records ${name} as a dependency of ${pkg.name}, which its manifest no longer declares`);
    }
  }
  return problems;
}

/** The fix for a stale Cargo.lock: a command that records exactly what the manifests changed. */
export function staleLockFix(ws: CargoWorkspace): string {
  return `run \`cargo update --workspace\` in ${ws.displayRoot || './'} (it records what the manifests changed and updates nothing else), then commit Cargo.lock`;
}
