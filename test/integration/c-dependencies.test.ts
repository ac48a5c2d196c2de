/**
 * C dependencies against the real tools:
 * 1. Cargo is the oracle: the stored graphs are what `cargo tree` resolves
 *    now, and `cargo tree --invert` confirms, crate by crate and target by
 *    target, what each decision says is (or is not) compiled.
 * 2. Every C-dependency rule is proven by a real image build: each hand-made
 *    workspace is built through its generated Dockerfile for both musl
 *    targets on a BuildKit daemon, and its binaries run. The refused OpenSSL
 *    case, forced through, fails where the refusal said it would.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { BuildkitDaemon, SUITE_ROOT, BuildResult, readOciArchive, StandIns, standIns } from '../../harness/buildkit';
import { fixtureGraphCases } from '../../harness/fixtures';
import { imageRequest, synthProject } from '../../harness/image-project';
import { skipNotice, tempDir } from '../../harness/temp';
import { missingTools, runBinary, toolEnv } from '../../harness/tools';
import { allCases, C_DEPENDENCY_CASES, WORKSPACES } from '../../harness/workspace-cases';
import { crateGraphPath, resolveSelection } from '../../src/private/config/resolve';
import { cargoEnv } from '../../src/private/deps/cargo-run';
import { resolveTargetGraph } from '../../src/private/deps/cargo-tree';
import { CrateGraph, GraphQuery, readStoredGraph } from '../../src/private/deps/crate-graph';
import { cDependencyDecisions } from '../../src/private/deps/decisions';
import { readPackageInfo } from '../../src/private/deps/package-info';
import { RULE_CRATES } from '../../src/private/deps/rules';

jest.setTimeout(90 * 60 * 1000);

const cargoMissing = missingTools([['cargo']]);
if (cargoMissing.length) skipNotice('Cargo-oracle checks: cargo is not installed');

/** Every stored graph: the hand-made cases, and the fixtures' when ../shared is here. */
const graphCases = [
  ...allCases().map((c) => ({ label: `${c.dir} ${c.options.imageName ?? ''}`.trim(), dir: c.path, options: c.options, stored: (rel: string) => join(c.path, rel) })),
  ...fixtureGraphCases(),
];

/** Whether `cargo tree --invert <crate>` finds it in the image's graph for `target` over `edges`. */
function cargoSays(dir: string, query: GraphQuery, target: string, edges: string, crate: string, version: string): boolean {
  const args = ['tree', '--locked', '-e', edges, '--target', target, ...query.packages.flatMap((p) => ['-p', p]), '--invert', `${crate}@${version}`];
  if (query.features.length) args.push('--features', query.features.join(','));
  if (query.noDefaultFeatures) args.push('--no-default-features');
  // Filtered out of the graph, the crate prints nothing (or "did not match"), even with status 0.
  const r = spawnSync('cargo', args, { cwd: dir, encoding: 'utf-8', env: toolEnv() });
  return r.status === 0 && r.stdout.trim() !== '';
}

