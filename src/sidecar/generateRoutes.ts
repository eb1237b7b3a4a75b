import {
  eventStream, getDataType, typeNames, normalizePartition, normalizeSeed, randomSeed, serializeEvent, checkInteger,
  MockjutsuError, type DataType, type Session, type SessionGenerator,
} from '../core/index.js';
import { ndjsonChunks } from '../formats/index.js';
import { HttpError } from './httpError.js';
import { itemJson } from './itemJson.js';
import { jsonResponse, pathParam, queryParam, ref } from './openapiDocument.js';
import type { QueryParams } from './queryParams.js';
import { JSON_TYPE, NDJSON_TYPE, chunked, streamChunks } from './responseWriter.js';
import type { RouteContext, SidecarRoute } from './router.js';
import type { CachedResponse } from './sidecarContext.js';

const NDJSON_MEDIA = 'application/x-ndjson';

function wantsNdjson(ctx: RouteContext): boolean {
  const accept = ctx.req.headers.accept;
  return accept !== undefined && accept.includes(NDJSON_MEDIA);
}

/** The seed header value: percent-encoded, since a seed may hold any character. */
function seedHeader(seed: string): string {
  return /^[\w.~-]*$/.test(seed) ? seed : encodeURIComponent(seed);
}

function partitionOf(value: unknown): string {
  return normalizePartition(value ?? 0);
}

interface GeneratorParams {
  seed: string;
  /** True when the client gave the seed (the answer is then cacheable). */
  given: boolean;
  users?: number;
  start?: string | number;
}

function generatorParams(q: QueryParams): GeneratorParams {
  const given = q.seed();
  return {
    seed: given ?? randomSeed(),
    given: given !== undefined,
    users: q.integer('users', 1, 10_000_000),
    start: q.start(),
  };
}

function generatorFor(ctx: RouteContext, p: GeneratorParams): SessionGenerator {
  return ctx.sidecar.generators.get({ seed: p.seed, users: p.users, start: p.start }, p.given);
}

const GENERATOR_QUERY_DOCS = [
  queryParam('seed', { type: 'string' }, 'Seed (an integer or text up to 256 characters). Default: a fresh random seed, reported in the answer and in X-Mockjutsu-Seed'),
  queryParam('partition', { type: 'string' }, 'Partition key (default 0)'),
  queryParam('users', { type: 'integer', minimum: 1, maximum: 10_000_000 }, 'Users sessions are drawn from (default 1000)'),
  queryParam('start', { type: 'string' }, 'First session start: ISO-8601 instant, epoch ms or "now" (default 2025-01-01T00:00:00Z)'),
];

const SEED_HEADER_DOC = { 'X-Mockjutsu-Seed': { description: 'The seed used (percent-encoded)', schema: { type: 'string' } } };

// ---------------------------------------------------------------------------- /generate/:type

