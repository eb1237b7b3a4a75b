import { serializeSession, type Session } from '../core/index.js';
import type { ServedType } from './servedTypes.js';

/** JSON text of one generated item: sessions through the fast serializer, other types via JSON.stringify. */
export function itemJson(typeName: string, item: unknown): string {
  return typeName === 'event_stream' ? serializeSession(item as Session) : JSON.stringify(item);
}

/** JSON text of one item of a served type: a domain's session event by event through its serializer. */
export function servedItemJson(served: ServedType, item: unknown): string {
  const eventJson = served.eventJson;
  if (eventJson === undefined) return JSON.stringify(item);
  if (served.name === 'event_stream') return serializeSession(item as Session);
  const events = item as unknown[];
  let s = '[';
  for (let i = 0; i < events.length; i++) s += (i === 0 ? '' : ',') + eventJson(events[i]);
  return s + ']';
}
