import type { ExpectedStreamVersion } from './expectedVersion.js';
import type { EventToAppend, StoredEvent } from './storedEvent.js';

/** Options of {@link EventStore.appendToStream} (emmett naming). */
export interface AppendToStreamOptions {
  /** Optimistic-concurrency expectation; default `NO_CONCURRENCY_CHECK`. */
  readonly expectedStreamVersion?: ExpectedStreamVersion;
}

/** Outcome of an append, whether it wrote new records or recognised a replay. */
export interface AppendToStreamResult {
  /** The records this call wrote, or, for a duplicate, the records already stored. */
  readonly records: readonly StoredEvent[];
  /** `stream_version` of the last of `records`: pass it as the expected version of a follow-up append. */
  readonly nextExpectedStreamVersion: number;
  /** `global_position` of the last of `records`. */
  readonly lastGlobalPosition: number;
  /** True when this call wrote the stream's first event. */
  readonly createdNewStream: boolean;
  /** True when every event was already stored (same idempotency keys): nothing was written. */
  readonly duplicate: boolean;
}

/** Options of {@link EventStore.readStream}: an inclusive range of stream versions. */
export interface ReadStreamOptions {
  /** First version to return (default 1). */
  readonly from?: number;
  /** Last version to return (default: the stream's current version). */
  readonly to?: number;
}

/** Result of {@link EventStore.readStream}. */
export interface ReadStreamResult<Data = unknown> {
  readonly events: readonly StoredEvent<Data>[];
  /** The stream's version now (not the last version read): the expected version of a next append. */
  readonly currentStreamVersion: number;
  readonly streamExists: boolean;
}

/** Options of {@link EventStore.readAll}. */
export interface ReadAllOptions {
  /** First global position to return, inclusive (default 1). */
  readonly fromPosition?: number;
  /** Maximum number of records (default: all). */
  readonly limit?: number;
}

/** Result of {@link EventStore.readAll}. */
export interface ReadAllResult {
  readonly events: readonly StoredEvent[];
  /** Global position of the store's last record now; 0 for an empty store. */
  readonly currentGlobalPosition: number;
}

/** Options of {@link EventStore.aggregateStream} (emmett shape). */
export interface AggregateStreamOptions<State, Data = unknown> {
  /** Returns the next state; called once per event, oldest first. */
  readonly evolve: (state: State, event: StoredEvent<Data>) => State;
  /** Called once per aggregation, so a mutable state is never shared between calls. */
  readonly initialState: () => State;
  /** Restricts the versions folded. */
  readonly read?: ReadStreamOptions;
}

/** Result of {@link EventStore.aggregateStream}. */
export interface AggregateStreamResult<State> {
  readonly state: State;
  /** The stream's version now. */
  readonly currentStreamVersion: number;
  readonly streamExists: boolean;
}

/** Called after each committed append with its records, in commit order. */
export type EventStoreListener = (records: readonly StoredEvent[]) => void;

/** Stops a subscription; calling it twice is harmless. */
export type Unsubscribe = () => void;

/**
 * An event store in emmett's shape: one append with optimistic concurrency, stream and global
 * reads, folds, and commit listeners. Every method that touches storage returns a Promise, so
 * a durable store's writes (and fsyncs) never block the caller's event loop; appends are
 * applied one at a time in call order. Every implementation runs the same contract suite
 * (`test/store/eventStoreContract.ts`).
 */
export interface EventStore {
  /**
   * Appends events atomically: one version check, then all of them or none. Events whose
   * idempotency keys are already stored as one run answer `duplicate: true`, writing nothing.
   *
   * @throws (rejects with) ConcurrencyConflict, IdempotencyConflict, EventLimitExceeded,
   *   TypeError/RangeError for bad input, or the storage's error (nothing was acknowledged).
   */
  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options?: AppendToStreamOptions,
  ): Promise<AppendToStreamResult>;
  /** Reads one stream, oldest first. */
  readStream<Data = unknown>(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult<Data>>;
  /** Reads the global log, oldest first. */
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  /** Folds one stream into a state. */
  aggregateStream<State, Data = unknown>(
    streamId: string,
    options: AggregateStreamOptions<State, Data>,
  ): Promise<AggregateStreamResult<State>>;
  /** Registers a listener called after every committed (non-duplicate) append, in commit order. */
  subscribe(listener: EventStoreListener): Unsubscribe;
}
