import { CargoWorkspace, PatchedMember } from './workspace';

/**
 * What cargo-chef's recipe gets wrong for a workspace, read at synthesis.
 * cargo-chef masks every member's version to 0.0.1; the recipe's lock then
 * breaks for a member without a version (0.0.0), for a member that shares
 * its name with another package of the lock, and for a member a `[patch]`
 * points at (the patch no longer matches the requirement). The planner
 * repairs them (src/private/dockerfile/recipe-repair.ts), only when one is
 * found here.
 */

/** The cargo-chef versions the repair is proven on (the repair reads their recipe layout). */
export const RECIPE_REPAIR_CHEF_VERSIONS: readonly string[] = ['0.1.78'];

/**
 * Why the workspace needs the recipe repair, or none: a member without a version, or
 * a member that shares its name with another package of the lock. Read at
 * synthesis, so the planner carries the repair only where it can apply.
 */
export function recipeRepairTriggers(ws: CargoWorkspace): string[] {
  const triggers: string[] = [];
  for (const p of ws.packages) {
    if (p.metadata.version === undefined) triggers.push(`member ${p.name} has no version`);
  }
  for (const m of masksPatch(ws)) triggers.push(`member ${m.name} is what a [patch] puts in place of the registry's ${m.name}, so it must keep its version ${m.version}`);
  const members = new Set(ws.packages.map((p) => p.name));
  const locked = ws.lockfile?.packages ?? [];
  for (const name of [...members].sort()) {
    const others = locked.filter((l) => l.name === name && l.source !== undefined);
    if (others.length) triggers.push(`member ${name} shares its name with ${others.map((o) => `${o.name} ${o.version}`).join(', ')} in Cargo.lock`);
  }
  return triggers;
}

/**
 * The members whose real version the repair gives back, as `name=version`
 * words: those a `[patch]` points at (their dependents require the registry
 * version). Names and versions are Cargo's, checked before they reach the
 * Dockerfile.
 */
export function recipeUnmasked(ws: CargoWorkspace): string[] {
  return masksPatch(ws).map((m) => `${m.name}=${m.version}`);
}

/** The members a `[patch]` points at whose version cargo-chef's mask (0.0.1) changes. */
function masksPatch(ws: CargoWorkspace): PatchedMember[] {
  return ws.patchedMembers.filter((m) => m.version !== '0.0.1');
}
