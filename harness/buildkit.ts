/**
 * Real image builds on a BuildKit daemon the test starts itself (own root
 * and socket, stopped by its PID), with the base images stood in through
 * named build contexts (see test/buildkit/make-standins.sh for what stands
 * in for what). The generated Dockerfiles are built unchanged.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { onCleanup, tempDir } from './temp';
import { pinnedVersion, TOOLS_BIN, toolEnv } from './tools';
import { Defaults } from '../src';

/** The zig releases the builder stand-in stages for its apk shim: the pinned one, and the next (for a builder.zigPackage of it). */
export const STAGED_ZIGS = [pinnedVersion('ZIGLANG_VERSION'), pinnedVersion('OTHER_ZIG_VERSIONS').split(' ')[0]];

/** An OCI image layout on disk and the digest of its index. */
export interface OciLayout {
  readonly dir: string;
  readonly digest: string;
}

/**
 * Whether the suite builds on the real base images (PRD_REAL_BASES=1), pulled
 * by the daemon: on a machine that reaches Docker Hub and gcr.io, such as a
 * GitHub-hosted runner (.github/workflows/real-builds.yml). Stand-ins are only
 * for machines with no registry.
 */
export function realBases(): boolean {
  return process.env.PRD_REAL_BASES === '1';
}

/** The stand-ins of the builder base and the runtime bases (with real bases, none: the daemon pulls the images). */
export interface StandIns {
  /** The real base images are pulled; the layouts below are not used. */
  readonly real?: boolean;
  readonly builder: OciLayout;
  /** distroless static. */
  readonly runtime: OciLayout;
  /** distroless cc (glibc). */
  readonly runtimeGlibc: OciLayout;
}

/** Builds (or reuses) the base-image stand-ins for Rust `rustVersion`; with real bases, builds nothing. */
export function standIns(rustVersion: string = Defaults.RUST_VERSION): StandIns {
  if (realBases()) {
    const none: OciLayout = { dir: '', digest: '' };
    return { real: true, builder: none, runtime: none, runtimeGlibc: none };
  }
  const out = join(TOOLS_BIN, '..', 'standins', rustVersion);
  execFileSync('bash', [join(__dirname, 'buildkit', 'make-standins.sh'), out, rustVersion, STAGED_ZIGS.join(' ')], { stdio: 'inherit', env: toolEnv() });
  const layout = (name: string): OciLayout => ({ dir: join(out, name), digest: readFileSync(join(out, `${name}.digest`), 'utf-8').trim() });
  return { builder: layout('builder'), runtime: layout('runtime'), runtimeGlibc: layout('runtime-glibc') };
}

/** One step of a build, as BuildKit's plain progress reports it. */
export interface BuildStep {
  readonly name: string;
  readonly cached: boolean;
  readonly seconds?: number;
  /** The step's own output lines. */
  readonly output: string[];
}

/** What a build did. */
export interface BuildResult {
  readonly ok: boolean;
  readonly log: string;
  readonly ms: number;
  readonly steps: BuildStep[];
}

/**
 * A failed build's log for a test's message: its error lines first (a
 * shortened report keeps the head), then the log's last `tail` characters.
 */
export function failureOf(log: string, tail = 3000): string {
  const errors = log.split('\n').filter((l) => /\bERROR\b|^error(\[E\d+\])?:|failed to solve|no space left/i.test(l)).slice(0, 20);
  return `${errors.length ? `${errors.join('\n')}\n…\n` : ''}${log.slice(-tail)}`;
}

/** The build's result; throws, naming `what`, with the build's error lines and the end of its log, unless it succeeded. */
export function expectOk(r: BuildResult, what = 'the build'): BuildResult {
  if (!r.ok) throw new Error(`${what} failed:\n${failureOf(r.log, 8000)}`);
  return r;
}

/** Throws, with the command's error lines and the end of its output, unless it exited with 0. */
export function expectExitZero(r: { status: number | null; stdout: string; stderr: string }): void {
  if (r.status !== 0) throw new Error(`exited with ${r.status}:\n${failureOf(`${r.stdout}${r.stderr}`, 8000)}`);
}

/** Steps whose name matches `pattern`. */
export function stepsNamed(result: BuildResult, pattern: RegExp): BuildStep[] {
  return result.steps.filter((s) => pattern.test(s.name));
}

/** The RUN steps of a stage (`cook`, `build`), whatever platform prefix BuildKit gives them, cached or not. */
export function stageRuns(result: BuildResult, stage: string): BuildStep[] {
  return stepsNamed(result, new RegExp(`^\\[(linux/[a-z0-9/]+ )?${stage} \\d+/\\d+\\] RUN`));
}

/** The crates a step compiled (its `Compiling` lines). */
export function compiledIn(step: BuildStep): string[] {
  return step.output.filter((l) => /^\s*Compiling /.test(l)).map((l) => l.trim().split(' ')[1]);
}

