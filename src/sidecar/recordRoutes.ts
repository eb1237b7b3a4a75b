import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MockjutsuError } from '../core/index.js';
import { checkRecordName, listRecordFiles, readRecords, type RecordsRead } from '../recorder/index.js';
import { HttpError } from './httpError.js';
import { NDJSON_TYPE, chunked, sendJson, streamChunks } from './responseWriter.js';
import { describeValue } from './safeText.js';
import type { SidecarContext } from './sidecarContext.js';
import type { SidecarData } from './sidecarData.js';
import { jsonResponse, ref } from './sidecarSchemas.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

/** Schemas the record routes' OpenAPI operations reference. */
export const RECORD_SCHEMAS: Readonly<Record<string, Record<string, unknown>>> = Object.freeze({
  Recorded: {
    type: 'object',
    required: ['status', 'name', 'recorded', 'pooled'],
    properties: {
      status: { const: 'ok' },
      name: { type: 'string' },
      recorded: { type: 'integer', description: 'Items appended to the record file (one write)' },
      pooled: { type: 'boolean', description: 'Also added to the live pool of that name (false when a --pool over a file has the name)' },
    },
  },
  RecordList: {
    type: 'object',
    required: ['status', 'format', 'records'],
    properties: {
      status: { const: 'ok' },
      format: { enum: ['msgpack', 'ndjson'], description: 'Format new records are written in' },
      records: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'format', 'bytes'],
          properties: { name: { type: 'string' }, format: { enum: ['msgpack', 'ndjson'] }, bytes: { type: 'integer' } },
        },
      },
    },
  },
});

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$', description: 'Record name: 1-128 letters, digits, _, - and ., not starting with . (it names a file)' },
  },
};

/** A record name from the path: a 400 naming what is allowed. */
function nameOf(req: FastifyRequest): string {
  return checkRecordName((req.params as { name: string }).name);
}

function handleRecord(data: SidecarData, sidecar: SidecarContext) {
  return (req: FastifyRequest, reply: FastifyReply): void => {
    const name = nameOf(req);
    const body = req.body;
    if (body === undefined) throw new HttpError(400, 'MALFORMED_JSON', 'request body is empty; expected one JSON item or an array of items, e.g. {"email":"a@example.com"}');
    const items = Array.isArray(body) ? (body as unknown[]) : [body];
    const max = sidecar.limits.maxBatch;
    if (items.length === 0) throw new HttpError(400, 'INVALID_RECORD', 'request body is an empty array; expected at least one item to record');
    if (items.length > max) throw new HttpError(400, 'INVALID_RECORD', `request body holds ${items.length} items; allowed: at most ${max} per request (send several requests)`);
    const bad = items.findIndex((item) => item === null);
    if (bad >= 0) {
      throw new HttpError(400, 'INVALID_RECORD', `${Array.isArray(body) ? `item ${bad + 1}` : 'the item'} is null; expected a JSON object, array, string, number or boolean (a record a load test can use)`);
    }
    let result: { recorded: number; pooled: boolean };
    try {
      result = data.record(name, items);
    } catch (err) {
      if (err instanceof MockjutsuError) {
        // the name is valid: the file it names is what is in the way (the other format, or damaged)
        throw new HttpError(409, 'RECORD_CONFLICT', `${err.message.replaceAll(data.recorder!.dir, '<records-dir>')}; nothing was recorded`, NO_STORE);
      }
      // A full disk fails every record: the recorder cut the file back to what it had
      // acknowledged (RecordWriteError.restored), or cuts it before its next write; one log line per second.
      const code = (err as NodeJS.ErrnoException).code;
      sidecar.logFailure(`record:${code ?? 'error'}`, `mockjutsu sidecar: record ${describeValue(name, 80)} failed: ${(err as Error).message ?? String(err)}`);
      throw new HttpError(503, 'RECORD_WRITE_FAILED', `the recorder could not write (${code ?? 'error'}); nothing was acknowledged`, NO_STORE);
    }
    sendJson(reply, 201, { status: 'ok', name, recorded: result.recorded, pooled: result.pooled }, NO_STORE);
  };
}

function* ndjsonOf(items: readonly unknown[]): Generator<string> {
  for (const item of items) yield JSON.stringify(item) + '\n';
}

