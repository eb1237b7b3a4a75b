/**
 * Shared schemas of the sidecar's bodies (the events' schemas, `Event[_<domain>]` and
 * `Session[_<domain>]`, are derived from each served domain in domainSchemas.ts), added with `addSchema` (each under its `$id`) so
 * that @fastify/swagger lists them under `components.schemas` of `/openapi.json` and routes
 * reference them with {@link ref}.
 */

/** `{ $ref }` to a shared schema (`#/components/schemas/<name>` in the OpenAPI document). */
export function ref(name: string): { $ref: string } {
  return { $ref: `${name}#` };
}

/** A response with a JSON (or other) body. */
export function jsonResponse(description: string, schema: unknown, mediaType = 'application/json'): Record<string, unknown> {
  return { description, content: { [mediaType]: { schema } } };
}

/** Schemas of the sidecar's own bodies. */
export const SIDECAR_SCHEMAS: Readonly<Record<string, Record<string, unknown>>> = Object.freeze({
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
  Item: { description: 'One generated item: a Session for event_stream (the shop), a Session_<name> for a served domain, a user profile object for user' },
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
      items: { type: 'array', items: { type: ['object', 'array'], description: 'Events (unit=event) or sessions (unit=session) of the type asked for: Event / Session (the shop), Event_<name> / Session_<name> (a served domain), or items of another type' } },
      next: { type: 'integer', description: 'The from value to ask for next' },
    },
  },
  Health: {
    type: 'object',
    required: ['status', 'uptime_s', 'version'],
    description: 'Public (no token): no seed, so that nobody can replay the /sessions streams from it',
    properties: { status: { const: 'ok' }, uptime_s: { type: 'number' }, version: { type: 'string' } },
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


/** The error answers every route may give (added to each route's documented responses). */
export const ERROR_RESPONSES: Readonly<Record<string, unknown>> = Object.freeze({
  '400': jsonResponse('Bad input: the message names the bad value and what is allowed', ref('Error')),
  '401': jsonResponse('Missing or wrong bearer token (only when the sidecar runs with a token)', ref('Error')),
  '404': jsonResponse('Unknown route or unknown type (the message lists the known ones)', ref('Error')),
});
