/**
 * C dependencies against the real tools:
 * 1. Cargo is the oracle: the stored graphs are what `cargo tree` resolves
 *    now, and `cargo tree --invert` confirms, crate by crate and target by
 *    target, what each decision says is (or is not) compiled.
 * 2. Every C-dependency rule is proven by a real image build: each hand-made
 *    workspace is built through its generated Dockerfile for both musl
 *    targets on a BuildKit daemon, and its binaries run. The refused OpenSSL
 *    case, forced through, fails where the refusal said it would.
 * 3. The kitchen: one binary over many rule crates and both unruled native
 *    classes (bundled, links-only), built with one cook, its git-metadata
 *    crates reading the build context's own commit. And a crate that only
 *    probes for a system library: refused, refused for a reason (forced
 *    through, its build script fails), and built with the fix the refusal names.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { BuildkitDaemon, SUITE_ROOT, BuildResult, expectOk, readOciArchive, StandIns, standIns, stepsNamed } from '../../harness/buildkit';
import { fixtureGraphCases } from '../../harness/fixtures';
import { ImageProject, imageRequest, synthProject } from '../../harness/image-project';
import { skipNotice, tempDir } from '../../harness/temp';
import { missingTools, run, runBinary, toolEnv } from '../../harness/tools';
import { allCases, C_DEPENDENCY_CASES, cDependencyCasesToBuild, KITCHEN_CASE, PROBE_CASES, PROVEN_ELSEWHERE, WORKSPACES } from '../../harness/workspace-cases';
import { RustDockerImageOptions } from '../../src';
import { crateGraphPath, resolveSelection } from '../../src/private/config/resolve';
import { cargoEnv } from '../../src/private/deps/cargo-run';
import { resolveTargetGraph } from '../../src/private/deps/cargo-tree';
import { CrateGraph, GraphQuery, readStoredGraph } from '../../src/private/deps/crate-graph';
import { cDependencyDecisions } from '../../src/private/deps/decisions';
import { readPackageInfo } from '../../src/private/deps/package-info';
import { RULE_CRATES } from '../../src/private/deps/rules';
import { RustDockerConfigError } from '../../src/private/errors';

jest.setTimeout(90 * 60 * 1000);

const cargoMissing = missingTools([['cargo']]);
if (cargoMissing.length) skipNotice('Cargo-oracle checks: cargo is not installed');

/** Every stored graph: the hand-made cases, and the fixtures' when ../shared is here. */
const graphCases = [
  ...allCases().map((c) => ({ label: `${c.dir} ${c.options.imageName ?? ''}`.trim(), dir: c.path, options: c.options, stored: (rel: string) => join(c.path, rel) })),
  ...fixtureGraphCases(),
];

/**
 * The feature lists of every compiled copy of a crate, from `cargo tree --invert`'s roots over `edges`:
 * Cargo prints one root per copy (a copy for the build platform and one for the target are two).
 */
