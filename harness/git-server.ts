/**
 * A git server on loopback for the tests: `git daemon` serving repositories
 * the test makes itself, over the git protocol Cargo fetches with. The
 * machines the suite runs on reach no git host, and this serves the same
 * protocol a real one does. Commits are deterministic (fixed author, dates
 * and messages), so a repository made twice has the same revisions.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdirSync } from 'fs';
import { createServer, Socket } from 'net';
import { join } from 'path';
import { onCleanup, tempDir, writeFiles } from './temp';

/** A free TCP port on loopback (free when asked; the server binds it right after). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something listens on `port`, or rejects after `ms`. */
async function listening(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => { s.destroy(); resolve(false); });
      s.connect(port, '127.0.0.1');
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`git daemon did not listen on 127.0.0.1:${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: '/nonexistent',
};

export class GitServer {
  /** Starts `git daemon` on a free loopback port, serving the repositories under a fresh folder. */
  public static async start(): Promise<GitServer> {
    const root = tempDir('prd-git-');
    const port = await freePort();
    const proc = spawn('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${root}`, '--listen=127.0.0.1', `--port=${port}`, root], { stdio: 'ignore' });
    const server = new GitServer(root, port, proc);
    onCleanup(() => server.stop());
    await listening(port, 10_000);
    return server;
  }

  private constructor(private readonly root: string, public readonly port: number, private readonly proc: ChildProcess) {}

  /** The URL Cargo fetches repository `name` from. */
  public url(name: string): string {
    return `git://127.0.0.1:${this.port}/${name}`;
  }

  /**
   * Commits `files` to repository `name` (made on first use, branch main),
   * tags the commit with `tag` when given, and returns the commit's id.
   */
  public commit(name: string, files: Record<string, string>, message: string, tag?: string): string {
    const dir = join(this.root, name);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf-8' }).trim();
    mkdirSync(dir, { recursive: true });
    git('init', '-q', '-b', 'main');
    writeFiles(dir, files);
    git('add', '-A');
    git('commit', '-q', '-m', message);
    if (tag) git('tag', tag);
    return git('rev-parse', 'HEAD');
  }

  public stop(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGTERM');
  }
}
