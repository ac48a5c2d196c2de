/**
 * A corpus of real published Rust binaries, built for real (issue 18): each
 * crate's `.crate` archive (sources and Cargo.lock) is downloaded from the
 * crates registry at run time into a temp folder, adopted by a real projen
 * project with `new RustDockerImage(project, {})` and no options at all, built
 * for linux/amd64 + linux/arm64 on a BuildKit daemon of our own (base images
 * stood in, see harness/buildkit/make-standins.sh), exported as an OCI archive,
 * and the binary of each platform's image runs with its smoke arguments (arm64
 * under qemu-aarch64-static). Other projects' sources are never committed.
 *
 * The pure parts (failure classification, native-crate detection from
 * `cargo metadata`, the Markdown rendering) are unit-tested in
 * test/corpus.test.ts; scripts/corpus.ts runs the corpus.
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { BuildkitDaemon, readOciArchive, StandIns, stepsNamed } from './buildkit';
import { imageRequest, ImageProject, synthProject } from './image-project';
import { tempDir } from './temp';
import { runBinary, toolEnv } from './tools';
import { Defaults, RustDockerImageOptions } from '../src';
import { imageInternals } from '../src/private/components/internals';
import { RULE_CRATES } from '../src/private/deps/rules';

/** A published binary crate of the corpus, pinned. */
export interface CorpusCrate {
  readonly name: string;
  readonly version: string;
  /** Arguments that make the binary print its version. */
  readonly smokeArgs: string[];
  /** Why it is in the corpus: its native dependencies, in one line. */
  readonly note: string;
  /**
   * The documented fix of a refusal, where it can be applied mechanically
   * (a feature of the crate, builder.ignoreCrates). Tried only when the
   * zero-configuration synth refuses.
   */
  readonly fix?: { readonly options: RustDockerImageOptions; readonly note: string };
}

/**
 * The corpus: popular binary crates of the crates registry (servers and CLI
 * tools), chosen by downloads and for varied native dependencies. Each
 * version ships a Cargo.lock (checked when chosen, 2026-12). The CI sample
 * comes first, then the crates with native dependencies (the informative
 * ones), then the pure-Rust ones, the largest build last.
 */
export const CORPUS: readonly CorpusCrate[] = [
  { name: 'sd', version: '1.0.0', smokeArgs: ['--version'], note: 'pure Rust (regex), 112 packages: the small baseline' },
  { name: 'jaq', version: '3.1.2', smokeArgs: ['--version'], note: 'mimalloc (libmimalloc-sys, C compiled with zig cc)' },
  { name: 'bore-cli', version: '0.6.0', smokeArgs: ['--version'], note: 'TCP tunnel service, pure Rust on tokio; its locks (0.5.0-0.6.0) pin no `time` at all' },
  {
    name: 'rathole',
    version: '0.5.0',
    smokeArgs: ['--version'],
    note: 'tunnel service whose lock pins time 0.3.29 (< 0.3.35, breaks on Rust >= 1.80); native-tls (system OpenSSL) by default; vergen',
    fix: { options: { features: ['tokio-native-tls/vendored'] }, note: 'the refusal\'s first fix: vendored OpenSSL, through the dependency feature tokio-native-tls/vendored' },
  },
  {
    name: 'websocat',
    version: '1.14.1',
    smokeArgs: ['--version'],
    note: 'WebSocket tool: native-tls with the system OpenSSL by default (expected refusal); a vendored_openssl feature',
    fix: { options: { features: ['vendored_openssl'] }, note: 'the crate\'s own vendored_openssl feature (openssl-sys/vendored)' },
  },
  {
    name: 'hurl',
    version: '8.1.0',
    smokeArgs: ['--version'],
    note: 'HTTP test runner: libxml2 (libxml, bindgen) and libcurl (curl-sys) with the system OpenSSL; expected to be refused',
    fix: { options: { features: ['static-openssl'] }, note: 'the crate\'s static-openssl feature (vendored OpenSSL for curl)' },
  },
  {
    name: 'sqlx-cli',
    version: '0.9.0',
    smokeArgs: ['--version'],
    note: 'database migration CLI (binary sqlx): native-tls with the system OpenSSL by default, SQLite bundled, 301 packages',
  },
  { name: 'sozu', version: '2.3.3', smokeArgs: ['--version'], note: 'reverse proxy: protobuf (prost-build in sozu-command-lib), jemalloc (jemallocator\'s jemalloc-sys), ring' },
  { name: 'bat', version: '0.26.1', smokeArgs: ['--version'], note: 'oniguruma (onig_sys), libgit2 (git2), libz-sys, git-version' },
  { name: 'ouch', version: '0.8.3', smokeArgs: ['--version'], note: 'compression: zstd-sys, bzip3 and unrar C/C++, bindgen' },
  { name: 'mcfly', version: '0.9.4', smokeArgs: ['--version'], note: 'SQLite bundled (rusqlite "bundled" through the default feature)' },
  { name: 'ripgrep', version: '15.2.0', smokeArgs: ['--version'], note: 'jemalloc (tikv-jemalloc-sys) on 64-bit musl only; pcre2-sys in the lock behind an off feature' },
  { name: 'fd-find', version: '10.5.0', smokeArgs: ['--version'], note: 'jemalloc (tikv-jemalloc-sys) through a target-specific table' },
  { name: 'xh', version: '0.26.3', smokeArgs: ['--version'], note: 'HTTP client: rustls with aws-lc-sys and ring; openssl-sys in the lock only behind the off native-tls feature; onig_sys' },
  {
    name: 'diesel_cli',
    version: '2.3.14',
    smokeArgs: ['--version'],
    note: 'database CLI: libpq (pq-sys), libmysqlclient (mysqlclient-sys) and SQLite linked from the system by default',
    fix: {
      options: { noDefaultFeatures: true, features: ['postgres-bundled', 'sqlite-bundled'] },
      note: 'the crate\'s postgres-bundled and sqlite-bundled features (pq-sys and libsqlite3-sys "bundled", vendored OpenSSL), default features off so MySQL (whose bundled build compiles the MySQL client with cmake) is left out',
    },
  },
  { name: 'static-web-server', version: '2.44.1', smokeArgs: ['--version'], note: 'HTTP server: ring, aws-lc in the lock, mimalloc on 64-bit musl, zstd, shadow-rs (git metadata)' },
  { name: 'gitui', version: '0.28.1', smokeArgs: ['--version'], note: 'libgit2 + libssh2 with vendored OpenSSL (default vendor-openssl), onig_sys' },
  { name: 'git-delta', version: '0.20.1', smokeArgs: ['--version'], note: 'oniguruma (onig_sys), libgit2 (git2), libz-sys' },
  { name: 'miniserve', version: '0.35.0', smokeArgs: ['--version'], note: 'HTTP server (actix-web): rustls with ring, zstd-sys' },
  { name: 'zoxide', version: '0.10.0', smokeArgs: ['--version'], note: 'pure Rust CLI' },
  { name: 'hyperfine', version: '2.0.0', smokeArgs: ['--version'], note: 'pure Rust CLI' },
  { name: 'du-dust', version: '1.2.7', smokeArgs: ['--version'], note: 'pure Rust CLI (rayon)' },
  { name: 'just', version: '1.59.0', smokeArgs: ['--version'], note: 'pure Rust CLI' },
  { name: 'tokei', version: '15.0.0', smokeArgs: ['--version'], note: 'libgit2-sys and libz-sys in the lock' },
  { name: 'difftastic', version: '0.72.0', smokeArgs: ['--version'], note: 'tree-sitter: 57 C/C++ grammars compiled with cc, jemalloc' },
];

