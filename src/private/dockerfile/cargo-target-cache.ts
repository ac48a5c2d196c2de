/**
 * The cargo target cache (`CompilerCache.cargoTarget()`, the default): the
 * cook's target folder kept in a BuildKit cache mount between cooks, so a
 * dependency bump compiles only what changed; and the stages that carry the
 * mount's content between machines (CI's ephemeral runners).
 *
 * The mount holds `target/` (the last cook's folder, with the compiler that
 * wrote it) and `clean-kib` (the size, in KiB, of the folder the last time a
 * cook started empty); after a seed, also the list of the files it put in
 * and the run that seeded. Cargo never deletes the units of versions no
 * longer used, so the folder grows with every bump; once it is over
 * `GROWTH_LIMIT` times the clean size, the next cook starts empty again, as
 * it does when another compiler wrote the folder.
 */
import { Instruction, Mount, Stage } from './model';
import { BUILDER_STAGE } from '../config/constants';
import { ResolvedImage } from '../config/resolved';

/** Where the cook's cache mount is. */
export const CARGO_TARGET_CACHE = '/var/cache/cargo-target';

/** The named build context that carries a saved folder into the seed stage (CI passes its restored copy). */
export const CARGO_TARGET_IMPORT = 'cargo-target-import';

/** The build argument that makes the seed and export run every time (CI passes the run's id). */
export const CARGO_TARGET_RUN_ARG = 'CARGO_TARGET_RUN';

/** Stage names of the transfer stages. */
export const CARGO_TARGET_STAGES = {
  seed: 'cargo-target-seed',
  collect: 'cargo-target-collect',
  export: 'cargo-target-export',
} as const;

/**
 * The file an export holds when it is only what the cook wrote after this
 * run's seed (its content: the run). The runner merges such an export into
 * the folder it restored; any other export is the whole folder.
 */
export const CARGO_TARGET_DELTA_MARK = 'delta-of';

/**
 * The file in the target folder that names the compiler of its units
 * (`rustc -V`). A folder without it (from before it was written) counts as
 * this compiler's.
 */
const COMPILER_FILE = '.rustc-version';
const COMPILER_RECORD = `target/${COMPILER_FILE}`;

/** What the seed leaves in the mount beside `target/`: the files it put in, sorted, and the run that seeded (see seedCommands). */
const SEEDED = { files: 'seeded-files', by: 'seeded-by' } as const;

/** Where the collect stage gathers what the export saves. */
const COLLECTED = '/cargo-target';

/** How far stale units may grow the kept folder (times its size when a cook started empty) before a cook starts empty again. */
export const GROWTH_LIMIT = { numerator: 3, denominator: 2, text: '1.5x' } as const;

/** The command that empties the cache mount (at `path`, a shell word). */
function clearCommand(path = CARGO_TARGET_CACHE): string {
  return `find ${path} -mindepth 1 -maxdepth 1 -exec rm -rf {} +`;
}

/** The comment above the cook's RUN. */
export function cargoTargetNote(image: ResolvedImage): string[] {
  return image.cargoTargetCache ? [
    'The last cook\'s target folder (a cache mount) seeds this one: after a dependency bump Cargo compiles only what changed.',
    `Cargo keeps the units of old versions too: past ${GROWTH_LIMIT.text} its size when a cook last started empty, the cook starts empty again.`,
  ] : [];
}

/** The cook's cache mount, one per image. */
export function cargoTargetMount(image: ResolvedImage): Mount[] {
  return image.cargoTargetCache ? [{ kind: 'cache', target: CARGO_TARGET_CACHE, id: image.cargoTargetCache, sharing: 'locked' }] : [];
}

/**
 * Script lines before the cook: the last cook's target folder, copied in with
 * its file times, so Cargo finds every unchanged dependency fresh. Copied,
 * not mounted: the layer keeps the folder at the path the build reads, and
 * Cargo records the same paths as in a cold cook. When the cook starts empty
 * instead (no folder, one grown past the limit, or one another compiler
 * wrote, whose units Cargo would all compile again), the mount is emptied
 * first. Sets `clean` for the save: 0 when the cook starts empty.
 */
export function cargoTargetRestore(image: ResolvedImage): string[] {
  if (!image.cargoTargetCache) return [];
  const limit = `$((clean * ${GROWTH_LIMIT.numerator} / ${GROWTH_LIMIT.denominator}))`;
  return [
    `cache=${CARGO_TARGET_CACHE} compiler=$(rustc -V)`,
    'clean=$(cat "$cache/clean-kib" 2>/dev/null || echo 0) kept=$(du -sk "$cache/target" 2>/dev/null | cut -f1)',
    `last=$(cat "$cache/${COMPILER_RECORD}" 2>/dev/null || echo "$compiler")`,
    `if [ "$last" = "$compiler" ] && [ "$clean" -gt 0 ] && [ -n "$kept" ] && [ "$kept" -le ${limit} ]; then`,
    '  echo "cargo target cache: the last cook\'s folder, $((kept / 1024)) MiB ($((clean / 1024)) MiB when a cook last started empty)"',
    '  mkdir -p target && cp -a "$cache/target/." target/',
    'else',
    '  if [ "$last" != "$compiler" ]; then',
    '    echo "cargo target cache: the last cook\'s folder is of $last, this cook\'s compiler is $compiler: this cook starts empty"',
    '  else',
    `    echo "cargo target cache: none, or over ${GROWTH_LIMIT.text} its size when a cook last started empty: this cook starts empty"`,
    '  fi',
    `  ${clearCommand('"$cache"')}`,
    '  clean=0',
    'fi',
  ];
}