function handleGenerate(ctx: RouteContext): void {
  const ndjsonAccept = wantsNdjson(ctx);
  const cacheKey = ctx.params.type + '\n' + ctx.rawQuery + (ndjsonAccept ? '\nn' : '\nj');
  const hit = ctx.sidecar.responses.get(cacheKey);
  if (hit !== undefined) {
    ctx.res.writeHead(200, hit.headers);
    ctx.res.end(hit.body);
    return;
  }
  const q = ctx.query();
  const type = getDataType(ctx.params.type);
  const p = generatorParams(q);
  const k = q.integer('session', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const format = q.choice('format', ['json', 'ndjson'], ndjsonAccept ? 'ndjson' : 'json');
  const raw = q.flag('raw', false);
  const partition = partitionOf(q.string('partition'));
  const g = generatorFor(ctx, p);
  const item = type.item(g, partition, k, 1);
  let body: string;
  let contentType = JSON_TYPE;
  if (format === 'ndjson') {
    contentType = NDJSON_TYPE;
    body = type.name === 'event_stream' ? ndjsonOfSession(item as Session) : itemJson(type.name, item) + '\n';
  } else if (raw) {
    body = itemJson(type.name, item);
  } else {
    body = '{"type":' + JSON.stringify(type.name) + ',"result":' + JSON.stringify(itemJson(type.name, item)) +
      ',"seed":' + JSON.stringify(g.seed) + ',"status":"ok"}';
  }
  const buffer = Buffer.from(body);
  const response: CachedResponse = {
    headers: ['Content-Type', contentType, 'Content-Length', buffer.length, 'X-Mockjutsu-Seed', seedHeader(g.seed)],
    body: buffer,
  };
  if (p.given && p.start !== 'now') ctx.sidecar.responses.set(cacheKey, response);
  ctx.res.writeHead(200, response.headers);
  ctx.res.end(buffer);
}

function ndjsonOfSession(session: Session): string {
  let s = '';
  for (const e of session) s += serializeEvent(e) + '\n';
  return s;
}

// ---------------------------------------------------------------------------- /bulk/:type

/** Items 0..count-1 of a partition, as `jutsu.bulk` makes them (event streams get consecutive positions). */
function* bulkItems(type: DataType<unknown>, g: SessionGenerator, partition: string, count: number): Generator<unknown> {
  let position = 1;
  for (let i = 0; i < count; i++) {
    const item = type.item(g, partition, i, position);
    position += type.positions(item);
    yield item;
  }
}

function* bulkEnvelope(type: DataType<unknown>, g: SessionGenerator, partition: string, count: number, raw: boolean): Generator<string> {
  yield raw ? '[' : '{"type":' + JSON.stringify(type.name) + ',"count":' + count + ',"seed":' + JSON.stringify(g.seed) + ',"result":[';
  let first = true;
  for (const item of bulkItems(type, g, partition, count)) {
    const json = itemJson(type.name, item);
    yield (first ? '' : ',') + (raw ? json : JSON.stringify(json));
    first = false;
  }
  yield raw ? ']' : '],"status":"ok"}';
}

function* bulkNdjson(type: DataType<unknown>, g: SessionGenerator, p: GeneratorParams, partition: string, count: number): Generator<string> {
  if (type.name === 'event_stream') {
    // the very pipeline the CLI uses: same bytes as ndjsonChunks(eventStream({ seed, sessions }))
    yield* ndjsonChunks(eventStream({ seed: p.seed, users: p.users, start: p.start, partition, sessions: count }));
    return;
  }
  for (const item of bulkItems(type, g, partition, count)) yield itemJson(type.name, item) + '\n';
}

async function handleBulk(ctx: RouteContext): Promise<void> {
  const q = ctx.query();
  const type = getDataType(ctx.params.type);
  const { maxJsonCount, maxNdjsonCount } = ctx.sidecar.limits;
  const format = q.choice('format', ['json', 'ndjson'], wantsNdjson(ctx) ? 'ndjson' : 'json');
  if (!q.has('count')) throw new HttpError(400, 'INVALID_COUNT', `count is missing; allowed: an integer from 1 to ${format === 'ndjson' ? maxNdjsonCount : maxJsonCount}`);
  const count = format === 'ndjson'
    ? q.integer('count', 1, maxNdjsonCount, 'INVALID_COUNT')!
    : q.integer('count', 1, maxJsonCount, 'INVALID_COUNT', ` (format=ndjson streams up to ${maxNdjsonCount})`)!;
  const raw = q.flag('raw', false);
  const p = generatorParams(q);
  const partition = partitionOf(q.string('partition'));
  const g = generatorFor(ctx, p);
  const headers = { 'X-Mockjutsu-Seed': seedHeader(g.seed), 'Cache-Control': 'no-store' };
  if (format === 'ndjson') {
    await streamChunks(ctx.res, chunked(bulkNdjson(type, g, p, partition, count)), NDJSON_TYPE, headers);
  } else {
    await streamChunks(ctx.res, chunked(bulkEnvelope(type, g, partition, count, raw)), JSON_TYPE, headers);
  }
}

// ---------------------------------------------------------------------------- POST /template

const TEMPLATE_FIELDS = ['types', 'count', 'seed', 'partition', 'users', 'start'];

function badBody(message: string): HttpError {
  return new HttpError(400, 'INVALID_OPTION', message);
}

function* templateEnvelope(types: Array<DataType<unknown>>, g: SessionGenerator, partition: string, count: number, raw: boolean): Generator<string> {
  yield raw ? '[' : '{"status":"ok","seed":' + JSON.stringify(g.seed) + ',"result":[';
  const positions = types.map(() => 1);
  for (let i = 0; i < count; i++) {
    let record = i === 0 ? '{' : ',{';
    types.forEach((t, c) => {
      const item = t.item(g, partition, i, positions[c]!);
      positions[c]! += t.positions(item);
      const json = itemJson(t.name, item);
      record += (c === 0 ? '' : ',') + JSON.stringify(t.name) + ':' + (raw ? json : JSON.stringify(json));
    });
    yield record + '}';
  }
  yield raw ? ']' : ']}';
}

async function handleTemplate(ctx: RouteContext): Promise<void> {
  const q = ctx.query();
  const raw = q.flag('raw', false);
  const body = await ctx.readJson();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badBody(`request body is ${Array.isArray(body) ? 'an array' : JSON.stringify(body)}; expected an object such as {"types":["event_stream"],"count":1,"seed":42}`);
  }
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) {
    if (!TEMPLATE_FIELDS.includes(k)) throw badBody(`unknown field ${JSON.stringify(k.slice(0, 60))}; allowed: ${TEMPLATE_FIELDS.join(', ')}`);
  }
  if (!Array.isArray(b.types) || b.types.length === 0) {
    throw badBody(`types is ${b.types === undefined ? 'missing' : JSON.stringify(b.types).slice(0, 60)}; expected a non-empty array of type names (known: ${typeNames().join(', ')})`);
  }
  const seen = new Set<string>();
  const types = b.types.map((t) => {
    const type = getDataType(t);
    if (seen.has(type.name)) throw badBody(`types lists ${JSON.stringify(type.name)} twice; each type can appear once`);
    seen.add(type.name);
    return type;
  });
  if (b.count === undefined) throw new HttpError(400, 'INVALID_COUNT', `count is missing; allowed: an integer from 1 to ${ctx.sidecar.limits.maxJsonCount}`);
  const count = checkInteger(b.count, 'count', 1, ctx.sidecar.limits.maxJsonCount, 'INVALID_COUNT');
  const given = b.seed === undefined ? undefined : normalizeSeed(b.seed);
  const users = b.users === undefined ? undefined : checkInteger(b.users, 'users', 1, 10_000_000);
  if (b.start !== undefined && typeof b.start !== 'string' && typeof b.start !== 'number') {
    throw new MockjutsuError('INVALID_OPTION', `start is ${JSON.stringify(b.start).slice(0, 60)}; allowed: "now", an ISO-8601 instant or epoch milliseconds`, 'start');
  }
  const p: GeneratorParams = { seed: given ?? randomSeed(), given: given !== undefined, users, start: b.start as string | number | undefined };
  const partition = partitionOf(b.partition);
  const g = generatorFor(ctx, p);
  await streamChunks(ctx.res, chunked(templateEnvelope(types, g, partition, count, raw)), JSON_TYPE, { 'X-Mockjutsu-Seed': seedHeader(g.seed), 'Cache-Control': 'no-store' });
}

