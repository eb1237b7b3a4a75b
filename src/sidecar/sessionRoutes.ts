import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ENVELOPE_KINDS, normalizeSeed, type EnvelopeKind, type SessionGenerator, type UserRecord } from '../core/index.js';
import type { ServedType } from './servedTypes.js';
import { HttpError } from './httpError.js';
import { GeneratorCache } from './generatorCache.js';
import { checkReplayedIndex } from './replayedTypes.js';
import { JSON_TYPE, NDJSON_TYPE, chunked, streamChunks } from './responseWriter.js';
import type { PropertySchema } from './schemaValidator.js';
import type { BatchRequest, SessionUnit } from './sessionRegistry.js';
import type { SidecarContext } from './sidecarContext.js';
import { describeValue } from './safeText.js';
import { jsonResponse, ref } from './sidecarSchemas.js';
import { eventSchemaName, sessionSchemaName } from './domainSchemas.js';

interface StreamQuery {
  seed?: string;
  unit?: SessionUnit;
  from?: number;
  type?: string;
  users?: number;
  start?: string;
  n?: number;
  format?: 'json' | 'ndjson';
  envelope?: EnvelopeKind;
  user?: string;
  user_id?: string;
}

interface StreamParams {
  key: string;
  seed: string;
  unit: SessionUnit;
  from?: number;
  generator: SessionGenerator;
  generatorKey: string;
  served: ServedType;
  envelope: EnvelopeKind;
}

/** `start`: epoch milliseconds when all digits, else the text (ISO-8601; the core validates it). */
function startOf(v: string | undefined): string | number | undefined {
  return v !== undefined && /^-?\d{1,16}$/.test(v) ? Number(v) : v;
}

function streamParams(sidecar: SidecarContext, req: FastifyRequest): StreamParams {
  const key = (req.params as { key: string }).key;
  const max = sidecar.limits.maxKeyLength;
  if (key.length === 0 || key.length > max) throw new HttpError(400, 'INVALID_OPTION', `key is ${key.length} characters long; allowed: 1 to ${max} characters`);
  const q = req.query as StreamQuery;
  const seed = q.seed === undefined ? sidecar.defaultSeed : normalizeSeed(q.seed, 'seed');
  const served = sidecar.types.get(q.type ?? 'event_stream');
  // with from: checked here; the cursor's own index is checked in the registry's batch
  if (q.from !== undefined) checkReplayedIndex(served.name, q.from - 1 + (q.n ?? 1) - 1, `from is ${q.from}`);
  if (q.start === 'now') throw new HttpError(400, 'INVALID_OPTION', 'start is "now"; a key\'s stream must give the same items when asked again, so give an ISO-8601 instant or epoch milliseconds');
  const record = userRecordOf(sidecar, q);
  if (record !== undefined && q.users !== undefined) {
    throw new HttpError(400, 'INVALID_OPTION', `users is ${q.users} and ${q.user !== undefined ? 'user' : 'user_id'} is given; give users (how many users the sessions are drawn from) or one user, not both`);
  }
  const options = { seed, users: q.users, start: startOf(q.start), domain: served.domain, record };
  const generator = sidecar.generators.get(options);
  return { key, seed, unit: q.unit ?? 'event', from: q.from, generator, generatorKey: GeneratorCache.key(options), served, envelope: q.envelope ?? 'none' };
}

const MAX_USER_CHARS = 8192;

/**
 * The one user whose sessions are asked for: `?user=` (the record as JSON, e.g. an item a
 * JMeter thread drew from a pool) or `?user_id=` (a record of `serve --users FILE`); undefined
 * when neither is given. The record is checked by the generator (user_id or id required).
 */
