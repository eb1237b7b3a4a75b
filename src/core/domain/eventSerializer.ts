import type { CompiledDomain } from './linkDomain.js';
import { compileEventSerializer } from './eventSerializerSource.js';

export { eventSerializerSource, compileEventSerializer } from './eventSerializerSource.js';

/** An event of a domain as the generator makes it (the envelope's names, then the payload). */
type AnyEvent = object;

/** Serializes one event of a domain: the same text as `JSON.stringify(event)`. */
export type EventSerializer = (event: AnyEvent) => string;

/** Serializes a session (an array of events): the same text as `JSON.stringify(session)`. */
export type SessionSerializer = (session: readonly AnyEvent[]) => string;

interface Serializers { event: EventSerializer; session: SessionSerializer }
const cache = new WeakMap<CompiledDomain, Serializers>();

function serializers(domain: CompiledDomain): Serializers {
  let s = cache.get(domain);
  if (s === undefined) {
    const event = compileEventSerializer(domain);
    const session: SessionSerializer = (events) => {
      let out = '[';
      for (let i = 0; i < events.length; i++) out += (i === 0 ? '' : ',') + event(events[i]!);
      return out + ']';
    };
    s = { event, session };
    cache.set(domain, s);
  }
  return s;
}

/** The domain's event serializer, compiled once per compiled domain. */
export function serializerFor(domain: CompiledDomain): EventSerializer {
  return serializers(domain).event;
}

/** The domain's session serializer (`JSON.stringify(session)`), compiled once per compiled domain. */
export function sessionSerializerFor(domain: CompiledDomain): SessionSerializer {
  return serializers(domain).session;
}
