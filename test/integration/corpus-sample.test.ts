/**
 * The CI sample of the corpus of published binaries (harness/corpus.ts):
 * two small crates from the crates registry, downloaded at test time, adopted
 * with `new RustDockerImage(project, {})` and no options, built for
 * linux/amd64 + linux/arm64 on a real BuildKit daemon (base images stood in),
 * and each platform's binary runs and prints its version. The whole corpus is
 * `scripts/corpus.ts` (hours); its results are in docs/corpus.json.
 */
import { BuildkitDaemon, SUITE_ROOT, StandIns, standIns } from '../../harness/buildkit';
import { CI_SAMPLE, CORPUS, runCorpusCrate } from '../../harness/corpus';
import { skipNotice } from '../../harness/temp';
import { toolEnv } from '../../harness/tools';

jest.setTimeout(30 * 60 * 1000);

const why = BuildkitDaemon.unavailable();
if (why && process.env.CI) throw new Error(`CI is set, but the corpus sample cannot run: ${why}`);
if (why) skipNotice(`corpus sample builds: ${why}`);
const suite = why ? describe.skip : describe;

/** One daemon for the file, on the suite's shared root: the builder stage's layers are shared with the other real-build files. */
const daemon = new BuildkitDaemon(SUITE_ROOT);
let bases: StandIns;
if (!why) {
  beforeAll(async () => {
    // The synth asks Cargo (cargo tree) which C dependencies the image compiles.
    process.env.PATH = toolEnv().PATH;
    bases = standIns();
    await daemon.start();
  });
}

suite('published binaries with zero configuration (the CI sample of the corpus)', () => {
  test.each(CORPUS.filter((c) => CI_SAMPLE.includes(c.name)).map((c) => [`${c.name} ${c.version}`, c] as const))(
    '%s builds for linux/amd64 and linux/arm64, and both binaries print their version',
    (_label, c) => {
      const r = runCorpusCrate(c, { daemon, bases, say: (l) => console.log(l) });
      console.log(`${c.name} ${c.version}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}, cold build ${r.coldBuildSeconds} s`);
      if (r.outcome !== 'built-and-ran') throw new Error(`${c.name}: ${r.outcome} (${r.reason}):\n${(r.errorLines ?? [r.message]).join('\n')}`);
      expect(r.options).toEqual({});
      expect(r.smoke.map((s) => s.platform)).toEqual(['linux/amd64', 'linux/arm64']);
      for (const s of r.smoke) {
        expect({ platform: s.platform, ok: s.ok, version: s.output.includes(c.version) }).toEqual({ platform: s.platform, ok: true, version: true });
      }
    },
  );
});
