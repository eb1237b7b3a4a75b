import { EventLog } from './eventLog.js';
import type {
  AggregateStreamOptions,
  AggregateStreamResult,
  AppendOptions,
  AppendToStreamOptions,
  AppendToStreamResult,
  EventStore,
  EventStoreListener,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  ReadStreamResult,
  Unsubscribe,
} from './eventStore.js';
import { frozenJsonCopy } from './jsonCopy.js';
import type { EventToAppend, StoredEvent } from './storedEvent.js';

/** Options of {@link InMemoryEventStore}. */
export interface InMemoryEventStoreOptions {
  /** Stamps `recorded_at` on new records. Left out, records carry no time and stay deterministic. */
  readonly clock?: () => Date;
  /**
   * Records to start from, e.g. another store's `readAll().events`; checked like a reloaded
   * file (positions and versions must continue without gaps).
   */
  readonly records?: Iterable<StoredEvent>;
  /**
   * Receives an error thrown by a listener. The append has already committed by then, so it
   * must not fail; the default rethrows on a microtask so the error is never lost.
   */
  readonly onListenerError?: (error: unknown, records: readonly StoredEvent[]) => void;
}

/**
 * The reference {@link EventStore}: everything in memory, synchronous, O(1) appends.
 * Durable stores extend it and write in {@link persist} before the log changes.
 */
export class InMemoryEventStore implements EventStore {
  /** The indexed log; subclasses restore persisted records into it. */
  protected readonly log = new EventLog();
  readonly #listeners = new Set<EventStoreListener>();
  readonly #clock: (() => Date) | undefined;
  readonly #onListenerError: (error: unknown, records: readonly StoredEvent[]) => void;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.#clock = options.clock;
    this.#onListenerError =
      options.onListenerError ??
      ((error) =>
        queueMicrotask(() => {
          throw error;
        }));
    let index = 0;
    for (const record of options.records ?? []) {
      index += 1;
      try {
        this.log.restore(frozenJsonCopy(record, `record ${index}`));
      } catch (error) {
        throw new RangeError(`Initial record ${index} does not continue the log: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }

  get globalPosition(): number {
    return this.log.globalPosition;
  }

  streamVersion(streamId: string): number {
    return this.log.streamVersion(streamId);
  }

  append<Data>(streamId: string, event: EventToAppend<Data>, options: AppendOptions = {}): AppendToStreamResult {
    return this.appendToStream(streamId, [event], { expectedStreamVersion: options.expectedVersion });
  }

  appendBatch(streamId: string, events: readonly EventToAppend[], options: AppendOptions = {}): AppendToStreamResult {
    return this.appendToStream(streamId, events, { expectedStreamVersion: options.expectedVersion });
  }

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendToStreamOptions = {},
  ): AppendToStreamResult {
    const plan = this.log.plan(streamId, events, options.expectedStreamVersion, this.#clock?.().toISOString());
    if (!plan.duplicate) {
      // Durable first, visible second: a failed write leaves the log untouched.
      this.persist(plan.records);
      this.log.commit(plan.records);
      this.#notify(plan.records);
    }
    const last = plan.records[plan.records.length - 1]!;
    return {
      records: plan.records,
      nextExpectedStreamVersion: last.stream_version,
      lastGlobalPosition: last.global_position,
      createdNewStream: !plan.duplicate && plan.createdNewStream,
      duplicate: plan.duplicate,
    };
  }

  readStream<Data = unknown>(streamId: string, options: ReadStreamOptions = {}): ReadStreamResult<Data> {
    const currentStreamVersion = this.log.streamVersion(streamId);
    const from = checkedCount('from', options.from ?? 1);
    const to = checkedCount('to', options.to ?? currentStreamVersion);
    return {
      events: this.log.readStream(streamId, Math.max(from, 1), to) as StoredEvent<Data>[],
      currentStreamVersion,
      streamExists: currentStreamVersion > 0,
    };
  }

  readAll(options: ReadAllOptions = {}): ReadAllResult {
    const from = checkedCount('fromPosition', options.fromPosition ?? 1);
    const limit = checkedCount('limit', options.limit ?? Number.MAX_SAFE_INTEGER);
    return {
      events: this.log.readAll(Math.max(from, 1), limit),
      currentGlobalPosition: this.log.globalPosition,
    };
  }

  aggregateStream<State, Data = unknown>(
    streamId: string,
    options: AggregateStreamOptions<State, Data>,
  ): AggregateStreamResult<State> {
    const { events, currentStreamVersion, streamExists } = this.readStream<Data>(streamId, options.read);
    let state = options.initialState();
    for (const event of events) state = options.evolve(state, event);
    return { state, currentStreamVersion, streamExists };
  }

  subscribe(listener: EventStoreListener): Unsubscribe {
    // A wrapper per subscription, so subscribing one function twice gives two subscriptions.
    const entry: EventStoreListener = (records) => listener(records);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /**
   * Makes `records` durable before they become visible. Throwing aborts the append and
   * leaves the store unchanged. The in-memory store has nothing to do.
   */
  protected persist(records: readonly StoredEvent[]): void {
    void records;
  }

  #notify(records: readonly StoredEvent[]): void {
    // Copy: a listener may subscribe or unsubscribe while being notified.
    for (const listener of [...this.#listeners]) {
      try {
        listener(records);
      } catch (error) {
        this.#onListenerError(error, records);
      }
    }
  }
}

function checkedCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer; got ${String(value)}`);
  }
  return value;
}
