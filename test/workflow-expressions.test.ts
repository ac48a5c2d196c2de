// The harness's evaluator of GitHub Actions expressions (harness/workflow-expressions.ts), which the
// real-build checks use to run the generated workflow's step inputs: it must read them as the runner does.
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { synthProject } from '../harness/image-project';
import { exampleSources } from '../harness/projects';
import { tempDir, writeFiles } from '../harness/temp';
import { evaluate, expand } from '../harness/workflow-expressions';
import { CacheBackend } from '../src';

describe('workflow expressions, as the runner evaluates them', () => {
  const ctx = { 'github.event_name': 'push', 'steps.names.outputs.image': 'ghcr.io/acme/app' };

  test('&& and || return an operand; format fills its placeholders; a missing step output is empty', () => {
    expect(expand("${{ github.event_name != 'pull_request' && format('ref={0}:c,x={1}', steps.names.outputs.image, 'y') || '' }}", ctx)).toBe('ref=ghcr.io/acme/app:c,x=y');
    expect(expand("${{ github.event_name != 'pull_request' && format('ref={0}', steps.names.outputs.image) || '' }}", { ...ctx, 'github.event_name': 'pull_request' })).toBe('');
    expect(expand('a ${{ steps.builder.outputs.context }} b', ctx)).toBe('a  b');
    expect(evaluate("!startsWith(github.ref, 'refs/tags/v0.')", { 'github.ref': 'refs/tags/v0.3.1' })).toBe(false);
    expect(evaluate("github.event_name == 'PUSH'", ctx)).toBe(true);
    expect(evaluate("'it''s'", ctx)).toBe("it's");
  });

  test('what it does not know, it refuses instead of reading wrongly', () => {
    expect(() => evaluate("contains(github.ref, 'x')", ctx)).toThrow(/the function contains is not evaluated here/);
    expect(() => evaluate('github.event_name ===', ctx)).toThrow(/expression/);
  });

  test('the generated registry-cache inputs: written on a push, only read on a pull request', () => {
    const p = synthProject(exampleSources(), { ci: { cache: CacheBackend.REGISTRY } });
    const steps = parseYaml(p.files['.github/workflows/docker-hello-service.yml']).jobs.build.steps as Array<{ id: string; with: Record<string, string> }>;
    const compile = steps.find((s) => s.id === 'compile')!.with;
    const run = { 'github.event_name': 'push', 'steps.names.outputs.image_hello_service': 'ghcr.io/acme/x/hello-service' };
    expect(expand(compile['cache-to'], run)).toBe('type=registry,ref=ghcr.io/acme/x/hello-service:buildcache-hello-service-amd64-arm64,mode=max,ignore-error=true');
    expect(expand(compile['cache-to'], { ...run, 'github.event_name': 'pull_request' })).toBe('');
    expect(expand(compile['cache-from'], run)).toBe('type=registry,ref=ghcr.io/acme/x/hello-service:buildcache-hello-service-amd64-arm64');
  });
});

describe('hashFiles, over the workspace in the context', () => {
  const workspace = tempDir('prd-hashfiles-');
  writeFiles(workspace, { 'Cargo.lock': 'lock', 'Cargo.toml': 'root', 'crates/a/Cargo.toml': 'a', 'README.md': 'readme' });
  const ctx = { 'github.workspace': workspace };
  const sha = (data: Buffer | string) => createHash('sha256').update(data).digest();

  test('the runner\'s hash: each matching file\'s SHA-256, by path, hashed together', () => {
    const expected = createHash('sha256').update(sha('lock')).digest('hex');
    expect(evaluate("hashFiles('Cargo.lock')", ctx)).toBe(expected);
    const all = createHash('sha256');
    for (const f of ['Cargo.lock', 'Cargo.toml', 'crates/a/Cargo.toml']) all.update(sha(readFileSync(join(workspace, f))));
    expect(evaluate("hashFiles('Cargo.lock', '**/Cargo.toml')", ctx)).toBe(all.digest('hex'));
  });

  test('a pattern under a folder matches at its top and below; nothing matching is empty; other globs are refused', () => {
    expect(evaluate("hashFiles('crates/**/Cargo.toml')", ctx)).toBe(createHash('sha256').update(sha('a')).digest('hex'));
    expect(evaluate("hashFiles('missing/Cargo.lock')", ctx)).toBe('');
    expect(() => evaluate("hashFiles('*.md')", ctx)).toThrow(/only literal paths/);
    expect(() => evaluate("hashFiles('Cargo.lock')", {})).toThrow(/github.workspace/);
  });

  test('a changed file changes the hash', () => {
    const before = evaluate("hashFiles('**/Cargo.toml')", ctx);
    writeFiles(workspace, { 'crates/a/Cargo.toml': 'a2' });
    expect(evaluate("hashFiles('**/Cargo.toml')", ctx)).not.toBe(before);
  });
});
