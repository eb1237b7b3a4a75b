import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ConcurrencyConflict,
  EventLimitExceeded,
  IdempotencyConflict,
  type AppendToStreamResult,
  type EventStore,
  type Projection,
} from '../store/index.js';
import { HttpError, describeValue, jsonResponse, ref, sendJson, type SidecarContext } from '../sidecar/index.js';
import { envelopeReaders, expectedVersionName, parseAppendRequest, type EnvelopeReader } from './appendRequest.js';
import { domainSchemas, eventSchemaName } from '../sidecar/index.js';
import type { OrdersState } from './ordersProjection.js';

/** Most records one `GET /streams/:id` or `GET /all` answer carries. */
export const MAX_READ_LIMIT = 10_000;
/** Records of a `GET /all` without `limit`. */
export const DEFAULT_READ_LIMIT = 1_000;
/** Orders of a `GET /projections/orders` without `limit`. */
export const DEFAULT_ORDER_LIMIT = 100;

/** What the store routes work on. */
export interface StoreRouteDeps {
  readonly store: EventStore;
  readonly orders: Projection<OrdersState>;
  /** How to read the events' envelopes (default: the shop's). */
  readonly readers?: readonly EnvelopeReader[];
}

function appended(reply: FastifyReply, streamId: string, result: AppendToStreamResult): void {
  const first = result.records[0]!;
  const body: Record<string, unknown> = {
    status: 'ok',
    stream_id: streamId,
    stream_version: result.nextExpectedStreamVersion,
    global_position: result.lastGlobalPosition,
    count: result.records.length,
    first_stream_version: first.stream_version,
  };
  if (result.duplicate) body['duplicate'] = true;
  sendJson(reply, result.duplicate ? 200 : 201, body, { 'Cache-Control': 'no-store' });
}

const NO_STORE = { 'Cache-Control': 'no-store' };

async function currentVersion(store: EventStore, streamId: string): Promise<number> {
  return (await store.readStream(streamId, { to: 0 })).currentStreamVersion;
}

function handleAppend(deps: StoreRouteDeps, sidecar: SidecarContext) {
  const readers = deps.readers ?? envelopeReaders();
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const streamId = (req.params as { id: string }).id;
    const request = parseAppendRequest(req.body, req.headers, streamId, readers);
    let result: AppendToStreamResult;
    try {
      // the store applies appends one at a time in call order, so concurrent writers to one
      // stream are serialised by its expected-version check
      result = await deps.store.appendToStream(streamId, request.events, { expectedStreamVersion: request.expected });
    } catch (err) {
      if (err instanceof ConcurrencyConflict) {
        const expected = expectedVersionName(err.expected);
        throw new HttpError(409, 'CONCURRENCY_CONFLICT',
          `stream ${JSON.stringify(streamId)}: expected ${typeof expected === 'number' ? `version ${expected}` : expected}, stream is at ${err.actual}; nothing was written (re-read the stream and retry with the current version)`,
          NO_STORE, { stream_id: streamId, expected_version: expected, current_version: err.actual });
      }
      if (err instanceof IdempotencyConflict) {
        throw new HttpError(409, 'IDEMPOTENCY_CONFLICT', `${err.message}; nothing was written`, NO_STORE,
          { stream_id: streamId, event_ids: err.keys, current_version: await currentVersion(deps.store, streamId) });
      }
      if (err instanceof EventLimitExceeded) {
        throw new HttpError(err.limit === 'bytes' ? 413 : 400, err.limit === 'bytes' ? 'EVENT_TOO_LARGE' : 'INVALID_EVENT', `${err.message}; nothing was written`);
      }
      if (err instanceof TypeError || err instanceof RangeError) throw new HttpError(400, 'INVALID_EVENT', err.message);
      // A full disk fails every append: one short line per failure kind and second, no stack.
      const code = (err as NodeJS.ErrnoException).code;
      sidecar.logFailure(`append:${code ?? 'error'}`, `mockjutsu sidecar: append to stream ${describeValue(streamId, 80)} failed: ${code ? code + ': ' : ''}${(err as Error).message ?? String(err)}`);
      throw new HttpError(503, 'STORE_WRITE_FAILED', `the event store could not write (${code ?? 'error'}); nothing was acknowledged`);
    }
    appended(reply, streamId, result);
  };
}

