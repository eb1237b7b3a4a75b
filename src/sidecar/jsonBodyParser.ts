import type { FastifyRequest } from 'fastify';
import { jsonDepth } from '../core/index.js';
import { HttpError } from './httpError.js';
import { describeValue } from './safeText.js';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The sidecar's only body parser (fastify content-type parser for every type, so that every
 * refusal has our message): 415 unless the Content-Type is JSON, 400 for bytes that are not
 * UTF-8, an empty body, text that is not JSON, or JSON nested deeper than `maxDepth` (nothing
 * downstream then recurses over attacker input). fastify enforces the byte limit (413) first.
 */
export function parseJsonBody(req: FastifyRequest, body: Buffer, maxDepth: number): unknown {
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_MEDIA_TYPE.test(type)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type is ${type === undefined ? 'missing' : describeValue(type, 80)}; allowed: application/json`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', 'request body is not valid UTF-8; send JSON text encoded as UTF-8');
  }
  if (text.trim().length === 0) throw new HttpError(400, 'MALFORMED_JSON', 'request body is empty; expected a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8's messages quote at most a short excerpt of the input
    throw new HttpError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${String((err as Error).message).slice(0, 200)}`);
  }
  if (jsonDepth(value, maxDepth) > maxDepth) {
    throw new HttpError(400, 'BODY_TOO_DEEP', `request body nests more than ${maxDepth} levels deep; allowed: at most ${maxDepth}`);
  }
  return value;
}
