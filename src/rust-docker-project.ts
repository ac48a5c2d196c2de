import { existsSync, readFileSync } from 'fs';
import { join, posix, resolve } from 'path';
import { EndOfLine, github, javascript, Project, ProjectOptions, python as pythonProjen, TaskShell } from 'projen';
import { Defaults } from './defaults';
import { RustDockerImageOptions } from './options';
import { generatedFilesJob } from './private/ci/generated-files-job';
import { limitConcurrency } from './private/components/image-workflows';
import { RustDockerConfigError } from './private/errors';
import { listBinaries } from './private/project/binaries';
import { cargoLicense, findCargoRoot, handWrittenDockerFiles, handWrittenLines, hasOwnPackageJson, ignoresFolder, missingPackages, undoProjenNewInstall } from './private/project/bootstrap';
import { keepOwnAttributes } from './private/project/kept-attributes';
import { ownPackageJsonSpecs, packageName, projenrcPackages, PROJEN_RANGE, specsOf } from './private/project/npm-packages';
import { RustProjenrcPy, RustProjenrcTs } from './private/project/projenrc-files';
import { ProjenrcChoices } from './private/project/projenrc-text';
import { RustDockerImage } from './rust-docker-image';

/** What a new project does with the Dockerfile and `.dockerignore` a repository already has. */
export enum ExistingDockerFiles {
  /**
   * Leave them alone: the generated Dockerfile goes beside them as
   * `<image>.Dockerfile`, with its own `<image>.Dockerfile.dockerignore`
   * (which BuildKit reads for that Dockerfile).
   */
  KEEP = 'keep',
  /** Replace them with the generated files; an adopted `.dockerignore` keeps its own patterns below the generated ones. */
  ADOPT = 'adopt',
}

/** Options of `RustDockerProject`: a projen project's, and the image's. */
export interface RustDockerProjectOptions extends ProjectOptions, RustDockerImageOptions {
  /**
   * What to do with the repository's own Dockerfile and `.dockerignore`.
   * @default ExistingDockerFiles.KEEP
   */
  readonly existingDockerFiles?: ExistingDockerFiles;
  /**
   * `.gitignore` lines besides the generated ones, written verbatim and in
   * order (comments and blank lines too). Cargo's `target` folder and
   * `node_modules` are ignored as well, unless a line here already does.
   * @default - the lines of the repository's own `.gitignore` when projen first writes it, else none
   */
  readonly gitignore?: string[];
  /**
   * `.gitattributes` lines besides projen's, written verbatim and in order
   * (comments too) above projen's entries: Git LFS patterns, `eol` and
   * `linguist-*` rules. When there are any, projen adds no `* text=auto
   * eol=lf` line of its own unless `gitOptions.endOfLine` asks for one.
   * @default - the lines of the repository's own `.gitattributes` when projen first writes it, else none
   */
  readonly gitattributes?: string[];
  /**
   * npm packages the projenrc needs besides projen and constructs (and ts-node
   * and TypeScript for a `.projenrc.ts`), e.g. this library (`projen new --from` sets it).
   * @default ["projen-rust-docker"]
   */
  readonly devDeps?: string[];
  /**
   * Configure the project in `.projenrc.py` instead of `.projenrc.ts` (with
   * `pip install projen-rust-docker`; `npx projen` runs `python3 .projenrc.py`).
   * @default false
   */
  readonly projenrcPython?: boolean;
  /**
   * Add `.github/workflows/generated-files.yml`: on pull requests and pushes
   * it runs `npx projen` and fails, with the fix, when a generated file
   * differs from the commit (a Cargo.lock or Cargo.toml change, e.g. a
   * dependency update, that did not regenerate the Dockerfile and graph).
   * @default true
   */
  readonly checkGeneratedFiles?: boolean;
}

/** This library's version, as its package.json says (`0.0.0` in a build that is not a release). */
function libraryVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf-8')) as { version: string }).version;
}

/**
 * A teammate's fresh clone: what runs the projenrc is not installed yet.
 * `npx projen` runs the default task, whose first step now names what to
 * install; a Python projenrc also gets `requirements-dev.txt` for pip.
 */
