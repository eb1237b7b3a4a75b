import type { ServerResponse } from 'node:http';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const NDJSON_TYPE = 'application/x-ndjson; charset=utf-8';

/** Extra response headers as a flat object. */
export type ExtraHeaders = Readonly<Record<string, string | number>>;

/** Answers `status` with a complete body (Content-Length set, so keep-alive needs no chunking). */
export function sendBody(res: ServerResponse, status: number, body: string | Buffer, contentType: string, headers: ExtraHeaders = {}): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': length, ...headers });
  res.end(body);
}

/** Answers `status` with `value` as JSON. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: ExtraHeaders = {}): void {
  sendBody(res, status, JSON.stringify(value), JSON_TYPE, headers);
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
 * Streams `chunks` (whole lines or JSON fragments) as a 200 answer in constant memory:
 * it waits for 'drain' whenever the socket buffer is full and stops pulling chunks as soon as
 * the client goes away. A body that fits in one chunk is sent with Content-Length. Resolves
 * true when the whole body was handed to the socket, false when the client left first.
 * A chunk that throws after the head was sent leaves the connection to be destroyed by the
 * caller's error handling: a truncated chunked body never looks complete. A HEAD request gets
 * the head only and resolves false.
 */
export async function streamChunks(res: ServerResponse, chunks: Iterator<string>, contentType: string, headers: ExtraHeaders = {}): Promise<boolean> {
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
      sendBody(res, 200, '', contentType, headers);
      return true;
    }
    let next = chunks.next();
    if (next.done) {
      sendBody(res, 200, first.value, contentType, headers);
      return true;
    }
    res.writeHead(200, { 'Content-Type': contentType, ...headers });
    let pending: string | undefined = first.value;
    let sinceYield = 0;
    while (pending !== undefined) {
      if (closed) return false;
      if (!res.write(pending)) {
        await writable(res);
        sinceYield = 0;
      } else if (++sinceYield >= 16) {
        // a socket that always accepts must still let other requests run
        await yieldToEventLoop();
        sinceYield = 0;
      }
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

/** Concatenates `parts` into chunks of about `chunkChars` characters (parts are never split). */
export function* chunked(parts: Iterable<string>, chunkChars = 64 * 1024): Generator<string> {
  let chunk = '';
  for (const p of parts) {
    chunk += p;
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
