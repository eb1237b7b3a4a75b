import type { ServerResponse } from 'node:http';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import { textChunks } from '../core/index.js';
import { ChunkEncoder, type OutputWritten } from '../export/index.js';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const NDJSON_TYPE = 'application/x-ndjson; charset=utf-8';

/** Extra response headers as a flat object. */
export type ExtraHeaders = Readonly<Record<string, string | number>>;

/** Answers `status` with a complete body (Content-Length set, so keep-alive needs no chunking). */
export function sendBody(reply: FastifyReply, status: number, body: string | Buffer, contentType: string, headers: ExtraHeaders = {}): void {
  reply.hijack();
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  reply.raw.writeHead(status, { 'Content-Type': contentType, 'Content-Length': length, ...headers });
  reply.raw.end(body);
}

/** Answers `status` with `value` as JSON. */
export function sendJson(reply: FastifyReply, status: number, value: unknown, headers: ExtraHeaders = {}): void {
  sendBody(reply, status, JSON.stringify(value), JSON_TYPE, headers);
}

/** Resolves on 'drain' or 'close', whichever comes first. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams `chunks` (whole lines or JSON fragments) as a 200 answer in constant memory and
 * fairly: after every chunk it yields to the event loop (setImmediate), because on loopback
 * a fast reader's 'drain' comes back as a microtask and a loop that only awaited it would
 * never let other connections in. It waits for 'drain' when the socket buffer is full and
 * stops pulling chunks as soon as the client goes away. A body that fits in one chunk is sent
 * with Content-Length. Resolves true when the whole body was handed to the socket, false when
 * the client left first. A HEAD request gets the head only and resolves false.
 */
export async function streamChunks(reply: FastifyReply, chunks: Iterator<string>, contentType: string, headers: ExtraHeaders = {}): Promise<boolean> {
  reply.hijack();
  const res = reply.raw;
  let closed = false;
  const onClose = (): void => {
    closed = true;
  };
  res.once('close', onClose);
  try {
    if (res.req.method === 'HEAD') {
      // nothing is generated for HEAD, so nothing counts as delivered (a cursor must not move)
      res.writeHead(200, { 'Content-Type': contentType, ...headers });
      res.end();
      return false;
    }
    const first = chunks.next();
    if (first.done) {
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': 0, ...headers });
      res.end();
      return true;
    }
    let next = chunks.next();
    if (next.done) {
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(first.value), ...headers });
      res.end(first.value);
      return true;
    }
    res.writeHead(200, { 'Content-Type': contentType, ...headers });
    let pending: string | undefined = first.value;
    while (pending !== undefined) {
      if (closed) return false;
      if (!res.write(pending)) await writable(res);
      // every chunk: let accepts, timers and other requests run (see above)
      await yieldToEventLoop();
      if (closed) return false;
      if (next.done) {
        pending = undefined;
      } else {
        pending = next.value;
        next = chunks.next();
      }
    }
    if (closed) return false;
    res.end();
    return true;
  } finally {
    res.off('close', onClose);
    chunks.return?.();
  }
}

/**
 * Characters per streamed chunk. Each chunk is one turn of the event loop for its stream, so
 * this bounds how long one turn of several fast streams keeps a new request waiting.
 */
export const STREAM_CHUNK_CHARS = 16 * 1024;

/** Concatenates `parts` into chunks of about `chunkChars` characters (parts are never split). */
export function chunked(parts: Iterable<string>, chunkChars = STREAM_CHUNK_CHARS): Generator<string> {
  return textChunks(parts, (chunk, part) => chunk + part, { chunkChars });
}

/**
 * Streams the Buffers `source` makes (a bulk's UTF-8, made in this thread in bounded chunks or
 * by worker threads in runs) as a 200 answer: `output.written` tells the source when the
 * Buffers handed over so far have left for the socket, so it fills them again. After every
 * Buffer it yields to the event loop (see {@link streamChunks}); it waits for 'drain' when the
 * socket buffer is full and stops the source (its workers) as soon as the client goes away.
 * Resolves true when the whole body was handed to the socket, false when the client left
 * first or for HEAD (then nothing is made).
 */
export async function streamBytes(
  reply: FastifyReply, source: (output: OutputWritten) => AsyncGenerator<Uint8Array>, contentType: string, headers: ExtraHeaders = {},
): Promise<boolean> {
  reply.hijack();
  const res = reply.raw;
  if (res.req.method === 'HEAD') {
    res.writeHead(200, { 'Content-Type': contentType, ...headers });
    res.end();
    return false;
  }
  let closed = false;
  const onClose = (): void => {
    closed = true;
  };
  res.once('close', onClose);
  // Resolves once every chunk written so far was flushed (callbacks run in order).
  let flushed: Promise<void> = Promise.resolve();
  const output: OutputWritten = { written: () => flushed };
  const runs = source(output);
  try {
    res.writeHead(200, { 'Content-Type': contentType, ...headers });
    for await (const bytes of runs) {
      if (closed) return false;
      if (bytes.length === 0) continue;
      let done!: () => void;
      flushed = new Promise<void>((resolve) => (done = resolve));
      // Resolved on error too (the client went away: nothing more is sent), so that a source
      // waiting for its Buffer goes on to see the stream closed.
      if (!res.write(bytes, () => done())) await writable(res);
      await yieldToEventLoop();
    }
    if (closed) return false;
    res.end();
    return true;
  } catch (e) {
    // Headers are out: the client sees a cut chunked body, never a complete-looking one.
    res.destroy(e as Error);
    throw e;
  } finally {
    res.off('close', onClose);
    await runs.return(undefined);
  }
}

/**
 * Characters per chunk of {@link encodedChunks}: one turn of the event loop per chunk and stream
 * (~0.2 ms of generating here), 4x STREAM_CHUNK_CHARS: a quarter of the writes and the turns.
 */
export const BULK_CHUNK_CHARS = 64 * 1024;

/**
 * The UTF-8 of `chunks` in two Buffers used in turn (the export's ChunkEncoder), each filled
 * again once `output.written` says the socket took it: no Buffer and no string encoding per
 * write.
 */
export async function* encodedChunks(chunks: Iterable<string>, output: OutputWritten): AsyncGenerator<Uint8Array> {
  const encoder = new ChunkEncoder(output.written!);
  for (const chunk of chunks) {
    yield await encoder.encode(chunk);
    encoder.sent();
  }
}
