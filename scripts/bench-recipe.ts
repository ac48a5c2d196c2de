/**
 * What `cargo chef prepare --bin` buys: a workspace whose image ships one
 * binary (test/workspaces/s-default-members: app, over a library member,
 * beside an unrelated tool member) is built for both targets; then the
 * unrelated member's manifest is edited and the image rebuilt. With the
 * generated planner (prepare --bin) the recipe, and so the cook, is
 * unchanged; with the planner of the whole workspace, the cook runs again.
 * Recorded in its own section of docs/benchmarks.md.
 */
import { cpSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { BuildkitDaemon, BuildResult, expectOk, standIns, stepsNamed } from '../harness/buildkit';
import { edit, imageRequest, synthProject } from '../harness/image-project';
import { WORKSPACES } from '../harness/projects';
import { writeSection } from '../harness/record';
import { cleanUp, tempDir } from '../harness/temp';

function cookCached(r: BuildResult): boolean {
  return stepsNamed(r, /^\[(linux\/[a-z0-9/]+ )?cook \d+\/\d+\] RUN/).every((s) => s.cached);
}

async function main(): Promise<void> {
  const why = BuildkitDaemon.unavailable();
  if (why) {
    writeSection('prepare-bin', ['### `prepare --bin`: an edit to an unrelated member', '', `Not measured on this machine: ${why}.`]);
    return;
  }
  const bases = standIns();
  const rows: string[] = [];
  // One daemon: the builder stage is built once; each planner has its own recipe, so its own cook.
  const daemon = new BuildkitDaemon(tempDir('prd-bench-recipe-root-'));
  await daemon.start();
  for (const [label, narrowed] of [['generated planner (`prepare --bin app`)', true], ['whole-workspace planner (no `--bin`)', false]] as const) {
    const src = tempDir('prd-bench-recipe-');
    cpSync(join(WORKSPACES, 's-default-members'), src, { recursive: true });
    const p = synthProject(src, {});
    const dockerfile = join(p.dir, p.image.dockerfilePath);
    if (!narrowed) writeFileSync(dockerfile, readFileSync(dockerfile, 'utf-8').replace('prepare --recipe-path recipe.json --bin app', 'prepare --recipe-path recipe.json'));
    const cold = daemon.build(imageRequest(p, bases));
    expectOk(cold, 'the cold build');
    edit(join(p.dir, 'tool', 'Cargo.toml'), (t) => t.replace('[package]\n', '[package]\ndescription = "an edit the image does not need"\n'));
    const after = daemon.build(imageRequest(p, bases));
    expectOk(after, 'the rebuild');
    rows.push(`| ${label} | ${(cold.ms / 1000).toFixed(1)} | ${(after.ms / 1000).toFixed(1)} | ${cookCached(after) ? 'cached' : 'ran again'} |`);
  }
  daemon.stop();
  writeSection('prepare-bin', [
    '### `prepare --bin`: an edit to an unrelated member',
    '',
    'test/workspaces/s-default-members (app over a library member, and an unrelated tool member), both targets, on one fresh daemon of a machine shared with other builds (the first row\'s first build includes the builder stage, whose tools compile). Then `tool/Cargo.toml` gets a description and the image is rebuilt.',
    '',
    '| planner | first build s | rebuild after the edit s | cook after the edit |',
    '|---|---:|---:|---|',
    ...rows,
  ]);
}

main().then(cleanUp, (e) => {
  cleanUp();
  console.error(e);
  process.exit(1);
});
