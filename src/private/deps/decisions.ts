import { CompiledCrate, CrateGraph } from './crate-graph';
import { nativeClass } from './native';
import { CDependencyLevel, Rule, RULE_CRATES, RULES, SYSTEM_LIBRARY } from './rules';
import { TargetLibraryId } from './target-libraries';

/** What the build needs, or what the user must change, for one crate the image compiles. */
export interface CDependencyDecision {
  readonly crate: string;
  /** The versions compiled. */
  readonly versions: string[];
  readonly level: CDependencyLevel;
  /** Alpine packages the builder needs. */
  readonly apkPackages: string[];
  /** Environment for the cook and build steps. */
  readonly env: Array<[string, string]>;
  /** The build reads `.git`. */
  readonly needsGit: boolean;
  /** Libraries the build provides for every target. */
  readonly libraries: TargetLibraryId[];
  /** Target triples whose binaries link the crate (empty: build platform only). */
  readonly targets: string[];
  /** Whether the crate is compiled for the build platform only. */
  readonly hostOnly: boolean;
  /** One line, shown as a comment in the Dockerfile and in warnings. */
  readonly summary: string;
  /** The fix, for warnings and errors. */
  readonly fix?: string;
}

/** One compiled copy of a crate: for a target's build, on the target's side or the build platform's (host). */
interface Occurrence {
  readonly target: string;
  readonly host: boolean;
  readonly compiled: CompiledCrate;
}

function matches(rule: Rule, o: Occurrence): boolean {
  if (rule.side === 'target' && o.host) return false;
  if (rule.side === 'host-only' && !o.host) return false;
  if (rule.withFeature && !o.compiled.features.includes(rule.withFeature)) return false;
  if (rule.withoutFeature && o.compiled.features.includes(rule.withoutFeature)) return false;
  return true;
}

function occurrencesByCrate(graph: CrateGraph | undefined): Map<string, Occurrence[]> {
  const occurrences = new Map<string, Occurrence[]>();
  for (const [target, g] of Object.entries(graph?.targets ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [list, host] of [[g.target, false], [g.host, true]] as const) {
      for (const compiled of list) {
        occurrences.set(compiled.crate, [...(occurrences.get(compiled.crate) ?? []), { target, host, compiled }]);
      }
    }
  }
  return occurrences;
}

/** A decision about `mine`, the occurrences of one crate it covers. */
function decision(crate: string, mine: Occurrence[], d: Omit<CDependencyDecision, 'crate' | 'versions' | 'targets' | 'hostOnly'>): CDependencyDecision {
  const targetSide = mine.filter((o) => !o.host);
  return {
    crate,
    versions: [...new Set(mine.map((o) => o.compiled.version))].sort(),
    targets: [...new Set(targetSide.map((o) => o.target))].sort(),
    hostOnly: targetSide.length === 0,
    ...d,
  };
}

/** What a rule decides for the occurrences it claims. */
function ruleDecision(rule: Rule, mine: Occurrence[]): CDependencyDecision {
  return decision(rule.crate, mine, {
    level: rule.level,
    apkPackages: rule.apkPackages ?? [],
    env: rule.env ?? [],
    needsGit: rule.needsGit ?? false,
    libraries: rule.libraries ?? [],
    summary: rule.summary,
    fix: rule.fix,
  });
}

/**
 * What the build does with a native crate no rule knows, from how it gets its
 * native code (see `nativeClass`): bundled sources compile with zig cc; a
 * crate that only probes for a system library cannot find one for another
 * target, so it is refused (on the build platform alone it finds the
 * builder's own, so it is a warning); `links` alone is noted.
 */
function nativeDecision(crate: string, mine: Occurrence[]): CDependencyDecision | undefined {
  const classes = mine.map((o) => nativeClass(o.compiled)).filter((c): c is NonNullable<typeof c> => c !== undefined);
  if (!classes.length) return undefined;
  const tools = [...new Set(classes.flatMap((c) => c.tools))].sort();
  const none = { apkPackages: [] as string[], env: [] as Array<[string, string]>, needsGit: false, libraries: [] as TargetLibraryId[] };
  const kinds = new Set(classes.map((c) => c.kind));
  if (kinds.has('system-probe') && !kinds.has('bundled')) {
    const targetSide = mine.some((o) => !o.host);
    return decision(crate, mine, {
      ...none,
      level: targetSide ? 'error' : 'warning',
      summary: targetSide
        ? `${crate} looks for a system library with ${tools.join(', ')} and builds none of its own (a native crate no rule knows); ${SYSTEM_LIBRARY}`
        : `${crate} looks for a system library with ${tools.join(', ')}, only for build-time code on the build platform (a native crate no rule knows)`,
      fix: targetSide
        ? `enable a feature of ${crate}, or of the crate that pulls it in, that builds the library from source (often "vendored", "bundled" or "static"), or turn off the feature that pulls ${crate} in; or list "${crate}" in builder.ignoreCrates and provide the target library (a sysroot and PKG_CONFIG_* settings in builder.env)`
        : 'if the build fails, add the library\'s Alpine -dev package with builder.extraPackages',
    });
  }
  if (kinds.has('bundled')) {
    return decision(crate, mine, { ...none, level: 'info', summary: `${crate}: bundled native code compiled with zig cc (build script uses ${tools.join(', ')}; a native crate no rule knows)` });
  }
  // A `links` key alone on the build platform links nothing into the image (some crates use it only to pass metadata).
  const linked = mine.filter((o) => !o.host);
  if (!linked.length) return undefined;
  const links = [...new Set(linked.map((o) => o.compiled.links).filter(Boolean))].join(', ');
  return decision(crate, linked, { ...none, level: 'info', summary: `${crate}: links = "${links}", with no compiler or probe among its build dependencies: what it links comes from its dependencies (a native crate no rule knows)` });
}

/**
 * The decisions for what `graph` says the image compiles: first the rules,
 * in order (every compiled occurrence of a crate, per target, version and
 * side, is claimed by the first rule that matches it), then every other
 * native crate, classified by its build dependencies. Crates in `ignore`
 * are skipped.
 */
export function cDependencyDecisions(graph: CrateGraph | undefined, ignore: readonly string[] = []): CDependencyDecision[] {
  const occurrences = occurrencesByCrate(graph);
  const claimed = new Set<Occurrence>();
  const out: CDependencyDecision[] = [];
  for (const rule of RULES) {
    if (ignore.includes(rule.crate)) continue;
    const mine = (occurrences.get(rule.crate) ?? []).filter((o) => !claimed.has(o) && matches(rule, o));
    if (!mine.length) continue;
    mine.forEach((o) => claimed.add(o));
    out.push(ruleDecision(rule, mine));
  }
  for (const crate of [...occurrences.keys()].sort()) {
    if (ignore.includes(crate) || RULE_CRATES.includes(crate)) continue;
    const native = nativeDecision(crate, occurrences.get(crate)!.filter((o) => !claimed.has(o)));
    if (native) out.push(native);
  }
  return out;
}

/** Where a decision applies, for comments: "(aarch64-unknown-linux-musl only)", "(build platform only)" or "". */
export function decisionScope(d: CDependencyDecision, allTargets: string[]): string {
  if (d.hostOnly) return ' (build platform only)';
  const missing = allTargets.filter((t) => !d.targets.includes(t));
  return missing.length ? ` (${d.targets.join(', ')} only)` : '';
}