/** The steps of a build's plain progress output (buildctl's or buildx's `--progress plain`). */
export function parseProgress(log: string): BuildStep[] {
  const steps = new Map<string, { name: string; cached: boolean; seconds?: number; output: string[] }>();
  for (const line of log.split('\n')) {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [, id, rest] = m;
    const named = /^\[([^\]]+)\] (.*)$/.exec(rest);
    if (named && !steps.has(id)) {
      steps.set(id, { name: `[${named[1]}] ${named[2]}`, cached: false, output: [] });
      continue;
    }
    const step = steps.get(id);
    if (!step) continue;
    if (rest === 'CACHED') step.cached = true;
    const done = /^DONE ([0-9.]+)s$/.exec(rest);
    if (done) step.seconds = Number(done[1]);
    const out = /^[0-9.]+ (.*)$/.exec(rest);
    if (out) step.output.push(out[1]);
  }
  return [...steps.values()];
}

/** What to build. */
export interface BuildRequest {
  /** The build context folder. */
  readonly context: string;
  /** The Dockerfile, relative to the context. */
  readonly dockerfile: string;
  readonly platforms: string[];
  readonly target?: string;
  readonly buildArgs?: Record<string, string>;
  /** Image references the Dockerfile names, and the OCI layouts that stand in for them. */
  readonly images?: Record<string, OciLayout>;
  /** `--output` value, e.g. `type=oci,dest=out.tar` (none: the result stays in the cache). */
  readonly output?: string;
  /** Extra `--opt` values. */
  readonly opts?: string[];
  /** Environment of buildctl (SOURCE_DATE_EPOCH, say). */
  readonly env?: NodeJS.ProcessEnv;
  /** BuildKit secrets: id -> the file that holds the value (`--secret id=...,src=...`). */
  readonly secrets?: Record<string, string>;
}

/**
 * The daemon root the real-build suite's test files share within one run
 * (jest runs them in band), so the builder stage's layers are computed once
 * per run: `npx projen test:integration` sets PRD_BUILDKIT_ROOT to a fresh
 * folder and removes it afterwards. Run alone, a file gets its own. Fresh
 * daemons (reproducibility, benchmarks) always use their own.
 */
export const SUITE_ROOT = process.env.PRD_BUILDKIT_ROOT ?? tempDir('prd-buildkitd-');

/**
 * Whether a child process still runs. An exited child stays a zombie until node
 * reaps it, which cannot happen while this waits synchronously, so a zombie counts
 * as stopped.
 */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf-8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** A buildkitd of the test's own: its own root and socket, stopped by its PID. */
export class BuildkitDaemon {
  /** Why a daemon cannot run here, or undefined. */
  public static unavailable(): string | undefined {
    for (const tool of ['buildkitd', 'buildctl']) if (!existsSync(join(TOOLS_BIN, tool))) return `${tool} is not installed (run .ci/install-tools)`;
    if (spawnSync('runc', ['--version'], { stdio: 'ignore' }).status !== 0) return 'runc is not installed (apt-get install runc)';
    if (process.getuid?.() !== 0) return 'buildkitd with the OCI worker needs root here';
    if (!realBases() && spawnSync('debootstrap', ['--version'], { stdio: 'ignore' }).status !== 0) {
      return 'debootstrap is not installed (apt-get install debootstrap), which makes the base-image stand-ins';
    }
    return undefined;
  }

  public readonly root: string;
  public readonly address: string;
  private process?: ChildProcess;

  constructor(root = tempDir('prd-buildkitd-')) {
    this.root = root;
    this.address = `unix://${join(root, 'buildkitd.sock')}`;
  }

  public async start(): Promise<void> {
    mkdirSync(join(this.root, 'state'), { recursive: true });
    rmSync(this.address.replace('unix://', ''), { force: true }); // a socket left by a daemon that did not stop
    this.process = spawn(join(TOOLS_BIN, 'buildkitd'), [
      '--root', join(this.root, 'state'), '--addr', this.address, ...this.listenArgs(), ...this.configArgs(),
      '--oci-worker=true', '--containerd-worker=false', '--oci-worker-binary=runc', '--oci-worker-snapshotter=overlayfs', '--oci-worker-net=host',
      ...this.workerArgs(),
    ], { stdio: ['ignore', 'ignore', 'ignore'], env: toolEnv() });
    onCleanup(() => this.stop()); // before its root goes, even when a test fails first
    for (let i = 0; i < 100; i++) {
      const r = spawnSync(join(TOOLS_BIN, 'buildctl'), ['--addr', this.address, 'debug', 'workers', '--verbose'], { encoding: 'utf-8' });
      if (r.status === 0) {
        const problem = this.workerProblem(r.stdout);
        if (!problem) return;
        this.stop();
        throw new Error(problem);
      }
      await new Promise((res) => setTimeout(res, 200));
    }
    this.stop();
    throw new Error('buildkitd did not start');
  }

  /** More addresses to listen on (the socket of `address` is always one, the one the harness talks to). */
  protected listenArgs(): string[] {
    return [];
  }

