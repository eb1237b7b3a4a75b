import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One complete HTTP answer. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  bytes: Buffer;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  agent?: Agent | false;
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

/** GET (or any method) `base + path`, body read whole. */
export function call(base: string, path: string, options: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(base + path, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * GET `url` and read its body until more than `bytes` arrived, then drop the connection (a
 * client that goes away mid-stream). Resolves with the bytes read.
 */
export function readThenLeave(url: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      let got = 0;
      res.on('data', (c: Buffer) => {
        got += c.length;
        if (got > bytes) {
          req.destroy();
          resolve(got);
        }
      });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || e.message.includes('aborted') ? undefined : reject(e)));
    req.end();
  });
}

/** Polls `holds` every 20 ms until it is true or `timeoutMs` passed (the caller asserts after). */
export async function waitFor(holds: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!holds() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** The parsed JSON error body of a 4xx/5xx answer. */
export function errorOf(a: Answer): { code: string; message: string } {
  const parsed = JSON.parse(a.body) as { status: string; error: { code: string; message: string } };
  if (parsed.status !== 'error') throw new Error(`not an error body: ${a.body.slice(0, 200)}`);
  return parsed.error;
}

/** A sidecar running as a child process. */
export interface ChildSidecar {
  child: ChildProcess;
  url: string;
  seed: string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves to the exit code. */
  exited: Promise<number | null>;
}

const LISTENING = /^mockjutsu sidecar listening on (http:\/\/\S+) \(seed (.+)\)$/;

/**
 * Starts `command args` and waits for the "listening" line; rejects if the process exits or
 * prints something else first.
 */
export function spawnSidecar(command: string, args: string[], timeoutMs = 15_000, env?: NodeJS.ProcessEnv): Promise<ChildSidecar> {
  const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no listening line within ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = LISTENING.exec(line);
      if (m === null) {
        child.kill('SIGKILL');
        reject(new Error(`unexpected first stdout line: ${line.slice(0, 200)}`));
        return;
      }
      resolve({ child, url: m[1]!, seed: m[2]!, stderr: () => err, exited });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening; stderr: ${err}`));
    });
  });
}

/** The real bin (dist/ is built once before the tests). */
export const CLI = join(repoRoot, 'dist', 'cli.js');

/** `node dist/cli.js serve ...args` in its own process, once it listens. */
export function spawnServe(args: string[], env?: NodeJS.ProcessEnv): Promise<ChildSidecar> {
  return spawnSidecar(process.execPath, [CLI, 'serve', ...args], 15_000, env);
}

/** Resident set size of a process, bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/**
 * Sends raw bytes on a new socket, resolves to everything the server answered before closing (or
 * after `waitMs`). `end: true` half-closes the socket after the bytes (the client sends nothing more).
 */
export function rawExchange(port: number, bytes: string | Buffer, waitMs = 3000, options: { end?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (c: Buffer) => (got += c.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
    if (options.end === true) socket.end(bytes);
    else socket.write(bytes);
  });
}
