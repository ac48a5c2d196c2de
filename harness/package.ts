/**
 * The library as it would be published: the npm tarball (`jsii` then
 * `npm pack`) and the Python wheel (`jsii-pacmak`), each built once per test
 * file into a temp folder.
 */
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { tempDir } from './temp';

export const ROOT = join(__dirname, '..');

let compiled = false;
let tarball: string | undefined;
let wheel: string | undefined;

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

function compile(): void {
  if (!compiled) run('npx', ['jsii']);
  compiled = true;
}

/** The npm tarball of the library, as `npm pack` makes it for publishing. */
export function packedLibrary(): string {
  if (tarball) return tarball;
  compile();
  const out = tempDir('prd-pack-');
  const name = run('npm', ['pack', '--pack-destination', out, '--silent']).trim().split('\n').pop()!;
  tarball = join(out, name);
  return tarball;
}

/** The npm spec that installs the packed library under its own name. */
export function packedSpec(): string {
  return `projen-rust-docker@file:${packedLibrary()}`;
}

/** The Python wheel of the library (jsii-pacmak). */
export function pythonWheel(): string {
  if (wheel) return wheel;
  compile();
  const out = tempDir('prd-pacmak-');
  run('npx', ['jsii-pacmak', '--target', 'python', '--outdir', out]);
  const file = readdirSync(join(out, 'python')).find((f) => f.endsWith('.whl'));
  if (!file) throw new Error('jsii-pacmak made no wheel');
  wheel = join(out, 'python', file);
  return wheel;
}

/** The projen version this repository builds with (the Python package must match it). */
export function projenVersion(): string {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', 'projen', 'package.json'), 'utf-8')).version;
}
