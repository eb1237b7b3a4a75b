import { lstat, open, readdir, readlink, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { fstat, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import { UsageError } from './cliCommand.js';

/** Where a command's output goes: stdout, or a file that only appears once complete. */
export interface OutputSink {
  /** Human name of the destination, for messages. */
  readonly name: string;
  /** True when an aborted run leaves nothing under the name (an atomic file). */
  readonly atomic: boolean;
  /** Writes a chunk (text is written as UTF-8); resolves when more may be written (backpressure). */
  write(chunk: string | Uint8Array): Promise<void>;
  /**
   * Resolves once every chunk written so far has left the caller's bytes (is in the kernel), so
   * a Buffer passed to {@link write} may be filled again. Undefined when the sink cannot tell
   * (a stream that may keep a reference, such as a PassThrough): then never reuse a Buffer.
   */
  readonly written?: () => Promise<void>;
  /** Everything was written: flush (and, for a file, fsync and rename into place). */
  finish(): Promise<void>;
  /** The output is incomplete: drop it (for a file, remove the temp file). Never throws. */
  abort(): Promise<void>;
}

/** Writes all of `buf` now (a write may take only part of it). */
function writeFullySync(fd: number, buf: Uint8Array): void {
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}

/** Writes all of `buf` (a write may take only part of it). */
async function writeFully(fh: FileHandle, buf: Uint8Array): Promise<void> {
  for (let off = 0; off < buf.length; ) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
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

/** Bytes a {@link StreamSink} lets wait in its stream before it waits for 'drain'. */
export const STREAM_AHEAD_BYTES = 1024 * 1024;

/** Writes to a stream (stdout), awaiting 'drain' once more than {@link STREAM_AHEAD_BYTES} wait. */
export class StreamSink implements OutputSink {
  readonly name = 'stdout';
  readonly atomic = false;
  readonly written?: () => Promise<void>;
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly stream: Writable) {
    // A stream on a file descriptor (stdout as a file, pipe or terminal) calls a write's callback
    // once the bytes went to the kernel, and writes in order: the last callback covers them all.
    if (typeof (stream as { fd?: unknown }).fd === 'number') this.written = () => this.last;
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    let accepted: boolean;
    if (this.written === undefined) accepted = this.stream.write(chunk);
    else {
      let done!: () => void;
      this.last = new Promise<void>((r) => (done = r));
      // An error also releases the bytes; it reaches us through 'error' (waitDrain) or the next write.
      accepted = this.stream.write(chunk, () => done());
    }
    // Up to STREAM_AHEAD_BYTES wait in the stream while this thread makes the next chunks: a
    // pipe (`| gzip`) is non-blocking, and a 'drain' after each chunk stopped the export until
    // the reader had taken it (a pipe holds 64 KB), so one thread worked while the other waited.
    if (!accepted && this.stream.writableLength > STREAM_AHEAD_BYTES) await waitDrain(this.stream);
    // Files are written synchronously, so 'drain' may never be needed: still let the event
    // loop run, or EPIPE and signals would wait for the end of the run.
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
  readonly atomic = true;
  private failure: Error | undefined;
  private closed = false;

  private constructor(readonly name: string, readonly finalPath: string, readonly tempPath: string, private readonly fh: FileHandle) {}

  /**
   * Creates the temp file next to `finalPath` (a regular file or a name not yet taken), after
   * removing temp files of the same name left by runs whose process is gone (SIGKILL, power loss).
   */
  static async open(name: string, finalPath: string): Promise<AtomicFileSink> {
    await removeStaleTempFiles(finalPath);
    const tempPath = join(dirname(finalPath), `${tempPrefix(finalPath)}${process.pid}-${randomBytes(4).toString('hex')}`);
    const fh = await open(tempPath, 'wx', 0o666);
    return new AtomicFileSink(name, finalPath, tempPath, fh);
  }


  /** Every write is complete when it resolves (see {@link write}). */
  readonly written = (): Promise<void> => Promise.resolve();

  /**
   * Writes synchronously: into the page cache, a copy. A write through the thread pool
   * (fs/promises) cost ~48 us of CPU per 64 KB chunk in hand-offs (~10% of an NDJSON export's
   * CPU), writeSync ~0.5 us plus the copy; then the event loop runs (signals, progress) before
   * the next chunk.
   */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    try {
      writeFullySync(this.fh.fd, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    } catch (e) {
      this.failure = e as Error;
      throw e;
    }
    await nextMacrotask();
  }

  async finish(): Promise<void> {
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
    if (!this.closed) {
      this.closed = true;
      await this.fh.close().catch(() => undefined);
    }
    await unlink(this.tempPath).catch(() => undefined);
  }
}

/**
 * Writes straight into an existing device, FIFO or socket (`/dev/null`, a named pipe,
 * `/proc/self/fd/1`): renaming a file over it would replace the node itself (as root, a new
 * regular `/dev/null`). Like stdout, an aborted run leaves what was written.
 */
export class WriteThroughSink implements OutputSink {
  readonly atomic = false;
  private constructor(readonly name: string, private readonly fh: FileHandle) {}

  static async open(name: string, path: string): Promise<WriteThroughSink> {
    return new WriteThroughSink(name, await open(path, 'w'));
  }

  /** Every write is complete when it resolves. */
  readonly written = (): Promise<void> => Promise.resolve();

  async write(chunk: string | Uint8Array): Promise<void> {
    await writeFully(this.fh, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  }

  async finish(): Promise<void> {
    await this.fh.close();
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

/** `.NAME.tmp-`: temp files of `finalPath` start with it and go on with `PID-RANDOM`. */
function tempPrefix(finalPath: string): string {
  return `.${basename(finalPath)}.tmp-`;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `.NAME.tmp-PID-*` files next to `finalPath` whose PID no longer runs. */
export async function removeStaleTempFiles(finalPath: string): Promise<string[]> {
  const prefix = tempPrefix(finalPath);
  const names = await readdir(dirname(finalPath)).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || processIsAlive(pid)) continue;
    const path = join(dirname(finalPath), name);
    if (await unlink(path).then(() => true, () => false)) removed.push(path);
  }
  return removed;
}

/** Where `--out` goes: written through (an existing non-regular file), or atomically at `finalPath`. */
export async function outputTarget(out: string): Promise<{ through: boolean; finalPath: string }> {
  const path = resolve(out);
  const own = await lstat(path).catch(() => undefined);
  if (own === undefined) return { through: false, finalPath: path };
  const followed = own.isSymbolicLink() ? await stat(path).catch(() => undefined) : own;
  // A dangling symlink: create the file it names, and keep the link.
  if (followed === undefined) return { through: false, finalPath: resolve(dirname(path), await readlink(path)) };
  if (followed.isDirectory()) throw new UsageError(`--out ${JSON.stringify(out)} is a directory; give a file name`);
  if (!followed.isFile()) return { through: true, finalPath: path };
  // A symlink to a file: replace the file, not the link.
  return { through: false, finalPath: own.isSymbolicLink() ? await realpath(path) : path };
}

async function isStdout(path: string, stdout: Writable): Promise<boolean> {
  const fd = (stdout as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return false;
  const [a, b] = await Promise.all([stat(path).catch(() => undefined), new Promise<Stats | undefined>((r) => fstat(fd, (e, st) => r(e ? undefined : st)))]);
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/**
 * stdout when `out` is undefined or "-"; an existing device, FIFO or socket is written through;
 * anything else is an atomic file.
 */
export async function openOutput(out: string | undefined, stdout: Writable): Promise<OutputSink> {
  if (out === undefined || out === '-') return new StreamSink(stdout);
  if (out === '') throw new UsageError('--out is empty; give a file name (or - for stdout)');
  try {
    const target = await outputTarget(out);
    if (!target.through) return await AtomicFileSink.open(out, target.finalPath);
    // Our own stdout under another name (/proc/self/fd/1): a socket cannot be opened again.
    if (await isStdout(target.finalPath, stdout)) return new StreamSink(stdout);
    return await WriteThroughSink.open(out, target.finalPath);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new Error(`cannot write --out ${JSON.stringify(out)}: ${(e as Error).message}`);
  }
}
