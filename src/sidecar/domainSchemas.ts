import { locateSchema, readSchemaDocument } from '../core/index.js';
import type { CompiledDomain, CompiledEventType } from '../core/domain/compileDomain.js';
import type { EnvelopeField } from '../core/domain/domainDefinition.js';
import { envelopeNames } from '../core/domain/envelopeAccess.js';

/**
 * JSON Schemas of a domain's events, derived from the compiled domain (one source of truth: the
 * envelope's columns under the domain's names, and each event type's payload schema), for the
 * sidecar's `/openapi.json` and route schemas.
 */

/** What each contract field holds (the simulator writes these types). */
function fieldSchema(domain: CompiledDomain, field: EnvelopeField): Record<string, unknown> {
  switch (field) {
    case 'event_id': return { type: 'string', format: 'uuid', description: 'Drawn from the seeded PRNG; the event\'s idempotency key' };
    case 'event_type': return { type: 'string', enum: domain.events.map((e) => e.name) };
    case 'stream_id': return { type: 'string', description: 'One stream per aggregate instance' };
    case 'aggregate_type': return { type: 'string', enum: domain.aggregates.map((a) => a.name) };
    case 'aggregate_id': return { type: 'string' };
    case 'stream_version': return { type: 'integer', minimum: 1, description: '1..n within the stream' };
    case 'global_position': return { type: 'integer', minimum: 1 };
    case 'correlation_id': return { type: 'string', format: 'uuid', description: 'The same for every event of a session' };
    case 'causation_id': return { type: ['string', 'null'], description: 'The previous event of the session; null for the first' };
    case 'session_id': return { type: 'string', format: 'uuid' };
    case 'user_id': return { type: 'string' };
    case 'timestamp': return { type: 'string', format: 'date-time', description: 'Strictly increasing within a session' };
    case 'schema_version': return { const: domain.schemaVersion };
    case 'payload': return { type: 'object' };
  }
}

const MAX_INLINE_DEPTH = 32;

/** `schema` with its local `$ref`s into `document` inlined (a recursive one is left as an open schema). */
function inlineRefs(schema: unknown, document: unknown, seen: readonly string[] = [], depth = 0): unknown {
  if (depth > MAX_INLINE_DEPTH) return {};
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(s, document, seen, depth + 1));
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) {
    const ref = s.$ref;
    if (seen.includes(ref)) return { description: `recursive: ${ref}` };
    const target = pointer(document, ref);
    if (target === undefined) return {};
    const { $ref: _drop, ...rest } = s;
    const inlined = inlineRefs(target, document, [...seen, ref], depth + 1);
    return Object.keys(rest).length === 0 ? inlined : { allOf: [inlined, inlineRefs(rest, document, seen, depth + 1)] };
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(s)) {
    // generator hints stay out of the published schema
    if (k.startsWith('x-')) continue;
    Object.defineProperty(out, k, { value: inlineRefs(s[k], document, seen, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function pointer(document: unknown, ref: string): unknown {
  let node: unknown = document;
  for (const raw of ref.slice(1).split('/').filter((p) => p.length > 0)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The JSON Schema of one event type's payload (an event type without one has an empty object). */
export function payloadSchema(et: CompiledEventType): Record<string, unknown> {
  const p = et.payload;
  if (p === undefined) return { type: 'object', maxProperties: 0 };
  const s = p.schema as Record<string, unknown> | undefined;
  const isDocument = p.ref !== undefined || (typeof s === 'object' && s !== null && ('openapi' in s || 'asyncapi' in s || '$defs' in s));
  if (!isDocument) return inlineRefs(s, s) as Record<string, unknown>;
  const located = locateSchema(readSchemaDocument(s), p.ref);
  return inlineRefs(located.schema, located.document) as Record<string, unknown>;
}

/**
 * The schema of one event of `domain`: its envelope columns (the domain's names, contract
 * order, all required) and, per event type, the payload's schema (`oneOf`, told apart by the
 * event type field's `const`).
 */
export function domainEventSchema(domain: CompiledDomain): Record<string, unknown> {
  const names = envelopeNames(domain);
  const properties: Record<string, unknown> = {};
  for (const c of domain.envelope) properties[c.name] = fieldSchema(domain, c.field);
  const typeName = names.event_type!;
  const payloadName = names.payload!;
  return {
    type: 'object',
    description: `One event of the ${domain.name} domain${domain.description === undefined ? '' : ' (' + domain.description + ')'}; ` +
      `its fields and payloads come from the domain${domain.envelope.some((c) => c.name !== c.field) ? ' (fields renamed by its envelope)' : ''}`,
    required: domain.envelope.map((c) => c.name),
    properties,
    oneOf: domain.events.map((et) => ({
      title: et.name,
      properties: { [typeName]: { const: et.name }, [payloadName]: payloadSchema(et) },
    })),
  };
}

/** Component name of a domain's event schema: `Event` for the shop (the event contract), `Event_<name>` otherwise. */
export function eventSchemaName(domain: CompiledDomain): string {
  return domain.name === 'shop' ? 'Event' : `Event_${domain.name}`;
}

/** Component name of a domain's session schema. */
export function sessionSchemaName(domain: CompiledDomain): string {
  return domain.name === 'shop' ? 'Session' : `Session_${domain.name}`;
}

/** The components of every served domain: `Event[_name]` and `Session[_name]`. */
export function domainSchemas(domains: readonly CompiledDomain[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const d of domains) {
    out[eventSchemaName(d)] = domainEventSchema(d);
    out[sessionSchemaName(d)] = { type: 'array', items: { $ref: `${eventSchemaName(d)}#` }, description: `One session of the ${d.name} domain: its events in order` };
  }
  return out;
}