function handleReadStream(deps: StoreRouteDeps) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const streamId = (req.params as { id: string }).id;
    const q = req.query as { from?: number; to?: number };
    const current = await currentVersion(deps.store, streamId);
    if (current === 0) throw new HttpError(404, 'STREAM_NOT_FOUND', `stream ${describeValue(streamId, 100)} has no events`);
    const from = q.from ?? 1;
    const to = q.to ?? current;
    const last = Math.min(to, current, from + MAX_READ_LIMIT - 1);
    const { events } = await deps.store.readStream(streamId, { from, to: Math.max(last, from - 1) });
    const next = last < Math.min(to, current) ? last + 1 : null;
    sendJson(reply, 200, { status: 'ok', stream_id: streamId, stream_version: current, events, next_from: next }, NO_STORE);
  };
}

function handleReadAll(deps: StoreRouteDeps) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const q = req.query as { from?: number; limit?: number };
    const from = q.from ?? 1;
    const limit = q.limit ?? DEFAULT_READ_LIMIT;
    const { events, currentGlobalPosition } = await deps.store.readAll({ fromPosition: from, limit });
    const lastRead = events.length === 0 ? from - 1 : events[events.length - 1]!.global_position;
    sendJson(reply, 200, {
      status: 'ok',
      from,
      global_position: currentGlobalPosition,
      events,
      next_from: lastRead < currentGlobalPosition ? lastRead + 1 : null,
    }, NO_STORE);
  };
}

