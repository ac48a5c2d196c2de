import { readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { CORPUS, downloadCrate, fingerprintOf } from '../harness/corpus';
import { toolEnv } from '../harness/tools';
process.env.PATH = toolEnv().PATH;
const old = JSON.parse(readFileSync('/tmp/fp-old2.json', 'utf-8'));
const d = JSON.parse(readFileSync('/tmp/corpus-snap.json', 'utf-8'));
const out: Record<string, any> = {};
for (const c of CORPUS) {
  const r = d.results.find((x: any) => x.name === c.name);
  const sources = downloadCrate(c.name, c.version);
  const zero = fingerprintOf(sources, {});
  const fix = r?.fix && !/cargo update/.test(r.fix.note) ? fingerprintOf(sources, r.fix.options) : undefined;
  out[c.name] = { zero, fix };
  rmSync(join(sources, '..'), { recursive: true, force: true });
  const o = old[c.name];
  console.error(c.name, o ? (o.zero === zero && o.fix === fix ? 'same as 579ef' : 'CHANGED') : 'no old');
}
console.log(JSON.stringify(out));
