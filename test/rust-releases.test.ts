/** The Rust release facts the checks at synthesis rely on, against days Rust's release notes give. */
import { editionNeeds, firstRustFor, missingAlpineTag, rustReleaseDay } from '../src/private/cargo/rust-releases';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

test('the six-week train gives the release days of Rust\'s own notes', () => {
  expect(day(rustReleaseDay(56))).toBe('2021-10-21');
  expect(day(rustReleaseDay(85))).toBe('2025-02-20');
  expect(day(rustReleaseDay(100))).toBe('2026-11-12');
});

test('each edition\'s first Rust; a manifest without an edition is 2015', () => {
  expect([undefined, '2015', '2018', '2021', '2024', '2027'].map(editionNeeds)).toEqual(['1.0', '1.0', '1.31', '1.56', '1.85', undefined]);
});

test('tags: the first Rust of an Alpine release, and an unknown Alpine release is not judged', () => {
  expect(firstRustFor('3.23')).toBe('1.91');
  expect(missingAlpineTag('1.91.1', '3.23')).toBeUndefined();
  expect(missingAlpineTag('1.90.0', '3.23')).toMatch(/replaced by 1\.91 before Alpine 3\.23/);
  expect(missingAlpineTag('1.99.1', '3.24')).toBeUndefined();
  expect(missingAlpineTag('1.30', '3.30')).toBeUndefined();
});
