/**
 * Which zig the builder may pin: ring (C and assembly, archived with zig's
 * ar) built with the pinned cargo-zigbuild for both musl targets, with each
 * zig release. zig 0.16 broke ar for ring with cargo-zigbuild before 0.23
 * (cargo-zigbuild #433).
 */
import { existsSync } from 'fs';
import { join } from 'path';
import { workspaceProject } from '../../harness/projects';
import { skipNotice } from '../../harness/temp';
import { installedTargets, missingTools, pinnedVersion, run, runBinary, TOOLS_BIN } from '../../harness/tools';
import { fullMatrix } from '../../harness/workspace-cases';

jest.setTimeout(20 * 60 * 1000);

/** The pinned zig (the builder's), then the newer releases, which only the full matrix builds with. */
const ALL_ZIGS: Array<[string, string]> = [
  [pinnedVersion('ZIGLANG_VERSION'), join(TOOLS_BIN, 'zig')],
  ...pinnedVersion('OTHER_ZIG_VERSIONS').split(' ').map((v): [string, string] => [v, join(TOOLS_BIN, '..', 'zig', v, 'zig')]),
];
const ZIGS = fullMatrix() ? ALL_ZIGS : ALL_ZIGS.slice(0, 1);
if (!fullMatrix()) skipNotice(`zig ${ALL_ZIGS.slice(1).map(([v]) => v).join(' and ')}: left to the full matrix (PRD_FULL_MATRIX=1, a recorded run); this run builds with the pinned ${ALL_ZIGS[0][0]}`);
const missing = [
  ...missingTools([['cargo-zigbuild'], ['qemu-aarch64-static']]),
  ...ZIGS.filter(([, path]) => !existsSync(path)).map(([v]) => `zig ${v}`),
  ...['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'].filter((t) => !installedTargets().includes(t)),
];
if (missing.length && process.env.CI) throw new Error(`CI is set, but these are missing: ${missing.join(', ')}`);
if (missing.length) skipNotice(`zig-version checks: missing ${missing.join(', ')} (run .ci/install-tools)`);

(missing.length ? describe.skip : describe)('ring with cargo-zigbuild and each zig', () => {
  test.each(ZIGS)('zig %s builds ring for both musl targets, and the binaries run', (_version, zig) => {
    const dir = workspaceProject('c-ring').outdir;
    const cache = join(dir, 'zig-cache');
    run('cargo zigbuild --locked --release --target x86_64-unknown-linux-musl --target aarch64-unknown-linux-musl', dir, {
      CARGO_ZIGBUILD_ZIG_PATH: zig, ZIG_GLOBAL_CACHE_DIR: cache, ZIG_LOCAL_CACHE_DIR: cache,
    });
    for (const [platform, triple] of [['linux/amd64', 'x86_64-unknown-linux-musl'], ['linux/arm64', 'aarch64-unknown-linux-musl']]) {
      const out = runBinary(platform, join(dir, 'target', triple, 'release', 'c-ring'), []);
      expect(out.trim()).toBe('c-ring sha256(abc)=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    }
  });
});
