import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MockjutsuError } from '../core/index.js';
import { poolExhaustedMessage } from '../pool/index.js';
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
    const n = (req.query as { n?: number }).n ?? 1;
    const pool = poolOf(data, name);
    // synchronous: on one event loop no two requests can get the same non-recyclable item
    const draw = pool.take(n);
    if (draw.items.length === 0) {
      const message = pool.size === 0
        ? `pool ${JSON.stringify(name)} has no items yet: nothing was recorded into it (POST /record/${name}); record items, then draw`
        : poolExhaustedMessage(name, pool.size);
      throw new HttpError(410, 'POOL_EXHAUSTED', message, NO_STORE, { pool: name, size: pool.size, live: data.isLive(name) });
    }
    sendJson(reply, 200, { status: 'ok', pool: name, recyclable: pool.recyclable, items: draw.items, exhausted: draw.exhausted }, NO_STORE);
  };
}

/** `GET /pools` and `POST /pools/:name/take?n=K`. */
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
        properties: { n: { type: 'integer', minimum: 1, maximum: maxN, default: 1, description: 'Most items to draw' } },
      },
      response: {
        200: jsonResponse('The items drawn (fewer than n only when the pool ran out: exhausted is then true)', ref('PoolDraw')),
        410: jsonResponse('A non-recyclable pool with nothing left (POOL_EXHAUSTED; the message says so)', ref('Error')),
      },
    },
    handler: handleTake(data),
  });
}
