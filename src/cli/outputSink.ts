import { open, rename, unlink, stat, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import { UsageError } from './cliCommand.js';

/** Where a command's output goes: stdout, or a file that only appears once complete. */
export interface OutputSink {
  /** Human name of the destination, for messages. */
  readonly name: string;
  /** Writes a chunk; resolves when more may be written (backpressure). */
  write(chunk: string): Promise<void>;
  /** Everything was written: flush (and, for a file, fsync and rename into place). */
  finish(): Promise<void>;
  /** The output is incomplete: drop it (for a file, remove the temp file). Never throws. */
  abort(): Promise<void>;
}

function waitDrain(stream: Writable): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const done = (err?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (err) reject(err);
      else resolvePromise();
    };
    const onDrain = () => done();
    const onError = (e: Error) => done(e);
    const onClose = () => done(Object.assign(new Error('output closed'), { code: 'EPIPE' }));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** Writes to a stream (stdout), awaiting 'drain' when it is full. */
export class StreamSink implements OutputSink {
  readonly name = 'stdout';
  constructor(private readonly stream: Writable) {}

  async write(chunk: string): Promise<void> {
    if (!this.stream.write(chunk)) await waitDrain(this.stream);
    // Pipes and files are written synchronously on Linux, so 'drain' may never be needed:
    // still let the event loop run, or EPIPE and signals would wait for the end of the run.
    else await nextMacrotask();
  }

  async finish(): Promise<void> {
    if (this.stream.writableNeedDrain) await waitDrain(this.stream);
  }

  async abort(): Promise<void> {}
}

/**
 * Writes `path` atomically: into `.NAME.tmp-<pid>-<random>` in the same directory, then fsync
 * and rename over `path` in {@link finish}. On {@link abort} the temp file is removed, so no
 * partial file ever appears under the final name.
 */
export class AtomicFileSink implements OutputSink {
  private pending: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closed = false;

  private constructor(readonly name: string, readonly finalPath: string, readonly tempPath: string, private readonly fh: FileHandle) {}

  /** Creates the temp file next to `path`. */
  static async open(path: string): Promise<AtomicFileSink> {
    const finalPath = resolve(path);
    const existing = await stat(finalPath).catch(() => undefined);
    if (existing?.isDirectory()) throw new UsageError(`--out ${JSON.stringify(path)} is a directory; give a file name`);
    const tempPath = join(dirname(finalPath), `.${basename(finalPath)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    const fh = await open(tempPath, 'wx', 0o666);
    return new AtomicFileSink(path, finalPath, tempPath, fh);
  }

  private async writeAll(buf: Buffer): Promise<void> {
    for (let off = 0; off < buf.length; ) off += (await this.fh.write(buf, off, buf.length - off)).bytesWritten;
  }

  async write(chunk: string): Promise<void> {
    // One write in flight: the next chunk is generated while this one goes to disk.
    await this.pending;
    if (this.failure) throw this.failure;
    this.pending = this.writeAll(Buffer.from(chunk, 'utf8')).catch((e: Error) => {
      this.failure = e;
    });
  }

  async finish(): Promise<void> {
    await this.pending;
    if (this.failure) throw this.failure;
    await this.fh.sync();
    this.closed = true;
    await this.fh.close();
    await rename(this.tempPath, this.finalPath);
    // Make the rename itself durable; not every platform can fsync a directory.
    const dir = await open(dirname(this.finalPath), 'r').catch(() => undefined);
    if (dir) await dir.sync().catch(() => undefined).finally(() => dir.close());
  }

  async abort(): Promise<void> {
    await this.pending;
    if (!this.closed) {
      this.closed = true;
      await this.fh.close().catch(() => undefined);
    }
    await unlink(this.tempPath).catch(() => undefined);
  }
}

/** stdout when `out` is undefined or "-", else an atomic file. */
export async function openOutput(out: string | undefined, stdout: Writable): Promise<OutputSink> {
  if (out === undefined || out === '-') return new StreamSink(stdout);
  if (out === '') throw new UsageError('--out is empty; give a file name (or - for stdout)');
  try {
    return await AtomicFileSink.open(out);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new Error(`cannot write --out ${JSON.stringify(out)}: ${(e as Error).message}`);
  }
}
