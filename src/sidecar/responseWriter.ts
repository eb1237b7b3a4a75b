import type { ServerResponse } from 'node:http';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import { textChunks } from '../core/index.js';

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
