import type { ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionEvent } from '../../src/core/index.js';
import { spawnSidecar } from '../sidecar/sidecarTestKit.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The real `mockjutsu` bin. */
export const CLI = join(repoRoot, 'dist', 'cli.js');

/**
 * Kept for callers outside the replay tests (test/verify): dist/ is built once by the test
 * run (`node build.mjs` before mocha), so this only says so clearly when it is missing.
 */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node build.mjs before the tests`);
}

/** A temp directory, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `mockjutsu-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Answer<T = any> {
  status: number;
  body: T;
  text: string;
}

const sharedAgent = new Agent({ keepAlive: true, maxSockets: 32 });

/** One HTTP request; the body is parsed as JSON when it is JSON. */
export function call<T = any>(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent } = {}): Promise<Answer<T>> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? sharedAgent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, text });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** `POST /streams/:id` the way the k6 examples do: the event as the body, If-Match = its version - 1. */
export function postEvent(base: string, event: SessionEvent, options: { ifMatch?: string | null; agent?: Agent } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const ifMatch = options.ifMatch === undefined ? String(event.stream_version - 1) : options.ifMatch;
  if (ifMatch !== null) headers['If-Match'] = ifMatch;
  return call(`${base}/streams/${encodeURIComponent(event.stream_id)}`, { method: 'POST', headers, body: JSON.stringify(event), agent: options.agent });
}

/** A whole session as one batch, with the expected version of its first event. */
export function postSession(base: string, session: readonly SessionEvent[], agent?: Agent): Promise<Answer> {
  const first = session[0]!;
  return call(`${base}/streams/${encodeURIComponent(first.stream_id)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'If-Match': String(first.stream_version - 1) },
    body: JSON.stringify(session),
    agent,
  });
}

/** A sidecar running as a child process. */
export interface ChildServer {
  readonly child: ChildProcess;
  readonly url: string;
  stderr(): string;
  readonly exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

/** Starts `node dist/cli.js serve --host 127.0.0.1 --port 0 ...args` and waits until it listens. */
export async function spawnReplayServer(args: string[], timeoutMs = 20_000): Promise<ChildServer> {
  // The sidecar tests' launcher, so both suites wait for the same "listening" line the same way.
  const server = await spawnSidecar(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0', ...args], timeoutMs);
  children.add(server.child);
  void server.exited.then(() => children.delete(server.child));
  return server;
}

/** SIGKILLs every child this kit started that is still running, and waits for them. */
export async function killChildren(): Promise<void> {
  await Promise.all([...children].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  })));
}

/** Every record of a sidecar's global log. */
export async function readAll(base: string): Promise<any[]> {
  const out: any[] = [];
  let from = 1;
  for (;;) {
    const a = await call(`${base}/all?from=${from}&limit=1000`);
    if (a.status !== 200) throw new Error(`GET /all answered ${a.status}: ${a.text}`);
    out.push(...a.body.events);
    if (a.body.next_from === null) return out;
    from = a.body.next_from;
  }
}
