import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import {
  ENVELOPE_KINDS, MockjutsuError, createEventMocker, normalizePartition, normalizeSeed,
  type EnvelopeKind, type EventMocker, type SchemaInfo, type SchemaMode,
} from '../core/index.js';
import { jsonArrayChunks, jsonLineChunks } from '../formats/index.js';
import { loadSchemaFile, parseSchemaText } from '../schemaFiles/index.js';
import { HttpError } from './httpError.js';
import { JSON_TYPE, NDJSON_TYPE, STREAM_CHUNK_CHARS, sendJson, streamChunks } from './responseWriter.js';
import { describeValue } from './safeText.js';
import type { ObjectSchema, PropertySchema } from './schemaValidator.js';
import type { SidecarContext } from './sidecarContext.js';
import { jsonResponse, ref } from './sidecarSchemas.js';

/** Names of schemas registered with `serve --schema NAME=FILE` (also a JMeter function argument). */
export const SCHEMA_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** One schema file to register: `NAME=FILE` or `NAME=FILE#REF`. */
export interface MockEventSchemaSource {
  name: string;
  file: string;
  /** Which schema of the document (as `mock-event --ref`). */
  ref?: string;
}

/** A schema loaded and compiled once at start, served at `GET /mock-event/NAME`. */
export interface RegisteredSchema {
  readonly name: string;
  readonly ref?: string;
  /** The document with its file `$ref`s bundled in (what `loadSchemaFile` returns). */
  readonly document: object;
  readonly info: SchemaInfo;
}

/**
 * Parses `NAME=FILE` or `NAME=FILE#REF` (REF a component/message name, or `#/json/pointer`
 * written `FILE#/json/pointer`): the first `=` ends NAME, the first `#` after it starts REF.
 */
export function parseSchemaSpec(spec: string): MockEventSchemaSource {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new MockjutsuError('INVALID_OPTION', `--schema ${JSON.stringify(spec)} is not NAME=FILE; give e.g. --schema order=./order.yaml#OrderCreated`, 'schema');
  const name = spec.slice(0, eq);
  const rest = spec.slice(eq + 1);
  if (!SCHEMA_NAME.test(name)) throw new MockjutsuError('INVALID_OPTION', `--schema name ${JSON.stringify(name)} is not allowed; allowed: 1 to 64 characters among A-Z a-z 0-9 _ . -`, 'schema');
  const hash = rest.indexOf('#');
  const file = hash < 0 ? rest : rest.slice(0, hash);
  const refText = hash < 0 ? undefined : rest.slice(hash + 1);
  if (file.length === 0) throw new MockjutsuError('INVALID_OPTION', `--schema ${JSON.stringify(spec)} has no FILE after "${name}="`, 'schema');
  if (refText !== undefined && refText.length === 0) throw new MockjutsuError('INVALID_OPTION', `--schema ${JSON.stringify(spec)} has an empty REF after "#"`, 'schema');
  const ref = refText === undefined ? undefined : refText.startsWith('/') ? '#' + refText : refText;
  return { name, file, ...(ref === undefined ? {} : { ref }) };
}

/**
 * Loads each file (bundling its `$ref`s to other files) and compiles it in both modes, so that
 * a bad file, an unknown ref or an unsatisfiable schema fails now, naming the schema; names
 * must be distinct.
 */