function handleOrder(deps: StoreRouteDeps) {
  return (req: FastifyRequest, reply: FastifyReply): void => {
    const id = (req.params as { id: string }).id;
    const order = deps.orders.state.orders.get(id);
    if (order === undefined) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${describeValue(id, 100)} in the orders projection (at global position ${deps.orders.position})`);
    sendJson(reply, 200, { status: 'ok', projection_position: deps.orders.position, order }, NO_STORE);
  };
}

function handleOrders(deps: StoreRouteDeps) {
  return (req: FastifyRequest, reply: FastifyReply): void => {
    const q = req.query as { limit?: number; session_id?: string; paid?: boolean };
    const limit = q.limit ?? DEFAULT_ORDER_LIMIT;
    const { orders, skipped } = deps.orders.state;
    const selected = [];
    for (const order of orders.values()) {
      if (selected.length >= limit) break;
      if (q.session_id !== undefined && order.session_id !== q.session_id) continue;
      if (q.paid !== undefined && order.paid !== q.paid) continue;
      selected.push(order);
    }
    sendJson(reply, 200, {
      status: 'ok',
      projection_position: deps.orders.position,
      total_orders: orders.size,
      skipped_events: skipped,
      count: selected.length,
      orders: selected,
    }, NO_STORE);
  };
}

const streamParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'The stream id (a generated event\'s stream_id), percent-encoded' } } };
const errors = (codes: string[]): Record<string, unknown> =>
  Object.fromEntries(codes.map((c) => [c, jsonResponse(
    c === '409' ? 'Expected version not met (CONCURRENCY_CONFLICT, with current_version) or an event id stored elsewhere (IDEMPOTENCY_CONFLICT); nothing was written'
      : c === '404' ? 'No such stream or order' : c === '413' ? 'Body too large' : c === '415' ? 'Content-Type is not application/json'
        : c === '503' ? 'The store could not write; nothing was acknowledged' : 'Bad body, If-Match or query: the message names it',
    ref(c === '409' ? 'StoreConflict' : 'Error'))]));

const APPEND_DOC = {
  summary: 'Append a generated event (or a batch) to a stream, with optimistic concurrency',
  description:
    'Body: one generated event, an array of events (one atomic batch), or {"expected_version": n, "event": {...}} / ' +
    '{"expected_version": n, "events": [...]}. The expected version comes from the body or the If-Match header: a number ' +
    '(the stream version the append expects; 0 = a new stream), "no_stream", "any" (no check, the default), "stream_exists" ' +
    '(If-Match: * too). Each event is stored whole as the record\'s data with type = event_type; its event_id is the ' +
    'idempotency key: posting an already stored event (or batch) again answers 200 with duplicate: true and the position ' +
    'it already has, writing nothing.',
  params: streamParams,
  querystring: { type: 'object', additionalProperties: false, properties: {} },
  headers: { type: 'object', properties: { 'if-match': { type: 'string', description: 'Expected stream version: digits, no_stream, any, stream_exists or *' } } },
  // checked by parseAppendRequest (its messages name the bad event); documented here
  body: { oneOf: [ref('AppendedEvent'), { type: 'array', items: ref('AppendedEvent'), minItems: 1 }, ref('AppendEnvelope')] },
  response: {
    201: jsonResponse('Appended', ref('AppendResult')),
    200: jsonResponse('Already stored (duplicate: true): nothing written, the stored positions returned', ref('AppendResult')),
    ...errors(['400', '409', '413', '415', '503']),
  },
};

/** Schemas the store routes' OpenAPI operations reference. */
export const STORE_SCHEMAS: Readonly<Record<string, Record<string, unknown>>> = Object.freeze({
  AppendEnvelope: {
    type: 'object',
    additionalProperties: false,
    properties: {
      expected_version: { oneOf: [{ type: 'integer', minimum: 0 }, { enum: ['no_stream', 'any', 'stream_exists'] }] },
      event: ref('AppendedEvent'),
      events: { type: 'array', items: ref('AppendedEvent'), minItems: 1 },
    },
  },
  AppendResult: {
    type: 'object',
    required: ['status', 'stream_id', 'stream_version', 'global_position', 'count'],
    properties: {
      status: { const: 'ok' },
      stream_id: { type: 'string' },
      stream_version: { type: 'integer', description: 'Version of the last event written (or already stored)' },
      global_position: { type: 'integer', description: 'Store position of that event' },
      count: { type: 'integer' },
      first_stream_version: { type: 'integer' },
      duplicate: { const: true, description: 'Present when the events were already stored and nothing was written' },
    },
  },
  StoreConflict: {
    type: 'object',
    required: ['status', 'error'],
    properties: {
      status: { const: 'error' },
      error: {
        type: 'object',
        required: ['code', 'message', 'current_version'],
        properties: {
          code: { enum: ['CONCURRENCY_CONFLICT', 'IDEMPOTENCY_CONFLICT'] },
          message: { type: 'string' },
          stream_id: { type: 'string' },
          expected_version: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
          current_version: { type: 'integer' },
          event_ids: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
  StoredRecord: {
    type: 'object',
    required: ['stream_id', 'stream_version', 'global_position', 'type', 'data'],
    description: 'A stored record; the generated event (with its UUID event_id) is data',
    properties: {
      stream_id: { type: 'string' },
      stream_version: { type: 'integer' },
      global_position: { type: 'integer' },
      type: { type: 'string', description: 'The event\'s event type' },
      data: ref('AppendedEvent'),
      idempotency_key: { type: 'string' },
      recorded_at: { type: 'string', format: 'date-time' },
    },
  },
  Order: {
    type: 'object',
    required: ['order_id', 'session_id', 'items', 'total', 'paid', 'payment_attempts'],
    properties: {
      order_id: { type: 'string' },
      session_id: { type: ['string', 'null'] },
      stream_id: { type: 'string' },
      user_id: { type: ['string', 'null'] },
      items: { type: 'array' },
      item_count: { type: ['integer', 'null'] },
      total: { type: 'string' },
      currency: { type: ['string', 'null'] },
      paid: { type: 'boolean' },
      payment_attempts: { type: 'integer' },
      payment_method: { type: ['string', 'null'] },
      checked_out_at: { type: ['string', 'null'] },
      paid_at: { type: ['string', 'null'] },
      position: { type: 'integer' },
    },
  },
});

/** `POST/GET /streams/:id`, `GET /all` and the orders projection's `GET /projections/orders[/:id]`. */
export function registerStoreRoutes(app: FastifyInstance, deps: StoreRouteDeps): void {
  for (const [name, schema] of Object.entries(STORE_SCHEMAS)) app.addSchema({ $id: name, ...schema });
  // what the target takes: an event of one of its domains (schemas derived from each domain)
  const domains = (deps.readers ?? envelopeReaders()).map((r) => r.domain);
  for (const [name, schema] of Object.entries(domainSchemas(domains))) if (app.getSchema(name) === undefined) app.addSchema({ $id: name, ...schema });
  app.addSchema({
    $id: 'AppendedEvent',
    description: `A generated event of a domain the target takes (${domains.map((d) => d.name).join(', ')}); its envelope is read under the domain's field names`,
    oneOf: domains.map((d) => ref(eventSchemaName(d))),
  });
  const tags = ['event store'];
  app.post('/streams/:id', { schema: { ...APPEND_DOC, tags }, handler: handleAppend(deps, app.sidecar) });
  app.get('/streams/:id', {
    schema: {
      summary: 'Records of one stream, oldest first',
      tags,
      params: streamParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          from: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1, description: 'First stream version' },
          to: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Last stream version (default: the current one)' },
        },
      },
      response: {
        200: jsonResponse(`The records (at most ${MAX_READ_LIMIT}; next_from says where to go on)`, {
          type: 'object',
          properties: { status: { const: 'ok' }, stream_id: { type: 'string' }, stream_version: { type: 'integer' }, events: { type: 'array', items: ref('StoredRecord') }, next_from: { type: ['integer', 'null'] } },
        }),
        ...errors(['400', '404']),
      },
    },
    handler: handleReadStream(deps),
  });
  app.get('/all', {
    schema: {
      summary: 'The global log, oldest first',
      tags,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          from: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1, description: 'First global position' },
          limit: { type: 'integer', minimum: 1, maximum: MAX_READ_LIMIT, default: DEFAULT_READ_LIMIT, description: 'Most records' },
        },
      },
      response: {
        200: jsonResponse('The records; next_from is null at the end of the log', {
          type: 'object',
          properties: { status: { const: 'ok' }, from: { type: 'integer' }, global_position: { type: 'integer' }, events: { type: 'array', items: ref('StoredRecord') }, next_from: { type: ['integer', 'null'] } },
        }),
        ...errors(['400']),
      },
    },
    handler: handleReadAll(deps),
  });
  app.get('/projections/orders', {
    schema: {
      summary: 'Orders of the live orders projection, in checkout order',
      tags,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: MAX_READ_LIMIT, default: DEFAULT_ORDER_LIMIT, description: 'Most orders' },
          session_id: { type: 'string', description: 'Only the orders of this session' },
          paid: { type: 'boolean', description: 'Only paid (true) or unpaid (false) orders' },
        },
      },
      response: {
        200: jsonResponse('The orders', {
          type: 'object',
          properties: { status: { const: 'ok' }, projection_position: { type: 'integer' }, total_orders: { type: 'integer' }, skipped_events: { type: 'integer' }, count: { type: 'integer' }, orders: { type: 'array', items: ref('Order') } },
        }),
        ...errors(['400']),
      },
    },
    handler: handleOrders(deps),
  });
  app.get('/projections/orders/:id', {
    schema: {
      summary: 'One order of the live orders projection',
      tags,
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'The order_id of a checkout' } } },
      querystring: { type: 'object', additionalProperties: false, properties: {} },
      response: {
        200: jsonResponse('The order', { type: 'object', properties: { status: { const: 'ok' }, projection_position: { type: 'integer' }, order: ref('Order') } }),
        ...errors(['404']),
      },
    },
    handler: handleOrder(deps),
  });
}
