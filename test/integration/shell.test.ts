/**
 * Every shell the library generates goes through shellcheck: the local
 * tasks' script and the task commands that run in `sh`, the Dockerfiles' RUN
 * bodies (with the stage's ARG and ENV values declared, as the build gives
 * them), of every generated variant. Workflow `run:` steps are checked by
 * native actionlint, which runs shellcheck (real-tools.test.ts).
 */
import { spawnSync } from 'child_process';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { runScripts } from '../../harness/dockerfile-model';
import { skipNotice, tempDir } from '../../harness/temp';
import { missingTools, toolEnv } from '../../harness/tools';
import { generatedVariants } from '../../harness/variants';
import { RunInstruction, Stage } from '../../src/private/dockerfile/model';

jest.setTimeout(10 * 60 * 1000);

const missing = missingTools([['shellcheck', ['--version']]]);
if (missing.length) skipNotice('shellcheck checks: shellcheck is not installed');

/** shellcheck's findings for a POSIX sh script (none: empty). */
function shellcheck(script: string): string {
  const file = join(tempDir('prd-sc-'), 'script.sh');
  writeFileSync(file, script);
  const r = spawnSync('shellcheck', ['-s', 'sh', '-f', 'gcc', file], { encoding: 'utf-8', env: toolEnv() });
  return `${r.stdout}${r.stderr}`.trim();
}

/** A stage's RUN bodies as sh scripts, after the variables its ARG and ENV instructions (and the stage it starts from) set. */
function runBodies(stages: Stage[], stage: Stage): string[] {
  const parent = stages.find((s) => s.name === stage.from.image);
  const declared = [...(parent ? parent.instructions : []), ...stage.instructions]
    .flatMap((i) => (i.kind === 'ARG' ? [i.name] : i.kind === 'ENV' ? i.pairs.map(([k]) => k) : []));
  const prelude = [...new Set(declared)].map((n) => `: "\${${n}:=}"`);
  const runs = stage.instructions.filter((i): i is RunInstruction => i.kind === 'RUN');
  return runScripts({ ...stage, instructions: runs }).map((body) => ['#!/bin/sh', ...prelude, body, ''].join('\n'));
}

const variants = missing.length ? [] : generatedVariants();

(missing.length ? describe.skip : describe)('shellcheck finds nothing in the generated shell', () => {
  test.each(variants.map((v) => [v.name, v] as const))('%s: the task script and the sh task commands', (_name, v) => {
    expect(v.taskScript).toMatch(/^#!\/bin\/sh\n/);
    expect(shellcheck(v.taskScript)).toBe('');
    expect(Object.keys(v.shellTasks).length).toBeGreaterThan(0);
    for (const [task, exec] of Object.entries(v.shellTasks)) expect({ task, findings: shellcheck(`#!/bin/sh\n${exec}\n`) }).toEqual({ task, findings: '' });
  });

  test.each(variants.map((v) => [v.name, v] as const))('%s: every RUN body of the Dockerfile', (_name, v) => {
    const bodies = v.model.stages.flatMap((s) => runBodies(v.model.stages, s).map((script) => [s.name ?? '(builder)', script] as const));
    expect(bodies.length).toBeGreaterThanOrEqual(4);
    for (const [stage, script] of bodies) expect({ stage, findings: shellcheck(script) }).toEqual({ stage, findings: '' });
  });

  test('a planted fault is caught', () => {
    expect(shellcheck('#!/bin/sh\nfor f in $(ls *.txt); do echo $f; done\n')).not.toBe('');
  });
});
