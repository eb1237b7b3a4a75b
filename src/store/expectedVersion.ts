import { ConcurrencyConflict } from './concurrencyConflict.js';

/** Expect the stream to have at least one event. */
export const STREAM_EXISTS = 'STREAM_EXISTS' as const;
/** Expect the stream to have no events (version 0). */
export const STREAM_DOES_NOT_EXIST = 'STREAM_DOES_NOT_EXIST' as const;
/** Append whatever the stream's version is (the default). */
export const NO_CONCURRENCY_CHECK = 'NO_CONCURRENCY_CHECK' as const;

/**
 * What an append expects of its stream: an exact version (0 = no events yet) or one of
 * the named constants.
 */
export type ExpectedStreamVersion =
  | number
  | typeof STREAM_EXISTS
  | typeof STREAM_DOES_NOT_EXIST
  | typeof NO_CONCURRENCY_CHECK;

/** Version of a stream that has no events. */
export const EMPTY_STREAM_VERSION = 0;

/**
 * The one optimistic-concurrency check every store uses: returns when `actual` satisfies
 * `expected`, throws {@link ConcurrencyConflict} otherwise.
 *
 * @throws RangeError when `expected` is a number that is not a non-negative integer, or an
 *   unknown constant (a bad argument, not a conflict).
 */
export function assertExpectedVersion(
  streamId: string,
  actual: number,
  expected: ExpectedStreamVersion = NO_CONCURRENCY_CHECK,
): void {
  let matches: boolean;
  if (typeof expected === 'number') {
    if (!Number.isSafeInteger(expected) || expected < 0) {
      throw new RangeError(
        `Expected stream version must be a non-negative integer or one of ` +
          `${STREAM_EXISTS}, ${STREAM_DOES_NOT_EXIST}, ${NO_CONCURRENCY_CHECK}; got ${String(expected)}`,
      );
    }
    matches = actual === expected;
  } else if (expected === NO_CONCURRENCY_CHECK) {
    matches = true;
  } else if (expected === STREAM_DOES_NOT_EXIST) {
    matches = actual === EMPTY_STREAM_VERSION;
  } else if (expected === STREAM_EXISTS) {
    matches = actual !== EMPTY_STREAM_VERSION;
  } else {
    // Reachable from untyped callers only; refuse rather than silently skip the check.
    throw new RangeError(`Unknown expected stream version ${JSON.stringify(expected)}`);
  }
  if (!matches) throw new ConcurrencyConflict(streamId, expected, actual);
}
