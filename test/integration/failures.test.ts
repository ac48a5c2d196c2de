/**
 * Builds that fail on purpose, each ending with a message that names its
 * cause: a compile error ends the build step with cargo's own error (the
 * step stops there: no later check speaks after it); a platform whose target
 * was not compiled stops at its binaries stage naming the path it lacks; a
 * dynamic binary stops the build step naming the target, the path and the
 * libraries it needs.
 */
import { join } from 'path';
import { BuildkitDaemon, BuildResult, StandIns, standIns, stepsNamed, SUITE_ROOT } from '../../harness/buildkit';
import { edit, imageRequest, synthProject } from '../../harness/image-project';
import { EXAMPLE_OPTIONS, exampleSources } from '../../harness/projects';
import { skipNotice } from '../../harness/temp';

jest.setTimeout(30 * 60 * 1000);

const why = BuildkitDaemon.unavailable();
if (why && process.env.CI) throw new Error(`CI is set, but the real-build suite cannot run: ${why}`);
if (why) skipNotice(`failing builds: ${why}`);

/** The output lines of the step that failed, as BuildKit printed them. */
function failedStepOutput(r: BuildResult): string[] {
  const failed = /^#(\d+) ERROR: /m.exec(r.log);
  if (!failed) throw new Error(`no step failed:\n${r.log.slice(-3000)}`);
  const step = r.steps.find((s) => r.log.includes(`#${failed[1]} ${s.name}`));
  return step?.output.filter((l) => l.trim()) ?? [];
}

(why ? describe.skip : describe)('failures that name their cause', () => {
  const daemon = new BuildkitDaemon(SUITE_ROOT);
  let bases: StandIns;

  beforeAll(async () => {
    bases = standIns();
    await daemon.start();
  });

  test('a compile error: the build step ends with cargo\'s error, and nothing runs after it', () => {
    const p = synthProject(exampleSources(), EXAMPLE_OPTIONS);
    edit(join(p.dir, 'src/main.rs'), (t) => `${t}\nfn broken() -> u32 { "not a number" }\n`);
    const r = daemon.build(imageRequest(p, bases));
    expect(r.ok).toBe(false);
    const out = failedStepOutput(r);
    expect(out.slice(-3).join('\n')).toMatch(/error: could not compile `hello-service`/);
    expect(out.join('\n')).toMatch(/error\[E0308\]: mismatched types/);
    // The check after the compile never ran: no message of it misleads (the script's text is in BuildKit's error line, not its output).
    expect(out.filter((l) => /no ELF binary|is not static/.test(l))).toEqual([]);
  });

  test('a platform whose target was not compiled: its binaries stage names the path it lacks', () => {
    const p = synthProject(exampleSources(), EXAMPLE_OPTIONS);
    // Built for linux/arm64, with the targets narrowed to amd64's (a local build's argument, misused).
    const r = daemon.build(imageRequest(p, bases, { platforms: ['linux/arm64'], buildArgs: { RUST_TARGETS: 'x86_64-unknown-linux-musl' } }));
    expect(r.ok).toBe(false);
    expect(stepsNamed(r, /binaries-arm64 \d+\/\d+\] COPY/).length).toBe(1);
    expect(r.log).toMatch(/\/app\/target\/aarch64-unknown-linux-musl\/release\/hello-service.*not found/);
  });

  test('a dynamic binary: the build step names the target, the path and the libraries it needs', () => {
    // A musl binary linked dynamically (crt-static off, std as a shared library): the runtime base has neither loader nor libraries.
    const p = synthProject(exampleSources(), { ...EXAMPLE_OPTIONS, builder: { env: { RUSTFLAGS: '-C prefer-dynamic -C target-feature=-crt-static' } } });
    const r = daemon.build(imageRequest(p, bases, { platforms: ['linux/amd64'], buildArgs: { RUST_TARGETS: 'x86_64-unknown-linux-musl' } }));
    expect(r.ok).toBe(false);
    const out = failedStepOutput(r);
    expect(out[out.length - 1]).toMatch(/^error: x86_64-unknown-linux-musl: target\/x86_64-unknown-linux-musl\/release\/hello-service is not static, it needs: libstd-\S+\.so libc\.so/);
  });
});
