/**
 * Benchmarks of projen-rust-docker. Prints the figures and writes them to
 * docs/benchmarks.md with the date and the machine:
 * 1. synth time with 0, 1, 10 and 50 images (medians, ratios measured side by side);
 * 2. build-context bytes with the generated .dockerignore against none (Docker's matching rules);
 * 3. static figures of every generated variant: scripts/bench-static.ts, a section of its own;
 * 4. real image builds on a BuildKit daemon (scripts/bench-builds.ts), when the tools are installed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { join, relative } from 'path';
import ignore from '@balena/dockerignore';
import { github, Project } from 'projen';
import { RustDockerImage } from '../src';
import { realBuildBenchmarks } from './bench-builds';
import { exampleProject, simpleCrate } from '../harness/projects';
import { cleanUp, tempDir, writeFiles } from '../harness/temp';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const out: string[] = [];
const RECORD = join(__dirname, '..', 'docs', 'benchmarks.md');
/** The other scripts' delimited sections (harness/record.ts), kept after this script's own figures. */
const otherSections = existsSync(RECORD) ? [...readFileSync(RECORD, 'utf-8').matchAll(/<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g)].map((m) => m[0]) : [];
/** Prints a line and rewrites the record with everything so far, so an interrupted run keeps its finished sections. */
mkdirSync(join(__dirname, '..', 'docs'), { recursive: true });
const say = (line = '') => {
  out.push(line);
  console.log(line);
  writeFileSync(RECORD, [out.join('\n').replace(/\n*$/, '\n'), ...otherSections.map((k) => `${k}\n`)].join('\n'));
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A project folder with `n` crates, ready to synthesize. */
function prepareRepo(n: number): string {
  const dir = tempDir('prd-bench-');
  for (let i = 0; i < n; i++) {
    writeFiles(dir, Object.fromEntries(Object.entries(simpleCrate(`svc-${i}`)).map(([k, v]) => [`svc-${i}/${k}`, v])));
  }
  return dir;
}

/** Milliseconds to construct the project with `n` images, and to synthesize it. */
function synthOnce(n: number): { construct: number; synth: number } {
  const outdir = prepareRepo(n);
  const t0 = process.hrtime.bigint();
  const project = new Project({ name: 'bench', outdir });
  new github.GitHub(project, { mergify: false, pullRequestLint: false });
  for (let i = 0; i < n; i++) new RustDockerImage(project, { cratePath: `svc-${i}` });
  const t1 = process.hrtime.bigint();
  project.synth();
  const t2 = process.hrtime.bigint();
  return { construct: Number(t1 - t0) / 1e6, synth: Number(t2 - t1) / 1e6 };
}

function synthBench() {
  const sizes = [0, 1, 10, 50];
  const samples: Record<number, Array<{ construct: number; synth: number }>> = Object.fromEntries(sizes.map((n) => [n, []]));
  synthOnce(1); // warm up module loading
  for (let r = 0; r < RUNS; r++) for (const n of sizes) samples[n].push(synthOnce(n)); // interleaved: side by side
  const total = (n: number) => median(samples[n].map((x) => x.construct + x.synth));
  const part = (n: number, k: 'construct' | 'synth') => median(samples[n].map((x) => x[k]));
  const base = total(0);
  say('## 1. Synthesis time');
  say();
  say(`In-process construction plus \`project.synth()\` of a project with N crates and N RustDockerImage components (each with its Dockerfile, .dockerignore, workflow and tasks; one shared builder). \`npx projen\` adds a constant start-up (ts-node compiling .projenrc.ts, about a second) on top. Median of ${RUNS} runs per size, sizes interleaved in one process so the ratios compare like with like.`);
  say();
  say('| images | median total ms | ratio to 0 images | construct ms (this library: options, Cargo reading, models) | synth ms (projen writing files) |');
  say('|---:|---:|---:|---:|---:|');
  for (const n of sizes) say(`| ${n} | ${total(n).toFixed(1)} | ${(total(n) / base).toFixed(2)} | ${part(n, 'construct').toFixed(1)} | ${part(n, 'synth').toFixed(1)} |`);
  say();
  const c10 = part(10, 'construct') / 10;
  const c50 = part(50, 'construct') / 50;
  say(`Growth: construction costs about ${c10.toFixed(2)} ms per image at 10 images and ${c50.toFixed(2)} ms at 50, so this library's share grows linearly. The synth share grows faster than linearly: projen's own synthesis walks the construct tree (\`project.components\`) for every file it writes, so its cost is proportional to files × components; a CPU profile at 200 images puts most of the time in projen's \`Construct.children\`/\`Project.components\`. Even at 50 images the whole run stays well under a second.`);
  say();
}

function walk(dir: string): Array<{ path: string; size: number }> {
  const files: Array<{ path: string; size: number }> = [];
  const go = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) go(p);
      else files.push({ path: relative(dir, p).split('\\').join('/'), size: st.size });
    }
  };
  go(dir);
  return files;
}

function contextBench() {
  // A projen-style repository: the example crate, a populated target/ and node_modules/, and .git.
  const project = exampleProject();
  new RustDockerImage(project, {});
  project.synth();
  const dir = project.outdir;
  const blob = (kib: number) => Buffer.alloc(kib * 1024, 7);
  for (let i = 0; i < 60; i++) writeFiles(dir, { [`target/x86_64-unknown-linux-musl/release/deps/lib${i}.rlib`]: blob(1024).toString() });
  for (let i = 0; i < 400; i++) writeFiles(dir, { [`target/release/.fingerprint/dep-${i}/output`]: blob(4).toString() });
  for (let i = 0; i < 2000; i++) writeFiles(dir, { [`node_modules/pkg-${i % 200}/file-${i}.js`]: blob(8).toString() });
  for (let i = 0; i < 50; i++) writeFiles(dir, { [`.git/objects/pack/pack-${i}.pack`]: blob(100).toString() });
  const files = walk(dir);
  const ig = ignore().add(readFileSync(join(dir, '.dockerignore'), 'utf-8').split('\n'));
  const kept = files.filter((f) => !ig.ignores(f.path));
  const sum = (fs: typeof files) => fs.reduce((n, f) => n + f.size, 0);
  const mib = (b: number) => (b / 1024 / 1024).toFixed(2);
  say('## 2. Build-context size');
  say();
  say('The example crate in a projen-style repository with a populated `target/` (60 MiB of rlibs, 400 fingerprints), `node_modules/` (2000 files) and `.git/` (5 MiB), measured with Docker\'s ignore-matching rules (@balena/dockerignore).');
  say();
  say('| .dockerignore | files sent | bytes sent |');
  say('|---|---:|---:|');
  say(`| none | ${files.length} | ${sum(files)} (${mib(sum(files))} MiB) |`);
  say(`| generated | ${kept.length} | ${sum(kept)} (${mib(sum(kept))} MiB) |`);
  say();
  say(`The generated file sends ${(100 * sum(kept) / sum(files)).toFixed(3)}% of the bytes: ${kept.map((f) => f.path).sort().join(', ')}.`);
  say();
}

say('# Benchmarks');
say();
say(`Recorded ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Regenerate with \`npx projen bench\`.`);
say();
async function main(): Promise<void> {
  synthBench();
  contextBench();
  await realBuildBenchmarks(say);
}

// The image builds leave gigabytes of archives and layouts in temp folders.
process.on('exit', cleanUp);

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