export async function loadMockEventSchemas(sources: readonly MockEventSchemaSource[]): Promise<RegisteredSchema[]> {
  const out: RegisteredSchema[] = [];
  for (const s of sources) {
    if (!SCHEMA_NAME.test(s.name)) throw new MockjutsuError('INVALID_OPTION', `schema name ${JSON.stringify(s.name)} is not allowed; allowed: 1 to 64 characters among A-Z a-z 0-9 _ . -`, 'schema');
    if (out.some((r) => r.name === s.name)) throw new MockjutsuError('INVALID_OPTION', `schema name ${JSON.stringify(s.name)} is given twice; each NAME once`, 'schema');
    try {
      const document = await loadSchemaFile(s.file);
      let info: SchemaInfo | undefined;
      for (const mode of ['realistic', 'barebone'] as const) {
        info = createEventMocker({ schema: document, parseText: parseSchemaText, ref: s.ref, mode, seed: 0 }).generator.info;
      }
      out.push({ name: s.name, document, info: info!, ...(s.ref === undefined ? {} : { ref: s.ref }) });
    } catch (err) {
      if (err instanceof MockjutsuError) throw new MockjutsuError(err.code, `schema ${s.name} (${s.file}${s.ref === undefined ? '' : ', ref ' + s.ref}): ${err.message}`, 'schema');
      throw err;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------- limits of posted schemas

/** A posted schema may not ask for more than these (a registered file is the operator's, unchecked). */
export const POSTED_SCHEMA_LIMITS = Object.freeze({
  /** Largest minItems / minProperties / minContains / prefixItems length. */
  count: 1000,
  /** Largest minLength, and largest repetition count inside a pattern. */
  length: 10_000,
  /** Largest product of array and object lower bounds (minItems, minProperties) along one path of the document. */
  nested: 100_000,
});

const COUNT_KEYWORDS = ['minItems', 'minProperties', 'minContains'];

/** Longest chain of `$ref`s followed when sizing a posted schema. */
const MAX_REF_CHAIN = 32;

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The node a local `$ref` ("#/a/b") points to in `root`, or undefined. */
function resolveLocal(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node = root;
  for (const raw of ref.slice(2).split('/')) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

type TooBig = (pointer: string, why: string) => never;

/** Keyword bounds, node by node (iterative; the body parser bounds the depth). */
function checkKeywords(doc: unknown, tooBig: TooBig): void {
  const stack: Array<[unknown, string]> = [[doc, '#']];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      node.forEach((v, i) => stack.push([v, `${at}/${i}`]));
      continue;
    }
    const o = node as Record<string, unknown>;
    for (const k of COUNT_KEYWORDS) {
      const v = o[k];
      if (typeof v === 'number' && v > POSTED_SCHEMA_LIMITS.count) tooBig(`${at}/${k}`, `${k} ${v} is over ${POSTED_SCHEMA_LIMITS.count}`);
    }
    if (Array.isArray(o.prefixItems) && o.prefixItems.length > POSTED_SCHEMA_LIMITS.count) tooBig(`${at}/prefixItems`, `${o.prefixItems.length} tuple items is over ${POSTED_SCHEMA_LIMITS.count}`);
    if (typeof o.minLength === 'number' && o.minLength > POSTED_SCHEMA_LIMITS.length) tooBig(`${at}/minLength`, `minLength ${o.minLength} is over ${POSTED_SCHEMA_LIMITS.length}`);
    if (typeof o.pattern === 'string') {
      for (const m of o.pattern.matchAll(/\{\s*(\d+)\s*(?:,\s*(\d*)\s*)?\}/g)) {
        const n = Math.max(Number(m[1]), m[2] ? Number(m[2]) : 0);
        if (n > POSTED_SCHEMA_LIMITS.length) tooBig(`${at}/pattern`, `a repetition of ${m[0]} is over ${POSTED_SCHEMA_LIMITS.length}`);
      }
    }
    for (const [k, v] of Object.entries(o)) if (typeof v === 'object' && v !== null) stack.push([v, `${at}/${escapePointer(k)}`]);
  }
}

/**
 * The largest product of minItems/minProperties along any path of the document, local `$ref`s
 * followed (memoized per node, so shared definitions cost once; a recursive `$ref` counts once,
 * the core bounds recursion itself): nested minimums multiply into the size of every value.
 */
function checkNesting(root: unknown, tooBig: TooBig): void {
  const memo = new Map<object, number>();
  const active = new Set<object>();
  const factor = (node: unknown, at: string, chain: number): number => {
    if (typeof node !== 'object' || node === null) return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (active.has(node)) return 1;
    active.add(node);
    let own = 1;
    let below = 1;
    if (Array.isArray(node)) {
      node.forEach((v, i) => (below = Math.max(below, factor(v, `${at}/${i}`, chain))));
    } else {
      const o = node as Record<string, unknown>;
      for (const k of ['minItems', 'minProperties']) if (typeof o[k] === 'number' && (o[k] as number) > 1) own *= o[k] as number;
      if (typeof o.$ref === 'string' && o.$ref.startsWith('#')) {
        if (chain >= MAX_REF_CHAIN) tooBig(`${at}/$ref`, `more than ${MAX_REF_CHAIN} $refs in a chain`);
        below = Math.max(below, factor(resolveLocal(root, o.$ref), o.$ref, chain + 1));
      }
      for (const [k, v] of Object.entries(o)) if (typeof v === 'object' && v !== null) below = Math.max(below, factor(v, `${at}/${escapePointer(k)}`, chain));
    }
    active.delete(node);
    const f = own * below;
    if (f > POSTED_SCHEMA_LIMITS.nested) tooBig(at, `a value here needs at least ${f} items or properties in all (nested minItems and minProperties, $refs followed), over ${POSTED_SCHEMA_LIMITS.nested}`);
    memo.set(node, f);
    return f;
  };
  factor(root, '#', 0);
}

/**
 * Refuses a posted schema whose smallest value would already be huge (`minItems: 1e9`,
 * `minLength`, a pattern `a{100000000}`, arrays of arrays of arrays, objects of objects, through
 * `$ref`s too...): generating it would hold the event loop and the memory of every other
 * client. An EventBridge registry export is checked inside its `Content` text as well.
 */
export function checkPostedSchema(doc: unknown): void {
  const tooBig: TooBig = (pointer, why) => {
    throw new HttpError(400, 'SCHEMA_TOO_LARGE', `${pointer}: ${why}; POST /mock-event serves smaller values (register large schemas with serve --schema NAME=FILE)`);
  };
  const roots: unknown[] = [doc];
  const content = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).Content : undefined;
  if (typeof content === 'string') {
    try {
      roots.push(parseSchemaText(content));
    } catch {
      // the core reports it
    }
  }
  for (const root of roots) {
    checkKeywords(root, tooBig);
    checkNesting(root, tooBig);
  }
}

// ---------------------------------------------------------------------------- requests

const MODES: readonly SchemaMode[] = ['realistic', 'barebone'];

/** A validated query of the mock-event routes. */
interface MockQuery {
  count?: number;
  seed?: string;
  mode?: SchemaMode;
  envelope?: EnvelopeKind;
  partition?: string;
  from?: number;
  start?: string;
  format?: 'json' | 'ndjson';
}

interface MockParams {
  seed: string;
  mode: SchemaMode;
  envelope: EnvelopeKind;
  start?: string | number;
  partition: string;
  from: number;
  count: number;
  format: 'json' | 'ndjson';
}

function mockParams(sidecar: SidecarContext, req: FastifyRequest): MockParams {
  const q = req.query as MockQuery;
  const accept = req.headers.accept;
  const format = q.format ?? (accept !== undefined && accept.includes('application/x-ndjson') ? 'ndjson' : 'json');
  const count = q.count ?? 1;
  const { maxJsonCount, maxNdjsonCount } = sidecar.limits;
  if (format === 'json' && count > maxJsonCount) {
    throw new HttpError(400, 'INVALID_COUNT', `count is "${count}"; allowed: an integer from 1 to ${maxJsonCount} (format=ndjson streams up to ${maxNdjsonCount})`);
  }
  const from = q.from ?? 0;
  if (from > Number.MAX_SAFE_INTEGER - (count - 1)) throw new HttpError(400, 'INVALID_OPTION', `from + count is past ${Number.MAX_SAFE_INTEGER}; ask for fewer events or an earlier from`);
  return {
    seed: q.seed === undefined ? sidecar.defaultSeed : normalizeSeed(q.seed, 'seed'),
    mode: q.mode ?? 'realistic',
    envelope: q.envelope ?? 'none',
    start: q.start === undefined ? undefined : /^-?\d{1,16}$/.test(q.start) ? Number(q.start) : q.start,
    partition: normalizePartition(q.partition ?? 0),
    from,
    count,
    format,
  };
}

function optionsKey(p: MockParams): string {
  return [p.seed, p.mode, p.envelope, p.start ?? ''].join('\u0000');
}

function seedHeader(seed: string): string {
  return /^[\w.~-]*$/.test(seed) ? seed : encodeURIComponent(seed);
}

/** Events from..from+count-1 of the partition: the bytes of `mockjutsu mock-event` (ndjson, or --format json). */
async function sendEvents(reply: FastifyReply, mocker: EventMocker, p: MockParams): Promise<void> {
  const events = mocker.events(p.partition, p.from, p.count);
  const stringify = (e: unknown): string => JSON.stringify(e);
  const chunks = p.format === 'json' ? jsonArrayChunks(events, stringify, false, STREAM_CHUNK_CHARS) : jsonLineChunks(events, stringify, STREAM_CHUNK_CHARS);
  await streamChunks(reply, chunks, p.format === 'json' ? JSON_TYPE : NDJSON_TYPE, { 'X-Mockjutsu-Seed': seedHeader(mocker.generator.seed), 'Cache-Control': 'no-store' });
}

/**
 * Compiles a posted schema. The schema is untrusted input: a MockjutsuError is its fault (400
 * with the pointer); anything else the compiler throws on a strange document is answered 400
 * too (and logged once a second, as it may show a compiler bug), never a 5xx.
 */
function compilePosted(sidecar: SidecarContext, schema: unknown, ref: string | undefined, p: MockParams): EventMocker {
  try {
    return createEventMocker({ schema, parseText: parseSchemaText, ref, seed: p.seed, mode: p.mode, envelope: p.envelope, ...(p.start === undefined ? {} : { start: p.start }) });
  } catch (err) {
    if (err instanceof MockjutsuError || err instanceof HttpError) throw err;
    sidecar.logFailure('mock-event-compile', `mockjutsu sidecar: POST /mock-event: the schema compiler failed on a posted schema: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    throw new HttpError(400, 'INVALID_SCHEMA', `the schema cannot be compiled: ${describeValue(err instanceof Error ? err.message : String(err), 200)}`);
  }
}

// ---------------------------------------------------------------------------- routes

function mockQuery(limits: SidecarContext['limits']): ObjectSchema {
  const props: Record<string, PropertySchema> = {
    count: { type: 'integer', minimum: 1, maximum: limits.maxNdjsonCount, 'x-code': 'INVALID_COUNT', description: `Number of events (default 1; JSON up to ${limits.maxJsonCount}, format=ndjson streams up to ${limits.maxNdjsonCount})` },
    seed: { type: 'string', description: 'Seed (an integer or text up to 256 characters). Default: the sidecar\'s seed (serve --seed), reported in X-Mockjutsu-Seed' },
    mode: { type: 'string', enum: MODES, description: 'realistic (default: values that validate and look real) or barebone (AWS IATK\'s: "" for strings, the first enum value, [] for arrays, 0)' },
    envelope: { type: 'string', enum: ENVELOPE_KINDS, description: 'none (default), cloudevents (the event in data) or eventbridge (in detail)' },
    partition: { type: 'string', minLength: 1, maxLength: 512, description: 'Partition key: a JMeter thread key, a k6 VU id... (default 0)' },
    from: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: '0-based index of the first event in the partition (default 0)' },
    start: { type: 'string', description: 'Time of event 0 for envelopes and date-times: ISO-8601 instant or epoch ms' },
    format: { type: 'string', enum: ['json', 'ndjson'], description: 'json (default: one array) or ndjson (one event per line; also when Accept asks for application/x-ndjson)' },
  };
  return { type: 'object', additionalProperties: false, properties: props };
}

const EVENTS_RESPONSE = {
  200: {
    description: 'The events: the bytes of mockjutsu mock-event for the same schema, options and seed',
    headers: { 'X-Mockjutsu-Seed': { description: 'The seed used (percent-encoded)', schema: { type: 'string' } } },
    content: {
      'application/json': { schema: { type: 'array', items: { description: 'One mock event' } } },
      'application/x-ndjson': { schema: { type: 'string', description: 'One event per line' } },
    },
  },
};

/**
 * `POST /mock-event` (the schema in the body), `GET /mock-event` (the registered names) and
 * `GET /mock-event/:name` (a schema registered at start). Compiled mockers are kept per
 * (schema, seed, mode, envelope, start).
 */
export function registerMockEventRoutes(app: FastifyInstance, schemas: readonly RegisteredSchema[] = []): void {
  const sidecar = app.sidecar;
  const limits = sidecar.limits;
  const byName = new Map(schemas.map((s) => [s.name, s]));
  const registeredMockers = new LRUCache<string, EventMocker>({ max: 256 });
  // posted documents are up to the body limit each: fewer of them
  const postedMockers = new LRUCache<string, EventMocker>({ max: 32 });
  const known = (): string => (schemas.length === 0 ? 'none are registered (start the sidecar with serve --schema NAME=FILE)' : `registered: ${schemas.map((s) => s.name).join(', ')}`);

  app.post('/mock-event', {
    schema: {
      summary: 'Mock events from the schema in the body',
      description: 'The body is {"schema": DOC, "ref": NAME}: DOC an OpenAPI 3.0/3.1, JSON Schema, AsyncAPI 2/3 document or an EventBridge registry export ' +
        '(an object, or JSON or YAML text; local $refs only), ref which schema of it (as mock-event --ref). Answers events from..from+count-1 of the partition, ' +
        'the bytes of mockjutsu mock-event. A schema no value satisfies is a 400 naming the JSON pointer. ' +
        `Body limit ${limits.bodyBytes} bytes; minItems, minProperties up to ${POSTED_SCHEMA_LIMITS.count}, minLength and pattern repetitions up to ${POSTED_SCHEMA_LIMITS.length}.`,
      querystring: mockQuery(limits),
      body: {
        type: 'object',
        required: ['schema'],
        additionalProperties: false,
        'x-code': 'INVALID_OPTION',
        'x-example': '{"schema":{"type":"object","properties":{"id":{"type":"string","format":"uuid"}}}}',
        properties: {
          schema: { anyOf: [{ type: 'object' }, { type: 'string' }], description: 'The schema document: an object, or JSON or YAML text', 'x-allowed': 'a schema document (an object, or JSON or YAML text)' },
          ref: { type: 'string', minLength: 1, maxLength: 1024, description: 'Which schema of the document: a components.schemas name, an AsyncAPI message, a $defs name or a #/json/pointer' },
        },
      },
      response: {
        ...EVENTS_RESPONSE,
        413: jsonResponse('Body over the limit', ref('Error')),
        415: jsonResponse('Content-Type is not application/json', ref('Error')),
      },
    },
    handler: async (req, reply) => {
      const p = mockParams(sidecar, req);
      const body = req.body as { schema: unknown; ref?: string };
      let schema = body.schema;
      if (typeof schema === 'string') schema = compilePostedText(schema);
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
        throw new HttpError(400, 'INVALID_OPTION', `schema is ${Array.isArray(schema) ? 'an array' : describeValue(schema, 60)}; expected a schema document (an object, or JSON or YAML text)`);
      }
      checkPostedSchema(schema);
      const key = createHash('sha256').update(JSON.stringify(schema)).update('\u0000' + (body.ref ?? '') + '\u0000' + optionsKey(p)).digest('base64');
      let mocker = postedMockers.get(key);
      if (mocker === undefined) {
        mocker = compilePosted(sidecar, schema, body.ref, p);
        postedMockers.set(key, mocker);
      }
      await sendEvents(reply, mocker, p);
    },
  });

  app.get('/mock-event', {
    schema: {
      summary: 'The schemas registered with serve --schema NAME=FILE',
      response: {
        200: jsonResponse('The registered schemas', {
          type: 'object',
          required: ['status', 'schemas'],
          properties: {
            status: { const: 'ok' },
            schemas: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'schema', 'kind', 'pointer'],
                properties: { name: { type: 'string' }, ref: { type: 'string' }, schema: { type: 'string', description: 'The schema\'s own name' }, kind: { type: 'string' }, pointer: { type: 'string' } },
              },
            },
          },
        }),
      },
    },
    handler(_req, reply) {
      sendJson(reply, 200, {
        status: 'ok',
        schemas: schemas.map((s) => ({ name: s.name, ...(s.ref === undefined ? {} : { ref: s.ref }), schema: s.info.name, kind: s.info.kind, pointer: s.info.pointer })),
      });
    },
  });

  app.get('/mock-event/:name', {
    schema: {
      summary: 'Mock events from a schema registered at start',
      description: 'Events from..from+count-1 of the partition for the schema registered as NAME (serve --schema NAME=FILE): the bytes of ' +
        'mockjutsu mock-event --schema FILE [--ref REF] with the same options. An unknown NAME is a 404 listing the registered ones.',
      params: { type: 'object', required: ['name'], properties: { name: { type: 'string', description: 'A name from GET /mock-event' } } },
      querystring: mockQuery(limits),
      response: EVENTS_RESPONSE,
    },
    handler: async (req, reply) => {
      const name = (req.params as { name: string }).name;
      const registered = byName.get(name);
      if (registered === undefined) throw new HttpError(404, 'UNKNOWN_SCHEMA', `unknown schema ${describeValue(name, 80)}; ${known()}`);
      const p = mockParams(sidecar, req);
      const key = name + '\u0000' + optionsKey(p);
      let mocker = registeredMockers.get(key);
      if (mocker === undefined) {
        mocker = createEventMocker({
          schema: registered.document, parseText: parseSchemaText, ref: registered.ref, seed: p.seed, mode: p.mode, envelope: p.envelope,
          ...(p.start === undefined ? {} : { start: p.start }),
        });
        registeredMockers.set(key, mocker);
      }
      await sendEvents(reply, mocker, p);
    },
  });
}

/** A posted schema given as JSON or YAML text. */
function compilePostedText(text: string): unknown {
  try {
    return parseSchemaText(text);
  } catch (err) {
    throw new HttpError(400, 'INVALID_SCHEMA', `schema is text that is neither JSON nor YAML: ${describeValue((err as Error).message, 200)}`);
  }
}
