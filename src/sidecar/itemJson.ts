import { serializeSession, type Session, type SessionGenerator } from '../core/index.js';
import type { ServedType } from './servedTypes.js';

/**
 * JSON text of one generated item: sessions through their domain's compiled serializer (the
 * generator's; the shop's without one), other types via JSON.stringify.
 */
export function itemJson(typeName: string, item: unknown, g?: SessionGenerator): string {
  if (typeName !== 'event_stream') return JSON.stringify(item);
  return g === undefined ? serializeSession(item as Session) : g.serializeSession(item as Session);
}

/**
 * JSON text of one item of a served type: a domain's session through the domain's compiled
 * serializer (`JSON.stringify(session)`), any other type via JSON.stringify.
 */
export function servedItemJson(served: ServedType, item: unknown): string {
  return served.sessionJson === undefined ? JSON.stringify(item) : served.sessionJson(item as Session);
}