function userRecordOf(sidecar: SidecarContext, q: StreamQuery): { value: UserRecord; key: string } | undefined {
  if (q.user !== undefined && q.user_id !== undefined) {
    throw new HttpError(400, 'INVALID_OPTION', 'give user (the record as JSON) or user_id (a user of serve --users FILE), not both');
  }
  if (q.user !== undefined) {
    if (q.user.length > MAX_USER_CHARS) throw new HttpError(400, 'INVALID_OPTION', `user is ${q.user.length} characters long; allowed: at most ${MAX_USER_CHARS} (the user's record as JSON)`);
    let value: unknown;
    try {
      value = JSON.parse(q.user);
    } catch (err) {
      throw new HttpError(400, 'INVALID_OPTION', `user is ${describeValue(q.user, 60)}, not JSON (${(err as Error).message}); expected the user's record as JSON, e.g. {"user_id":"u-1","email":"a@example.com"} (percent-encoded)`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new HttpError(400, 'INVALID_OPTION', `user is ${describeValue(value, 60)}; expected the user's record as a JSON object with a user_id (or id)`);
    }
    return { value: value as UserRecord, key: JSON.stringify(value) };
  }
  if (q.user_id !== undefined) {
    if (!sidecar.generators.hasRecords) {
      throw new HttpError(400, 'INVALID_OPTION', 'user_id needs the users of serve --users FILE, and this sidecar has none; give the record itself as user=<JSON>');
    }
    const value = sidecar.generators.recordOf(q.user_id);
    if (value === undefined) throw new HttpError(404, 'UNKNOWN_USER', `no user ${describeValue(q.user_id, 80)} among the users of serve --users FILE (matched on user_id, or id)`);
    return { value, key: JSON.stringify(value) };
  }
  return undefined;
}

function abortSignal(reply: FastifyReply): () => boolean {
  let gone = false;
  reply.raw.once('close', () => (gone = !reply.raw.writableFinished));
  return () => gone;
}

function* ndjsonLines(items: Iterator<string>): Generator<string> {
  for (let r = items.next(); !r.done; r = items.next()) yield r.value + '\n';
}

function* batchEnvelope(p: StreamParams, next: number, items: Iterator<string>): Generator<string> {
  yield '{"status":"ok","key":' + JSON.stringify(p.key) + ',"seed":' + JSON.stringify(p.seed) + ',"unit":"' + p.unit + '","items":[';
  let first = true;
  for (let r = items.next(); !r.done; r = items.next()) {
    yield (first ? '' : ',') + r.value;
    first = false;
  }
  yield '],"next":' + next + '}';
}

function batchOf(p: StreamParams): Omit<BatchRequest, 'n'> {
  return {
    generator: p.generator, generatorKey: p.generatorKey, type: p.served.type, domain: p.served.domain,
    unit: p.unit, key: p.key, from: p.from, envelope: p.envelope,
  };
}

async function handleBatch(sidecar: SidecarContext, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const p = streamParams(sidecar, req);
  const q = req.query as StreamQuery;
  const n = q.n!;
  const accept = req.headers.accept;
  const format = q.format ?? (accept !== undefined && accept.includes('application/x-ndjson') ? 'ndjson' : 'json');
  await sidecar.sessions.batch(
    { ...batchOf(p), n, isAborted: abortSignal(reply) },
    (_from, next, items) => {
      const headers = { 'X-Mockjutsu-Next': next, 'Cache-Control': 'no-store' };
      return format === 'ndjson'
        ? streamChunks(reply, chunked(ndjsonLines(items)), NDJSON_TYPE, headers)
        : streamChunks(reply, chunked(batchEnvelope(p, next, items)), JSON_TYPE, headers);
    },
  );
}

async function handleNext(sidecar: SidecarContext, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const p = streamParams(sidecar, req);
  await sidecar.sessions.batch(
    { ...batchOf(p), n: 1, isAborted: abortSignal(reply) },
    async (_from, next, items) => {
      const r = items.next();
      if (r.done) return false;
      const body = r.value;
      reply.hijack();
      reply.raw.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body), 'X-Mockjutsu-Next': next, 'Cache-Control': 'no-store' });
      reply.raw.end(body);
      return req.method !== 'HEAD'; // HEAD is safe: the cursor stays
    },
  );
}