// ---------------------------------------------------------------------------- routes

const typeParam = pathParam('type', 'A type name from GET /types', { type: 'string', examples: ['event_stream', 'user'] });

/** `GET /generate/:type`, `GET /bulk/:type`, `POST /template`. */
export function generateRoutes(): SidecarRoute[] {
  return [
    {
      method: 'GET',
      path: '/generate/:type',
      query: ['seed', 'session', 'partition', 'users', 'start', 'raw', 'format'],
      lazyQuery: true, // a cache hit is keyed by the raw query string, validated when first answered
      handler: handleGenerate,
      openapi: {
        summary: 'One item of a type (for event_stream: one session)',
        description: 'Deterministic for a given seed: byte-identical to jutsu.generate(type, { seed, session, partition, users, start }). ' +
          'The envelope carries the item as JSON text in `result` (mock-jutsu compatible); raw=1 answers the bare item; ' +
          'format=ndjson or Accept: application/x-ndjson answers one event per line.',
        parameters: [
          typeParam,
          ...GENERATOR_QUERY_DOCS,
          queryParam('session', { type: 'integer', minimum: 0 }, 'Index of the item in the partition\'s sequence (default 0)'),
          queryParam('raw', { type: 'string', enum: ['1', 'true', '0', 'false'] }, 'Answer the bare item instead of the envelope'),
          queryParam('format', { type: 'string', enum: ['json', 'ndjson'] }, 'ndjson: one event per line (default json, or ndjson when Accept asks for it)'),
        ],
        responses: {
          '200': {
            description: 'The item',
            headers: SEED_HEADER_DOC,
            content: {
              'application/json': { schema: { oneOf: [ref('GenerateEnvelope'), ref('Item')] } },
              'application/x-ndjson': { schema: { type: 'string' } },
            },
          },
        },
      },
    },
    {
      method: 'GET',
      path: '/bulk/:type',
      query: ['count', 'seed', 'partition', 'users', 'start', 'format', 'raw'],
      handler: handleBulk,
      openapi: {
        summary: 'Items 0..count-1 of a type',
        description: 'JSON: count 1..10,000, result items as JSON text strings (like /generate; raw=1 answers a bare array of objects). ' +
          'format=ndjson (or Accept: application/x-ndjson): count up to 10,000,000, streamed in constant memory; for event_stream one event per ' +
          'line with continuous global positions, the same bytes as ndjsonChunks(eventStream({ seed, sessions: count })).',
        parameters: [
          typeParam,
          queryParam('count', { type: 'integer', minimum: 1, maximum: 10_000_000 }, 'Number of items (sessions for event_stream)', true),
          ...GENERATOR_QUERY_DOCS,
          queryParam('format', { type: 'string', enum: ['json', 'ndjson'] }, 'Body format (default json)'),
          queryParam('raw', { type: 'string', enum: ['1', 'true', '0', 'false'] }, 'JSON only: a bare array of item objects'),
        ],
        responses: {
          '200': {
            description: 'The items',
            headers: SEED_HEADER_DOC,
            content: {
              'application/json': { schema: { oneOf: [ref('BulkEnvelope'), { type: 'array', items: ref('Item') }] } },
              'application/x-ndjson': { schema: { type: 'string' } },
            },
          },
        },
      },
    },
    {
      method: 'POST',
      path: '/template',
      query: ['raw'],
      handler: handleTemplate,
      openapi: {
        summary: 'Records with one field per type',
        description: 'Record i holds item i of each requested type, as jutsu.template(types, { count, seed }) builds it; field values are JSON text ' +
          '(raw=1: objects). Body limit 1 MiB; Content-Type must be application/json.',
        parameters: [queryParam('raw', { type: 'string', enum: ['1', 'true', '0', 'false'] }, 'Field values as objects instead of JSON text')],
        requestBody: { required: true, content: { 'application/json': { schema: ref('TemplateRequest') } } },
        responses: {
          '200': { description: 'The records', headers: SEED_HEADER_DOC, ...jsonResponse('The records', ref('TemplateEnvelope')) },
          '413': jsonResponse('Body over the limit', ref('Error')),
          '415': jsonResponse('Content-Type is not application/json', ref('Error')),
        },
      },
    },
  ];
}
