import { serializeSession, type Session } from '../core/index.js';

/** JSON text of one generated item: sessions through the fast serializer, other types via JSON.stringify. */
export function itemJson(typeName: string, item: unknown): string {
  return typeName === 'event_stream' ? serializeSession(item as Session) : JSON.stringify(item);
}
