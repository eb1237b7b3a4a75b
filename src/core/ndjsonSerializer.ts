import type { Session, SessionEvent } from './sessionEvent.js';
import { serializeEvent } from './eventSerializer.js';

/** Default chunk size: large enough to amortize writes, small enough to stay in cache. */
export const DEFAULT_CHUNK_CHARS = 64 * 1024;

/**
 * NDJSON text, one event per line, in chunks of about `chunkChars` characters (whole lines
 * only). Accepts events or whole sessions (arrays of events); sessions are cheaper to iterate
 * (one iterator step per session instead of per event). Holding many event strings at once
 * makes the GC dominate; chunking keeps memory flat.
 */
export function* ndjsonChunks(items: Iterable<SessionEvent | Session>, chunkChars = DEFAULT_CHUNK_CHARS): Generator<string> {
  let chunk = '';
  for (const item of items) {
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) chunk += serializeEvent(item[i]!) + '\n';
    } else {
      chunk += serializeEvent(item) + '\n';
    }
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
