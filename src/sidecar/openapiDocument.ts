import type { Router, SidecarRoute } from './router.js';

/** An OpenAPI 3.1 operation object (loosely typed: it is passed through as written). */
export interface OpenApiOperation {
  summary?: string;
  description?: string;
  operationId?: string;
  tags?: string[];
  parameters?: OpenApiParameter[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  security?: unknown[];
  [extension: string]: unknown;
}

/** An OpenAPI parameter object. */
export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  description?: string;
  schema: Record<string, unknown>;
}

/** A query parameter. */
export function queryParam(name: string, schema: Record<string, unknown>, description: string, required = false): OpenApiParameter {
  return { name, in: 'query', required, description, schema };
}

/** A path parameter (always required). */
export function pathParam(name: string, description: string, schema: Record<string, unknown> = { type: 'string' }): OpenApiParameter {
  return { name, in: 'path', required: true, description, schema };
}

/** `{ $ref }` to a schema of the document's components. */
export function ref(name: string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/** A response with a JSON (or other) body. */
export function jsonResponse(description: string, schema: unknown, mediaType = 'application/json'): Record<string, unknown> {
  return { description, content: { [mediaType]: { schema } } };
}

const errorResponse = (description: string): Record<string, unknown> => jsonResponse(description, ref('Error'));

/** The error answers every route may give. */
export const ERROR_RESPONSES: Readonly<Record<string, unknown>> = Object.freeze({
  '400': errorResponse('Bad input: the message names the bad value and what is allowed'),
  '401': errorResponse('Missing or wrong bearer token (only when the sidecar runs with --token)'),
  '404': errorResponse('Unknown route or unknown type (the message lists the known ones)'),
  '405': errorResponse('Method not allowed; the Allow header lists the allowed ones'),
  '500': errorResponse('A bug: the sidecar logged it on stderr and keeps running'),
});

const EVENT_SCHEMA = {
  type: 'object',
  description: 'One event of the event_stream contract (see the event contract notes).',
  required: ['event_id', 'event_type', 'stream_id', 'aggregate_type', 'aggregate_id', 'stream_version', 'global_position',
    'correlation_id', 'causation_id', 'session_id', 'user_id', 'timestamp', 'schema_version', 'payload'],
  properties: {
    event_id: { type: 'string', format: 'uuid' },
    event_type: { type: 'string', examples: ['login', 'page_view', 'search', 'add_to_cart', 'remove_from_cart', 'checkout', 'payment', 'logout'] },
    stream_id: { type: 'string' },
    aggregate_type: { type: 'string' },
    aggregate_id: { type: 'string' },
    stream_version: { type: 'integer', minimum: 1 },
    global_position: { type: 'integer', minimum: 1 },
    correlation_id: { type: 'string' },
    causation_id: { type: ['string', 'null'] },
    session_id: { type: 'string' },
    user_id: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
    schema_version: { type: 'integer', minimum: 1 },
    payload: { type: 'object' },
  },
};

/** Schemas of the sidecar's own bodies. */
export const SIDECAR_SCHEMAS: Readonly<Record<string, unknown>> = Object.freeze({
  Error: {
    type: 'object',
    required: ['status', 'error'],
    properties: {
      status: { const: 'error' },
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: {
            type: 'string',
            description: 'Stable code: NOT_FOUND, UNKNOWN_TYPE, METHOD_NOT_ALLOWED, BAD_REQUEST, INVALID_QUERY, INVALID_COUNT, INVALID_SEED, ' +
              'INVALID_OPTION, MALFORMED_JSON, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, UNAUTHORIZED, REQUEST_TIMEOUT, HEADERS_TOO_LARGE, INTERNAL_ERROR',
          },
          message: { type: 'string', description: 'Names the bad value and what is allowed' },
        },
      },
    },
  },
  Seed: { type: 'string', description: 'Canonical seed: the decimal form of an integer seed, or the seed text' },
  Event: EVENT_SCHEMA,
  Session: { type: 'array', items: ref('Event'), description: 'One session: login ... logout' },
  Item: { description: 'One generated item: a Session for event_stream, a user profile object for user' },
  GenerateEnvelope: {
    type: 'object',
    required: ['type', 'result', 'seed', 'status'],
    properties: {
      type: { type: 'string' },
      result: { type: 'string', description: 'The item as JSON text (a string, as in mock-jutsu\'s REST API)' },
      seed: ref('Seed'),
      status: { const: 'ok' },
    },
  },
  BulkEnvelope: {
    type: 'object',
    required: ['type', 'count', 'seed', 'result', 'status'],
    properties: {
      type: { type: 'string' },
      count: { type: 'integer' },
      seed: ref('Seed'),
      result: { type: 'array', items: { type: 'string' }, description: 'Items 0..count-1 as JSON text strings (like /generate)' },
      status: { const: 'ok' },
    },
  },
  TemplateRequest: {
    type: 'object',
    required: ['types', 'count'],
    additionalProperties: false,
    properties: {
      types: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Distinct type names' },
      count: { type: 'integer', minimum: 1, maximum: 10000 },
      seed: { type: ['string', 'integer'], description: 'Default: a fresh random seed, reported in the answer' },
      partition: { type: ['string', 'integer'] },
      users: { type: 'integer', minimum: 1, maximum: 10000000 },
      start: { type: ['string', 'integer'], description: 'ISO-8601 instant, epoch ms or "now"' },
    },
  },
  TemplateEnvelope: {
    type: 'object',
    required: ['status', 'seed', 'result'],
    properties: {
      status: { const: 'ok' },
      seed: ref('Seed'),
      result: {
        type: 'array',
        items: { type: 'object', additionalProperties: { type: 'string' }, description: 'Record i: one field per type, holding item i as JSON text' },
      },
    },
  },
  BatchEnvelope: {
    type: 'object',
    required: ['status', 'key', 'seed', 'unit', 'items', 'next'],
    properties: {
      status: { const: 'ok' },
      key: { type: 'string' },
      seed: ref('Seed'),
      unit: { enum: ['event', 'session'] },
      items: { type: 'array', items: { oneOf: [ref('Event'), ref('Session'), { type: 'object' }] } },
      next: { type: 'integer', description: 'The from value to ask for next' },
    },
  },
  Health: {
    type: 'object',
    required: ['status', 'seed', 'uptime_s', 'version'],
    properties: { status: { const: 'ok' }, seed: ref('Seed'), uptime_s: { type: 'number' }, version: { type: 'string' } },
  },
  Types: {
    type: 'object',
    required: ['status', 'types', 'descriptions'],
    properties: {
      status: { const: 'ok' },
      types: { type: 'array', items: { type: 'string' } },
      descriptions: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
});

/** `/sessions/:key/next` becomes `/sessions/{key}/next`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

function operationOf(route: SidecarRoute): OpenApiOperation {
  const given = route.openapi ?? {};
  const op: OpenApiOperation = { ...given };
  op.summary ??= `${route.method} ${route.path}`;
  const params = [...(given.parameters ?? [])];
  for (const m of route.path.matchAll(/:([A-Za-z_]\w*)/g)) {
    if (!params.some((p) => p.in === 'path' && p.name === m[1])) params.push(pathParam(m[1]!, `path parameter ${m[1]}`));
  }
  for (const q of route.query ?? []) {
    if (!params.some((p) => p.in === 'query' && p.name === q)) params.push(queryParam(q, { type: 'string' }, `query parameter ${q}`));
  }
  if (params.length > 0) op.parameters = params;
  op.responses = { ...(given.responses ?? { '200': { description: 'OK' } }), ...ERROR_RESPONSES };
  if (route.public) op.security = [];
  return op;
}

/** Options of {@link buildOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  version: string;
  /** Schemas added by other route modules (merged into components.schemas). */
  schemas?: Readonly<Record<string, unknown>>;
}

/** An OpenAPI 3.1 document of every route of `router`. */
export function buildOpenApiDocument(router: Router, options: OpenApiDocumentOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  for (const route of router.routes()) {
    const p = (paths[openApiPath(route.path)] ??= {});
    p[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'mockjutsu sidecar',
      version: options.version,
      description: 'Deterministic Markov-chain session traffic over HTTP. The same seed gives the same bytes as the library. ' +
        'Every error is a 4xx (or a 500 for a bug) with the Error body.',
    },
    servers: [{ url: 'http://127.0.0.1:8099' }],
    paths,
    components: {
      schemas: { ...SIDECAR_SCHEMAS, ...(options.schemas ?? {}) },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Required on every route but /health when the sidecar runs with --token' } },
    },
    security: [{ bearer: [] }, {}],
  };
}
