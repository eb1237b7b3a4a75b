import type { ServerResponse } from 'node:http';
import {
  ConcurrencyConflict,
  IdempotencyConflict,
  type AppendToStreamResult,
  type EventStore,
  type Projection,
} from '../store/index.js';
import { HttpError } from '../sidecar/httpError.js';
import { jsonResponse, pathParam, queryParam, ref, type OpenApiOperation } from '../sidecar/openapiDocument.js';
import { sendJson } from '../sidecar/responseWriter.js';
import type { RouteContext, SidecarRoute } from '../sidecar/router.js';
import { expectedVersionName, parseAppendRequest } from './appendRequest.js';
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
}

/** Answers an error with extra fields next to code and message (the 409's `current_version`). */
function sendErrorWith(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown>): void {
  sendJson(res, status, { status: 'error', error: { code, message, ...extra } }, { 'Cache-Control': 'no-store' });
}

function appended(res: ServerResponse, streamId: string, result: AppendToStreamResult): void {
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
  sendJson(res, result.duplicate ? 200 : 201, body, { 'Cache-Control': 'no-store' });
}

function handleAppend(deps: StoreRouteDeps) {
  return async (ctx: RouteContext): Promise<void> => {
    const streamId = ctx.params['id']!;
    const body = await ctx.readJson();
    // From here to the append nothing awaits: node runs this check-and-append as one step,
    // so concurrent writers to one stream are serialised by the expected-version check.
    const request = parseAppendRequest(body, ctx.req.headers, streamId);
    let result: AppendToStreamResult;
    try {
      result = deps.store.appendToStream(streamId, request.events, { expectedStreamVersion: request.expected });
    } catch (err) {
      if (err instanceof ConcurrencyConflict) {
        const expected = expectedVersionName(err.expected);
        sendErrorWith(ctx.res, 409, 'CONCURRENCY_CONFLICT',
          `stream ${JSON.stringify(streamId)}: expected ${typeof expected === 'number' ? `version ${expected}` : expected}, stream is at ${err.actual}; nothing was written (re-read the stream and retry with the current version)`,
          { stream_id: streamId, expected_version: expected, current_version: err.actual });
        return;
      }
      if (err instanceof IdempotencyConflict) {
        sendErrorWith(ctx.res, 409, 'IDEMPOTENCY_CONFLICT', `${err.message}; nothing was written`,
          { stream_id: streamId, event_ids: err.keys, current_version: deps.store.streamVersion(streamId) });
        return;
      }
      if (err instanceof TypeError || err instanceof RangeError) throw new HttpError(400, 'INVALID_EVENT', err.message);
      ctx.sidecar.log(`mockjutsu sidecar: append to stream ${JSON.stringify(streamId)} failed: ${(err as Error).stack ?? String(err)}`);
      throw new HttpError(503, 'STORE_WRITE_FAILED', `the event store could not write: ${(err as Error).message}; nothing was acknowledged`);
    }
    appended(ctx.res, streamId, result);
  };
}

function handleReadStream(deps: StoreRouteDeps) {
  return (ctx: RouteContext): void => {
    const streamId = ctx.params['id']!;
    const q = ctx.query();
    const current = deps.store.streamVersion(streamId);
    if (current === 0) throw new HttpError(404, 'STREAM_NOT_FOUND', `stream ${JSON.stringify(streamId)} has no events`);
    const from = q.integer('from', 1, Number.MAX_SAFE_INTEGER) ?? 1;
    const to = q.integer('to', 0, Number.MAX_SAFE_INTEGER) ?? current;
    const last = Math.min(to, current, from + MAX_READ_LIMIT - 1);
    const { events } = deps.store.readStream(streamId, { from, to: Math.max(last, from - 1) });
    const next = last < Math.min(to, current) ? last + 1 : null;
    sendJson(ctx.res, 200, { status: 'ok', stream_id: streamId, stream_version: current, events, next_from: next }, { 'Cache-Control': 'no-store' });
  };
}

