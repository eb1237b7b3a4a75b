import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ENVELOPE_KINDS, envelopeItem, positionedItems, normalizePartition, normalizeSeed, randomSeed,
  type CompiledDomain, type EnvelopeKind, type GeneratorOptions, type Session, type SessionGenerator,
} from '../core/index.js';

import { checkReplayedIndex } from './replayedTypes.js';
import { createSessionExportWriter } from '../formats/index.js';
import { HttpError } from './httpError.js';
import { servedItemJson } from './itemJson.js';
import type { ServedType } from './servedTypes.js';
import { BULK_CHUNK_CHARS, JSON_TYPE, NDJSON_TYPE, STREAM_CHUNK_CHARS, chunked, encodedChunks, streamBytes, streamChunks } from './responseWriter.js';
import { parallelSessionExport, type OutputWritten } from '../export/index.js';
import { jsonResponse, ref } from './sidecarSchemas.js';
import type { ObjectSchema, PropertySchema } from './schemaValidator.js';
import type { CachedResponse, SidecarContext, SidecarLimits } from './sidecarContext.js';

const NDJSON_MEDIA = 'application/x-ndjson';

/**
 * Highest `session` index served: sessions start 30 min apart, so 10^9 of them end near the
 * year 59,000, inside what a Date can hold (the core does not bound the index itself).
 */
export const MAX_SESSION_INDEX = 1_000_000_000;

function wantsNdjson(req: FastifyRequest): boolean {
  const accept = req.headers.accept;
  return accept !== undefined && accept.includes(NDJSON_MEDIA);
}

/** The seed header value: percent-encoded, since a seed may hold any character. */
function seedHeader(seed: string): string {
  return /^[\w.~-]*$/.test(seed) ? seed : encodeURIComponent(seed);
}

function partitionOf(value: unknown): string {
  return normalizePartition(value ?? 0);
}

/** A validated query (see the routes' querystring schemas). */
interface GeneratorQuery {
  seed?: string;
  partition?: string;
  users?: number;
  start?: string;
  session?: number;
  count?: number;
  raw?: boolean;
  format?: 'json' | 'ndjson';
  envelope?: EnvelopeKind;
}

interface GeneratorParams {
  seed: string;
  /** True when the client gave the seed (the answer is then cacheable). */
  given: boolean;
  users?: number;
  start?: string | number;
}

/** `start`: epoch milliseconds when all digits, else the text (ISO-8601 or "now"; the core validates it). */
function startOf(v: string | undefined): string | number | undefined {
  return v !== undefined && /^-?\d{1,16}$/.test(v) ? Number(v) : v;
}

function generatorParams(q: GeneratorQuery): GeneratorParams {
  const given = q.seed === undefined ? undefined : normalizeSeed(q.seed, 'seed');
  return { seed: given ?? randomSeed(), given: given !== undefined, users: q.users, start: startOf(q.start) };
}

function generatorFor(sidecar: SidecarContext, p: GeneratorParams, domain: CompiledDomain | undefined): SessionGenerator {
  return sidecar.generators.get({ seed: p.seed, users: p.users, start: p.start, domain }, p.given);
}

/** Query properties shared by the generating routes (schemas drive validation and /openapi.json). */
export const GENERATOR_QUERY: Record<string, PropertySchema> = {
  seed: { type: 'string', description: 'Seed (an integer or text up to 256 characters). Default: a fresh random seed, reported in the answer and in X-Mockjutsu-Seed' },
  partition: { type: 'string', description: 'Partition key (default 0)' },
  users: { type: 'integer', minimum: 1, maximum: 10_000_000, description: 'Users sessions are drawn from (default 1000)' },
  start: { type: 'string', description: 'First session start: ISO-8601 instant, epoch ms or "now" (default 2025-01-01T00:00:00Z)' },
};
const RAW_FLAG: PropertySchema = { type: 'boolean', description: 'Answer bare items instead of the envelope (1, true, yes, 0, false, no)' };
const ENVELOPE: PropertySchema = {
  type: 'string', enum: ENVELOPE_KINDS,
  description: 'none (default), cloudevents or eventbridge: every event (the item, for other types) in a standard envelope, as the CLI\'s --envelope',
};
const FORMAT: PropertySchema = { type: 'string', enum: ['json', 'ndjson'], description: 'ndjson: one item (event) per line (default json, or ndjson when Accept asks for it)' };

