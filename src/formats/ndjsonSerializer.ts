import { serializeEvent, textChunks, type Session, type SessionEvent } from '../core/index.js';

function appendLines(chunk: string, item: SessionEvent | Session): string {
  if (Array.isArray(item)) {
    for (let i = 0; i < item.length; i++) chunk += serializeEvent(item[i]!) + '\n';
    return chunk;
  }
  return chunk + serializeEvent(item) + '\n';
}

/**
 * NDJSON text, one event per line, in chunks of about `chunkChars` characters (whole lines
 * only). Accepts events or whole sessions (arrays of events); sessions are cheaper to iterate
 * (one iterator step per session instead of per event).
 */
export function ndjsonChunks(items: Iterable<SessionEvent | Session>, chunkChars?: number): Generator<string> {
  return textChunks(items, appendLines, { chunkChars });
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