function copiesCargoPrints(dir: string, query: GraphQuery, target: string, edges: string, crate: string, version: string): string[] {
  const args = ['tree', '--locked', '-e', edges, '--target', target, ...query.packages.flatMap((p) => ['-p', p]), '--invert', `${crate}@${version}`, '--format', '{p}|{f}'];
  if (query.features.length) args.push('--features', query.features.join(','));
  if (query.noDefaultFeatures) args.push('--no-default-features');
  const r = spawnSync('cargo', args, { cwd: dir, encoding: 'utf-8', env: toolEnv() });
  if (r.status !== 0) return [];
  return r.stdout.split('\n').filter((l) => l.startsWith(`${crate} v${version}`)).map((l) => l.split('|')[1].replace(/ \(\*\)$/, '').split(',').filter(Boolean).sort().join(','));
}

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
    const stored = readStoredGraph(c.stored(crateGraphPath(c.options, selection))).graph;
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
      host: [...v.host].map((x) => `${x.crate}@${x.version}[${[...x.features].sort()}]`).sort(),
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
        // Each side's copies, with their features, as Cargo prints them: the target's over normal edges without proc
        // macros, and the build platform's are the rest of all copies.
        const storedCopies = (list: 'target' | 'host') => stored.targets[t][list]
          .filter((x) => x.crate === p.name && x.version === p.version).map((x) => [...x.features].sort().join(',')).sort();
        const targetCopies = copiesCargoPrints(selection.ws.root, selection.query, t, 'normal,no-proc-macro', p.name, p.version).sort();
        const hostCopies = copiesCargoPrints(selection.ws.root, selection.query, t, 'normal,build', p.name, p.version);
        for (const copy of targetCopies) {
          const i = hostCopies.indexOf(copy);
          // Cargo lists every copy for the target among all copies; the rest are the build platform's.
          if (i >= 0) hostCopies.splice(i, 1);
        }
        const facts = info.get(`${p.name}@${p.version}`);
        if (facts?.buildScript || facts?.links || facts?.procMacro) {
          expect({ crate: p.name, target: t, target_: storedCopies('target'), host: storedCopies('host') })
            .toEqual({ crate: p.name, target: t, target_: targetCopies, host: hostCopies.sort() });
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

  const skipped = C_DEPENDENCY_CASES.filter((c) => !cDependencyCasesToBuild().includes(c));
  if (skipped.length) {
    skipNotice(`C-dependency cases left to the full matrix (PRD_FULL_MATRIX=1), each proven by another build here: ${skipped.map((c) => `${c.dir} (${PROVEN_ELSEWHERE[c.dir]})`).join('; ')}`);
  }

  test.each(cDependencyCasesToBuild().map((c) => c.dir))('%s', (dir) => {
    const p = synthProject(join(WORKSPACES, dir), {});
    const archive = join(tempDir('prd-cdep-'), 'image.tar');
    const r: BuildResult = daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` }));
    console.log(`${dir}: ${r.ok ? 'built' : 'FAILED'} in ${r.ms} ms (builder packages: ${p.image.builderPackages.join(' ') || '-'})`);
    expectOk(r, `the build of ${dir}`);
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

  /** Builds a synthesized project for both platforms and returns what each platform's binary prints. */
  function buildAndRun(p: ImageProject, label: string, binary: string): Record<string, string> {
    const archive = join(tempDir('prd-cdep-'), 'image.tar');
    const r: BuildResult = daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` }));
    const cook = stepsNamed(r, /cargo chef cook/)[0];
    console.log(`${label}: ${r.ok ? 'built' : 'FAILED'} in ${r.ms} ms, cook ${cook?.seconds ?? '?'} s (builder packages: ${p.image.builderPackages.join(' ') || '-'})`);
    expectOk(r, `the build of ${label}`);
    return Object.fromEntries(readOciArchive(archive).map((img) => [img.platform, runBinary(img.platform, join(img.rootfs, 'usr/local/bin', binary), [])]));
  }

  test('c-kitchen: every rule crate in it, and a bundled and a links-only crate no rule knows, built in one cook; the git crates read the context\'s commit', () => {
    const p = synthProject(join(WORKSPACES, KITCHEN_CASE.dir), KITCHEN_CASE.options);
    // The git-metadata crates keep .git in the context; they must find this commit in it.
    expect(p.files['.dockerignore'].split('\n')).not.toContain('.git');
    run('git init -q -b main && git add -A && git -c user.name=kitchen -c user.email=kitchen@example.com commit -q -m kitchen', p.dir);
    const sha = run('git rev-parse HEAD', p.dir).out.trim();
    const expected = kitchenLines(sha);
    const outputs = buildAndRun(p, 'c-kitchen', 'c-kitchen');
    expect(Object.keys(outputs).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    for (const [platform, out] of Object.entries(outputs)) {
      const lines = out.trim().split('\n');
      expect({ platform, lines }).toEqual({ platform, lines: expected.map((e) => expect.stringMatching(e)) });
    }
  });

  const [probe, probeFixed] = PROBE_CASES;

  test('n-probe: a crate that only probes for a system library is refused, naming the crate and the fix', () => {
    const refusal = (() => {
      try {
        synthProject(join(WORKSPACES, probe.dir), probe.options);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(RustDockerConfigError);
    expect((refusal as Error).message).toMatch(/libdbus-sys 0\.2\.\d+ is compiled for aarch64-unknown-linux-musl, x86_64-unknown-linux-musl: libdbus-sys looks for a system library with pkg-config and builds none of its own.*Fix: enable a feature of libdbus-sys, or of the crate that pulls it in, that builds the library from source \(often "vendored"/s);
  });

  test('n-probe is refused for a reason: forced through, its build script finds no dbus-1 and fails the cook', () => {
    const p = synthProject(join(WORKSPACES, probe.dir), { ...probe.options, builder: { ignoreCrates: ['libdbus-sys'] } });
    const r = daemon.build(imageRequest(p, bases));
    expect(r.ok).toBe(false);
    expect(r.log).toMatch(/libdbus-sys.*pkg_config failed.*dbus-1/s);
  });

  test('n-probe with the fix (features: ["vendored"]): libdbus compiles with zig cc for both targets and runs', () => {
    const options: RustDockerImageOptions = probeFixed.options;
    const p = synthProject(join(WORKSPACES, probeFixed.dir), options);
    const outputs = buildAndRun(p, 'n-probe vendored', 'n-probe');
    expect(Object.keys(outputs).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    for (const [platform, out] of Object.entries(outputs)) {
      expect({ platform, out: out.trim() }).toEqual({ platform, out: expect.stringMatching(/^n-probe libdbus 1\.\d+\.\d+ method call Ping$/) });
    }
  });
});

/** What c-kitchen prints, line by line, for a build of commit `sha` on branch main. */
function kitchenLines(sha: string): RegExp[] {
  return [
    /^c-kitchen bzip2-sys libbzip2 1\.0\.\d+ round trip 63 bytes$/,
    /^c-kitchen lzma-sys liblzma 5\.\d+\.\d+ round trip 63 bytes$/,
    /^c-kitchen pq-sys libpq 1\d{5} with OpenSSL 3\.\d+\.\d+$/,
    /^c-kitchen build-platform openssl-sys OpenSSL 3\.\d+\.\d+$/,
    /^c-kitchen tonic-build Order encoded 8 bytes$/,
    /^c-kitchen prost-build Shelf encoded 14 bytes$/,
    /^c-kitchen onig_sys oniguruma 6\.\d+\.\d+ matched chef@kitchen$/,
    /^c-kitchen wasm-bindgen-shared schema 0\.2\.\d+$/,
    new RegExp(`^c-kitchen git-version ${sha}$`),
    new RegExp(`^c-kitchen shadow-rs ${sha} on main$`),
    new RegExp(`^c-kitchen vergen-git2 ${sha}$`),
    new RegExp(`^c-kitchen built ${sha}$`),
    /^c-kitchen vergen-gitcl kitchen$/,
    /^c-kitchen vergen gitcl main with 1 commit\(s\)$/,
  ];
}
