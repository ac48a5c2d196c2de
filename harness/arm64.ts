/**
 * Emulated arm64 on this amd64 machine, for the benchmarks that need it
 * (scripts/bench-arm64-builder.ts): qemu-aarch64 registered with binfmt_misc
 * for as short as possible, the arm64 stand-in of the builder base
 * (harness/buildkit/make-arm64-standins.sh), and a BuildKit daemon whose
 * worker platform is linux/arm64, so $BUILDPLATFORM is linux/arm64 and every
 * RUN step runs under QEMU, as on an arm64 host.
 *
 * The generated builds never need any of this: the real-build suite runs
 * without binfmt, so a RUN on the target platform fails there.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { BuildkitDaemon, OciLayout, STAGED_ZIGS, standIns, StandIns } from './buildkit';
import { onCleanup, tempDir } from './temp';
import { TOOLS_BIN, toolEnv } from './tools';
import { Defaults } from '../src';

const BINFMT = '/proc/sys/fs/binfmt_misc';
const QEMU_CONF = '/usr/lib/binfmt.d/qemu-aarch64.conf';
const ENTRY = join(BINFMT, 'qemu-aarch64');

/** Why emulated arm64 cannot run here, or undefined. */
export function arm64Unavailable(): string | undefined {
  const daemon = BuildkitDaemon.unavailable();
  if (daemon) return daemon;
  if (spawnSync('qemu-aarch64-static', ['--version'], { stdio: 'ignore' }).status !== 0) return 'qemu-aarch64-static is not installed (apt-get install qemu-user-static)';
  if (!existsSync(QEMU_CONF)) return `${QEMU_CONF} is missing (apt-get install qemu-user-static)`;
  return undefined;
}

/** Whether qemu-aarch64 is registered with binfmt_misc now. */
export function binfmtRegistered(): boolean {
  return existsSync(ENTRY);
}

/**
 * Registers Debian's qemu-aarch64 entry (flag F: the interpreter is opened
 * now, so it works inside containers and chroots) and returns the undo, which
 * is also registered with `onCleanup`, so a failure unregisters it too. An
 * entry that was there before is left as it was.
 */
export function registerQemuAarch64(): () => void {
  if (!existsSync(join(BINFMT, 'register'))) execFileSync('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT]);
  if (binfmtRegistered()) return () => undefined;
  const line = readFileSync(QEMU_CONF, 'utf-8').split('\n').find((l) => l.startsWith(':'));
  if (!line) throw new Error(`${QEMU_CONF} has no binfmt entry`);
  if (!/:[A-Z]*F[A-Z]*$/.test(line.trim())) throw new Error(`${QEMU_CONF} lacks the F flag: ${line}`);
  writeFileSync(join(BINFMT, 'register'), line.trim());
  let done = false;
  const undo = () => {
    if (done) return;
    done = true;
    if (binfmtRegistered()) writeFileSync(ENTRY, '-1');
  };
  onCleanup(undo);
  return undo;
}

/** Runs `f` with qemu-aarch64 registered, and unregisters it afterwards, also on failure. */
export async function withQemuAarch64<T>(f: () => Promise<T> | T): Promise<T> {
  const undo = registerQemuAarch64();
  try {
    return await f();
  } finally {
    undo();
  }
}

/** The builder-base stand-ins for emulated builds. */
export interface Arm64StandIns {
  /** The amd64 stand-ins (make-standins.sh). */
  readonly amd64: StandIns;
  /** `rust:<version>-alpine<release>` for linux/arm64 only (also the naive baseline's `rust:<version>`). */
  readonly builderArm64: OciLayout;
  /** `rust:<version>-alpine<release>` for linux/amd64 and linux/arm64. */
  readonly builderMulti: OciLayout;
}

/**
 * Builds (or reuses) the arm64 stand-ins. The first build runs debootstrap's
 * second stage under QEMU, so qemu-aarch64 is registered while it runs.
 */
export async function arm64StandIns(rustVersion: string = Defaults.RUST_VERSION): Promise<Arm64StandIns> {
  const amd64 = standIns(rustVersion);
  const out = join(TOOLS_BIN, '..', 'standins', `${rustVersion}-arm64`);
  await withQemuAarch64(() => {
    execFileSync('bash', [join(__dirname, 'buildkit', 'make-arm64-standins.sh'), out, rustVersion, STAGED_ZIGS.join(' '), amd64.builder.dir], { stdio: 'inherit', env: toolEnv() });
  });
  const layout = (name: string): OciLayout => ({ dir: join(out, name), digest: readFileSync(join(out, `${name}.digest`), 'utf-8').trim() });
  return { amd64, builderArm64: layout('builder-arm64'), builderMulti: layout('builder-multi') };
}

/**
 * A buildkitd of our own whose OCI worker reports `platform` (e.g.
 * linux/arm64) as its only platform: $BUILDPLATFORM is then that platform,
 * and with qemu registered every RUN step runs emulated, as on a host of that
 * architecture. Builds go through `BuildkitDaemon.build`.
 */
export class PlatformBuildkitDaemon extends BuildkitDaemon {
  constructor(public readonly platform: string, root = tempDir('prd-buildkitd-arm64-')) {
    super(root);
  }

  protected workerArgs(): string[] {
    return ['--oci-worker-platform', this.platform];
  }

  protected workerProblem(workers: string): string | undefined {
    const platforms = /Platforms:\s*(.*)/.exec(workers)?.[1] ?? '';
    return platforms.startsWith(this.platform) ? undefined : `buildkitd reports the worker platforms "${platforms}", not ${this.platform}`;
  }
}

/** The digest of the single index in an OCI layout folder. */
export function layoutDigest(dir: string): string {
  return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf-8')).manifests[0].digest;
}

/** Unpacks an OCI archive (a `type=oci` output) into a layout folder. */
export function archiveToLayout(archive: string): OciLayout {
  const dir = tempDir('prd-layout-');
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  return { dir, digest: layoutDigest(dir) };
}