function handleReadAll(deps: StoreRouteDeps) {
  return (ctx: RouteContext): void => {
    const q = ctx.query();
    const from = q.integer('from', 1, Number.MAX_SAFE_INTEGER) ?? 1;
    const limit = q.integer('limit', 1, MAX_READ_LIMIT) ?? DEFAULT_READ_LIMIT;
    const { events, currentGlobalPosition } = deps.store.readAll({ fromPosition: from, limit });
    const lastRead = events.length === 0 ? from - 1 : events[events.length - 1]!.global_position;
    sendJson(ctx.res, 200, {
      status: 'ok',
      from,
      global_position: currentGlobalPosition,
      events,
      next_from: lastRead < currentGlobalPosition ? lastRead + 1 : null,
    }, { 'Cache-Control': 'no-store' });
  };
}

function handleOrder(deps: StoreRouteDeps) {
  return (ctx: RouteContext): void => {
    const id = ctx.params['id']!;
    const order = deps.orders.state.orders.get(id);
    if (order === undefined) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${JSON.stringify(id)} in the orders projection (at global position ${deps.orders.position})`);
    sendJson(ctx.res, 200, { status: 'ok', projection_position: deps.orders.position, order }, { 'Cache-Control': 'no-store' });
  };
}

function handleOrders(deps: StoreRouteDeps) {
  return (ctx: RouteContext): void => {
    const q = ctx.query();
    const limit = q.integer('limit', 1, MAX_READ_LIMIT) ?? DEFAULT_ORDER_LIMIT;
    const sessionId = q.string('session_id');
    const paid = q.has('paid') ? q.flag('paid', true) : undefined;
    const { orders, skipped } = deps.orders.state;
    const selected = [];
    for (const order of orders.values()) {
      if (selected.length >= limit) break;
      if (sessionId !== undefined && order.session_id !== sessionId) continue;
      if (paid !== undefined && order.paid !== paid) continue;
      selected.push(order);
    }
    sendJson(ctx.res, 200, {
      status: 'ok',
      projection_position: deps.orders.position,
      total_orders: orders.size,
      skipped_events: skipped,
      count: selected.length,
      orders: selected,
    }, { 'Cache-Control': 'no-store' });
  };
}

const streamParam = pathParam('id', 'The stream id (a generated event\'s stream_id), percent-encoded');
const errors = (codes: string[]): Record<string, unknown> =>
  Object.fromEntries(codes.map((c) => [c, jsonResponse(
    c === '409' ? 'Expected version not met (CONCURRENCY_CONFLICT, with current_version) or an event id stored elsewhere (IDEMPOTENCY_CONFLICT); nothing was written'
      : c === '404' ? 'No such stream or order' : c === '413' ? 'Body too large' : c === '415' ? 'Content-Type is not application/json'
        : c === '503' ? 'The store could not write; nothing was acknowledged' : 'Bad body, If-Match or query: the message names it',
    ref(c === '409' ? 'StoreConflict' : 'Error'))]));

const APPEND_DOC: OpenApiOperation = {
  summary: 'Append a generated event (or a batch) to a stream, with optimistic concurrency',
  description:
    'Body: one generated event, an array of events (one atomic batch), or {"expected_version": n, "event": {...}} / ' +
    '{"expected_version": n, "events": [...]}. The expected version comes from the body or the If-Match header: a number ' +
    '(the stream version the append expects; 0 = a new stream), "no_stream", "any" (no check, the default), "stream_exists" ' +
    '(If-Match: * too). Each event is stored whole as the record\'s data with type = event_type; its event_id is the ' +
    'idempotency key: posting an already stored event (or batch) again answers 200 with duplicate: true and the position ' +
    'it already has, writing nothing.',
  parameters: [
    streamParam,
    { name: 'If-Match', in: 'header', required: false, description: 'Expected stream version: digits, no_stream, any, stream_exists or *', schema: { type: 'string' } },
  ],
  requestBody: {
    required: true,
    content: { 'application/json': { schema: { oneOf: [ref('Event'), { type: 'array', items: ref('Event'), minItems: 1 }, ref('AppendEnvelope')] } } },
  },
  responses: {
    '201': jsonResponse('Appended', ref('AppendResult')),
    '200': jsonResponse('Already stored (duplicate: true): nothing written, the stored positions returned', ref('AppendResult')),
    ...errors(['400', '409', '413', '415', '503']),
  },
};

/** Schemas the store routes' OpenAPI operations reference. */
export const STORE_SCHEMAS: Readonly<Record<string, unknown>> = Object.freeze({
  AppendEnvelope: {
    type: 'object',
    additionalProperties: false,
    properties: {
      expected_version: { oneOf: [{ type: 'integer', minimum: 0 }, { enum: ['no_stream', 'any', 'stream_exists'] }] },
      event: ref('Event'),
      events: { type: 'array', items: ref('Event'), minItems: 1 },
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
    required: ['event_id', 'stream_id', 'stream_version', 'global_position', 'type', 'data'],
    properties: {
      event_id: { type: 'integer', description: 'Ordinal in the stream (the store\'s own numbering; the generated event_id is data.event_id)' },
      stream_id: { type: 'string' },
      stream_version: { type: 'integer' },
      global_position: { type: 'integer' },
      type: { type: 'string', description: 'The event\'s event_type' },
      data: ref('Event'),
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
export function storeRoutes(deps: StoreRouteDeps): SidecarRoute[] {
  return [
    { method: 'POST', path: '/streams/:id', query: [], handler: handleAppend(deps), openapi: { ...APPEND_DOC, tags: ['event store'] } },
    {
      method: 'GET',
      path: '/streams/:id',
      query: ['from', 'to'],
      handler: handleReadStream(deps),
      openapi: {
        summary: 'Records of one stream, oldest first',
        tags: ['event store'],
        parameters: [
          streamParam,
          queryParam('from', { type: 'integer', minimum: 1, default: 1 }, 'First stream version'),
          queryParam('to', { type: 'integer', minimum: 0 }, 'Last stream version (default: the current one)'),
        ],
        responses: {
          '200': jsonResponse(`The records (at most ${MAX_READ_LIMIT}; next_from says where to go on)`, {
            type: 'object',
            properties: { status: { const: 'ok' }, stream_id: { type: 'string' }, stream_version: { type: 'integer' }, events: { type: 'array', items: ref('StoredRecord') }, next_from: { type: ['integer', 'null'] } },
          }),
          ...errors(['400', '404']),
        },
      },
    },
    {
      method: 'GET',
      path: '/all',
      query: ['from', 'limit'],
      handler: handleReadAll(deps),
      openapi: {
        summary: 'The global log, oldest first',
        tags: ['event store'],
        parameters: [
          queryParam('from', { type: 'integer', minimum: 1, default: 1 }, 'First global position'),
          queryParam('limit', { type: 'integer', minimum: 1, maximum: MAX_READ_LIMIT, default: DEFAULT_READ_LIMIT }, 'Most records'),
        ],
        responses: {
          '200': jsonResponse('The records; next_from is null at the end of the log', {
            type: 'object',
            properties: { status: { const: 'ok' }, from: { type: 'integer' }, global_position: { type: 'integer' }, events: { type: 'array', items: ref('StoredRecord') }, next_from: { type: ['integer', 'null'] } },
          }),
          ...errors(['400']),
        },
      },
    },
    {
      method: 'GET',
      path: '/projections/orders',
      query: ['limit', 'session_id', 'paid'],
      handler: handleOrders(deps),
      openapi: {
        summary: 'Orders of the live orders projection, in checkout order',
        tags: ['event store'],
        parameters: [
          queryParam('limit', { type: 'integer', minimum: 1, maximum: MAX_READ_LIMIT, default: DEFAULT_ORDER_LIMIT }, 'Most orders'),
          queryParam('session_id', { type: 'string' }, 'Only the orders of this session'),
          queryParam('paid', { type: 'boolean' }, 'Only paid (true) or unpaid (false) orders'),
        ],
        responses: {
          '200': jsonResponse('The orders', {
            type: 'object',
            properties: { status: { const: 'ok' }, projection_position: { type: 'integer' }, total_orders: { type: 'integer' }, skipped_events: { type: 'integer' }, count: { type: 'integer' }, orders: { type: 'array', items: ref('Order') } },
          }),
          ...errors(['400']),
        },
      },
    },
    {
      method: 'GET',
      path: '/projections/orders/:id',
      handler: handleOrder(deps),
      query: [],
      openapi: {
        summary: 'One order of the live orders projection',
        tags: ['event store'],
        parameters: [pathParam('id', 'The order_id of a checkout')],
        responses: {
          '200': jsonResponse('The order', { type: 'object', properties: { status: { const: 'ok' }, projection_position: { type: 'integer' }, order: ref('Order') } }),
          ...errors(['404']),
        },
      },
    },
  ];
}