function guardFreshClone(project: Project, python: boolean): void {
  if (python) {
    const version = libraryVersion();
    const requirements = new pythonProjen.RequirementsFile(project, 'requirements-dev.txt', {});
    requirements.addPackages(version === '0.0.0' ? 'projen-rust-docker' : `projen-rust-docker@${version}`);
    project.defaultTask?.prependExec(`python3 -c 'import projen_rust_docker' 2>/dev/null || { echo '${FRESH_CLONE_PY}' >&2; exit 1; }`, { shell: TaskShell.sh() });
    // jsii's Python runtime prints Node's end-of-life notice as raw bytes on every run; the variable lists the majors it is silenced for:
    // 20, the one in the engines range that is past its end of life (the README says it once).
    project.defaultTask?.env('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
  } else {
    project.defaultTask?.prependExec(`test -d node_modules/projen-rust-docker || { echo '${FRESH_CLONE_TS}' >&2; exit 1; }`, { shell: TaskShell.sh() });
  }
}

/** The workflow that fails when the committed generated files are not what `npx projen` writes. */
function addGeneratedFilesCheck(project: Project, python: boolean): void {
  const gh = github.GitHub.of(project);
  if (!gh) return;
  const wf = new github.GithubWorkflow(gh, 'generated-files');
  wf.on({ pullRequest: {}, push: {}, workflowDispatch: {} });
  limitConcurrency(wf);
  wf.addJobs({ check: generatedFilesJob({ python, runsOn: ['ubuntu-24.04'] }) });
}

/** NodePackage's licence options for a licence, or for none. */
function licenseOf(license: string | undefined): { licensed: boolean; license?: string } {
  return license ? { licensed: true, license } : { licensed: false };
}

/**
 * Refuses a repository's own package.json that lacks a package `npx projen`
 * runs with: projen does not write that file, so it must list them itself.
 */
function assertOwnPackageJsonHas(outdir: string, python: boolean): void {
  const specs = ownPackageJsonSpecs(python);
  const missing = missingPackages(outdir, specs.map(packageName));
  if (!missing.length) return;
  throw new RustDockerConfigError('package.json',
    `the repository's own package.json (projen leaves it as it is) does not list ${missing.join(', ')}, which npx projen needs`,
    `run npm install --save-dev ${specsOf(specs, missing).join(' ')}, then the same command again`);
}

/** What a fresh clone runs before `npx projen`. */
const FRESH_CLONE_TS = 'projen-rust-docker is not installed in node_modules (a fresh clone?): run npm ci, then npx projen';
const FRESH_CLONE_PY = 'projen_rust_docker is not installed for python3 (a fresh clone?): run python3 -m venv .venv && . .venv/bin/activate '
  + '&& pip install -r requirements-dev.txt && npm ci, then npx projen';

/**
 * A projen project for a Rust repository that ships container images: the
 * Dockerfile, `.dockerignore`, builder image, GitHub Actions workflows and
 * local tasks of a `RustDockerImage`, with projen's own files and nothing
 * else. Start one in an existing Rust repository with
 * `npx projen new --from projen-rust-docker --no-git`: it writes a
 * `.projenrc.ts` with what it found (Cargo's binaries, the repository's own
 * Docker and git files), installs what projen needs, and synthesizes. It
 * leaves every file it does not own as it was.
 *
 * @pjid rust-docker
 */
export class RustDockerProject extends Project {
  /** The image (set) of the project. */
  public readonly image: RustDockerImage;
  private readonly projenrcFile: string;

  constructor(options: RustDockerProjectOptions) {
    // Read before projen's constructor: it takes .gitattributes over. (A root project's outdir, as projen resolves it.)
    const attributes = options.gitattributes ?? (options.parent ? [] : handWrittenLines(resolve(options.outdir ?? '.'), '.gitattributes'));
    super({
      ...options,
      gitOptions: { ...options.gitOptions, endOfLine: options.gitOptions?.endOfLine ?? (attributes.length ? EndOfLine.NONE : undefined) },
      gitIgnoreOptions: { filterCommentLines: false, filterEmptyLines: false, ...options.gitIgnoreOptions },
    });
    keepOwnAttributes(this.gitattributes, attributes);
    const creating = process.env.PROJEN_CREATE_PROJECT === 'true';
    // Everything that can refuse the repository comes first; when it does during `projen new`, nothing of it stays.
    let binaries: { chosen: string[]; found: string[] } | undefined;
    let cratePath: string;
    let existing: string[];
    let keep: boolean;
    let gitignore: string[];
    const ownPackageJson = !options.parent && hasOwnPackageJson(this.outdir);
    try {
      if (ownPackageJson) assertOwnPackageJsonHas(this.outdir, options.projenrcPython ?? false);
      cratePath = options.cratePath ?? findCargoRoot(this.outdir);
      binaries = options.binary === undefined && options.binaries === undefined && creating ? listBinaries(this.outdir, cratePath) : undefined;
      existing = handWrittenDockerFiles(this.outdir, cratePath);
      keep = existing.length > 0 && (options.existingDockerFiles ?? ExistingDockerFiles.KEEP) === ExistingDockerFiles.KEEP;
      gitignore = options.gitignore ?? handWrittenLines(this.outdir, '.gitignore');

      // The image validates everything and reads Cargo before any file is written (it needs GitHub for its workflows).
      new github.GitHub(this, { mergify: false, pullRequestLint: false });
      this.image = new RustDockerImage(this, {
        ...options,
        cratePath,
        binary: binaries?.chosen.length === 1 ? binaries.chosen[0] : options.binary,
        binaries: binaries && binaries.chosen.length > 1 ? binaries.chosen : options.binaries,
        dockerfile: options.dockerfile ?? (keep ? `${binaries?.chosen[0] ?? options.binary ?? options.binaries?.[0] ?? 'image'}.Dockerfile` : undefined),
        dockerignore: { ...options.dockerignore, dockerfileSpecific: keep || options.dockerignore?.dockerfileSpecific },
        adoptExistingFiles: options.adoptExistingFiles ?? (existing.length > 0 && !keep),
      });
    } catch (e) {
      if (creating && undoProjenNewInstall(this.outdir)) {
        this.logger.warn('projen-rust-docker: nothing was set up, and the package.json and node_modules that projen new installed are removed: '
          + 'after the fix, run the same command again');
      }
      throw e;
    }
    // The repository's own lines first, verbatim; then what projen needs ignored and they do not ignore yet.
    const target = `/${posix.join(this.image.cratePath, 'target')}/`;
    this.gitignore.removePatterns(target);
    this.gitignore.addPatterns(...gitignore);
    const needed = [target, 'node_modules/', ...(options.projenrcPython ? ['/.venv/'] : [])];
    this.gitignore.exclude(...needed.filter((p) => !ignoresFolder(gitignore, p.replace(/^\/|\/$/g, ''))));

    const choices: ProjenrcChoices = {
      name: this.name,
      devDeps: options.devDeps,
      cratePath: options.cratePath ?? cratePath,
      binaries: this.image.binaries,
      found: binaries?.found ?? [],
      dockerFiles: existing.length ? { existing, keep, generated: [this.image.dockerfilePath, this.image.dockerignorePath] } : undefined,
      gitignore,
      gitattributes: attributes,
      python: options.projenrcPython ?? false,
    };
    // package.json holds the npm side in both cases: projen itself, and this library (which a
    // Python projenrc reaches through jsii); a .projenrc.ts also needs ts-node and TypeScript.
    // A repository's own package.json stays its own (it lists them: assertOwnPackageJsonHas).
    if (!ownPackageJson) this.addPackageJson(options, choices.python, cratePath);
    if (choices.python) new RustProjenrcPy(this, choices, PROJEN_RANGE);
    else new RustProjenrcTs(this, choices);
    guardFreshClone(this, choices.python);
    if (options.checkGeneratedFiles ?? true) addGeneratedFilesCheck(this, choices.python);
    this.projenrcFile = choices.python ? '.projenrc.py' : '.projenrc.ts';
  }

  /** The package.json projen writes: projen, this library and what the projenrc runs with, and the licence from Cargo. */
  private addPackageJson(options: RustDockerProjectOptions, python: boolean, cratePath: string): void {
    const pkg = new javascript.NodePackage(this, {
      packageManager: javascript.NodePackageManager.NPM,
      // A Python projenrc adds projen itself (at PROJEN_RANGE).
      devDeps: projenrcPackages(python, `projen@${PROJEN_RANGE}`, options.devDeps ?? ['projen-rust-docker']),
      entrypoint: '',
      // The licence of the shipped packages, as Cargo.toml says it (else none: UNLICENSED).
      ...licenseOf(cargoLicense(this.outdir, cratePath, this.image.binaries)),
    });
    pkg.addEngine('node', Defaults.NODE_VERSIONS);
    pkg.addField('private', true);
    pkg.file.addDeletionOverride('publishConfig');
  }

  /** After `projen new`: every file written, and what to do next. */
  public postSynthesize(): void {
    super.postSynthesize();
    if (process.env.PROJEN_CREATE_PROJECT !== 'true') return;
    // What projen wrote: a file it holds and leaves out when empty (.projen/deps.json without dependencies) is not listed.
    const files = [this.projenrcFile, ...this.files.map((f) => f.path)].filter((f) => existsSync(join(this.outdir, f))).sort();
    this.logger.info(`projen-rust-docker wrote ${files.length} files:\n${files.map((f) => `  ${f}`).join('\n')}`);
    this.logger.info([
      'Next:',
      `  1. review them (the last comments of ${this.projenrcFile} say what CI needs that could not be guessed), then git add and commit;`,
      `  2. npx projen docker:build builds ${this.image.imageNames[0]} for this machine (Docker with buildx);`,
      `  3. edit ${this.projenrcFile} and run npx projen to change anything.`,
    ].join('\n'));
  }
}
