/**
 * The README's first command: synthesizes the bundled example project
 * (examples/hello-service, with its own .projenrc.ts) and prints the paths of
 * the files it wrote.
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join, relative } from 'path';

const dir = join(__dirname, '..', 'examples', 'hello-service');
const tsNode = require.resolve('ts-node/dist/bin.js');
const run = spawnSync(process.execPath, [tsNode, '-T', '-P', join(__dirname, '..', 'test', 'tsconfig.json'), '.projenrc.ts'], { cwd: dir, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);

const files = (JSON.parse(readFileSync(join(dir, '.projen', 'files.json'), 'utf-8')).files as string[])
  .filter((f) => existsSync(join(dir, f)))
  .sort();
console.log(`Generated for ${relative(process.cwd(), dir)}:`);
for (const f of files) console.log(`  ${relative(process.cwd(), join(dir, f))}`);