const SEED_HEADER_DOC = { 'X-Mockjutsu-Seed': { description: 'The seed used (percent-encoded)', schema: { type: 'string' } } };
function typeParams(names: string[]): Record<string, unknown> {
  return { type: 'object', properties: { type: { type: 'string', description: 'A type or served domain name from GET /types', examples: names } }, required: ['type'] };
}

// ---------------------------------------------------------------------------- /generate/:type

function sendCached(reply: FastifyReply, response: CachedResponse): void {
  reply.hijack();
  reply.raw.writeHead(200, response.headers);
  reply.raw.end(response.body);
}

/** Key of a `/generate` answer in the response cache: the type, the raw query, the representation. */
export function generateCacheKey(type: string, rawQuery: string, accept: string | undefined): string {
  return type + '\n' + rawQuery + (accept !== undefined && accept.includes(NDJSON_MEDIA) ? '\nn' : '\nj');
}

/**
 * The cached answer of a `GET /generate/<type>?<query>` already answered once (so its query
 * was validated then), looked up from the raw request before any parsing; undefined otherwise.
 */
export function cachedGenerateAnswer(sidecar: SidecarContext, url: string, accept: string | undefined): CachedResponse | undefined {
  const qi = url.indexOf('?');
  const type = url.slice(10, qi < 0 ? url.length : qi); // after '/generate/'
  if (type.length === 0 || type.includes('/') || type.includes('%')) return undefined;
  return sidecar.responses.get(generateCacheKey(type, qi < 0 ? '' : url.slice(qi + 1), accept));
}

function handleGenerate(sidecar: SidecarContext, req: FastifyRequest, reply: FastifyReply): void {
  const ndjsonAccept = wantsNdjson(req);
  const params = req.params as { type: string };
  const url = req.raw.url ?? '';
  const qi = url.indexOf('?');
  const cacheKey = generateCacheKey(params.type, qi < 0 ? '' : url.slice(qi + 1), req.headers.accept);
  const hit = sidecar.responses.get(cacheKey);
  if (hit !== undefined) return sendCached(reply, hit);
  const q = req.query as GeneratorQuery;
  const served = sidecar.types.get(params.type);
  const type = served.type;
  const p = generatorParams(q);
  const k = q.session ?? 0;
  checkReplayedIndex(type.name, k, `session is ${k}`);
  const format = q.format ?? (ndjsonAccept ? 'ndjson' : 'json');
  const raw = q.raw ?? false;
  const partition = partitionOf(q.partition);
  const g = generatorFor(sidecar, p, served.domain);
  const envelope = q.envelope ?? 'none';
  const item = envelopeItem(type.name, type.item(g, partition, k, 1), envelope, g, partition, k);
  const json = envelope === 'none' ? servedItemJson(served, item) : JSON.stringify(item);
  let body: string;
  let contentType = JSON_TYPE;
  if (format === 'ndjson') {
    contentType = NDJSON_TYPE;
    body = served.eventJson !== undefined ? ndjsonOfSession(item as Session, envelope !== 'none' ? JSON.stringify : served.eventJson) : json + '\n';
  } else if (raw) {
    body = json;
  } else {
    body = '{"type":' + JSON.stringify(type.name) + ',"result":' + JSON.stringify(json) +
      ',"seed":' + JSON.stringify(g.seed) + ',"status":"ok"}';
  }
  const buffer = Buffer.from(body);
  const response: CachedResponse = {
    headers: ['Content-Type', contentType, 'Content-Length', buffer.length, 'X-Mockjutsu-Seed', seedHeader(g.seed)],
    body: buffer,
  };
  if (p.given && p.start !== 'now') sidecar.responses.set(cacheKey, response);
  sendCached(reply, response);
}

function ndjsonOfSession(session: Session, eventJson: (e: unknown) => string): string {
  let s = '';
  for (const e of session) s += eventJson(e) + '\n';
  return s;
}

// ---------------------------------------------------------------------------- /bulk/:type

/**
 * Items 0..count-1 of a partition, as `jutsu.bulk` makes them (event streams get consecutive
 * positions), each in `envelope` as `mockjutsu export --envelope` wraps it.
 */
function* bulkItems(served: ServedType, g: SessionGenerator, partition: string, count: number, envelope: EnvelopeKind = 'none'): Generator<unknown> {
  let i = 0;
  for (const item of positionedItems(served.type, g, partition, count)) yield envelopeItem(served.name, item, envelope, g, partition, i++);
}

