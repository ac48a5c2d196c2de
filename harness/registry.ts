/**
 * A local OCI registry (the distribution project's `registry`, built by
 * .ci/install-tools) serving HTTPS on a loopback port with the suite's own
 * certificates, and daemons that trust it: what a fleet of builders shares
 * its registry cache through.
 */
import { ChildProcess, spawn } from 'child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { request } from 'https';
import { networkInterfaces } from 'os';
import { join } from 'path';
import { BuildkitDaemon } from './buildkit';
import { freePort } from './ports';
import { TlsFiles } from './remote-buildkit';
import { onCleanup, tempDir } from './temp';
import { TOOLS_BIN } from './tools';

/**
 * The machine's first IPv4 address that is not loopback: the registry listens
 * there, because BuildKit and buildx speak plain HTTP to a loopback registry
 * (as Docker does), and a fleet's registry serves HTTPS.
 */
export function hostAddress(): string | undefined {
  return Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

/** A registry of the test's own: its own storage folder, stopped when the test file ends. */
export class LocalRegistry {
  /** Why a registry cannot run here, or undefined. */
  public static unavailable(): string | undefined {
    if (!existsSync(join(TOOLS_BIN, 'registry'))) return 'the registry (distribution) is not built (run .ci/install-tools)';
    return hostAddress() ? undefined : 'this machine has no IPv4 address but loopback, and a registry on loopback is spoken to in plain HTTP';
  }

  /** The host's address and the port, the host part of its image references. */
  public address = '';
  public readonly storage = tempDir('prd-registry-');
  private process?: ChildProcess;

  /** @param tls certificates whose server certificate names `hostAddress()` */
  constructor(private readonly tls: TlsFiles) {}

  public async start(): Promise<void> {
    const port = await freePort();
    this.address = `${hostAddress()}:${port}`;
    const config = join(this.storage, 'config.yml');
    writeFileSync(config, [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(this.storage, 'data')}`,
      'http:',
      `  addr: ${this.address}`,
      '  tls:',
      `    certificate: ${this.tls.serverCert}`,
      `    key: ${this.tls.serverKey}`,
      '',
    ].join('\n'));
    this.process = spawn(join(TOOLS_BIN, 'registry'), ['serve', config], { stdio: 'ignore', env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' } });
    onCleanup(() => this.stop());
    for (let i = 0; i < 100; i++) {
      if ((await this.get('/v2/').catch(() => undefined))?.status === 200) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    this.stop();
    throw new Error(`the registry did not answer at ${this.address}`);
  }

  /** An HTTPS GET on the registry's API, trusting the suite's CA. */
  public get(path: string, accept?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`https://${this.address}${path}`, { ca: readFileSync(this.tls.ca), headers: accept ? { Accept: accept } : {} }, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The tags of a repository (none when it does not exist). */
  public async tags(repository: string): Promise<string[]> {
    const r = await this.get(`/v2/${repository}/tags/list`);
    return r.status === 200 ? (JSON.parse(r.body).tags ?? []) : [];
  }

  /** Bytes of every blob the registry stores: what was pushed to it, each blob once. */
  public storedBytes(): number {
    const blobs = join(this.storage, 'data', 'docker', 'registry', 'v2', 'blobs');
    if (!existsSync(blobs)) return 0;
    const walk = (d: string): number => readdirSync(d, { withFileTypes: true })
      .reduce((n, e) => n + (e.isDirectory() ? walk(join(d, e.name)) : statSync(join(d, e.name)).size), 0);
    return walk(blobs);
  }

  public stop(): void {
    this.process?.kill('SIGTERM');
    this.process = undefined;
  }
}

/** A buildkitd with an empty root of its own that trusts the local registry's CA (as a fleet's daemons trust their registry). */
export class RegistryClientDaemon extends BuildkitDaemon {
  /** @param root its root (default: a fresh one) */
  constructor(private readonly registry: LocalRegistry, private readonly ca: string, root?: string) {
    super(root);
  }

  protected configArgs(): string[] {
    const file = join(this.root, 'buildkitd.toml');
    writeFileSync(file, `[registry."${this.registry.address}"]\n  ca = [${JSON.stringify(this.ca)}]\n`);
    return ['--config', file];
  }
}
