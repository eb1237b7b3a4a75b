import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MockjutsuError } from '../core/index.js';
import { HOLDER_PATTERN, poolExhaustedMessage, type HeldPoolDraw } from '../pool/index.js';
import { HttpError } from './httpError.js';
import { sendJson } from './responseWriter.js';
import { describeValue } from './safeText.js';
import type { SidecarData } from './sidecarData.js';
import { jsonResponse, ref } from './sidecarSchemas.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

/** Schemas the pool routes' OpenAPI operations reference. */
export const POOL_SCHEMAS: Readonly<Record<string, Record<string, unknown>>> = Object.freeze({
  PoolDraw: {
    type: 'object',
    required: ['status', 'pool', 'recyclable', 'items', 'exhausted'],
    properties: {
      status: { const: 'ok' },
      pool: { type: 'string' },
      recyclable: { type: 'boolean', description: 'Round-robin pool (a client may prefetch freely) or each item once' },
      items: { type: 'array', description: 'Up to n items, each handed out once by a non-recyclable pool (round-robin by a recyclable one)' },
      exhausted: { type: 'boolean', description: 'A non-recyclable pool has nothing left after this draw (the items of this answer are still yours)' },
      tickets: {
        type: 'array', items: { type: 'integer' },
        description: 'With ?holder= on a non-recyclable pool: the pool index of each item, what POST /pools/{name}/return takes back',
      },
    },
  },
  PoolReturned: {
    type: 'object',
    required: ['status', 'pool', 'returned', 'remaining'],
    properties: {
      status: { const: 'ok' },
      pool: { type: 'string' },
      returned: { type: 'integer', description: 'Items put back (handed out again before new ones)' },
      remaining: { type: 'integer', description: 'Items the pool has left to hand out' },
    },
  },
  PoolStatus: {
    type: 'object',
    required: ['status', 'pools'],
    properties: {
      status: { const: 'ok' },
      pools: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'size', 'recyclable', 'position', 'remaining', 'live'],
          properties: {
            name: { type: 'string' },
            size: { type: 'integer' },
            recyclable: { type: 'boolean' },
            position: { type: 'integer', description: 'Items handed out so far' },
            remaining: { type: ['integer', 'null'], description: 'Items left (null for a recyclable pool)' },
            live: { type: 'boolean', description: 'Filled by POST /record/:name while the sidecar runs' },
          },
        },
      },
    },
  },
});

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', description: 'The pool name (--pool NAME=FILE, or a name recorded through POST /record/:name)' } },
};

/** The pool called `name`, or a 404 listing the known ones. */
function poolOf(data: SidecarData, name: string): ReturnType<SidecarData['pools']['get']> {
  try {
    return data.pools.get(name);
  } catch (err) {
    if (!(err instanceof MockjutsuError)) throw err;
    const known = data.pools.names();
    const hint = data.recorder === undefined
      ? 'start mockjutsu serve with --pool NAME=FILE[:recyclable]'
      : 'give mockjutsu serve --pool NAME=FILE[:recyclable], or record into a name first (POST /record/:name makes it a pool)';
    throw new HttpError(404, 'UNKNOWN_POOL', `unknown pool ${describeValue(name, 100)}; ${known.length === 0 ? 'no pools are defined' : 'known: ' + known.join(', ')}; ${hint}`,
      NO_STORE, { known });
  }
}

function handleTake(data: SidecarData) {
  return (req: FastifyRequest, reply: FastifyReply): void => {
    const name = (req.params as { name: string }).name;
    const { n = 1, holder } = req.query as { n?: number; holder?: string };
    const pool = poolOf(data, name);
    if (holder !== undefined && !HOLDER_PATTERN.test(holder)) {
      throw new HttpError(400, 'INVALID_QUERY', `holder is ${describeValue(holder, 80)}; expected 1 to 200 printable ASCII characters without spaces`, NO_STORE);
    }
    // synchronous: on one event loop no two requests can get the same non-recyclable item
    const draw: HeldPoolDraw<unknown> = holder === undefined ? pool.take(n) : data.pools.takeFor(name, n, holder);
    if (draw.items.length === 0) {
      const message = pool.size === 0
        ? `pool ${JSON.stringify(name)} has no items yet: nothing was recorded into it (POST /record/${name}); record items, then draw`
        : poolExhaustedMessage(name, pool.size);
      throw new HttpError(410, 'POOL_EXHAUSTED', message, NO_STORE, { pool: name, size: pool.size, live: data.isLive(name) });
    }
    sendJson(reply, 200, {
      status: 'ok', pool: name, recyclable: pool.recyclable, items: draw.items, exhausted: draw.exhausted,
      ...(draw.tickets === undefined ? {} : { tickets: draw.tickets }),
    }, NO_STORE);
  };
}

function maxBatchOf(req: FastifyRequest): number {
  return req.server.sidecar.limits.maxBatch;
}