function* bulkEnvelope(served: ServedType, g: SessionGenerator, partition: string, count: number, raw: boolean, envelope: EnvelopeKind): Generator<string> {
  yield raw ? '[' : '{"type":' + JSON.stringify(served.name) + ',"count":' + count + ',"seed":' + JSON.stringify(g.seed) + ',"result":[';
  let first = true;
  for (const item of bulkItems(served, g, partition, count, envelope)) {
    const json = envelope === 'none' ? servedItemJson(served, item) : JSON.stringify(item);
    yield (first ? '' : ',') + (raw ? json : JSON.stringify(json));
    first = false;
  }
  yield raw ? ']' : '],"status":"ok"}';
}

function* bulkNdjson(served: ServedType, g: SessionGenerator, partition: string, count: number, envelope: EnvelopeKind): Generator<string> {
  if (envelope !== 'none') {
    // the bytes of `mockjutsu export --format ndjson --envelope E`: one enveloped event (item) per line
    for (const item of bulkItems(served, g, partition, count, envelope)) {
      if (served.domain === undefined) {
        yield JSON.stringify(item) + '\n';
        continue;
      }
      let lines = '';
      for (const e of item as unknown[]) lines += JSON.stringify(e) + '\n';
      yield lines;
    }
    return;
  }
  for (const item of bulkItems(served, g, partition, count)) yield servedItemJson(served, item) + '\n';
}

/**
 * An NDJSON event_stream bulk of a domain: the single-thread export's path (`mockjutsu export
 * --format ndjson`: the export writer appends whole sessions of the partition's stream), in
 * chunks of BULK_CHUNK_CHARS encoded into reused Buffers. One event per line, continuous
 * positions: the bytes of ndjsonChunks(eventStream({ seed, users, start, partition, sessions,
 * domain })). The users are the generator's (a request's ?users=, else serve --users N|FILE).
 */
function* bulkSessionNdjson(g: SessionGenerator, domain: CompiledDomain, partition: string, count: number): Generator<string> {
  const writer = createSessionExportWriter({ format: 'ndjson', domain });
  const stream = g.stream(partition);
  let text = '';
  for (let i = 0; i < count; i++) {
    text = writer.append(text, stream.nextSession());
    if (text.length >= BULK_CHUNK_CHARS) {
      yield text;
      text = '';
    }
  }
  if (text !== '') yield text;
}

/** NDJSON bulks made by worker threads, per sidecar (see SidecarLimits.bulkWorkers): being made now, and started so far. */
const workerBulkCounts = new WeakMap<SidecarContext, { active: number; started: number }>();

/** NDJSON bulks made by worker threads: being made now, and started since the sidecar started. */
export function workerBulks(sidecar: SidecarContext): { active: number; started: number } {
  let counts = workerBulkCounts.get(sidecar);
  if (counts === undefined) workerBulkCounts.set(sidecar, (counts = { active: 0, started: 0 }));
  return counts;
}

/**
 * An NDJSON event_stream bulk made by a worker thread through the export's parallel writer
 * (`mockjutsu export --workers`: runs of sessions serialised into Buffers, positions put in
 * here): this event loop only fills the positions and writes, so other requests never wait on
 * the simulator. Same bytes as {@link bulkNdjson}.
 */
async function streamBulkByWorker(sidecar: SidecarContext, reply: FastifyReply, g: SessionGenerator, domain: CompiledDomain, partition: string, count: number, headers: Record<string, string>): Promise<void> {
  const options = { seed: g.seed, users: g.config.userRecords ?? g.config.users, start: g.config.startMs, domain };
  const counts = workerBulks(sidecar);
  counts.active++;
  try {
    const source = (output: OutputWritten): AsyncGenerator<Uint8Array> => {
      // Counted here: a HEAD request is answered before its source is asked for, and starts no worker.
      counts.started++;
      return parallelSessionExport(
        { options: options as GeneratorOptions, partitions: [partition], count, format: { format: 'ndjson' } },
        { threads: 1, stageHere: false, output },
      );
    };
    await streamBytes(reply, source, NDJSON_TYPE, headers);
  } finally {
    counts.active--;
  }
}