/** The crate the integration test builds: the smallest real service-sized build, a few minutes for both platforms. */
export const CI_SAMPLE = ['sd'];

export type CorpusOutcome = 'built-and-ran' | 'refused' | 'failed';

/** Where a crate stopped. */
export type CorpusStage = 'download' | 'metadata' | 'synth' | 'builder' | 'planner' | 'cook' | 'build' | 'runtime' | 'export' | 'run';

/** A binary run from a platform's image. */
export interface SmokeRun {
  readonly platform: string;
  readonly ok: boolean;
  /** The first line it printed, or the error's. */
  readonly output: string;
}

/** One configuration of a crate, synthesized, built and run. */
export interface CorpusAttempt {
  /** The options given to RustDockerImage (`{}`: zero configuration). */
  readonly options: RustDockerImageOptions;
  readonly outcome: CorpusOutcome;
  readonly stage?: CorpusStage;
  /** The failure or refusal, in the taxonomy's words, e.g. "cook: C compile error (onig_sys)". */
  readonly reason?: string;
  /** A refusal's message (RustDockerConfigError), with its fix. */
  readonly message?: string;
  /** The last relevant lines of the failing step. */
  readonly errorLines?: string[];
  /** Wall time of the image build (builder tools already cached), seconds. */
  readonly coldBuildSeconds?: number;
  /** Seconds of the builder stage's steps that ran (its packages; the tools too when another Rust's base is used). */
  readonly builderSeconds?: number;
  /** Seconds of the target library stages that ran (OpenSSL, libpq, SQLite, built for every target). */
  readonly librarySeconds?: number;
  /** The libraries the build provided for every target. */
  readonly targetLibraries?: string[];
  /** Seconds of the cook and build steps. */
  readonly cookSeconds?: number;
  readonly buildSeconds?: number;
  /** The binary the image ships. */
  readonly binary?: string;
  readonly rustVersion?: string;
  /** The synth's C-dependency decisions: `crate (level): summary`. */
  readonly decisions: string[];
  readonly warnings: string[];
  readonly builderPackages: string[];
  readonly smoke: SmokeRun[];
  /**
   * What the library produced for this configuration: a sha256 of the generated
   * files, or of the refusal's or the synth error's message
   * (synthFingerprint). The same fingerprint means the same build.
   */
  readonly fingerprint?: string;
}

