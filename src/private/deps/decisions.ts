import { CompiledCrate, CrateGraph } from './crate-graph';
import { CDependencyLevel, Rule, RULES } from './rules';

/** What the build needs, or what the user must change, for one crate the image compiles. */
export interface CDependencyDecision {
  readonly crate: string;
  /** The versions compiled. */
  readonly versions: string[];
  readonly level: CDependencyLevel;
  /** Alpine packages the builder needs. */
  readonly packages: string[];
  /** Environment for the cook and build steps. */
  readonly env: Array<[string, string]>;
  /** The build reads `.git`. */
  readonly needsGit: boolean;
  /** Target triples whose binaries link the crate (empty: build platform only). */
  readonly targets: string[];
  /** Whether the crate is compiled for the build platform only. */
  readonly hostOnly: boolean;
  /** One line, shown as a comment in the Dockerfile and in warnings. */
  readonly summary: string;
  /** The fix, for warnings and errors. */
  readonly fix?: string;
}

interface Occurrence {
  readonly target: string;
  readonly hostOnly: boolean;
  readonly compiled: CompiledCrate;
}

function matches(rule: Rule, o: Occurrence): boolean {
  if (rule.side === 'target' && o.hostOnly) return false;
  if (rule.side === 'host-only' && !o.hostOnly) return false;
  if (rule.withFeature && !o.compiled.features.includes(rule.withFeature)) return false;
  if (rule.withoutFeature && o.compiled.features.includes(rule.withoutFeature)) return false;
  return true;
}

/**
 * The decisions for what `graph` says the image compiles, in rule order.
 * Every compiled occurrence of a crate (per target, version and side) is
 * claimed by the first rule that matches it; crates in `ignore` are skipped.
 */
export function cDependencyDecisions(graph: CrateGraph | undefined, ignore: readonly string[] = []): CDependencyDecision[] {
  const occurrences = new Map<string, Occurrence[]>();
  for (const [target, g] of Object.entries(graph?.targets ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [list, hostOnly] of [[g.target, false], [g.hostOnly, true]] as const) {
      for (const compiled of list) {
        occurrences.set(compiled.crate, [...(occurrences.get(compiled.crate) ?? []), { target, hostOnly, compiled }]);
      }
    }
  }
  const claimed = new Set<Occurrence>();
  const out: CDependencyDecision[] = [];
  for (const rule of RULES) {
    if (ignore.includes(rule.crate)) continue;
    const mine = (occurrences.get(rule.crate) ?? []).filter((o) => !claimed.has(o) && matches(rule, o));
    if (!mine.length) continue;
    mine.forEach((o) => claimed.add(o));
    const targetSide = mine.filter((o) => !o.hostOnly);
    out.push({
      crate: rule.crate,
      versions: [...new Set(mine.map((o) => o.compiled.version))].sort(),
      level: rule.level,
      packages: rule.packages ?? [],
      env: rule.env ?? [],
      needsGit: rule.needsGit ?? false,
      targets: [...new Set(targetSide.map((o) => o.target))].sort(),
      hostOnly: targetSide.length === 0,
      summary: rule.summary,
      fix: rule.fix,
    });
  }
  return out;
}

/** Where a decision applies, for comments: "(aarch64-unknown-linux-musl only)", "(build platform only)" or "". */
export function decisionScope(d: CDependencyDecision, allTargets: string[]): string {
  if (d.hostOnly) return ' (build platform only)';
  const missing = allTargets.filter((t) => !d.targets.includes(t));
  return missing.length ? ` (${d.targets.join(', ')} only)` : '';
}
