/**
 * linux/arm/v7 and linux/riscv64: the generated cook and build commands,
 * run unchanged on this machine, compile the example and C-dependency
 * workspaces for armv7-unknown-linux-musleabihf and
 * riscv64gc-unknown-linux-musl, and the binaries run under qemu-user.
 *
 * This machine's rustup publishes no rust-std for those two targets
 * (`available = false` in its channel manifests), so the suite builds std
 * from source in its place: RUSTC_BOOTSTRAP=1 with CARGO_UNSTABLE_BUILD_STD
 * (Cargo's -Zbuild-std) and the rust-src component, and
 * `-C link-self-contained=no`, because the self-contained C runtime objects
 * also ship in rust-std (zig supplies musl's instead). A Docker build where
 * rustup serves the components (the official images) needs none of this:
 * `rustup target add` installs them. See docs/platforms.md.
 */
import { execFileSync } from 'child_process';
import { exampleSources, newProject, workspaceProject } from '../../harness/projects';
import { StageRunner } from '../../harness/stage-runner';
import { skipNotice } from '../../harness/temp';
import { missingTools, run, toolEnv } from '../../harness/tools';
import { fullMatrix } from '../../harness/workspace-cases';
import { Platform, RustDockerImage } from '../../src';
import { imageInternals } from '../../src/private/components/internals';
import { staticCheckLines } from '../../src/private/dockerfile/build-script';

jest.setTimeout(40 * 60 * 1000);

const missing = missingTools([['cargo', ['chef', '--version']], ['cargo-zigbuild'], ['qemu-arm-static', ['--version']], ['qemu-riscv64-static', ['--version']]]);
const rustSrc = execFileSync('rustup', ['component', 'list', '--installed'], { encoding: 'utf-8', env: toolEnv() }).includes('rust-src');
if (!rustSrc && process.env.CI) throw new Error('CI is set, but the rust-src component is not installed (run .ci/install-tools)');
const skip = missing.length > 0 || !rustSrc;
if (skip) skipNotice(`armv7/riscv64 builds: missing ${[...missing, ...(rustSrc ? [] : ['rust-src'])].join(', ')}`);
if (!skip && !fullMatrix()) skipNotice('armv7/riscv64: the example is left to the full matrix (PRD_FULL_MATRIX=1, a recorded run); ring is built here');

/** std built from source, in place of the rust-std this machine's rustup does not serve for these targets. */
const BUILD_STD = { RUSTC_BOOTSTRAP: '1', CARGO_UNSTABLE_BUILD_STD: 'std,panic_abort', RUSTFLAGS: '-C link-self-contained=no' };
const PLATFORMS = [Platform.LINUX_ARM_V7, Platform.LINUX_RISCV64];
const QEMU: Record<string, string> = { 'linux/arm/v7': 'qemu-arm-static', 'linux/riscv64': 'qemu-riscv64-static' };

function buildAndRun(sources: string, binary: string, args: string[]): Record<string, string> {
  const project = newProject({}, sources);
  const image = new RustDockerImage(project, { platforms: PLATFORMS });
  const runner = new StageRunner(imageInternals(image).model, sources, BUILD_STD);
  runner.cook();
  runner.build();
  const out: Record<string, string> = {};
  for (const p of PLATFORMS) {
    const bin = runner.binary(p, binary);
    run(['set -eu', `t=${p}`, `f=${bin}`, ...staticCheckLines()].join('\n'), runner.workdir);
    out[p] = execFileSync(QEMU[p], [bin, ...args], { encoding: 'utf-8' }).trim();
  }
  return out;
}

(skip ? describe.skip : describe)('linux/arm/v7 and linux/riscv64, compiled by the generated commands and run under qemu-user', () => {
  // ring (C and assembly per architecture) proves the most; the example (pure Rust) is left to the full matrix.
  (fullMatrix() ? test : test.skip)('the example', () => {
    expect(buildAndRun(exampleSources(), 'hello-service', ['a', 'b'])).toEqual({
      'linux/arm/v7': 'hello from hello-service: 2 word(s)', 'linux/riscv64': 'hello from hello-service: 2 word(s)',
    });
  });

  test('ring, whose C and assembly differ per architecture, compiled with zig cc for both', () => {
    const out = buildAndRun(workspaceProject('c-ring').outdir, 'c-ring', []);
    for (const p of PLATFORMS) expect({ p, out: out[p] }).toEqual({ p, out: expect.stringMatching(/^c-ring sha256\(abc\)=ba7816bf/) });
  });
});
