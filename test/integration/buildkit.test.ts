/**
 * BuildKit's own Dockerfile frontend (github.com/moby/buildkit, via the Go
 * program in test/buildkit) parses, lints and converts every generated
 * Dockerfile to LLB for each target platform. Skips when Go is missing.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { skipNotice, tempDir } from '../../harness/temp';
import { missingTools } from '../../harness/tools';
import { generatedVariants } from '../../harness/variants';

jest.setTimeout(15 * 60 * 1000);

const SOURCE = join(__dirname, '..', '..', 'harness', 'buildkit');
const goMissing = missingTools([['go', ['version']]]);
if (goMissing.length) skipNotice('BuildKit frontend checks: go is not installed');
let checker = '';

beforeAll(() => {
  if (goMissing.length) return;
  const out = join(tempDir('prd-bk-'), 'buildkit-check');
  const r = spawnSync('go', ['build', '-o', out, '.'], { cwd: SOURCE, encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`go build of test/buildkit failed: ${r.stderr.slice(-2000)}`);
  checker = out;
});

function check(files: Record<string, string>, platforms: string[], allowImages: string[]): { status: number | null; out: string } {
  const dir = tempDir('prd-df-');
  const paths = Object.entries(files).map(([p, content]) => {
    const abs = join(dir, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return abs;
  });
  const args = ['-platforms', platforms.join(','), ...allowImages.flatMap((i) => ['-allow-image', i]), ...paths];
  const r = spawnSync(checker, args, { encoding: 'utf-8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const variants = generatedVariants();

(goMissing.length ? describe.skip : describe)('BuildKit frontend: parse, lint and convert to LLB', () => {
  test.each(variants.map((v) => [v.name, v] as const))('%s: zero errors and zero lint findings', (_name, v) => {
    // A named context (cargo-target-import, which CI passes to the seed stage) is read as an image is: allowed like one.
    const r = check(v.dockerfiles, v.platforms, [...v.baseImages, ...v.namedContexts]);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  test('planted faults are caught: an undeclared TARGETPLATFORM and a COPY --from of an unknown stage', () => {
    const perTarget = variants.find((v) => v.name.startsWith('per-target-platform'))!;
    const [ptPath, ptGood] = Object.entries(perTarget.dockerfiles)[0];
    const noArg = ptGood.replace(/^(FROM rust-builder AS cook\n)ARG TARGETPLATFORM\n/m, '$1');
    expect(noArg).not.toBe(ptGood);
    const r1 = check({ [ptPath]: noArg }, perTarget.platforms, perTarget.baseImages);
    expect(r1.status).toBe(1);
    expect(r1.out).toContain('uses $TARGETPLATFORM without ARG TARGETPLATFORM');

    const example = variants[0];
    const [path, good] = Object.entries(example.dockerfiles)[0];
    const unknown = good.replace('COPY --from=binaries --chmod=0755', 'COPY --from=bianries --chmod=0755');
    expect(unknown).not.toBe(good);
    const r2 = check({ [path]: unknown }, example.platforms, example.baseImages);
    expect(r2.status).toBe(1);
    expect(r2.out).toContain('bianries');

    const lint = good.replace('ENTRYPOINT ["/usr/local/bin/hello-service"]', 'ENTRYPOINT /usr/local/bin/hello-service');
    const r3 = check({ [path]: lint }, example.platforms, example.baseImages);
    expect(r3.out).toContain('JSONArgsRecommended');
  });
});
