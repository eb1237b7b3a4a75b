import { serializeEvent, textChunks, type EventSerializer, type Session, type SessionEvent } from '../core/index.js';

/**
 * NDJSON text, one event per line, in chunks of about `chunkChars` characters (whole lines
 * only). Accepts events or whole sessions (arrays of events); sessions are cheaper to iterate
 * (one iterator step per session instead of per event). `serialize` is the events' domain's
 * serializer (`generator.serialize`, `serializerFor(iterator.domain)`); default the shop's.
 */
export function ndjsonChunks(items: Iterable<SessionEvent | Session>, chunkChars?: number, serialize: EventSerializer = serializeEvent as EventSerializer): Generator<string> {
  const append = (chunk: string, item: SessionEvent | Session): string => {
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) chunk += serialize(item[i]!) + '\n';
      return chunk;
    }
    return chunk + serialize(item) + '\n';
  };
  return textChunks(items, append, { chunkChars });
}

/** One JSON text per line, `serialize` making each. */
export function jsonLineChunks<T>(items: Iterable<T>, serialize: (item: T) => string, chunkChars?: number): Generator<string> {
  return textChunks(items, (chunk, item) => chunk + serialize(item) + '\n', { chunkChars });
}

/** `[a,b,...]` (each item indented by two spaces when `pretty`), then a newline, in chunks. */
export function jsonArrayChunks<T>(items: Iterable<T>, serialize: (item: T) => string, pretty: boolean, chunkChars?: number): Generator<string> {
  let first = true;
  const append = (chunk: string, item: T): string => {
    const text = serialize(item);
    const sep = first ? (pretty ? '\n  ' : '') : pretty ? ',\n  ' : ',';
    first = false;
    // JSON text has no raw newlines inside strings, so indenting every line is safe.
    return chunk + sep + (pretty ? text.replace(/\n/g, '\n  ') : text);
  };
  return textChunks(items, append, { head: '[', tail: () => (pretty && !first ? '\n]\n' : ']\n'), chunkChars });
}
