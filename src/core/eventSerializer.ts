import { builtInDomain } from './domains/index.js';
import { serializerFor, sessionSerializerFor } from './domain/eventSerializer.js';
import type { SessionEvent } from './sessionEvent.js';

// The default (shop) domain's compiled serializer, under the names the public API always had.
// Any other domain: `generator.serialize(event)` or `serializerFor(domain)`.

/**
 * JSON text of one event of the default (shop) domain: the same text as `JSON.stringify(event)`
 * (strings escaped as JSON.stringify does), compiled from the domain's envelope and payload
 * schemas. Events of other domains: `generator.serialize(event)` or `serializerFor(domain)`.
 */
export function serializeEvent(e: SessionEvent): string {
  return (shopEvent ??= serializerFor(builtInDomain('shop')))(e);
}

/** JSON text of a session of the default (shop) domain, equal to `JSON.stringify(session)`. */
export function serializeSession(session: readonly SessionEvent[]): string {
  return (shopSession ??= sessionSerializerFor(builtInDomain('shop')))(session);
}

let shopEvent: ((e: object) => string) | undefined;
let shopSession: ((s: readonly object[]) => string) | undefined;
