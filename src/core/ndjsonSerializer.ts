import type { SessionEvent } from './sessionEvent.js';
import { serializeEvent } from './eventSerializer.js';

/** Default chunk size: large enough to amortize writes, small enough to stay in cache. */
export const DEFAULT_CHUNK_CHARS = 64 * 1024;

/**
 * NDJSON text of `events` in chunks of about `chunkChars` characters (whole lines only).
 * Holding many event strings at once makes the GC dominate; chunking keeps memory flat.
 */
export function* ndjsonChunks(events: Iterable<SessionEvent>, chunkChars = DEFAULT_CHUNK_CHARS): Generator<string> {
  let chunk = '';
  for (const e of events) {
    chunk += serializeEvent(e) + '\n';
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
