import { serializeSession, type Session, type SessionGenerator } from '../core/index.js';

/**
 * JSON text of one generated item: sessions through their domain's compiled serializer (the
 * generator's; the shop's without one), other types via JSON.stringify.
 */
export function itemJson(typeName: string, item: unknown, g?: SessionGenerator): string {
  if (typeName !== 'event_stream') return JSON.stringify(item);
  return g === undefined ? serializeSession(item as Session) : g.serializeSession(item as Session);
}
