/**
 * Thrown when idempotency keys make an append ambiguous: a key repeated inside one batch, a
 * key already held by another stream, or a batch only partly present in the store. Nothing
 * of the append was written.
 */
export class IdempotencyConflict extends Error {
  override readonly name = 'IdempotencyConflict';

  constructor(
    /** Stream the append targeted. */
    readonly streamId: string,
    /** The keys that caused the conflict. */
    readonly keys: readonly string[],
    reason: string,
  ) {
    super(`Idempotency conflict on stream "${streamId}": ${reason} (keys: ${keys.join(', ')})`);
  }
}
