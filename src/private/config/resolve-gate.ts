import { ResolvedGate } from './resolved';
import { AdvisorySeverity, RustDockerImageOptions } from '../../options';
import { RustDockerConfigError } from '../errors';
import { assertPattern, assertSafe } from '../validation/safe-values';

/** RustSec ids (`RUSTSEC-2023-0071`) and the aliases cargo audit also accepts (`CVE-…`, `GHSA-…`). */
const ADVISORY_ID = /^(RUSTSEC-[0-9]{4}-[0-9]{4}|CVE-[0-9]{4}-[0-9]+|GHSA(-[a-z0-9]{4}){3})$/;

/**
 * The vulnerability gate: on by default when the binaries carry
 * cargo-auditable's dependency list, which is what `cargo audit bin` reads.
 */
export function resolveGate(options: RustDockerImageOptions, auditable: boolean): ResolvedGate | undefined {
  const g = options.vulnerabilityGate ?? {};
  if (g.enabled === false || (g.enabled === undefined && !auditable)) return undefined;
  if (!auditable) {
    throw new RustDockerConfigError('vulnerabilityGate.enabled', 'the gate reads the dependency list that cargo-auditable embeds, but auditable is false', 'set auditable: true, or vulnerabilityGate.enabled: false');
  }
  if (g.failOn !== undefined && !Object.values(AdvisorySeverity).includes(g.failOn)) {
    throw new RustDockerConfigError('vulnerabilityGate.failOn', `"${g.failOn}" is not a severity`, `use one of: ${Object.values(AdvisorySeverity).join(', ')}`);
  }
  const ignore = (g.ignore ?? []).map((a, i) => {
    assertPattern(`vulnerabilityGate.ignore[${i}].id`, a.id, ADVISORY_ID, 'an advisory id such as "RUSTSEC-2023-0071"');
    assertSafe(`vulnerabilityGate.ignore[${i}].reason`, a.reason);
    if (!a.reason.trim()) throw new RustDockerConfigError(`vulnerabilityGate.ignore[${i}].reason`, 'is empty', `say why ${a.id} is accepted, for whoever reviews the gate`);
    return { id: a.id, reason: a.reason.trim() };
  });
  return { failOn: g.failOn, ignore };
}
