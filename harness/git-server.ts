/**
 * A git server on loopback for the tests: `git daemon` serving repositories
 * the test makes itself, over the git protocol Cargo fetches with, or
 * `git http-backend` behind HTTP basic authentication (a private host: a
 * request without the token gets 401). The machines the suite runs on
 * reach no git host, and this serves the same protocols a real one does.
 * Commits are deterministic (fixed author, dates and messages), so a
 * repository made twice has the same revisions.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { existsSync, mkdirSync, readFileSync } from 'fs';
import { Socket } from 'net';
import { join } from 'path';
import { freePort } from './ports';
import { onCleanup, tempDir, writeFiles } from './temp';

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

/**
 * The smart-HTTP server, run by `node -e` in a process of its own (the
 * builds run with spawnSync, which would block a server in the test's own
 * event loop): basic authentication with user and token from argv, then
 * `git http-backend` as CGI. It appends one line per request to the log
 * file: the status and whether credentials came with it.
 */
const HTTP_SERVER = `
const http = require('http'); const { spawn } = require('child_process'); const fs = require('fs');
const [root, port, user, token, log] = process.argv.slice(1);
const expected = 'Basic ' + Buffer.from(user + ':' + token).toString('base64');
http.createServer((req, res) => {
  const auth = req.headers.authorization;
  const note = (status) => fs.appendFileSync(log, status + ' ' + (auth ? 'with-credentials' : 'anonymous') + ' ' + req.method + ' ' + req.url.split('?')[0] + '\\n');
  if (auth !== expected) { note(401); res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="private"' }); res.end(); return; }
  const [path, query = ''] = req.url.split('?');
  const cgi = spawn('git', ['http-backend'], { env: { ...process.env, GIT_PROJECT_ROOT: root, GIT_HTTP_EXPORT_ALL: '1', PATH_INFO: path, QUERY_STRING: query,
    REQUEST_METHOD: req.method, CONTENT_TYPE: req.headers['content-type'] || '', HTTP_CONTENT_ENCODING: req.headers['content-encoding'] || '',
    HTTP_GIT_PROTOCOL: req.headers['git-protocol'] || '', REMOTE_USER: user, REMOTE_ADDR: '127.0.0.1' } });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0); let done = false;
  cgi.stdout.on('data', (chunk) => {
    if (done) { res.write(chunk); return; }
    head = Buffer.concat([head, chunk]);
    const text = head.toString('latin1'); let end = text.indexOf('\\r\\n\\r\\n'); let skip = 4;
    if (end < 0) { end = text.indexOf('\\n\\n'); skip = 2; }
    if (end < 0) return;
    done = true; let status = 200; const headers = {};
    for (const line of text.slice(0, end).split(/\\r?\\n/)) {
      const i = line.indexOf(':'); const k = line.slice(0, i).trim(); const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === 'status') status = parseInt(v, 10); else headers[k] = v;
    }
    note(status); res.writeHead(status, headers); res.write(head.subarray(end + skip));
  });
  cgi.stdout.on('end', () => res.end());
}).listen(Number(port), '127.0.0.1');
`;

export class GitServer {
  /**
   * Starts `git daemon` on a free loopback port, serving the repositories
   * under a fresh folder; with `http`, a smart-HTTP server that answers only
   * requests that bring that user and token.
   */
  public static async start(options: { http?: { user: string; token: string } } = {}): Promise<GitServer> {
    const root = tempDir('prd-git-');
    const port = await freePort();
    const log = join(root, 'requests.log');
    const proc = options.http
      ? spawn(process.execPath, ['-e', HTTP_SERVER, root, String(port), options.http.user, options.http.token, log], { stdio: 'ignore' })
      : spawn('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${root}`, '--listen=127.0.0.1', `--port=${port}`, root], { stdio: 'ignore' });
    const server = new GitServer(root, port, proc, options.http ? 'http' : 'git', log);
    onCleanup(() => server.stop());
    await listening(port, 10_000);
    return server;
  }

  private constructor(
    private readonly root: string, public readonly port: number, private readonly proc: ChildProcess,
    private readonly scheme: 'git' | 'http', private readonly log: string,
  ) {}

  /** The URL Cargo fetches repository `name` from. */
  public url(name: string): string {
    return `${this.scheme}://127.0.0.1:${this.port}/${name}`;
  }

  /** The HTTP server's requests so far, one line each: status, `with-credentials` or `anonymous`, method and path. */
  public requests(): string[] {
    return existsSync(this.log) ? readFileSync(this.log, 'utf-8').split('\n').filter(Boolean) : [];
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