async function handleBulk(sidecar: SidecarContext, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const q = req.query as GeneratorQuery;
  const served = sidecar.types.get((req.params as { type: string }).type);
  const { maxJsonCount, maxNdjsonCount } = sidecar.limits;
  const format = q.format ?? (wantsNdjson(req) ? 'ndjson' : 'json');
  // the schema allows the NDJSON bound; JSON bodies are held whole, so they have a lower one
  const count = q.count!;
  if (format === 'json' && count > maxJsonCount) {
    throw new HttpError(400, 'INVALID_COUNT', `count is "${count}"; allowed: an integer from 1 to ${maxJsonCount} (format=ndjson streams up to ${maxNdjsonCount})`);
  }
  const raw = q.raw ?? false;
  const p = generatorParams(q);
  const partition = partitionOf(q.partition);
  const g = generatorFor(sidecar, p, served.domain);
  const headers = { 'X-Mockjutsu-Seed': seedHeader(g.seed), 'Cache-Control': 'no-store' };
  if (format === 'ndjson') {
    const envelope = q.envelope ?? 'none';
    const { bulkWorkers: maxWorkers, bulkWorkerSessions } = sidecar.limits;
    if (envelope === 'none' && served.domain !== undefined && served.eventJson !== undefined && count >= bulkWorkerSessions && workerBulks(sidecar).active < maxWorkers) {
      await streamBulkByWorker(sidecar, reply, g, served.domain, partition, count, headers);
      return;
    }
    if (envelope === 'none' && served.domain !== undefined) {
      const domain = served.domain;
      await streamBytes(reply, (output) => encodedChunks(bulkSessionNdjson(g, domain, partition, count), output), NDJSON_TYPE, headers);
      return;
    }
    await streamChunks(reply, chunked(bulkNdjson(served, g, partition, count, envelope)), NDJSON_TYPE, headers);
  } else {
    await streamChunks(reply, chunked(bulkEnvelope(served, g, partition, count, raw, q.envelope ?? 'none')), JSON_TYPE, headers);
  }
}

// ---------------------------------------------------------------------------- POST /template

function* templateEnvelope(types: ServedType[], generators: SessionGenerator[], partition: string, count: number, raw: boolean): Generator<string> {
  yield raw ? '[' : '{"status":"ok","seed":' + JSON.stringify(generators[0]!.seed) + ',"result":[';
  const columns = types.map((t, c) => positionedItems(t.type, generators[c]!, partition, count));
  for (let i = 0; i < count; i++) {
    let record = i === 0 ? '{' : ',{';
    types.forEach((t, c) => {
      const item = columns[c]!.next().value;
      const json = servedItemJson(t, item);
      record += (c === 0 ? '' : ',') + JSON.stringify(t.name) + ':' + (raw ? json : JSON.stringify(json));
    });
    yield record + '}';
  }
  yield raw ? ']' : ']}';
}

interface TemplateBody {
  types: string[];
  count: number;
  seed?: string | number;
  partition?: string | number;
  users?: number;
  start?: string | number;
}

async function handleTemplate(sidecar: SidecarContext, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const raw = (req.query as { raw?: boolean }).raw ?? false;
  const b = req.body as TemplateBody; // shape checked by the route's body schema
  const seen = new Set<string>();
  const types = b.types.map((t) => {
    const type = sidecar.types.get(t);
    if (seen.has(type.name)) throw new HttpError(400, 'INVALID_OPTION', `types lists ${JSON.stringify(type.name)} twice; each type can appear once`);
    seen.add(type.name);
    return type;
  });
  const given = b.seed === undefined ? undefined : normalizeSeed(b.seed);
  const p: GeneratorParams = { seed: given ?? randomSeed(), given: given !== undefined, users: b.users, start: b.start };
  const partition = partitionOf(b.partition);
  // one seed for every column; each domain's column from its own generator
  const generators = types.map((t) => generatorFor(sidecar, p, t.domain));
  await streamChunks(reply, chunked(templateEnvelope(types, generators, partition, b.count, raw)), JSON_TYPE, { 'X-Mockjutsu-Seed': seedHeader(generators[0]!.seed), 'Cache-Control': 'no-store' });
}

// ---------------------------------------------------------------------------- routes

