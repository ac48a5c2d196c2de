import { join } from 'path';
import { readWorkspace } from '../cargo/workspace';
import { chooseBinaries } from '../config/resolve-binaries';
import { RustDockerConfigError } from '../errors';

/**
 * The binaries a new project ships: the one Cargo would run (the only one,
 * or the default member's, or `default-run`), else all of them, one image
 * each; and every binary Cargo offers, for the projenrc's comment.
 */
export function listBinaries(outdir: string, cratePath: string): { chosen: string[]; found: string[] } {
  const ws = readWorkspace(join(outdir, cratePath), cratePath === '.' ? '' : `${cratePath}/`);
  const all = ws.packages.flatMap((p) => p.bins.map((b) => ({ bin: b.name, pkg: p.name })));
  const found = all.map((b) => `${b.bin} (package ${b.pkg})`);
  try {
    return { chosen: chooseBinaries(ws, {}).map((c) => c.bin.name), found };
  } catch (e) {
    if (!(e instanceof RustDockerConfigError) || all.length === 0) throw e;
    return { chosen: [...new Set(all.map((b) => b.bin))], found };
  }
}