const keyParams = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', description: 'The stream key (the core partition), percent-encoded: a JMeter thread key, a k6 VU id... 1 to 512 characters' } },
};
const STREAM_QUERY: Record<string, PropertySchema> = {
  seed: { type: 'string', description: 'Seed (default: the sidecar\'s --seed)' },
  unit: { type: 'string', enum: ['event', 'session'], default: 'event', description: 'Item: one event (.next()) or one whole session (.nextSession()); each unit has its own cursor' },
  from: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: '1-based index of the first item wanted in the key\'s stream; default: the server\'s cursor for (seed, key, unit). Asking the same from again gives the same bytes' },
  type: { type: 'string', default: 'event_stream', description: 'Type of the items: event_stream (the shop), a served domain\'s name (its sessions, e.g. bank), or another type from GET /types (indexed: item i is item i-1 of the type)' },
  users: { type: 'integer', minimum: 1, maximum: 10_000_000, description: 'Users sessions are drawn from (default 1000); part of the stream\'s identity, as the seed' },
  start: { type: 'string', description: 'First session start: ISO-8601 instant or epoch ms (default 2025-01-01T00:00:00Z); part of the stream\'s identity, as the seed' },
  envelope: { type: 'string', enum: [...ENVELOPE_KINDS], default: 'none', description: 'Each event (each item of other types) in a CloudEvents or EventBridge envelope, as export --envelope wraps it; the cursor is the same' },
  user: {
    type: 'string', maxLength: MAX_USER_CHARS,
    description: 'Sessions of this one user only: the user\'s record as JSON (e.g. an item drawn from a pool), as createSessionStream({ seed, users: [record], partition: key }); ' +
      'each (seed, record, key) has its own cursor',
  },
  user_id: { type: 'string', maxLength: 256, description: 'Sessions of this one user of serve --users FILE (matched on user_id, or id), as user=<its record>' },
};
const NEXT_HEADER_DOC = { 'X-Mockjutsu-Next': { description: 'The from value to ask for next', schema: { type: 'integer' } } };

/** `GET /sessions/:key/next` and `GET /sessions/:key/batch`: per-thread session streams (the JMeter bridge's contract). */
export function registerSessionRoutes(app: FastifyInstance): void {
  const sidecar = app.sidecar;
  app.get('/sessions/:key/next', {
    schema: {
      summary: 'The next item of a key\'s stream (bare JSON)',
      description: 'Item i of createSessionStream({ seed, partition: key, domain, users, start }): its .next() (unit=event) or .nextSession() (unit=session) sequence; ' +
        'type=NAME draws a served domain\'s sessions (event_stream: the shop).',
      params: keyParams,
      querystring: { type: 'object', additionalProperties: false, properties: STREAM_QUERY },
      response: {
        200: {
          ...jsonResponse('One event (or session) of the type asked for: of a served domain (the shop for event_stream), or an item of another type',
            { oneOf: [...sidecar.types.domains.flatMap((d) => [ref(eventSchemaName(d)), ref(sessionSchemaName(d))]), { type: 'object' }] }),
          headers: NEXT_HEADER_DOC,
        },
      },
    },
    handler: (req, reply) => handleNext(sidecar, req, reply),
  });
  app.get('/sessions/:key/batch', {
    schema: {
      summary: 'n consecutive items of a key\'s stream',
      description: 'Items from .. from+n-1 of the key\'s stream. format=ndjson (or Accept: application/x-ndjson): exactly n lines, each one event ' +
        '(unit=event) or one session as a JSON array (unit=session). Streams are kept in a bounded LRU and rebuilt exactly after eviction.',
      params: keyParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        required: ['n'],
        properties: {
          n: { type: 'integer', minimum: 1, maximum: sidecar.limits.maxBatch, 'x-code': 'INVALID_COUNT', description: 'Number of items' },
          ...STREAM_QUERY,
          format: { type: 'string', enum: ['json', 'ndjson'], description: 'Body format (default json, or ndjson when Accept asks for it)' },
        },
      },
      response: {
        200: {
          description: 'The items',
          headers: NEXT_HEADER_DOC,
          content: {
            'application/json': { schema: ref('BatchEnvelope') },
            'application/x-ndjson': { schema: { type: 'string', description: 'n lines' } },
          },
        },
      },
    },
    handler: (req, reply) => handleBatch(sidecar, req, reply),
  });
}