/** What the corpus found for one crate. */
export interface CorpusResult extends CorpusAttempt {
  readonly name: string;
  readonly version: string;
  readonly note: string;
  /** The crate's declared rust-version, if any. */
  readonly msrv?: string;
  /** Packages in its Cargo.lock. */
  readonly lockPackages?: number;
  /** Native crates the image compiles (links or a C build-dependency), from Cargo's resolution. */
  readonly nativeDeps?: NativeCrates;
  /** The mechanical fix of a refusal, tried. */
  readonly fix?: CorpusAttempt & { readonly note: string };
  /**
   * The library code the result holds for: git's tree hash of src/ (a crate
   * recorded with the current one is not run again).
   */
  readonly librarySource?: string;
  /**
   * The library code that built it, when that is not librarySource: a later
   * library was confirmed to generate the same files for it (same fingerprints),
   * so the build was not repeated.
   */
  readonly builtWith?: string;
  /** When the crate finished, ISO time. */
  readonly finishedAt: string;
  /** The crate's whole wall time (download, synth, build, run, fix), seconds. */
  readonly wallSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Native crates, from `cargo metadata`

/** Build dependencies that mean a crate compiles or links native code (domain brief, section 12). */
export const NATIVE_BUILD_DEPS = ['cc', 'cmake', 'bindgen', 'pkg-config', 'vcpkg', 'autotools', 'cxx-build', 'nasm-rs'];

/** Crates with a C build dependency that compile nothing for Linux (backtrace's build script serves Android only). */
export const NOT_NATIVE_ON_LINUX = ['backtrace'];

/** Native crates of an image: compiled for the target, and compiled for the build platform only. */
export interface NativeCrates {
  readonly target: string[];
  readonly hostOnly: string[];
}

interface MetadataPackage {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly links?: string | null;
  readonly targets?: Array<{ kind: string[] }>;
}
interface MetadataNode {
  readonly id: string;
  readonly deps: Array<{ pkg: string; dep_kinds: Array<{ kind: string | null }> }>;
}
/** The parts of `cargo metadata --format-version 1` this reads. */
export interface CargoMetadata {
  readonly packages: MetadataPackage[];
  readonly resolve: { readonly root: string | null; readonly nodes: MetadataNode[] };
}

/**
 * The native crates in `cargo metadata` output (run with `--filter-platform`):
 * `-sys` packages with `links`, or packages with a resolved build dependency
 * among NATIVE_BUILD_DEPS. A package is compiled for the target when the root reaches
 * it through normal edges of non-proc-macro packages; otherwise (through a build
 * script or a proc macro) for the build platform only. Dev edges are ignored.
 */
export function nativeCrates(meta: CargoMetadata, roots?: string[]): NativeCrates {
  const pkgs = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const isProcMacro = (id: string) => !!pkgs.get(id)?.targets?.some((t) => t.kind.includes('proc-macro'));
  const start = roots ?? (meta.resolve.root ? [meta.resolve.root] : []);
  const target = new Set<string>();
  const host = new Set<string>();
  const queue: Array<[string, boolean]> = start.map((id) => [id, false]);
  while (queue.length) {
    const [id, onHost] = queue.shift()!;
    const seen = onHost ? host : target;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const d of nodes.get(id)?.deps ?? []) {
      const kinds = d.dep_kinds.map((k) => k.kind);
      if (kinds.some((k) => k === null)) queue.push([d.pkg, onHost || isProcMacro(d.pkg)]);
      if (kinds.includes('build')) queue.push([d.pkg, true]);
    }
  }
  const native = (id: string) => {
    const p = pkgs.get(id);
    if (!p || NOT_NATIVE_ON_LINUX.includes(p.name)) return false;
    // `links` alone often only guards against two copies (rayon-core, defmt, aws-lc-rs): a -sys crate's does mean a native library.
    if (p.links && /[-_]sys$/.test(p.name)) return true;
    return (nodes.get(id)?.deps ?? []).some((d) => d.dep_kinds.some((k) => k.kind === 'build') && NATIVE_BUILD_DEPS.includes(pkgs.get(d.pkg)?.name ?? ''));
  };
  const label = (id: string) => `${pkgs.get(id)!.name}@${pkgs.get(id)!.version}`;
  const sort = (ids: string[]) => ids.filter(native).map(label).sort();
  return { target: sort([...target]), hostOnly: sort([...host].filter((id) => !target.has(id))) };
}

/** Crate names, with many tree-sitter grammars folded into one entry, and `*` on those no rule knows. */
export function nativeSummary(n: NativeCrates | undefined): string {
  if (!n) return '?';
  const names = (list: string[]) => [...new Set(list.map((c) => c.replace(/@.*$/, '')))];
  const fold = (list: string[]) => {
    const grammars = list.filter((c) => c.startsWith('tree-sitter-'));
    const rest = list.filter((c) => !c.startsWith('tree-sitter-'));
    const mark = (c: string) => (RULE_CRATES.includes(c) ? c : `${c}*`);
    return [...rest.map(mark), ...(grammars.length > 2 ? [`tree-sitter-* (${grammars.length} grammars)*`] : grammars.map(mark))];
  };
  const target = fold(names(n.target));
  const hostOnly = fold(names(n.hostOnly).filter((c) => !names(n.target).includes(c)));
  return [...target, ...hostOnly.map((c) => `${c} (build)`)].join(', ') || 'none';
}

// ---------------------------------------------------------------------------------------------
// Failure classification (pure)

/** A build's failure: where, why (the taxonomy), and the lines that say so. */
export interface BuildFailure {
  readonly stage: CorpusStage;
  readonly reason: string;
  readonly lines: string[];
}

/** The first failing step of a BuildKit plain-progress log: its name and output lines. */
export function failingStep(log: string): { name: string; output: string[] } | undefined {
  const names = new Map<string, string>();
  const outputs = new Map<string, string[]>();
  let failed: string | undefined;
  for (const line of log.split('\n')) {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [, id, rest] = m;
    if (!names.has(id) && /^\[[^\]]+\] /.test(rest)) names.set(id, rest);
    if (/^ERROR: /.test(rest) && failed === undefined) failed = id;
    const out = /^[0-9.]+ (.*)$/.exec(rest);
    if (out) outputs.set(id, [...(outputs.get(id) ?? []), out[1]]);
  }
  if (failed === undefined) return undefined;
  return { name: names.get(failed) ?? '', output: outputs.get(failed) ?? [] };
}

/** The Dockerfile stage of a step name such as `[linux/amd64 cook 4/4] RUN ...`. */
export function stageOfStep(name: string): CorpusStage {
  const m = /^\[(?:linux\/[a-z0-9/]+ )?([a-z0-9-]+) \d+\/\d+\]/.exec(name);
  const stage = m?.[1] ?? '';
  if (stage === 'rust-builder' || stage === 'planner' || stage === 'cook' || stage === 'build') return stage === 'rust-builder' ? 'builder' : stage;
  if (stage.startsWith('runtime')) return 'runtime';
  return 'build';
}

/** A crate name out of `name v1.2.3` or `name`. */
function crateOf(text: string): string {
  return text.split(' ')[0];
}

/**
 * The reason of a failing build step, in the failure taxonomy's words (without
 * the stage). The patterns are tried in order; the first match wins.
 */
