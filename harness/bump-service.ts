/**
 * The bump service of the cargo-target cache checks: a small service on
 * serde (serde and serde_core have build scripts, serde_derive is a proc
 * macro) and serde_json, its Cargo.lock made here by Cargo with serde at
 * `FROM`; the bump is `cargo update -p serde --precise TO`, which moves all
 * three. Cargo is the oracle of what a bump must compile again.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { tempDir, writeFiles } from './temp';
import { run } from './tools';

export const FROM = '1.0.226';
export const TO = '1.0.228';

/** The service's sources, with Cargo.lock made by Cargo and serde at `FROM`. */
export function serviceSources(): string {
  const dir = tempDir('prd-cargo-target-src-');
  writeFiles(dir, {
    'Cargo.toml': '[package]\nname = "bump-service"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
      + 'serde = { version = "1.0.226", features = ["derive"] }\nserde_json = "=1.0.145"\n\n[profile.release]\nstrip = true\n',
    'src/main.rs': [
      '#[derive(serde::Serialize)]',
      'struct Status { service: &\'static str, ok: bool }',
      'fn main() {',
      '    println!("{}", serde_json::to_string(&Status { service: "bump-service", ok: true }).unwrap());',
      '}',
      '',
    ].join('\n'),
  });
  run(`cargo generate-lockfile --quiet && cargo update --quiet -p serde --precise ${FROM}`, dir);
  return dir;
}

/** name@version of every registry package of a lock. */
export function lockedVersions(dir: string): Set<string> {
  const text = readFileSync(join(dir, 'Cargo.lock'), 'utf-8');
  return new Set([...text.matchAll(/name = "([^"]+)"\nversion = "([^"]+)"\nsource/g)].map((m) => `${m[1]}@${m[2]}`));
}

/** What Cargo says a bump must compile again: the changed packages and every package that depends on them (for any target), the service left out. */
export function mustRecompile(dir: string, changed: string[]): string[] {
  const names = new Set<string>();
  // cargo tree reads every package's manifest: fetch them first, so the answer never depends on what an earlier check downloaded.
  run('cargo fetch --locked --quiet', dir);
  for (const spec of changed) {
    const out = run(`cargo tree --locked --offline --invert ${spec} --target all -e normal,build --prefix none`, dir).out;
    for (const line of out.split('\n')) {
      const name = line.trim().split(' ')[0];
      if (name && name !== 'bump-service') names.add(name);
    }
  }
  return [...names].sort();
}

/** Bumps serde to `TO` in the service at `dir`; returns the name@version of every package that changed. */
export function bumpSerde(dir: string): string[] {
  const before = lockedVersions(dir);
  run(`cargo update --quiet -p serde --precise ${TO}`, dir);
  return [...lockedVersions(dir)].filter((v) => !before.has(v));
}
