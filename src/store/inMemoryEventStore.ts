import { EventLog } from './eventLog.js';
import type { EventPersistence } from './eventPersistence.js';
import type {
  AggregateStreamOptions,
  AggregateStreamResult,
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
import type { EventToAppend, StoredEvent } from './storedEvent.js';

/** Options of {@link InMemoryEventStore}. */
export interface InMemoryEventStoreOptions {
  /** Stamps `recorded_at` on new records. Left out, records carry no time and stay deterministic. */
  readonly clock?: () => Date;
  /**
   * Records to start from, e.g. another store's `readAll()` events or a file read back;
   * checked like a reloaded file (positions and versions must continue without gaps).
   */
  readonly records?: Iterable<unknown>;
  /** Makes each append durable before it becomes visible (e.g. a JSONL file); default none. */
  readonly persistence?: EventPersistence;
  /**
   * Receives an error thrown by a listener. The append has already committed by then, so it
   * must not fail; the default rethrows on a microtask so the error is never lost.
   */
  readonly onListenerError?: (error: unknown, records: readonly StoredEvent[]) => void;
}

/**
 * The reference {@link EventStore}: an indexed log in memory with O(1) appends, optionally
 * made durable by a composed {@link EventPersistence}. Appends run one at a time in call
 * order (plan against the log, persist, commit, notify), so concurrent writers to one stream
 * are serialised by the expected-version check.
 */
export class InMemoryEventStore implements EventStore {
  readonly #log = new EventLog();
  readonly #listeners = new Set<EventStoreListener>();
  readonly #clock: (() => Date) | undefined;
  readonly #persistence: EventPersistence | undefined;
  readonly #onListenerError: (error: unknown, records: readonly StoredEvent[]) => void;
  /** The last append in the queue; the next one starts when it settles. */
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.#clock = options.clock;
    this.#persistence = options.persistence;
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
        this.#log.restore(record);
      } catch (error) {
        throw new RangeError(`Initial record ${index} does not continue the log: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }

  /** Global position of the last committed record (the number of records). */
  get globalPosition(): number {
    return this.#log.globalPosition;
  }

  /** Current version of a committed stream; 0 when it has no events. */
  streamVersion(streamId: string): number {
    return this.#log.streamVersion(streamId);
  }

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendToStreamOptions = {},
  ): Promise<AppendToStreamResult> {
    if (this.#closed) return Promise.reject(new Error('the event store is closed; appends are refused (reads still work)'));
    const run = (): Promise<AppendToStreamResult> => this.#append(streamId, events, options);
    const result = this.#tail.then(run, run);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  async #append(streamId: string, events: readonly EventToAppend[], options: AppendToStreamOptions): Promise<AppendToStreamResult> {
    const plan = this.#log.plan(streamId, events, options.expectedStreamVersion, this.#clock?.().toISOString());
    if (!plan.duplicate) {
      // Durable first, visible second: a failed write leaves the log untouched.
      if (this.#persistence !== undefined) await this.#persistence.write(plan.records);
      this.#log.commit(plan.records);
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

  async readStream<Data = unknown>(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult<Data>> {
    return this.readStreamNow<Data>(streamId, options);
  }

  /** {@link readStream} without the Promise (the log is in memory). */
  readStreamNow<Data = unknown>(streamId: string, options: ReadStreamOptions = {}): ReadStreamResult<Data> {
    const currentStreamVersion = this.#log.streamVersion(streamId);
    const from = checkedCount('from', options.from ?? 1);
    const to = checkedCount('to', options.to ?? currentStreamVersion);
    return {
      events: this.#log.readStream(streamId, Math.max(from, 1), to) as StoredEvent<Data>[],
      currentStreamVersion,
      streamExists: currentStreamVersion > 0,
    };
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    return this.readAllNow(options);
  }

  /** {@link readAll} without the Promise (the log is in memory). */
  readAllNow(options: ReadAllOptions = {}): ReadAllResult {
    const from = checkedCount('fromPosition', options.fromPosition ?? 1);
    const limit = checkedCount('limit', options.limit ?? Number.MAX_SAFE_INTEGER);
    return {
      events: this.#log.readAll(Math.max(from, 1), limit),
      currentGlobalPosition: this.#log.globalPosition,
    };
  }

  async aggregateStream<State, Data = unknown>(
    streamId: string,
    options: AggregateStreamOptions<State, Data>,
  ): Promise<AggregateStreamResult<State>> {
    const { events, currentStreamVersion, streamExists } = this.readStreamNow<Data>(streamId, options.read);
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

  /** Waits for queued appends, then releases the persistence; later appends reject, reads keep working. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    await this.#persistence?.close();
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
