import { execFileSync } from 'child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { BuildkitDaemon, BuildRequest, BuildResult, expectOk, OciLayout, StandIns } from './buildkit';
import { newProject } from './projects';
import { tempDir } from './temp';
import { fullMatrix } from './workspace-cases';
import { Defaults, RustDockerImage, RustDockerImageOptions } from '../src';
import { imageInternals } from '../src/private/components/internals';

/** A synthesized project ready to build: its folder, component and generated files. */
export interface ImageProject {
  readonly dir: string;
  readonly image: RustDockerImage;
  readonly files: Record<string, string>;
}

/**
 * Copies `sources` into a fresh project folder, synthesizes it with
 * `options` (in a project named `projectName`), and writes the generated
 * files there (as `npx projen` would).
 */
export function synthProject(
  sources: string, options: RustDockerImageOptions = {}, customize?: (image: RustDockerImage) => void, projectName?: string,
): ImageProject {
  const dir = tempDir('prd-img-');
  cpSync(sources, dir, { recursive: true, filter: (src) => !/[\\/]target$/.test(src) });
  const project = newProject({}, dir, projectName);
  const image = new RustDockerImage(project, options);
  customize?.(image);
  project.synth();
  const files: Record<string, string> = {};
  for (const f of project.files) if (existsSync(join(dir, f.path))) files[f.path] = readFileSync(join(dir, f.path), 'utf-8');
  return { dir, image, files };
}

/** The named contexts of base images: the stand-ins of `refs` (an image reference -> its stand-in), or none with real bases. */
export function baseImageContexts(standIns: StandIns, refs: Record<string, OciLayout>): Record<string, OciLayout> {
  return standIns.real ? {} : refs;
}

/** The build request of a project's image, with the base images stood in (or, with real bases, pulled). */
export function imageRequest(p: ImageProject, standIns: StandIns, extra: Partial<BuildRequest> = {}): BuildRequest {
  const r = imageInternals(p.image).resolved;
  const refs: Record<string, OciLayout> = { [r.builder.baseImage]: standIns.builder };
  for (const b of r.binaries) {
    refs[b.runtime.baseImage] = b.runtime.baseImage === Defaults.GLIBC_RUNTIME_BASE_IMAGE ? standIns.runtimeGlibc : standIns.runtime;
  }
  const images = baseImageContexts(standIns, refs);
  return {
    context: join(p.dir, r.paths.contextPath),
    dockerfile: p.image.dockerfilePath.slice(r.paths.contextPath === '.' ? 0 : r.paths.contextPath.length + 1),
    platforms: r.platforms,
    images,
    ...extra,
    buildArgs: { IMAGE_VERSION: '0.1.0', ...extra.buildArgs },
  };
}

/**
 * The request with a builder image as the `rust-builder` named context, as CI
 * passes the published builder. The Rust base image's stand-in is dropped, so
 * a build that still reads it fails; `keepRustBase` keeps it, for a Dockerfile
 * whose library stages start from it (BuildKit reads its metadata).
 */
export function withPublishedBuilder(req: BuildRequest, builder: OciLayout, keepRustBase = false): BuildRequest {
  const images = Object.fromEntries(Object.entries(req.images ?? {}).filter(([ref]) => keepRustBase || !ref.startsWith('rust:')));
  return { ...req, images: { ...images, 'rust-builder': builder } };
}

/**
 * Where a builder image is built from: the project's rust-builder.Dockerfile
 * (the published builder, about 5 minutes of tool compiles on an empty
 * cache), or its Dockerfile's inline builder stage exported as an image,
 * which has the same tools and layout and whose layers every other build of
 * the suite already made.
 */
export enum BuilderSource {
  BUILDER_DOCKERFILE = 'rust-builder.Dockerfile',
  INLINE_STAGE = 'the inline builder stage',
}

/** The suite's choice: the builder's own Dockerfile in the full matrix (PRD_FULL_MATRIX=1, a recorded run), else the inline stage. */
export function suiteBuilderSource(): BuilderSource {
  return fullMatrix() ? BuilderSource.BUILDER_DOCKERFILE : BuilderSource.INLINE_STAGE;
}

/** The build of a project's builder image for linux/amd64, to `output`. */
function builderBuild(daemon: BuildkitDaemon, p: ImageProject, bases: StandIns, output: string, source: BuilderSource): BuildResult {
  const r = daemon.build(source === BuilderSource.INLINE_STAGE
    ? { ...imageRequest(p, bases), platforms: ['linux/amd64'], target: 'rust-builder', output }
    : {
      context: p.dir,
      dockerfile: 'rust-builder.Dockerfile',
      platforms: ['linux/amd64'],
      images: baseImageContexts(bases, { [imageInternals(p.image).resolved.builder.baseImage]: bases.builder }),
      output,
    });
  expectOk(r, `the builder image (${source})`);
  return r;
}

/** Builds a project's builder image for linux/amd64, as an OCI layout; throws with the log's tail when it fails. */
export function builderImage(
  daemon: BuildkitDaemon, p: ImageProject, bases: StandIns, source = BuilderSource.BUILDER_DOCKERFILE,
): { layout: OciLayout; ms: number } {
  const archive = join(tempDir('prd-builder-image-'), 'builder.tar');
  const r = builderBuild(daemon, p, bases, `type=oci,dest=${archive}`, source);
  const dir = tempDir('prd-builder-layout-');
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  return { layout: { dir, digest: JSON.parse(readFileSync(join(dir, 'index.json'), 'utf-8')).manifests[0].digest }, ms: r.ms };
}

/**
 * Publishes a project's builder image as the builder workflow does: built for
 * linux/amd64 and pushed to the reference its local tasks look for
 * (`builder.image` and the builder's tag, read from the generated script).
 * Returns that reference.
 */
export function pushBuilderImage(daemon: BuildkitDaemon, p: ImageProject, bases: StandIns, source = BuilderSource.BUILDER_DOCKERFILE): string {
  const script = p.files[`docker-${p.image.id}.sh`] ?? '';
  const ref = /imagetools inspect '([^']+)'/.exec(script)?.[1];
  if (!ref) throw new Error('the project names no published builder image (set builder.image)');
  builderBuild(daemon, p, bases, `type=image,name=${ref},push=true`, source);
  return ref;
}

/** Edits a file in place. */
export function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(readFileSync(file, 'utf-8')));
}

/** The ELF machine of a binary, as `readelf -h` names it (e.g. "Advanced Micro Devices X86-64", "AArch64"). */
export function elfMachine(path: string): string {
  return /Machine:\s+(.*)/.exec(execFileSync('readelf', ['-h', path], { encoding: 'utf-8' }))![1].trim();
}

/** Whether a binary has no program interpreter and no NEEDED libraries. */
export function isStatic(path: string): boolean {
  const program = execFileSync('readelf', ['-lW', path], { encoding: 'utf-8' });
  const dynamic = execFileSync('readelf', ['-dW', path], { encoding: 'utf-8' });
  return !program.includes('program interpreter') && !dynamic.includes('(NEEDED)');
}

/** The section names of an ELF file. */
export function sections(path: string): string[] {
  return execFileSync('readelf', ['-SW', path], { encoding: 'utf-8' }).split('\n').map((l) => /\]\s+(\S+)/.exec(l)?.[1]).filter((s): s is string => !!s);
}