  /** `--config` and its file, for a daemon with settings of its own (registries it trusts, say). */
  protected configArgs(): string[] {
    return [];
  }

  /** More buildkitd arguments, for a worker of another kind. */
  protected workerArgs(): string[] {
    return [];
  }

  /** What is wrong with the workers the daemon reports (`buildctl debug workers --verbose`), or undefined. */
  protected workerProblem(_workers: string): string | undefined {
    return undefined;
  }

  public stop(): void {
    const p = this.process;
    if (!p?.pid) return;
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 50 && running(p.pid); i++) spawnSync('sleep', ['0.2']);
    if (running(p.pid)) process.kill(p.pid, 'SIGKILL');
    this.process = undefined;
  }

  /** Removes the daemon's state (after stop). */
  public clean(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Builds with the Dockerfile frontend; never throws on a failed build. */
  public build(req: BuildRequest): BuildResult {
    const args = [
      '--addr', this.address, 'build', '--frontend', 'dockerfile.v0', '--progress', 'plain',
      '--local', `context=${req.context}`, '--local', `dockerfile=${req.context}`,
      // The syntax line would pull the frontend image: keep the built-in frontend.
      '--opt', 'cmdline=', '--opt', `filename=${req.dockerfile}`, '--opt', `platform=${req.platforms.join(',')}`,
    ];
    if (req.target) args.push('--opt', `target=${req.target}`);
    for (const [k, v] of Object.entries(req.buildArgs ?? {})) args.push('--opt', `build-arg:${k}=${v}`);
    Object.entries(req.images ?? {}).forEach(([ref, layout], i) => {
      args.push('--oci-layout', `standin${i}=${layout.dir}`, '--opt', `context:${ref}=oci-layout://standin${i}@${layout.digest}`);
    });
    for (const o of req.opts ?? []) args.push('--opt', o);
    for (const [id, src] of Object.entries(req.secrets ?? {})) args.push('--secret', `id=${id},src=${src}`);
    if (req.output) args.push('--output', req.output);
    const start = Date.now();
    const r = spawnSync(join(TOOLS_BIN, 'buildctl'), args, { encoding: 'utf-8', env: toolEnv(req.env), maxBuffer: 512 * 1024 * 1024 });
    const log = `${r.stdout}${r.stderr}`;
    return { ok: r.status === 0, log, ms: Date.now() - start, steps: parseProgress(log) };
  }
}

/** One platform's image in an exported OCI archive. */
export interface PlatformImage {
  readonly platform: string;
  readonly manifestDigest: string;
  readonly config: {
    User?: string;
    Entrypoint?: string[];
    Cmd?: string[];
    Labels?: Record<string, string>;
    ExposedPorts?: Record<string, unknown>;
    Env?: string[];
    Healthcheck?: { Test: string[]; Interval: number; Timeout: number; StartPeriod: number; Retries: number };
  };
  /** The image's files, unpacked. */
  readonly rootfs: string;
}

/** Unpacks an OCI archive (`type=oci` output) and returns each platform's image. */
export function readOciArchive(archive: string): PlatformImage[] {
  const dir = tempDir('prd-oci-');
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  const blob = (digest: string) => join(dir, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
  const json = (digest: string) => JSON.parse(readFileSync(blob(digest), 'utf-8'));
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf-8'));
  let manifests = index.manifests as Array<{ digest: string; mediaType: string; platform?: { os: string; architecture: string; variant?: string } }>;
  if (manifests.length === 1 && manifests[0].mediaType.includes('index')) manifests = json(manifests[0].digest).manifests;
  return manifests.filter((m) => m.platform && m.platform.architecture !== 'unknown').map((m) => {
    const manifest = json(m.digest);
    const config = json(manifest.config.digest).config;
    const rootfs = tempDir('prd-rootfs-');
    for (const layer of manifest.layers) execFileSync('tar', ['-xf', blob(layer.digest), '-C', rootfs]);
    const p = m.platform!;
    return { platform: [p.os, p.architecture, p.variant].filter(Boolean).join('/'), manifestDigest: m.digest, config, rootfs };
  });
}

/** The platform manifests' digests of an OCI archive, attestations left out. */
export function manifestDigests(archive: string): Record<string, string> {
  const dir = tempDir('prd-oci-');
  execFileSync('tar', ['-xf', archive, '-C', dir, 'index.json', 'blobs']);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf-8'));
  let manifests = index.manifests;
  if (manifests.length === 1 && manifests[0].mediaType.includes('index')) {
    manifests = JSON.parse(readFileSync(join(dir, 'blobs', 'sha256', manifests[0].digest.replace('sha256:', '')), 'utf-8')).manifests;
  }
  const out: Record<string, string> = {};
  for (const m of manifests) if (m.platform && m.platform.architecture !== 'unknown') out[`${m.platform.os}/${m.platform.architecture}`] = m.digest;
  return out;
}

/** Files under a folder, relative (for listings in messages). */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)]));
}