export function classifyOutput(text: string): string {
  const custom = /failed to run custom build command for `([^`]+)`/.exec(text);
  const customCrate = custom ? crateOf(custom[1]) : undefined;
  const shim = /apk shim: unknown Alpine package '([^']+)'/.exec(text);
  if (shim) return `stand-in apk shim lacks "${shim[1]}"`;
  if (/error\[E0282\]/.test(text) && /time-0\.3\.(\d+)/.test(text)) return 'time<0.3.35 on Rust>=1.80';
  const rustc = /package `([^`]+)` cannot be built because it requires rustc ([0-9.]+)/.exec(text) ?? /requires rustc ([0-9.]+) or newer/.exec(text);
  if (rustc) return `needs a newer Rust (${rustc.length > 2 ? `${crateOf(rustc[1])}: ${rustc[2]}` : rustc[1]})`;
  if (/needs to be updated but --locked was passed|cannot update the lock file .* because --locked was passed|lock file .* needs to be updated/.test(text)) return 'Cargo.lock out of date (--locked)';
  if (/Could not find directory of OpenSSL installation|Could not find openssl via pkg-config/.test(text)) return `system OpenSSL missing${customCrate ? ` (${customCrate})` : ''}`;
  const viaPkgConfig = /Couldn't find (\S+) via pkg-config/.exec(text)
    ?? (/pkg-config has not been configured to support cross-compilation|The pkg-config command could not be found/.test(text) ? ['', 'a system library'] : undefined);
  if (viaPkgConfig) return `system library missing: ${viaPkgConfig[1]} via pkg-config${customCrate ? ` (${customCrate})` : ''}`;
  const syslib = /The system library `([^`]+)` required by crate `([^`]+)` was not found/.exec(text)
    ?? /Package ([\w.+-]+) was not found in the pkg-config search path/.exec(text);
  if (syslib) return `system library missing: ${syslib[1]}${syslib[2] ? ` (${syslib[2]})` : customCrate ? ` (${customCrate})` : ''}`;
  if (/[Uu]nable to find libclang|couldn't find any valid shared libraries matching: \['libclang/.test(text)) return `libclang missing${customCrate ? ` (${customCrate})` : ''}`;
  if (/is `cmake` not installed\?|failed to execute command: .*cmake/.test(text)) return `cmake missing${customCrate ? ` (${customCrate})` : ''}`;
  if (/Could not find `protoc`|protoc failed|PROTOC/.test(text) && customCrate) return `protoc missing (${customCrate})`;
  const missingTool = /(?:sh: \d+: |\/bin\/sh: |sh: )(?:exec: )?([\w.+-]+): (?:not found|No such file or directory)/.exec(text)
    ?? /failed to execute command: No such file or directory \(os error 2\)\s*is `([\w.+-]+)` not installed/.exec(text);
  if (missingTool) return `tool missing in the builder: ${missingTool[1]}${customCrate ? ` (${customCrate})` : ''}`;
  // A build script that spawns a tool the builder lacks: its last `running:` line names it (jemalloc-sys runs make).
  const spawnFailed = text.indexOf('failed to execute command: No such file or directory');
  if (spawnFailed >= 0) {
    const ran = [...text.slice(0, spawnFailed).matchAll(/running: (.*)/g)].pop()?.[1];
    const tool = ran?.replace(/^cd "[^"]*" && /, '').replace(/^(?:[A-Za-z_][A-Za-z0-9_]*="[^"]*" )*/, '').split(' ')[0].replace(/"/g, '').split('/').pop();
    if (tool) return `tool missing in the builder: ${tool}${customCrate ? ` (${customCrate})` : ''}`;
  }
  const dynamic = /: \S+ is not static, it needs: (.*)/.exec(text);
  if (dynamic) return `binary not static (needs ${dynamic[1].trim()})`;
  if (/needs glibc [0-9.]+, newer than the floor/.test(text)) return 'binary needs a newer glibc than the floor';
  if (/not a git repository|could not find repository|\.git\/HEAD/.test(text) && customCrate) return `build script needs .git (${customCrate})`;
  if (customCrate) {
    if (/error occurred in cc-rs|ToolExecError|error: command did not execute successfully|\.(c|cc|cpp|h):\d+:\d+: error|zig.*error:/.test(text)) return `C compile error (${customCrate})`;
    return `build script failed (${customCrate})`;
  }
  if (/undefined symbol|undefined reference|ld\.lld: error|rust-lld: error|linking with `[^`]+` failed/.test(text)) return 'link error';
  const rust = /could not compile `([^`]+)`/.exec(text);
  if (rust) return `Rust compile error (${rust[1]})`;
  if (/failed to download|failed to get `|Couldn't resolve host|SSL certificate problem|spurious network error|failed to fetch/.test(text)) return 'network: fetching crates failed';
  if (/cargo-chef|recipe/.test(text) && /error/i.test(text)) return 'cargo-chef error';
  if (/context canceled|signal: killed|exit code: 137/.test(text)) return 'cancelled or killed';
  return 'unclassified';
}

/** Lines that say why a step failed: errors, panics, stderr of build scripts; at most `max`. */
export function relevantLines(output: string[], max = 15): string[] {
  const pattern = /error|panicked|not found|undefined|failed|cannot|could not|fatal|warning: unused|No such file|requires rustc/i;
  const progress = /^(Compiling|Downloaded|Downloading|Checking|Fresh|Updating|Locking|Adding) /;
  const picked = output.map((l) => l.trim()).filter((l) => l && pattern.test(l) && !progress.test(l) && !/^warning: .*generated \d+ warning/.test(l));
  const lines = picked.length ? picked : output.map((l) => l.trim()).filter(Boolean);
  return [...new Set(lines)].slice(-max).map((l) => (l.length > 300 ? `${l.slice(0, 297)}...` : l));
}

/** A failed BuildKit build's stage, taxonomy reason and relevant lines. */
export function classifyBuildFailure(log: string): BuildFailure {
  // The Dockerfile's own commands (step names, BuildKit's "process ... did not complete" lines) hold
  // the generated checks' messages: only what the steps printed is evidence.
  const printed = (lines: string[]) => lines.filter((l) => !l.includes('/bin/sh -c') && !/^#\d+ \[/.test(l));
  const step = failingStep(log);
  if (!step) {
    const tail = printed(log.split('\n')).slice(-40);
    return { stage: 'build', reason: `build: ${classifyOutput(tail.join('\n'))}`, lines: relevantLines(tail) };
  }
  const stage = stageOfStep(step.name);
  const output = printed(step.output);
  return { stage, reason: `${stage}: ${classifyOutput(output.join('\n'))}`, lines: relevantLines(output) };
}

/** The taxonomy reason of a synth-time refusal (RustDockerConfigError), from its message. */
export function classifyRefusal(message: string): string {
  const m = message.replace(/^projen-rust-docker: /, '');
  const refused = /^[^:]+: (\S+) links the system/.exec(m) ?? /(\S+-sys) links the system/.exec(m);
  if (refused) return `refused: ${refused[1]} links a system library`;
  const probe = /: (\S+) [^:]* is compiled for [^:]*: \1 looks for a system library/.exec(m);
  if (probe) return `refused: ${probe[1]} probes for a system library`;
  if (/Cargo could not resolve|cargo tree failed/.test(m)) return /git/i.test(m) ? 'synth: git dependency unreachable' : 'synth: Cargo could not resolve the graph';
  if (/several binaries|more than one binary|binaries:|choose one/i.test(m)) return 'refused: several binaries, none chosen';
  if (/hand-written|adoptExistingFiles/.test(m)) return 'refused: hand-written files in the way';
  if (/does not declare|unknown feature/i.test(m)) return 'refused: unknown feature';
  if (/toolchain|rust-version/i.test(m)) return 'refused: toolchain';
  return `refused: ${m.split(':')[0]}`;
}

/** The taxonomy reason of a synth that threw something else than a refusal. */
export function classifySynthError(message: string): string {
  if (/git/i.test(message) && /(unreachable|failed to (fetch|clone)|could not resolve|authenticate)/i.test(message)) return 'synth: git dependency unreachable';
  if (/cargo/i.test(message)) return 'synth: Cargo failed';
  return `synth: ${message.split('\n')[0].slice(0, 80)}`;
}

// ---------------------------------------------------------------------------------------------
// Rendering (pure)

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The library code a result holds for, and the one that built it when a later one was confirmed to generate the same files. */
function librarySourceCell(r: CorpusResult): string {
  const holds = r.librarySource?.slice(0, 12) ?? 'earlier';
  return r.builtWith ? `${holds} (built by ${r.builtWith.slice(0, 12)}, same files)` : holds;
}

function secondsCell(s?: number): string {
  return s === undefined ? '-' : `${Math.round(s)} s`;
}

/**
 * Whether a result is a fact of the machine that recorded it (no network, no
 * crate archive, no cargo), not of the crate: recorded as "not run here", out
 * of the rates.
 */
export function notRunHere(r: CorpusAttempt): boolean {
  return r.outcome !== 'built-and-ran' && /^(network|download):|cargo could not be run|spawnSync cargo ENOENT/.test(`${r.reason ?? ''} ${r.message ?? ''}`);
}

/** The taxonomy key of a reason: the words before a parenthesised crate name. */
export function taxonomyKey(reason: string): string {
  return reason.replace(/ \([^)]*\)$/, '').replace(/ "[^"]*"$/, '');
}

/**
 * The corpus section in Markdown: one row per crate (the zero-configuration
 * outcome, and the mechanical fix of a refusal), the success rate and the
 * failure taxonomy. Deterministic: the same results give the same text.
 */
export function corpusMarkdown(results: readonly CorpusResult[]): string {
  const lines = [
    '## Published binaries, built for real',
    '',
    'Each crate\'s `.crate` archive (its sources and Cargo.lock) is downloaded from the crates registry, adopted by a projen project with `new RustDockerImage(project, {})` and no options, built for linux/amd64 + linux/arm64 on a real BuildKit daemon (base images stood in), and the binary of each platform\'s image runs with its smoke arguments (arm64 under qemu). Produced by `npx projen corpus` (scripts/corpus.ts), a recorded run of hours; the raw results are in `docs/corpus.json`. '
      + `CI builds ${CI_SAMPLE.map((n) => `\`${n}\``).join(', ')} the same way on every run (test/integration/corpus-sample.test.ts).`,
    '',
    'Native deps: the crates the image compiles that have `links` or a C build dependency (cc, cmake, bindgen, pkg-config), from `cargo metadata` for x86_64-unknown-linux-musl; `*` marks a crate no C-dependency rule knows, `(build)` one compiled for the build platform only. Build time: the cold image build for both platforms with the builder\'s tool layers already cached.',
    '',
    '| crate | version | native deps found | outcome (zero config) | reason | cold build | libraries built for every target (their stages) | with the documented fix | library code (src tree) |',
    '|---|---|---|---|---|---:|---|---|---|',
  ];
  const byName = new Map(results.map((r) => [r.name, r]));
  for (const c of CORPUS) {
    const r = byName.get(c.name);
    if (!r) {
      lines.push(`| [${c.name}](https://crates.io/crates/${c.name}) | ${c.version} | - | not recorded yet | - | - | - | - | - |`);
      continue;
    }
    const fix = r.fix ? `${notRunHere(r.fix) ? 'not run here' : r.fix.outcome}${r.fix.reason ? `: ${r.fix.reason}` : ''} (${secondsCell(r.fix.coldBuildSeconds)}; ${r.fix.note})` : '-';
    const libs = r.targetLibraries?.length ? `${r.targetLibraries.join(', ')} (${secondsCell(r.librarySeconds)})` : '-';
    lines.push(`| [${r.name}](https://crates.io/crates/${r.name}) | ${r.version} | ${cell(nativeSummary(r.nativeDeps))} | ${notRunHere(r) ? 'not run here' : r.outcome} | ${cell(r.reason ?? '-')} `
      + `| ${secondsCell(r.coldBuildSeconds)} | ${cell(libs)} | ${cell(fix)} | ${librarySourceCell(r)} |`);
  }
  // Rates over the crates with a verdict: a fact of the recording machine (notRunHere) is none.
  const judged = results.filter((r) => !notRunHere(r));
  const n = judged.length;
  const count = (o: CorpusOutcome) => judged.filter((r) => r.outcome === o).length;
  const tried = judged.filter((r) => r.outcome !== 'built-and-ran' && r.fix);
  const fixed = tried.filter((r) => r.fix?.outcome === 'built-and-ran').length;
  const pct = (k: number) => (n ? `${((100 * k) / n).toFixed(0)}%` : '-');
  const sources = [...new Set(results.map((r) => r.librarySource?.slice(0, 12) ?? 'earlier'))];
  lines.push(
    '',
    `Recorded: ${results.length} of the corpus's ${CORPUS.length} crates (${results.length - n} not run here); library code: ${sources.join(', ')}.`,
    '',
    `**Zero configuration: ${count('built-and-ran')} of ${n} crates built and ran (${pct(count('built-and-ran'))}); ${count('refused')} refused at synth with a fix; ${count('failed')} failed.**`
      + (tried.length ? ` With the fix that the refusal or the warning documents applied mechanically, ${fixed} of those ${tried.length} crate(s) built and ran (${count('built-and-ran') + fixed} of ${n} in all, ${pct(count('built-and-ran') + fixed)}).` : ''),
    '',
  );
  const taxonomy = new Map<string, string[]>();
  const add = (reason: string | undefined, who: string) => {
    if (!reason) return;
    const key = taxonomyKey(reason);
    taxonomy.set(key, [...(taxonomy.get(key) ?? []), who]);
  };
  for (const r of results) {
    if (r.outcome !== 'built-and-ran') add(r.reason, r.name);
    if (r.fix && r.fix.outcome !== 'built-and-ran') add(r.fix.reason, `${r.name} (fixed config)`);
  }
  if (taxonomy.size) {
    lines.push('### Failure taxonomy', '', '| reason | crates |', '|---|---|');
    for (const [key, who] of [...taxonomy].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
      lines.push(`| ${cell(key)} | ${who.join(', ')} |`);
    }
    lines.push('');
  }
  const details = results.filter((r) => r.outcome !== 'built-and-ran' || (r.fix && r.fix.outcome !== 'built-and-ran'));
  if (details.length) {
    lines.push('### Details', '');
    for (const r of details) {
      lines.push(`- **${r.name} ${r.version}**: ${r.outcome}${r.stage ? ` at ${r.stage}` : ''}. ${cell(r.message ?? r.errorLines?.slice(-3).join(' / ') ?? '')}`.trimEnd());
      if (r.fix) lines.push(`  - with ${r.fix.note} (\`${JSON.stringify(r.fix.options)}\`): ${r.fix.outcome}${r.fix.reason ? `, ${r.fix.reason}` : ''}. ${cell(r.fix.message ?? r.fix.errorLines?.slice(-3).join(' / ') ?? '')}`.trimEnd());
    }
    lines.push('');
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Running (impure)

/** The sparse-index path of a crate name (`sd` -> `2/sd`, `serde` -> `se/rd/serde`). */
export function indexPath(name: string): string {
  const n = name.toLowerCase();
  if (n.length <= 2) return `${n.length}/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

/** The `.crate` archive's address. */
export function crateUrl(name: string, version: string): string {
  return `https://static.crates.io/crates/${name}/${name}-${version}.crate`;
}

/**
 * The documented fix of a refusal, where it applies mechanically: hand-written
 * Docker files in the way are adopted (`adoptExistingFiles: true`, the
 * refusal's own fix), and the crate's own fix (a feature) is added.
 */
export function mechanicalFix(c: CorpusCrate, refusal: string): CorpusCrate['fix'] {
  const adopt = /hand-written file/.test(refusal);
  if (!adopt && !c.fix) return undefined;
  const notes = [...(adopt ? ['adoptExistingFiles: true (the crate ships its own Docker files)'] : []), ...(c.fix ? [c.fix.note] : [])];
  return { options: { ...(adopt ? { adoptExistingFiles: true } : {}), ...c.fix?.options }, note: notes.join('; ') };
}

/** The `cargo update -p <spec>` fixes that synthesis warnings name (known breakages of the lock). */
export function warnedLockFixes(warnings: readonly string[]): string[] {
  return [...new Set(warnings.flatMap((w) => [...w.matchAll(/run `cargo update -p ([^`\s]+)`/g)].map((m) => m[1])))].sort();
}

/**
 * A fixed attempt: the fix's options and, when the synthesis warned of a lock
 * that breaks the build (or `warned` did), the warning's `cargo update -p`
 * applied to the crate's Cargo.lock first.
 */
function attemptFix(sources: string, c: CorpusCrate, fix: NonNullable<CorpusCrate['fix']>, ctx: CorpusContext, warned: readonly string[] = []): NonNullable<CorpusResult['fix']> {
  const withLock = (specs: string[]) => {
    for (const spec of specs) execFileSync('cargo', ['update', '-p', spec], { cwd: sources, stdio: ['ignore', 'ignore', 'pipe'] });
    const lockNote = `the warned lock fix (${specs.map((s) => `cargo update -p ${s}`).join(', ')})`;
    return fix.note ? `${fix.note}; ${lockNote}` : lockNote;
  };
  const first = warned.length ? withLock(warnedLockFixes(warned)) : fix.note;
  ctx.say?.(`  trying the fix: ${first}`);
  const r = attempt(sources, c, fix.options, ctx);
  const more = warned.length ? [] : warnedLockFixes(r.warnings);
  if (r.outcome !== 'failed' || !more.length) return { ...r, note: first };
  const note = withLock(more);
  ctx.say?.(`  trying the fix: ${note}`);
  return { ...attempt(sources, c, fix.options, ctx), note };
}

/** Downloads and extracts a published crate into a fresh temp folder; returns the crate's folder. */
export function downloadCrate(name: string, version: string): string {
  const dir = tempDir('prd-corpus-src-');
  const archive = join(dir, 'crate.tar.gz');
  execFileSync('curl', ['-sSfL', '--retry', '3', '-o', archive, crateUrl(name, version)], { stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync('tar', ['-xzf', archive, '-C', dir]);
  rmSync(archive);
  const root = join(dir, `${name}-${version}`);
  if (!existsSync(join(root, 'Cargo.lock'))) throw new Error(`${name} ${version} ships no Cargo.lock`);
  return root;
}

/** The declared rust-version of the crate's normalized manifest. */
function declaredMsrv(root: string): string | undefined {
  return /^rust-version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf-8'))?.[1];
}

/** The native crates the default build compiles for x86_64 musl, from `cargo metadata`. */
export function nativeDepsOf(root: string, options: RustDockerImageOptions = {}): NativeCrates {
  const args = ['metadata', '--format-version', '1', '--locked', '--filter-platform', 'x86_64-unknown-linux-musl'];
  if (options.features?.length) args.push('--features', options.features.join(','));
  if (options.noDefaultFeatures) args.push('--no-default-features');
  const r = spawnSync('cargo', args, { cwd: root, encoding: 'utf-8', env: toolEnv(), maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`cargo metadata failed: ${r.stderr.trim().split('\n').slice(-4).join(' / ')}`);
  return nativeCrates(JSON.parse(r.stdout));
}

/** What the runner needs: a started daemon and the stand-ins. */
export interface CorpusContext {
  readonly daemon: BuildkitDaemon;
  /** The base-image stand-ins for the default Rust. */
  readonly bases: StandIns;
  /** The stand-ins for another Rust a crate's toolchain file pins (e.g. `1.93.0`); default: `bases`. */
  readonly basesFor?: (rustVersion: string) => StandIns;
  /** Progress lines. */
  readonly say?: (line: string) => void;
  /** A folder (outside the repository) for each build's full BuildKit log, `<crate>-<version>[-fix].log`. */
  readonly logDir?: string;
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** The first line a run printed, or its error's. */
function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find(Boolean)?.slice(0, 200) ?? '';
}

/** The generated files that define an image build: the Dockerfiles (the image's and the builder's) and their .dockerignore files. */
const BUILD_DEFINITION = /(^|\/)([^/]*\.)?Dockerfile$|(^|\/)([^/]*\.)?dockerignore$/;

/**
 * The fingerprint of what the library produced for a configuration: a sha256
 * of the generated files that define the build (BUILD_DEFINITION; the stored
 * crate graph, the workflows and the tasks only reach a build through them),
 * or of the message that stopped the synth. Two libraries that give a crate
 * the same fingerprint give it the same build.
 */
export function synthFingerprint(produced: { readonly files?: Record<string, string>; readonly error?: string }): string {
  const h = createHash('sha256');
  if (produced.error !== undefined) h.update(`error\0${produced.error}`);
  const files = produced.files ?? {};
  for (const path of Object.keys(files).filter((f) => BUILD_DEFINITION.test(f)).sort()) h.update(`${path}\0${files[path]}\0`);
  return h.digest('hex');
}

/** The fingerprint of one configuration of a crate whose sources are in `sources`: the synth alone, nothing built. */
export function fingerprintOf(sources: string, options: RustDockerImageOptions): string {
  try {
    const p = synthProject(sources, options);
    rmSync(p.dir, { recursive: true, force: true });
    return synthFingerprint({ files: p.files });
  } catch (e) {
    return synthFingerprint({ error: (e as Error).message });
  }
}

/**
 * Whether a crate's record still holds for the library code at hand, without
 * building: the record has fingerprints, and the synth of each of its
 * configurations (zero, and the fix's options) gives the same. A fix that
 * changed the crate's lock is not replayed: such a record is built again.
 * Returns why not, or undefined when it holds.
 */
export function recordStillHolds(c: CorpusCrate, record: CorpusResult): string | undefined {
  if (!record.fingerprint || (record.fix && !record.fix.fingerprint)) return 'recorded without fingerprints';
  let sources: string;
  try {
    sources = downloadCrate(c.name, c.version);
  } catch (e) {
    return `download failed: ${(e as Error).message.split('\n')[0]}`;
  }
  try {
    if (fingerprintOf(sources, {}) !== record.fingerprint) return 'the generated files changed';
    if (!record.fix) return undefined;
    // A lock fix is applied as the fixed attempt applied it, before its files are generated.
    for (const [, spec] of record.fix.note.matchAll(/cargo update -p ([^\s,)]+)/g)) {
      const r = spawnSync('cargo', ['update', '-p', spec], { cwd: sources, encoding: 'utf-8', env: toolEnv() });
      if (r.status !== 0) return `its lock fix (cargo update -p ${spec}) failed: ${r.stderr.trim().split('\n').pop()}`;
    }
    if (fingerprintOf(sources, record.fix.options) !== record.fix.fingerprint) return 'the fix\'s generated files changed';
    return undefined;
  } finally {
    rmSync(join(sources, '..'), { recursive: true, force: true });
  }
}

/** Synthesizes, builds and runs one configuration of a crate whose sources are in `sources`. */
export function attempt(sources: string, c: CorpusCrate, options: RustDockerImageOptions, ctx: CorpusContext): CorpusAttempt {
  const say = ctx.say ?? (() => undefined);
  let p: ImageProject;
  try {
    p = synthProject(sources, options);
  } catch (e) {
    const err = e as Error;
    const fingerprint = synthFingerprint({ error: err.message });
    if (err.name === 'RustDockerConfigError') {
      return { options, outcome: 'refused', stage: 'synth', reason: classifyRefusal(err.message), message: err.message, decisions: [], warnings: [], builderPackages: [], smoke: [], fingerprint };
    }
    return { options, outcome: 'failed', stage: 'synth', reason: classifySynthError(err.message), message: err.message.slice(0, 2000), decisions: [], warnings: [], builderPackages: [], smoke: [], fingerprint };
  }
  const r = imageInternals(p.image).resolved;
  const base = {
    options,
    fingerprint: synthFingerprint({ files: p.files }),
    binary: p.image.binaries[0],
    rustVersion: p.image.rustVersion,
    decisions: r.decisions.map((d) => `${d.crate} (${d.level}): ${d.summary}`),
    warnings: [...p.image.warnings],
    builderPackages: [...p.image.builderPackages],
  };
  for (const w of base.warnings) say(`  warning: ${w}`);
  for (const d of base.decisions) say(`  decision: ${d}`);
  const out = tempDir('prd-corpus-out-');
  const archive = join(out, 'image.tar');
  say(`  building ${c.name} (${base.binary}) for ${r.platforms.join(', ')}`);
  try {
    // A toolchain file that pins another numeric Rust names another base image: stand that one in.
    const other = /^\d+\.\d+\.\d+$/.test(p.image.rustVersion) && p.image.rustVersion !== Defaults.RUST_VERSION;
    const bases = other && ctx.basesFor ? ctx.basesFor(p.image.rustVersion) : ctx.bases;
    const built = ctx.daemon.build(imageRequest(p, bases, { output: `type=oci,dest=${archive}` }));
    if (ctx.logDir) {
      mkdirSync(ctx.logDir, { recursive: true });
      writeFileSync(join(ctx.logDir, `${c.name}-${c.version}${Object.keys(options).length ? '-fix' : ''}.log`), built.log);
    }
    const runs = (name: string) => stepsNamed(built, new RegExp(`^\\[(linux/[a-z0-9/]+ )?${name} \\d+/\\d+\\] RUN`)).filter((s) => !s.cached);
    const timing = {
      coldBuildSeconds: seconds(built.ms),
      builderSeconds: Math.round([...runs('rust-builder'), ...runs('rust-tools')].reduce((sum, s) => sum + (s.seconds ?? 0), 0)),
      librarySeconds: r.builder.targetLibraries.length ? Math.round(runs('target-[a-z0-9]+').reduce((sum, s) => sum + (s.seconds ?? 0), 0)) : undefined,
      targetLibraries: r.builder.targetLibraries.length ? r.builder.targetLibraries.map((l) => `${l.name} ${l.version}`) : undefined,
      cookSeconds: runs('cook')[0]?.seconds,
      buildSeconds: runs('build')[0]?.seconds,
    };
    if (!built.ok) {
      const f = classifyBuildFailure(built.log);
      return { ...base, ...timing, outcome: 'failed', stage: f.stage, reason: f.reason, errorLines: f.lines, smoke: [] };
    }
    let images;
    try {
      images = readOciArchive(archive);
    } catch (e) {
      return { ...base, ...timing, outcome: 'failed', stage: 'export', reason: 'export: OCI archive unreadable', errorLines: [(e as Error).message.slice(0, 300)], smoke: [] };
    }
    const smoke: SmokeRun[] = [];
    for (const img of images.sort((a, b) => a.platform.localeCompare(b.platform))) {
      const bin = join(img.rootfs, r.binaries[0].runtime.binDir, base.binary);
      try {
        const printed = runBinary(img.platform, bin, c.smokeArgs);
        smoke.push({ platform: img.platform, ok: true, output: firstLine(printed) });
      } catch (e) {
        const err = e as Error & { stderr?: string; status?: number };
        smoke.push({ platform: img.platform, ok: false, output: firstLine(`${err.stderr ?? ''}\n${err.message}`) });
      }
      rmSync(img.rootfs, { recursive: true, force: true });
    }
    const bad = smoke.find((s) => !s.ok);
    if (bad || smoke.length < r.platforms.length) {
      const missing = smoke.length < r.platforms.length ? `only ${smoke.map((s) => s.platform).join(', ')} in the archive` : undefined;
      return { ...base, ...timing, outcome: 'failed', stage: 'run', reason: `run: ${missing ?? `${bad!.platform} binary failed`}`, errorLines: smoke.filter((s) => !s.ok).map((s) => `${s.platform}: ${s.output}`), smoke };
    }
    return { ...base, ...timing, outcome: 'built-and-ran', smoke };
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(p.dir, { recursive: true, force: true });
  }
}

/**
 * The whole corpus run of one crate: download, native deps, the
 * zero-configuration attempt and, for a refusal with a mechanical fix, the
 * fixed attempt. Never throws: what fails is recorded.
 */
export function runCorpusCrate(c: CorpusCrate, ctx: CorpusContext): CorpusResult {
  const start = Date.now();
  const done = (r: Omit<CorpusResult, 'finishedAt' | 'wallSeconds' | 'name' | 'version' | 'note'>): CorpusResult => ({
    name: c.name, version: c.version, note: c.note, ...r, finishedAt: new Date().toISOString(), wallSeconds: seconds(Date.now() - start),
  });
  let sources: string;
  try {
    sources = downloadCrate(c.name, c.version);
  } catch (e) {
    return done({ options: {}, outcome: 'failed', stage: 'download', reason: 'download: crate archive unavailable', errorLines: [(e as Error).message.slice(0, 300)], decisions: [], warnings: [], builderPackages: [], smoke: [] });
  }
  try {
    const lockPackages = (readFileSync(join(sources, 'Cargo.lock'), 'utf-8').match(/^\[\[package\]\]$/gm) ?? []).length;
    const msrv = declaredMsrv(sources);
    let nativeDeps: NativeCrates | undefined;
    try {
      nativeDeps = nativeDepsOf(sources);
    } catch (e) {
      ctx.say?.(`  native deps unknown: ${(e as Error).message}`);
    }
    const zero = attempt(sources, c, {}, ctx);
    let fix: CorpusResult['fix'];
    const mechanical = zero.outcome === 'refused' ? mechanicalFix(c, zero.message ?? '') : undefined;
    if (mechanical) {
      ctx.say?.('  refused');
      fix = attemptFix(sources, c, mechanical, ctx);
    } else if (zero.outcome === 'failed' && warnedLockFixes(zero.warnings).length) {
      fix = attemptFix(sources, c, { options: {}, note: '' }, ctx, zero.warnings);
    }
    return done({ ...zero, msrv, lockPackages, nativeDeps, fix });
  } finally {
    rmSync(join(sources, '..'), { recursive: true, force: true });
  }
}