function handleReturn(data: SidecarData) {
  return (req: FastifyRequest, reply: FastifyReply): void => {
    const name = (req.params as { name: string }).name;
    const pool = poolOf(data, name);
    const body = req.body as { holder?: unknown; tickets?: unknown } | undefined;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'MALFORMED_JSON', 'expected a JSON body {"holder":"...","tickets":[...]}: the holder of the take (?holder=) and the tickets of the items not used', NO_STORE);
    }
    const max = maxBatchOf(req);
    if (Array.isArray(body.tickets) && body.tickets.length > max) {
      throw new HttpError(400, 'INVALID_OPTION', `tickets holds ${body.tickets.length} tickets; allowed: at most ${max} per request (send several requests)`, NO_STORE);
    }
    if (pool.recyclable) {
      throw new HttpError(409, 'RECYCLABLE_POOL', `pool ${JSON.stringify(name)} is recyclable: it hands items out round-robin and never runs out, so there is nothing to give back`, NO_STORE);
    }
    let result: { returned: number; remaining: number };
    try {
      // synchronous, like take: a ticket is checked and put back before any other request runs
      result = data.pools.giveBack(name, body.holder as string, body.tickets as number[]);
    } catch (err) {
      if (err instanceof MockjutsuError && err.code === 'POOL_NOT_HELD') throw new HttpError(409, 'POOL_NOT_HELD', err.message, NO_STORE);
      throw err;
    }
    sendJson(reply, 200, { status: 'ok', pool: name, ...result }, NO_STORE);
  };
}

/** `GET /pools`, `POST /pools/:name/take?n=K[&holder=H]` and `POST /pools/:name/return`. */
export function registerPoolRoutes(app: FastifyInstance, data: SidecarData): void {
  for (const [name, schema] of Object.entries(POOL_SCHEMAS)) app.addSchema({ $id: name, ...schema });
  const tags = ['data pools'];
  const maxN = app.sidecar.limits.maxBatch;
  app.get('/pools', {
    schema: {
      summary: 'The data pools and where each stands',
      tags,
      querystring: { type: 'object', additionalProperties: false, properties: {} },
      response: { 200: jsonResponse('The pools', ref('PoolStatus')) },
    },
    handler(_req, reply) {
      const pools = data.pools.status().map((p) => ({ ...p, live: data.isLive(p.name) }));
      sendJson(reply, 200, { status: 'ok', pools }, NO_STORE);
    },
  });
  app.post('/pools/:name/take', {
    schema: {
      summary: 'Draw up to n items of a pool: each item of a non-recyclable pool exactly once across all clients',
      description: 'Allocation happens in the sidecar, so every client (all JMeter threads of all engines) sharing it draws disjoint items ' +
        'from a non-recyclable pool. When nothing is left: 410 POOL_EXHAUSTED (a live pool may get more items from POST /record/:name). ' +
        'A recyclable pool goes round-robin forever. No body.',
      tags,
      params: nameParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          n: { type: 'integer', minimum: 1, maximum: maxN, default: 1, description: 'Most items to draw' },
          holder: {
            type: 'string', minLength: 1, maxLength: 200,
            description: 'Who takes (a name the client keeps for the test): a non-recyclable pool then answers tickets, and the holder ' +
              'can give back the items it did not use (POST /pools/{name}/return)',
          },
        },
      },
      response: {
        200: jsonResponse('The items drawn (fewer than n only when the pool ran out: exhausted is then true)', ref('PoolDraw')),
        410: jsonResponse('A non-recyclable pool with nothing left (POOL_EXHAUSTED; the message says so)', ref('Error')),
      },
    },
    handler: handleTake(data),
  });
  app.post('/pools/:name/return', {
    schema: {
      summary: 'Give back items of a non-recyclable pool that were taken (with ?holder=) and not used: they are handed out again first',
      description: 'For clients that fetch ahead (the JMeter function at test end): the body names the holder of the take and the ' +
        'tickets of the unused items. All or nothing: a ticket the holder does not hold (never taken by it, given back already, or ' +
        'listed twice) is a 409 POOL_NOT_HELD and nothing is put back, so an item is never handed out twice. A recyclable pool: 409 RECYCLABLE_POOL.',
      tags,
      params: nameParams,
      querystring: { type: 'object', additionalProperties: false, properties: {} },
      body: {
        type: 'object',
        required: ['holder', 'tickets'],
        additionalProperties: false,
        'x-example': '{"holder":"engine-1/6f1c","tickets":[17,18]}',
        properties: {
          holder: { type: 'string', minLength: 1, maxLength: 200, description: 'The holder the items were taken for (?holder= of the take)' },
          tickets: {
            type: 'array', minItems: 1, maxItems: maxN, items: { type: 'integer', minimum: 0 },
            'x-allowed': `1 to ${maxN} tickets (integers >= 0) of items taken and not used`, description: 'Tickets of the items taken and not used',
          },
        },
      },
      response: {
        200: jsonResponse('The items are back in the pool', ref('PoolReturned')),
        409: jsonResponse('A ticket the holder does not hold (POOL_NOT_HELD), or a recyclable pool (RECYCLABLE_POOL); nothing was put back', ref('Error')),
      },
    },
    handler: handleReturn(data),
  });
}