function handleRead(data: SidecarData) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const name = nameOf(req);
    const dir = data.recorder!.dir;
    const all = listRecordFiles(dir);
    const hits = all.filter((r) => r.name === name);
    if (hits.length === 0) {
      const known = [...new Set(all.map((r) => r.name))];
      throw new HttpError(404, 'UNKNOWN_RECORDS', `no records named ${describeValue(name, 100)}; ${known.length === 0 ? 'nothing was recorded yet' : 'known: ' + known.join(', ')}`, NO_STORE, { known });
    }
    if (hits.length > 1) {
      throw new HttpError(409, 'RECORD_CONFLICT', `records ${JSON.stringify(name)} are in ${hits.length} files (${hits.map((h) => h.format).join(', ')}); keep one`, NO_STORE);
    }
    let read: RecordsRead;
    try {
      read = readRecords(hits[0]!.file);
    } catch (err) {
      if (err instanceof MockjutsuError) throw new HttpError(409, 'INVALID_RECORD', err.message.replaceAll(dir, '<records-dir>'), NO_STORE);
      throw err;
    }
    await streamChunks(reply, chunked(ndjsonOf(read.items)), NDJSON_TYPE, {
      'X-Mockjutsu-Records': read.items.length,
      'X-Mockjutsu-Ignored-Bytes': read.ignoredBytes,
      ...NO_STORE,
    });
  };
}

/** `POST /record/:name`, `GET /records`, `GET /records/:name` (only when the sidecar has a recorder). */
export function registerRecordRoutes(app: FastifyInstance, data: SidecarData): void {
  for (const [name, schema] of Object.entries(RECORD_SCHEMAS)) app.addSchema({ $id: name, ...schema });
  const tags = ['recorder'];
  const sidecar = app.sidecar;
  app.post('/record/:name', {
    schema: {
      summary: 'Record what a data-creation run created: one JSON item or an array of items, appended in one write',
      description: `Appends to {records-dir}/{name}.msgpack (or .ndjson) and, once written, to the live pool of that name ` +
        `(made at the first record of a name no --pool uses; non-recyclable), which POST /pools/{name}/take draws from. ` +
        `At most ${sidecar.limits.maxBatch} items and ${sidecar.limits.bodyBytes} bytes per request; null items are refused.`,
      tags,
      params: nameParams,
      querystring: { type: 'object', additionalProperties: false, properties: {} },
      // checked by the handler (its messages name the bad item); documented here
      body: { oneOf: [{ type: 'object' }, { type: 'array', minItems: 1, items: { not: { type: 'null' } } }, { type: ['string', 'number', 'boolean'] }] },
      response: {
        201: jsonResponse('Recorded', ref('Recorded')),
        409: jsonResponse('The record file is in the way (a file of the other format, or a damaged one); nothing was recorded', ref('Error')),
        413: jsonResponse('Body too large', ref('Error')),
        415: jsonResponse('Content-Type is not application/json', ref('Error')),
        503: jsonResponse('The recorder could not write; nothing was acknowledged', ref('Error')),
      },
    },
    handler: handleRecord(data, sidecar),
  });
  app.get('/records', {
    schema: {
      summary: 'The record files of the records directory',
      tags,
      querystring: { type: 'object', additionalProperties: false, properties: {} },
      response: { 200: jsonResponse('The records', ref('RecordList')) },
    },
    handler(_req, reply) {
      const records = listRecordFiles(data.recorder!.dir).map((r) => ({ name: r.name, format: r.format, bytes: r.bytes }));
      sendJson(reply, 200, { status: 'ok', format: data.recorder!.format, records }, NO_STORE);
    },
  });
  app.get('/records/:name', {
    schema: {
      summary: 'What was recorded under a name, as NDJSON (one item per line, in the order written)',
      description: 'X-Mockjutsu-Records: the items sent; X-Mockjutsu-Ignored-Bytes: bytes of a torn last item (a data-creation run killed mid-write), never sent.',
      tags,
      params: nameParams,
      querystring: { type: 'object', additionalProperties: false, properties: {} },
      response: {
        200: {
          description: 'The items',
          headers: {
            'X-Mockjutsu-Records': { schema: { type: 'integer' }, description: 'Items in the answer' },
            'X-Mockjutsu-Ignored-Bytes': { schema: { type: 'integer' }, description: 'Bytes of a torn tail left out (0 normally)' },
          },
          content: { 'application/x-ndjson': { schema: { type: 'string' } } },
        },
        409: jsonResponse('The record file cannot be read (malformed) or the name has two files', ref('Error')),
      },
    },
    handler: handleRead(data),
  });
}
