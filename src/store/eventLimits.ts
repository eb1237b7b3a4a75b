import { jsonDepth } from '../core/index.js';

/** Deepest nesting of an event's `data` or `metadata` the store accepts (a generated event nests 4 deep). */
export const MAX_EVENT_DEPTH = 32;
/** Largest JSON text of one event's `data` (plus `metadata`), bytes (a generated event is under 2 KB). */
export const MAX_EVENT_BYTES = 64 * 1024;

/**
 * Thrown when an event to append is nested deeper or is larger than the store accepts. Every
 * store checks the same limits before anything is written, so a record it holds can always
 * be serialised and read back.
 */
export class EventLimitExceeded extends RangeError {
  override readonly name = 'EventLimitExceeded';

  constructor(
    message: string,
    /** Which limit: `depth` or `bytes`. */
    readonly limit: 'depth' | 'bytes',
  ) {
    super(message);
  }
}

/**
 * Checks the nesting limit of `value` (named `what` in the message).
 *
 * @throws EventLimitExceeded
 */
export function checkEventDepth(value: unknown, what: string): void {
  const depth = jsonDepth(value, MAX_EVENT_DEPTH);
  if (depth > MAX_EVENT_DEPTH) {
    throw new EventLimitExceeded(`${what} nests more than ${MAX_EVENT_DEPTH} levels deep; allowed: at most ${MAX_EVENT_DEPTH}`, 'depth');
  }
}

/**
 * Checks the size limit of one event's JSON text.
 *
 * @throws EventLimitExceeded
 */
export function checkEventBytes(bytes: number, what: string): void {
  if (bytes > MAX_EVENT_BYTES) {
    throw new EventLimitExceeded(`${what} is ${bytes} bytes as JSON; allowed: at most ${MAX_EVENT_BYTES} bytes per event`, 'bytes');
  }
}