(cargoMissing.length ? describe.skip : describe)('Cargo is the oracle', () => {
  test.each(graphCases.map((c) => [c.label, c] as const))('%s: the stored graph is what Cargo resolves now, and each decision is confirmed', (_label, c) => {
    const selection = resolveSelection(c.options, c.dir);
    const stored = readStoredGraph(c.stored(crateGraphPath(c.options, selection)));
    const watchedInLock = (selection.ws.lockfile?.packages ?? []).filter((p) => RULE_CRATES.includes(p.name));
    if (!stored) {
      expect(watchedInLock).toEqual([]);
      return;
    }
    const env = cargoEnv();
    const info = readPackageInfo(selection.ws.root, env);
    const fresh: CrateGraph['targets'] = {};
    for (const t of selection.query.targets) fresh[t] = resolveTargetGraph(selection.ws.root, selection.query, t, info, env);
    const norm = (g: CrateGraph['targets']) => JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(g).map(([t, v]) => [t, {
      target: [...v.target].map((x) => `${x.crate}@${x.version}[${[...x.features].sort()}]`).sort(),
      hostOnly: [...v.hostOnly].map((x) => `${x.crate}@${x.version}`).sort(),
    }]))));
    expect(norm(stored!.targets)).toEqual(norm(fresh));
    // Independently of the stored graph: cargo tree --invert for every crate of the lock a rule names, per target.
    const decisions = cDependencyDecisions(stored);
    for (const t of selection.query.targets) {
      for (const p of watchedInLock) {
        const forTarget = cargoSays(selection.ws.root, selection.query, t, 'normal,no-proc-macro', p.name, p.version);
        const anywhere = cargoSays(selection.ws.root, selection.query, t, 'normal,build', p.name, p.version);
        const decided = decisions.filter((d) => d.crate === p.name && d.versions.includes(p.version));
        // A crate Cargo does not compile for this target gets no decision for it: no refusal, no package.
        const forThisTarget = decided.filter((d) => d.hostOnly || d.targets.includes(t)).length;
        if (!anywhere) expect({ crate: p.name, target: t, decided: forThisTarget }).toEqual({ crate: p.name, target: t, decided: 0 });
        // Target-side decisions name exactly the targets Cargo compiles the crate for.
        for (const d of decided.filter((x) => !x.hostOnly)) {
          expect({ crate: p.name, target: t, compiled: d.targets.includes(t) }).toEqual({ crate: p.name, target: t, compiled: forTarget });
        }
      }
    }
  });
});

const why = BuildkitDaemon.unavailable();
if (why && process.env.CI) throw new Error(`CI is set, but the real-build suite cannot run: ${why}`);
if (why) skipNotice(`C-dependency image builds: ${why}`);

/** What each workspace's binary prints. */
const OUTPUT: Record<string, RegExp> = {
  'c-ring': /^c-ring sha256\(abc\)=ba7816bf/,
  'c-aws-lc-rs': /^c-aws-lc-rs sha256\(abc\)=ba7816bf/,
  'c-openssl-vendored': /^c-openssl-vendored OpenSSL 3\..* sha256\(abc\)=ba7816bf/,
  'c-zstd': /^c-zstd 23 -> \d+ bytes$/,
  'c-sqlite-bundled': /^c-sqlite-bundled sqlite 3\.\d+\.\d+$/,
  'c-prost-build': /^c-prost-build encoded 6 bytes$/,
  'c-bindgen': /^c-bindgen norm2=25 scale=10$/,
  'c-jemalloc': /^c-jemalloc sum=49995000$/,
  'c-mimalloc': /^c-mimalloc sum=49995000$/,
  'c-libz': /^c-libz zlib 1\.\d+/,
};

(why ? describe.skip : describe)('every C-dependency rule, proven by a real image build for both musl targets', () => {
  const daemon = new BuildkitDaemon(SUITE_ROOT);
  let bases: StandIns;
  beforeAll(async () => {
    bases = standIns();
    await daemon.start();
  });

  test.each(C_DEPENDENCY_CASES.map((c) => c.dir))('%s', (dir) => {
    const p = synthProject(join(WORKSPACES, dir), {});
    const archive = join(tempDir('prd-cdep-'), 'image.tar');
    const r: BuildResult = daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` }));
    console.log(`${dir}: ${r.ok ? 'built' : 'FAILED'} in ${r.ms} ms (builder packages: ${p.image.builderPackages.join(' ') || '-'})`);
    if (!r.ok) throw new Error(`build of ${dir} failed:\n${r.log.slice(-6000)}`);
    for (const img of readOciArchive(archive)) {
      const out = runBinary(img.platform, join(img.rootfs, 'usr/local/bin', dir), []).trim();
      expect({ platform: img.platform, out }).toEqual({ platform: img.platform, out: expect.stringMatching(OUTPUT[dir]) });
    }
  });

  test('the refused case is refused for a reason: forced through, the system OpenSSL fails the cook', () => {
    const p = synthProject(join(WORKSPACES, 'g-openssl-feature'), { builder: { ignoreCrates: ['openssl-sys'] } });
    const r = daemon.build(imageRequest(p, bases));
    expect(r.ok).toBe(false);
    expect(r.log).toMatch(/openssl-sys.*(Could not find directory of OpenSSL installation|pkg-config)/s);
  });
});
