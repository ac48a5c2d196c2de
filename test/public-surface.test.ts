/**
 * What TypeScript users see on a RustDockerImage: its documented members, and
 * no internals (the resolved options and the Dockerfile model are kept in
 * src/private/components/internals.ts, for the library and its tests).
 */
import { exampleProject } from '../harness/projects';
import { RustDockerImage } from '../src';
import { imageInternals } from '../src/private/components/internals';

test('the image exposes no underscore members; its internals are reachable only through the private module', () => {
  const image = new RustDockerImage(exampleProject(), {});
  const visible = Object.getOwnPropertyNames(image).filter((k) => k.startsWith('_'));
  expect(visible).toEqual([]);
  expect(imageInternals(image).resolved.binaries.map((b) => b.name)).toEqual(image.binaries);
  expect(imageInternals(image).model.stages.map((s) => s.name)).toContain('cook');
});

test('asking for the internals of anything else says so', () => {
  expect(() => imageInternals({})).toThrow(/not a RustDockerImage constructed by this library/);
});
