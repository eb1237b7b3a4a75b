import { HttpError } from './httpError.js';

/**
 * Types whose item k is made by replaying items 0..k-1 of its partition (cdc_event: rows carry
 * state), synchronously, at about 12 µs an item: one request for a far index would hold the
 * event loop, and every other client, for minutes. The sidecar serves their first items only.
 */
export const REPLAYED_TYPES: ReadonlySet<string> = new Set(['cdc_event']);

/** Highest item index (0-based) served for a {@link REPLAYED_TYPES} type: about a second of replay. */
export const MAX_REPLAYED_INDEX = 100_000;

/** Throws the 400 for an index of a replayed type past {@link MAX_REPLAYED_INDEX}. */
export function checkReplayedIndex(typeName: string, lastIndex: number, what: string, code = 'INVALID_QUERY'): void {
  if (REPLAYED_TYPES.has(typeName) && lastIndex > MAX_REPLAYED_INDEX) {
    throw new HttpError(400, code, `${what}; ${typeName} item k replays the k changes before it (rows carry state), so the sidecar serves ` +
      `items 0 to ${MAX_REPLAYED_INDEX} of a partition; use the library or the CLI (mockjutsu export) for longer streams`);
  }
}
