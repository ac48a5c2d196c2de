/**
 * The real-build suite's switch between stood-in and real base images
 * (PRD_REAL_BASES), both ways: on a machine with no registry the build
 * requests name stand-ins for the builder and runtime bases; on a GitHub
 * runner (real-builds.yml) they name none, so the daemon pulls the real
 * `rust:*-alpine` and distroless images, and no stand-in is made.
 */
import { BuildRequest, realBases, StandIns, standIns } from '../harness/buildkit';
import { imageRequest, synthProject } from '../harness/image-project';
import { EXAMPLE_OPTIONS, exampleSources } from '../harness/projects';
import { Defaults, Libc } from '../src';

const STAND_INS: StandIns = {
  builder: { dir: '/standins/builder', digest: 'sha256:b' },
  runtime: { dir: '/standins/runtime', digest: 'sha256:r' },
  runtimeGlibc: { dir: '/standins/runtime-glibc', digest: 'sha256:g' },
};
const BUILDER_BASE = `rust:${Defaults.RUST_VERSION}-alpine${Defaults.ALPINE_VERSION}`;

function withEnv<T>(value: string | undefined, f: () => T): T {
  const saved = process.env.PRD_REAL_BASES;
  if (value === undefined) delete process.env.PRD_REAL_BASES;
  else process.env.PRD_REAL_BASES = value;
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.PRD_REAL_BASES;
    else process.env.PRD_REAL_BASES = saved;
  }
}

describe('the base images of a real build: stood in, or pulled', () => {
  const musl = synthProject(exampleSources(), EXAMPLE_OPTIONS);
  const glibc = synthProject(exampleSources(), { libc: Libc.glibc('2.28') });

  test('by default the stand-ins: the builder\'s and each runtime\'s base are named contexts', () => {
    expect(withEnv(undefined, realBases)).toBe(false);
    expect(imageRequest(musl, STAND_INS).images).toEqual({ [BUILDER_BASE]: STAND_INS.builder, [Defaults.RUNTIME_BASE_IMAGE]: STAND_INS.runtime });
    expect(imageRequest(glibc, STAND_INS).images)
      .toEqual({ [BUILDER_BASE]: STAND_INS.builder, [Defaults.GLIBC_RUNTIME_BASE_IMAGE]: STAND_INS.runtimeGlibc });
  });

  test('PRD_REAL_BASES=1: no stand-in is made, and the requests name no base image, so the daemon pulls the real ones', () => {
    const real = withEnv('1', () => standIns());
    expect(real.real).toBe(true);
    const requests: BuildRequest[] = [imageRequest(musl, real), imageRequest(glibc, real)];
    for (const r of requests) expect(r.images).toEqual({});
    // Everything else of the request is the same as with stand-ins.
    const { images: _i, ...rest } = imageRequest(musl, real);
    const { images: _s, ...stoodIn } = imageRequest(musl, STAND_INS);
    expect(rest).toEqual(stoodIn);
  });

  test('any other value is not the switch', () => {
    expect(withEnv('true', realBases)).toBe(false);
    expect(withEnv('0', realBases)).toBe(false);
  });
});
