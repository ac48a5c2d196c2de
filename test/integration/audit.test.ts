/**
 * The vulnerability gate, offline: a binary built with cargo auditable
 * (itoa 1.0.10 inside), a RustSec advisory database of the test's own (one
 * advisory, medium severity, flagging itoa before 1.0.11), and the generated
 * task script's `audit-bins` (the command CI's gate step runs) with
 * AUDIT_DB pointing at that database. The gate fails on the flagged crate,
 * passes once the advisory is ignored with a reason or below the failing
 * severity, and keeps a JSON report either way.
 */
import { spawnSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { newProject, simpleCrate } from '../../harness/projects';
import { skipNotice, tempDir, writeFiles } from '../../harness/temp';
import { missingTools, run, toolEnv } from '../../harness/tools';
import { AdvisorySeverity, RustDockerImage, VulnerabilityGateOptions } from '../../src';

jest.setTimeout(20 * 60 * 1000);

const missing = missingTools([['cargo'], ['cargo-auditable', ['auditable', '--version']], ['cargo-audit', ['audit', '--version']]]);
if (missing.length) skipNotice(`the offline vulnerability gate: missing ${missing.join(', ')}`);

const ADVISORY = [
  '```toml',
  '[advisory]',
  'id = "RUSTSEC-2099-0001"',
  'package = "itoa"',
  'date = "2099-01-01"',
  'url = "https://example.com/RUSTSEC-2099-0001"',
  'cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"',
  '',
  '[versions]',
  'patched = [">= 1.0.11"]',
  '```',
  '',
  '# A test advisory for itoa',
  '',
  'It flags every itoa before 1.0.11, for the vulnerability gate\'s test.',
  '',
].join('\n');

(missing.length ? describe.skip : describe)('the vulnerability gate with a local advisory database', () => {
  let bins: string;
  let db: string;

  beforeAll(() => {
    // A binary with cargo-auditable's dependency list, laid out as the binaries stage exports it.
    const crate = tempDir('prd-audit-crate-');
    writeFiles(crate, {
      'Cargo.toml': '[package]\nname = "vuln"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nitoa = "=1.0.10"\n',
      'src/main.rs': 'fn main() { let mut b = itoa::Buffer::new(); println!("{}", b.format(42)); }\n',
    });
    run('cargo auditable build --release --quiet', crate);
    bins = tempDir('prd-audit-bins-');
    mkdirSync(join(bins, 'linux_amd64'));
    copyFileSync(join(crate, 'target', 'release', 'vuln'), join(bins, 'linux_amd64', 'vuln'));
    db = tempDir('prd-audit-db-');
    writeFiles(db, { 'crates/itoa/RUSTSEC-2099-0001.md': ADVISORY });
  });

  /** Runs the generated gate (`audit-bins`) with `gate`'s policy; returns its status, output and reports. */
  function gate(policy: VulnerabilityGateOptions): { status: number | null; out: string; reports: string[] } {
    const project = newProject(simpleCrate('app'));
    new RustDockerImage(project, { vulnerabilityGate: policy });
    project.synth();
    const script = join(project.outdir, 'docker-app.sh');
    const reports = tempDir('prd-audit-reports-');
    const r = spawnSync('sh', [script, 'audit-bins', bins, reports], { encoding: 'utf-8', env: toolEnv({ AUDIT_DB: db }) });
    return { status: r.status, out: `${r.stdout}${r.stderr}`, reports: readdirSync(reports).map((f) => readFileSync(join(reports, f), 'utf-8')) };
  }

  test('every vulnerability fails by default: the flagged crate stops the gate, with a report', () => {
    const r = gate({});
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/RUSTSEC-2099-0001/);
    expect(r.out).toMatch(/the vulnerability gate failed for 1 of 1 binaries .*add the advisory to vulnerabilityGate\.ignore with its reason/);
    expect(r.reports).toHaveLength(1);
    expect(JSON.parse(r.reports[0]).vulnerabilities.list.map((v: any) => v.advisory.id)).toEqual(['RUSTSEC-2099-0001']);
  });

  test('an ignored advisory, with its reason, passes', () => {
    const r = gate({ ignore: [{ id: 'RUSTSEC-2099-0001', reason: 'the test binary formats no untrusted input' }] });
    expect({ status: r.status, out: r.out }).toEqual({ status: 0, out: expect.stringMatching(/the vulnerability gate passed for 1 binaries/) });
  });

  test('the failing severity: medium fails at MEDIUM and passes at HIGH', () => {
    expect(gate({ failOn: AdvisorySeverity.MEDIUM }).status).toBe(1);
    expect(gate({ failOn: AdvisorySeverity.HIGH }).status).toBe(0);
  });

  test('the database is the test\'s own: nothing was fetched', () => {
    expect(existsSync(join(db, '.git'))).toBe(false);
    expect(gate({}).out).toMatch(/Loaded 1 security advisor/);
  });
});