/** The body schema of `POST /template`: validation and documentation. */
function templateBodySchema(limits: SidecarLimits, names: string[]): ObjectSchema {
  return {
    type: 'object',
    required: ['types', 'count'],
    additionalProperties: false,
    'x-code': 'INVALID_OPTION',
    'x-example': '{"types":["event_stream"],"count":1,"seed":42}',
    properties: {
      types: {
        type: 'array', items: { type: 'string' }, minItems: 1, description: 'Distinct type names',
        'x-allowed': `a non-empty array of type names (known: ${names.join(', ')})`,
      },
      count: { type: 'integer', minimum: 1, maximum: limits.maxJsonCount, 'x-code': 'INVALID_COUNT' },
      seed: { type: ['string', 'integer'], description: 'Default: a fresh random seed, reported in the answer', 'x-code': 'INVALID_SEED', 'x-allowed': 'a safe integer or a non-empty string of at most 256 characters' },
      partition: { type: ['string', 'integer'], 'x-allowed': 'a string of at most 512 characters or an integer' },
      users: { type: 'integer', minimum: 1, maximum: 10_000_000 },
      start: { type: ['string', 'integer'], description: 'ISO-8601 instant, epoch ms or "now"', 'x-allowed': '"now", an ISO-8601 instant or epoch milliseconds' },
    },
  };
}

/** `GET /generate/:type`, `GET /bulk/:type`, `POST /template`. */
export function registerGenerateRoutes(app: FastifyInstance): void {
  const sidecar = app.sidecar;
  const limits = sidecar.limits;
  app.get('/generate/:type', {
    schema: {
      summary: 'One item of a type (for event_stream: one session)',
      description: 'Deterministic for a given seed: byte-identical to jutsu.generate(type, { seed, session, partition, users, start }). ' +
        'The envelope carries the item as JSON text in `result` (mock-jutsu compatible); raw=1 answers the bare item; ' +
        'format=ndjson or Accept: application/x-ndjson answers one event per line.',
      params: typeParams(sidecar.types.names()),
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ...GENERATOR_QUERY,
          session: { type: 'integer', minimum: 0, maximum: MAX_SESSION_INDEX, description: 'Index of the item in the partition\'s sequence (default 0)' },
          raw: RAW_FLAG,
          format: FORMAT,
          envelope: ENVELOPE,
        },
      },
      response: {
        200: {
          description: 'The item',
          headers: SEED_HEADER_DOC,
          content: {
            'application/json': { schema: { oneOf: [ref('GenerateEnvelope'), ref('Item')] } },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
      },
    },
    handler: (req, reply) => handleGenerate(sidecar, req, reply),
  });
  app.get('/bulk/:type', {
    schema: {
      summary: 'Items 0..count-1 of a type',
      description: `JSON: count 1..${limits.maxJsonCount}, result items as JSON text strings (like /generate; raw=1 answers a bare array of objects). ` +
        `format=ndjson (or Accept: application/x-ndjson): count up to ${limits.maxNdjsonCount}, streamed in constant memory; for event_stream one event per ` +
        'line with continuous global positions, the same bytes as ndjsonChunks(eventStream({ seed, sessions: count })).',
      params: typeParams(sidecar.types.names()),
      querystring: {
        type: 'object',
        additionalProperties: false,
        required: ['count'],
        properties: {
          count: { type: 'integer', minimum: 1, maximum: limits.maxNdjsonCount, 'x-code': 'INVALID_COUNT', description: 'Number of items (sessions for event_stream)' },
          ...GENERATOR_QUERY,
          format: FORMAT,
          raw: RAW_FLAG,
          envelope: ENVELOPE,
        },
      },
      response: {
        200: {
          description: 'The items',
          headers: SEED_HEADER_DOC,
          content: {
            'application/json': { schema: { oneOf: [ref('BulkEnvelope'), { type: 'array', items: ref('Item') }] } },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
      },
    },
    handler: (req, reply) => handleBulk(sidecar, req, reply),
  });
  app.post('/template', {
    schema: {
      summary: 'Records with one field per type',
      description: 'Record i holds item i of each requested type, as jutsu.template(types, { count, seed }) builds it; field values are JSON text ' +
        `(raw=1: objects). Body limit ${limits.bodyBytes} bytes; Content-Type must be application/json.`,
      querystring: { type: 'object', additionalProperties: false, properties: { raw: RAW_FLAG } },
      body: templateBodySchema(limits, sidecar.types.names()),
      response: {
        200: { ...jsonResponse('The records', ref('TemplateEnvelope')), headers: SEED_HEADER_DOC },
        413: jsonResponse('Body over the limit', ref('Error')),
        415: jsonResponse('Content-Type is not application/json', ref('Error')),
      },
    },
    handler: (req, reply) => handleTemplate(sidecar, req, reply),
  });
}
