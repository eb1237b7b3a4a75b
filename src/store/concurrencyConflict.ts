import type { ExpectedStreamVersion } from './expectedVersion.js';

/**
 * Thrown when an append's expected stream version does not match the stream. Nothing of the
 * append was written; re-read the stream and decide again.
 */
export class ConcurrencyConflict extends Error {
  override readonly name = 'ConcurrencyConflict';

  constructor(
    /** Stream the append targeted. */
    readonly streamId: string,
    /** What the caller expected. */
    readonly expected: ExpectedStreamVersion,
    /** The stream's version when the append was tried. */
    readonly actual: number,
  ) {
    super(
      `Concurrency conflict on stream "${streamId}": expected ` +
        `${typeof expected === 'number' ? `version ${expected}` : expected}, actual version ${actual}`,
    );
  }
}
