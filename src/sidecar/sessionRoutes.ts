import { getDataType, type SessionGenerator } from '../core/index.js';
import { HttpError } from './httpError.js';
import { GeneratorCache } from './generatorCache.js';
import { jsonResponse, pathParam, queryParam, ref } from './openapiDocument.js';
import { JSON_TYPE, NDJSON_TYPE, chunked, streamChunks } from './responseWriter.js';
import type { RouteContext, SidecarRoute } from './router.js';
import type { SessionUnit } from './sessionRegistry.js';

interface StreamParams {
  key: string;
  seed: string;
  unit: SessionUnit;
  from?: number;
  generator: SessionGenerator;
  generatorKey: string;
}

function streamParams(ctx: RouteContext): StreamParams & { typeName: string } {
  const key = ctx.params.key!;
  const max = ctx.sidecar.limits.maxKeyLength;
  if (key.length > max) throw new HttpError(400, 'INVALID_OPTION', `key is ${key.length} characters long; allowed: 1 to ${max} characters`);
  const q = ctx.query();
  const seed = q.seed() ?? ctx.sidecar.defaultSeed;
  const typeName = getDataType(q.string('type') ?? 'event_stream').name;
  const unit = q.choice<SessionUnit>('unit', ['event', 'session'], 'event');
  const from = q.integer('from', 1, Number.MAX_SAFE_INTEGER);
  const generator = ctx.sidecar.generators.get({ seed });
  return { key, seed, unit, from, generator, generatorKey: GeneratorCache.key({ seed }), typeName };
}

function abortSignal(ctx: RouteContext): () => boolean {
  let gone = false;
  ctx.res.once('close', () => (gone = !ctx.res.writableFinished));
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

async function handleBatch(ctx: RouteContext): Promise<void> {
  const p = streamParams(ctx);
  const q = ctx.query();
  const max = ctx.sidecar.limits.maxBatch;
  if (!q.has('n')) throw new HttpError(400, 'INVALID_COUNT', `n is missing; allowed: an integer from 1 to ${max}`);
  const n = q.integer('n', 1, max, 'INVALID_COUNT')!;
  const accept = ctx.req.headers.accept;
  const format = q.choice('format', ['json', 'ndjson'], accept !== undefined && accept.includes('application/x-ndjson') ? 'ndjson' : 'json');
  await ctx.sidecar.sessions.batch(
    { generator: p.generator, generatorKey: p.generatorKey, type: getDataType(p.typeName), unit: p.unit, key: p.key, from: p.from, n, isAborted: abortSignal(ctx) },
    (_from, next, items) => {
      const headers = { 'X-Mockjutsu-Next': next, 'Cache-Control': 'no-store' };
      return format === 'ndjson'
        ? streamChunks(ctx.res, chunked(ndjsonLines(items)), NDJSON_TYPE, headers)
        : streamChunks(ctx.res, chunked(batchEnvelope(p, next, items)), JSON_TYPE, headers);
    },
  );
}

async function handleNext(ctx: RouteContext): Promise<void> {
  const p = streamParams(ctx);
  await ctx.sidecar.sessions.batch(
    { generator: p.generator, generatorKey: p.generatorKey, type: getDataType(p.typeName), unit: p.unit, key: p.key, from: p.from, n: 1, isAborted: abortSignal(ctx) },
    async (_from, next, items) => {
      const r = items.next();
      if (r.done) return false;
      const body = r.value;
      ctx.res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body), 'X-Mockjutsu-Next': next, 'Cache-Control': 'no-store' });
      ctx.res.end(body);
      return ctx.req.method !== 'HEAD'; // HEAD is safe: the cursor stays
    },
  );
}

const keyParam = pathParam('key', 'The stream key (the core partition), percent-encoded: a JMeter thread key, a k6 VU id... 1 to 512 characters');
const STREAM_QUERY_DOCS = [
  queryParam('seed', { type: 'string' }, 'Seed (default: the sidecar\'s --seed, see /health)'),
  queryParam('unit', { type: 'string', enum: ['event', 'session'], default: 'event' }, 'Item: one event (.next()) or one whole session (.nextSession()); each unit has its own cursor'),
  queryParam('from', { type: 'integer', minimum: 1 }, '1-based index of the first item wanted in the key\'s stream; default: the server\'s cursor for (seed, key, unit). Asking the same from again gives the same bytes'),
  queryParam('type', { type: 'string', default: 'event_stream' }, 'Type of the items (types other than event_stream are indexed: item i is item i-1 of the type)'),
];
const NEXT_HEADER_DOC = { 'X-Mockjutsu-Next': { description: 'The from value to ask for next', schema: { type: 'integer' } } };

/** `GET /sessions/:key/next` and `GET /sessions/:key/batch`: per-thread session streams (the JMeter bridge's contract). */
export function sessionRoutes(): SidecarRoute[] {
  return [
    {
      method: 'GET',
      path: '/sessions/:key/next',
      query: ['seed', 'unit', 'from', 'type'],
      handler: handleNext,
      openapi: {
        summary: 'The next item of a key\'s stream (bare JSON)',
        description: 'Item i of createSessionStream({ seed, partition: key }): its .next() (unit=event) or .nextSession() (unit=session) sequence.',
        parameters: [keyParam, ...STREAM_QUERY_DOCS],
        responses: { '200': { ...jsonResponse('One event (or session)', { oneOf: [ref('Event'), ref('Session'), { type: 'object' }] }), headers: NEXT_HEADER_DOC } },
      },
    },
    {
      method: 'GET',
      path: '/sessions/:key/batch',
      query: ['n', 'seed', 'unit', 'from', 'format', 'type'],
      handler: handleBatch,
      openapi: {
        summary: 'n consecutive items of a key\'s stream',
        description: 'Items from .. from+n-1 of the key\'s stream. format=ndjson (or Accept: application/x-ndjson): exactly n lines, each one event ' +
          '(unit=event) or one session as a JSON array (unit=session). Streams are kept in a bounded LRU and rebuilt exactly after eviction.',
        parameters: [
          keyParam,
          queryParam('n', { type: 'integer', minimum: 1, maximum: 10_000 }, 'Number of items', true),
          ...STREAM_QUERY_DOCS,
          queryParam('format', { type: 'string', enum: ['json', 'ndjson'] }, 'Body format (default json, or ndjson when Accept asks for it)'),
        ],
        responses: {
          '200': {
            description: 'The items',
            headers: NEXT_HEADER_DOC,
            content: {
              'application/json': { schema: ref('BatchEnvelope') },
              'application/x-ndjson': { schema: { type: 'string', description: 'n lines' } },
            },
          },
        },
      },
    },
  ];
}
