import { github } from 'projen';
import { ACTIONS } from './actions';
import { BuildJobsInput } from './build-input';
import { BUILDER_CONTEXT_OUTPUT, STEP, stepOutput } from './step-ids';

type Step = github.workflows.JobStep;

/** Where the runner keeps the restored folder (the one it saves, after the merge), and where the export goes. */
const RESTORED = '${{ runner.temp }}/cargo-target';
const EXPORTED = '${{ runner.temp }}/cargo-target-saved';

/** The steps before and after the compile: none without the cache, or with a remote builder (its daemon keeps the mount). */
export interface CargoTargetSteps {
  readonly before: Step[];
  readonly after: Step[];
}

/**
 * The cargo target cache across ephemeral runners. The cook's target folder
 * lives in a BuildKit cache mount, which a fresh runner starts without; these
 * steps carry it in actions/cache, keyed by the dependency set:
 * - before the compile, a lookup: an exact hit means this dependency set
 *   was cooked and saved before, so the layer cache holds its cook and
 *   nothing is restored;
 * - otherwise the newest folder of an earlier dependency set is restored and
 *   put into the mount (the seed stage), so the cook compiles only what the
 *   change touched;
 * - the seed and the export take the run's id as a build argument, so the
 *   layer cache never stands for them;
 * - after the compile, the mount is exported and saved under this set's key
 *   (where the job may write caches); when this run seeded it, the export is
 *   only what the cook wrote, merged into the restored folder before the save.
 */
export function cargoTargetSteps(
  input: BuildJobsInput,
  archScope: string,
  buildPushWith: (target: string, extra: Record<string, unknown>) => Record<string, unknown>,
  writes: boolean,
): CargoTargetSteps {
  const c = input.cargoTargetCache;
  if (!c || input.remoteBuilder) return { before: [], after: [] };
  const prefix = `${c.keyPrefix}-${archScope}-`;
  const key = `${prefix}\${{ hashFiles(${c.hashFiles.map((f) => `'${f}'`).join(', ')}) }}`;
  const missed = `steps.${STEP.cargoTargetLookup}.outputs.cache-hit != 'true'`;
  // A value of this run's own, so the layer cache never stands for the seed or the export.
  const runArg = `${c.runArg}=\${{ github.run_id }}-\${{ github.run_attempt }}`;
  const builderContext = input.builderStage ? stepOutput(STEP.builder, BUILDER_CONTEXT_OUTPUT) : undefined;
  const before: Step[] = [
    {
      id: STEP.cargoTargetLookup,
      name: 'Look up the cargo target cache of this dependency set',
      uses: ACTIONS.cacheRestore,
      with: { 'path': RESTORED, 'key': key, 'restore-keys': prefix, 'lookup-only': true },
    },
    {
      id: STEP.cargoTargetRestore,
      name: 'Restore the newest cargo target cache (an earlier dependency set): the cook compiles only what changed',
      if: missed,
      uses: ACTIONS.cacheRestore,
      with: { 'path': RESTORED, 'key': key, 'restore-keys': prefix },
    },
    {
      id: STEP.cargoTargetSeed,
      name: 'Put the restored target folder into the cook\'s cache mount',
      if: `${missed} && steps.${STEP.cargoTargetRestore}.outputs.cache-matched-key != ''`,
      uses: ACTIONS.buildPush,
      with: buildPushWith(c.seedStage, {
        'build-contexts': [builderContext, `${c.importContext}=${RESTORED}`].filter(Boolean).join('\n'),
        'build-args': runArg,
        'outputs': 'type=cacheonly',
        'provenance': false,
        'sbom': false,
      }),
    },
  ];
  if (!writes) return { before, after: [] };
  const after: Step[] = [
    {
      id: STEP.cargoTargetExport,
      name: 'Export the cook\'s target folder from its cache mount',
      if: missed,
      uses: ACTIONS.buildPush,
      with: buildPushWith(c.exportStage, {
        'build-args': runArg,
        'outputs': `type=local,dest=${EXPORTED}`,
        'provenance': false,
        'sbom': false,
      }),
    },
    {
      id: STEP.cargoTargetMerge,
      name: 'Merge what the cook wrote into the restored folder (or take the whole export, when the cook started empty)',
      if: missed,
      shell: 'bash',
      env: { RESTORED, EXPORTED, MARK: c.deltaMark },
      run: [
        'if [ -f "$EXPORTED/$MARK" ]; then',
        '  rm "$EXPORTED/$MARK"',
        '  cp -a "$EXPORTED/." "$RESTORED/"',
        'else',
        '  rm -rf "$RESTORED"',
        '  mv "$EXPORTED" "$RESTORED"',
        'fi',
        'du -sh "$RESTORED"',
      ].join('\n'),
    },
    {
      id: STEP.cargoTargetSave,
      name: 'Save the cargo target cache of this dependency set',
      if: missed,
      uses: ACTIONS.cacheSave,
      with: { path: RESTORED, key },
    },
  ];
  return { before, after };
}
