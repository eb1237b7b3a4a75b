// Runs `mockjutsu ...` inside the test process (runCli with captured streams): fast, and the
// source under test rather than dist/.
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

/** Streams that record what is written to them. */
export function captureIo() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  return { io: { stdout, stderr }, out: () => Buffer.concat(out).toString(), err: () => Buffer.concat(err).toString() };
}

/** `mockjutsu ...args` in process: its exit code and what it wrote. */
export async function cliInProcess(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo();
  const code = await runCli(args, c.io);
  return { code, out: c.out(), err: c.err() };
}
