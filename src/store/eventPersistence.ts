import type { StoredEvent } from './storedEvent.js';

/**
 * Where a store makes its records durable (composed into {@link InMemoryEventStore}, which
 * keeps the indexed log and calls `write` before a commit becomes visible).
 */
export interface EventPersistence {
  /**
   * Makes `records` durable. Called one append at a time, in commit order; a rejection aborts
   * the append and leaves the store unchanged (the persistence undoes any partial write).
   */
  write(records: readonly StoredEvent[]): Promise<void>;
  /** Releases the storage once pending writes are done. */
  close(): Promise<void>;
}
