/**
 * The Dockerfile's escape hatch: typed instructions added to a stage from
 * .projenrc, rendered in place and kept across regenerations. (A real image
 * build of it is in test/integration/image-builds.test.ts.)
 */
import { Testing } from 'projen';
import { dockerfileProblems } from './util';
import { exampleProject } from '../harness/projects';
import { DockerfileStage, DockerInstruction, RustDockerImage } from '../src';

function synth(add: (image: RustDockerImage) => void): string {
  const project = exampleProject();
  const image = new RustDockerImage(project, {});
  add(image);
  return Testing.synth(project).Dockerfile as string;
}

test('instructions go to the end of the cook and build stages, and before USER in every runtime image', () => {
  const df = synth((image) => {
    image.addInstructions(DockerfileStage.BUILD, DockerInstruction.run('mkdir -p /app/extra', 'echo hello > /app/extra/greeting.txt'));
    image.addInstructions(DockerfileStage.RUNTIME,
      DockerInstruction.copy('/app/extra/greeting.txt', '/etc/greeting.txt', { from: 'build', chmod: '0644' }),
      DockerInstruction.env('GREETING_FILE', '/etc/greeting.txt'),
      DockerInstruction.label('org.example.team', 'platform'));
    image.addInstructions(DockerfileStage.COOK, DockerInstruction.env('COOKED', 'yes'));
  });
  expect(dockerfileProblems(df)).toEqual([]);
  const buildStage = df.slice(df.indexOf('FROM cook AS build'), df.indexOf('\nFROM ', df.indexOf('FROM cook AS build') + 1));
  expect(buildStage).toMatch(/\ndone\nEOF\nRUN mkdir -p \/app\/extra && echo hello > \/app\/extra\/greeting\.txt\n/);
  expect(df).toMatch(/COPY --from=build --chmod=0644 \/app\/extra\/greeting\.txt \/etc\/greeting\.txt\nENV GREETING_FILE="\/etc\/greeting\.txt"\nLABEL org\.example\.team="platform"\nUSER 65532:65532\n/);
  // After the cook's RUN, which ends by saving the cargo target cache.
  expect(df).toMatch(/cargo chef cook[^\n]*\n(?:[^\n]+\n){2}if [^\n]*"\$cache\/clean-kib"; fi\nEOF\nENV COOKED="yes"\n\n# Build:/);
});

test('a RUN in the runtime images is refused with the way to do it', () => {
  expect(() => synth((image) => image.addInstructions(DockerfileStage.RUNTIME, DockerInstruction.run('apk add curl'))))
    .toThrow(/addInstructions: a RUN in the runtime images would run on the target platform, emulated. Fix: run it in DockerfileStage.BUILD/);
});

test('values that would break the Dockerfile are refused, naming the field', () => {
  expect(() => DockerInstruction.run('echo a\nFROM evil')).toThrow(/DockerInstruction.run\[0\]: .* spans several lines/);
  expect(() => DockerInstruction.env('BAD NAME', 'x')).toThrow(/DockerInstruction.env name/);
  expect(() => DockerInstruction.copy('a', 'relative/path')).toThrow(/DockerInstruction.copy destination/);
  expect(() => DockerInstruction.copy('a', '/b', { chmod: 'rwx' })).toThrow(/DockerInstruction.copy chmod/);
});