/**
 * Script lines after the cook: what it wrote goes into the kept folder (only
 * the files newer there, so a bump copies its own units, not the folder),
 * with the compiler that wrote it (in the folder, so an export carries it);
 * when the cook started empty, the folder's size is the clean size.
 */
export function cargoTargetSave(image: ResolvedImage): string[] {
  if (!image.cargoTargetCache) return [];
  return [
    `echo "$compiler" > target/${COMPILER_FILE}`,
    'mkdir -p "$cache/target" && cp -au target/. "$cache/target/"',
    'if [ "$clean" -eq 0 ]; then du -sk target | cut -f1 > "$cache/clean-kib"; fi',
  ];
}

/**
 * Stages that move the cache mount's content in and out of BuildKit, for
 * CI's ephemeral runners (the workflow restores and saves it with
 * actions/cache). Each runs only as its own target, never in an image build:
 * the seed replaces the mount's content with the folder of the
 * `cargo-target-import` build context, and the export is the mount's
 * content, for `--output type=local`: after this run's seed, only the files
 * the cook wrote (new ones, and ones newer than the seed), which the runner
 * merges into the folder it restored; otherwise the whole folder. Both RUNs
 * take `CARGO_TARGET_RUN`, a value of its own on every run, so the layer
 * cache never stands for them (`--no-cache-filter` would not do: it gives
 * the RUN an empty cache mount in place of the image's).
 */
export function cargoTargetTransferStages(image: ResolvedImage): Stage[] {
  const mounts = cargoTargetMount(image);
  if (!mounts.length) return [];
  const runArg: Instruction = { kind: 'ARG', name: CARGO_TARGET_RUN_ARG };
  const s = CARGO_TARGET_STAGES;
  return [
    {
      name: s.seed,
      from: {
        kind: 'FROM',
        image: BUILDER_STAGE,
        comment: [
          `The cargo target cache, carried between machines (CI does both around the compile; ${CARGO_TARGET_RUN_ARG} differs on every run):`,
          `--target ${s.seed} --build-context ${CARGO_TARGET_IMPORT}=<folder> --build-arg ${CARGO_TARGET_RUN_ARG}=<run>`,
          '  puts a saved folder into the cook\'s cache mount;',
          `--target ${s.export} --build-arg ${CARGO_TARGET_RUN_ARG}=<run> --output type=local,dest=<folder> saves it: after that run's seed,`,
          `  only what the cook wrote, marked by a ${CARGO_TARGET_DELTA_MARK} file (merge it into the folder seeded); otherwise the whole folder.`,
        ],
      },
      instructions: [runArg, {
        kind: 'RUN',
        mounts: [...mounts, { kind: 'bind', from: CARGO_TARGET_IMPORT, target: '/seed' }],
        commands: seedCommands(),
      }],
    },
    {
      name: s.collect,
      from: { kind: 'FROM', image: BUILDER_STAGE },
      instructions: [runArg, { kind: 'RUN', mounts, script: true, commands: collectScript() }],
    },
    {
      name: s.export,
      from: { kind: 'FROM', image: 'scratch' },
      instructions: [{ kind: 'COPY', from: s.collect, sources: [`${COLLECTED}/`], destination: '/' }],
    },
  ];
}

/**
 * The seed's commands: the mount emptied, the saved folder copied in, and
 * what it put in recorded: the list, then the run, in a file dated a second
 * before the seed (BusyBox's find compares whole seconds; a file of the
 * seed's own second is exported again, which is harmless).
 */
function seedCommands(): string[] {
  const c = CARGO_TARGET_CACHE;
  return [
    clearCommand(),
    `cp -a /seed/. ${c}/`,
    `cd ${c}`,
    'mkdir -p target',
    `find target ! -type d | LC_ALL=C sort > ${SEEDED.files}`,
    `echo "$${CARGO_TARGET_RUN_ARG}" > ${SEEDED.by}`,
    `touch -d "@$(($(date +%s) - 1))" ${SEEDED.by}`,
  ];
}

/**
 * The collect's script. After this run's seed, the files the cook wrote:
 * paths the seed did not put in (whatever their time, as a build script may
 * set it), and files newer than the seed; copied with their parents, and
 * marked as such. Otherwise (no seed, or the cook started empty and emptied
 * the mount) the whole folder.
 */
function collectScript(): string[] {
  const out = COLLECTED;
  const run = `$${CARGO_TARGET_RUN_ARG}`;
  return [
    `mkdir ${out}`,
    `cd ${CARGO_TARGET_CACHE}`,
    'lists=$(mktemp -d)',
    `if [ -n "\${${CARGO_TARGET_RUN_ARG}:-}" ] && [ "$(cat ${SEEDED.by} 2>/dev/null)" = "${run}" ]; then`,
    '  find target ! -type d | LC_ALL=C sort > "$lists/now"',
    `  { cat ${SEEDED.files} ${SEEDED.files} "$lists/now" | LC_ALL=C sort | uniq -u; find target ! -type d -newer ${SEEDED.by}; } | LC_ALL=C sort -u > "$lists/written"`,
    '  echo "cargo target cache: exporting what the cook wrote after this run\'s seed, $(wc -l < "$lists/written") files"',
    `  if [ -s "$lists/written" ]; then tr '\\n' '\\0' < "$lists/written" | xargs -0 sh -c 'cp -a --parents "$@" ${out}/' sh; fi`,
    `  echo "${run}" > ${out}/${CARGO_TARGET_DELTA_MARK}`,
    'else',
    '  echo "cargo target cache: exporting the whole folder (this run did not seed it, or the cook started empty)"',
    `  cp -a . ${out}/`,
    `  rm -f ${out}/${SEEDED.files} ${out}/${SEEDED.by}`,
    'fi',
  ];
}
