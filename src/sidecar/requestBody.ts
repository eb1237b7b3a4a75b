import type { IncomingMessage } from 'node:http';
import { HttpError } from './httpError.js';

/** Default limit of a request body: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads a JSON request body: 415 unless the Content-Type is JSON, 413 past `limit` bytes
 * (checked against Content-Length first, then while reading), 400 for bytes that are not
 * UTF-8 or text that is not JSON (the message gives the parser's reason).
 */
export async function readJsonBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_MEDIA_TYPE.test(type)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type is ${type === undefined ? 'missing' : JSON.stringify(type.slice(0, 80))}; allowed: application/json`, { Connection: 'close' });
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw tooLarge(Number(declared), limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(size, limit);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'BAD_REQUEST', `request body ended early (${(err as Error).message})`, { Connection: 'close' });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size));
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', 'request body is not valid UTF-8; send JSON text encoded as UTF-8');
  }
  if (text.trim().length === 0) throw new HttpError(400, 'MALFORMED_JSON', 'request body is empty; expected a JSON object');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

function tooLarge(size: number, limit: number): HttpError {
  // the rest of the body is not read, so the connection cannot be reused
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body is ${size} bytes or more; allowed: at most ${limit} bytes`, { Connection: 'close' });
}
