/** Default chunk size: large enough to amortize writes, small enough to stay in cache. */
export const DEFAULT_CHUNK_CHARS = 64 * 1024;

/** Options of {@link textChunks}. */
export interface TextChunksOptions {
  /** Text before the first item (a CSV header, a SQL preamble, `[`). */
  head?: string;
  /** Text after the last item, computed once the items are done (`]`, `COMMIT;`). */
  tail?: () => string;
  /** Approximate characters per chunk; chunks hold whole items only. Default 64 Ki. */
  chunkChars?: number;
}

/**
 * The one chunk-fill loop of every text output (NDJSON, JSON, CSV, SQL; the CLI and the
 * sidecar): `append(chunk, item)` returns the chunk with the item's text added, and a chunk is
 * yielded once it reaches `chunkChars`. Holding many small strings at once makes the GC
 * dominate; ~64 KiB chunks keep memory flat and amortize writes. A callback rather than a
 * generator of parts: one generator step per chunk, not per item.
 */
export function* textChunks<T>(items: Iterable<T>, append: (chunk: string, item: T) => string, options: TextChunksOptions = {}): Generator<string> {
  const chunkChars = options.chunkChars ?? DEFAULT_CHUNK_CHARS;
  let chunk = options.head ?? '';
  for (const item of items) {
    chunk = append(chunk, item);
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (options.tail) chunk += options.tail();
  if (chunk.length > 0) yield chunk;
}
