import { ConcurrencyConflict } from './concurrencyConflict.js';
import { assertExpectedVersion, EMPTY_STREAM_VERSION, type ExpectedStreamVersion } from './expectedVersion.js';
import { checkEventBytes, checkEventDepth } from './eventLimits.js';
import { deepFreeze, frozenJsonCopy } from './jsonCopy.js';
import { IdempotencyConflict } from './idempotencyConflict.js';
import { idempotencyKeyOf } from './idempotencyKey.js';
import type { EventToAppend, StoredEvent } from './storedEvent.js';

/** What an append would do, computed without changing the log. */
export type AppendPlan =
  | {
      /** New records, numbered to follow the log; hand them to {@link EventLog.commit}. */
      readonly duplicate: false;
      readonly records: readonly StoredEvent[];
      readonly createdNewStream: boolean;
    }
  | {
      /** Every event is already stored; these are the records already held. */
      readonly duplicate: true;
      readonly records: readonly StoredEvent[];
    };

const NO_EVENTS: readonly StoredEvent[] = Object.freeze([]);

/**
 * The indexed, in-memory log every store keeps: the global log (index = position - 1), one
 * array per stream (index = version - 1) and an idempotency-key index, so appends, version
 * checks, duplicate checks and positional reads are all O(1) (plus the events returned).
 *
 * Appending is split in two, {@link plan} then {@link commit}, so a durable store can write
 * the planned records to disk in between and the log only changes once they are safe.
 */
export class EventLog {
  readonly #all: StoredEvent[] = [];
  readonly #streams = new Map<string, StoredEvent[]>();
  readonly #byKey = new Map<string, StoredEvent>();

  /** Global position of the last record; 0 when the log is empty. Equals the record count. */
  get globalPosition(): number {
    return this.#all.length;
  }

  /** Current version of a stream; 0 ({@link EMPTY_STREAM_VERSION}) when it has no events. */
  streamVersion(streamId: string): number {
    return this.#streams.get(streamId)?.length ?? EMPTY_STREAM_VERSION;
  }

  /** Records of one stream with `from <= stream_version <= to`, oldest first. */
  readStream(streamId: string, from: number, to: number): StoredEvent[] {
    return (this.#streams.get(streamId) ?? NO_EVENTS).slice(from - 1, Math.max(from - 1, to));
  }

  /** Up to `limit` records of the global log starting at `fromPosition` (inclusive). */
  readAll(fromPosition: number, limit: number): StoredEvent[] {
    return this.#all.slice(fromPosition - 1, fromPosition - 1 + limit);
  }

  /**
   * Decides what appending `events` to `streamId` means, without changing anything.
   *
   * Idempotency rule: if none of the events' keys is stored, the batch is new and the
   * expected version is checked against the stream. If every event has a key that this
   * stream already holds, as one contiguous run in batch order, the batch is a replay: the
   * plan is a duplicate carrying the stored records, provided `expected` matches the version
   * the stream had just before that run (so a retry with its original expectation succeeds
   * even though the stream moved on, as in EventStoreDB). Anything in between (some keys
   * stored and some not, a key stored in another stream, a key twice in one batch, a run out
   * of order) is an {@link IdempotencyConflict}.
   *
   * Every event is checked against the store's limits (nesting and size, see eventLimits.ts)
   * before anything else, so what is stored can always be serialised again.
   *
   * @throws ConcurrencyConflict, IdempotencyConflict, EventLimitExceeded, TypeError/RangeError on bad input.
   */
  plan(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedStreamVersion | undefined,
    recordedAt?: string,
  ): AppendPlan {
    assertStreamId(streamId);
    if (!Array.isArray(events) || events.length === 0) {
      throw new RangeError(`Append to stream "${streamId}" needs at least one event`);
    }
    events.forEach((event, index) => {
      assertEventType(event, streamId);
      checkEventDepth(event.data, `data of event ${index + 1}`);
      if (event.metadata !== undefined) checkEventDepth(event.metadata, `metadata of event ${index + 1}`);
    });
    const keys = events.map((event) => idempotencyKeyOf(event));
    const replay = this.#findReplay(streamId, keys, expected);
    if (replay) return { duplicate: true, records: replay };

    const current = this.streamVersion(streamId);
    assertExpectedVersion(streamId, current, expected);

    const records = events.map((event, index): StoredEvent => {
      const version = current + index + 1;
      const data = frozenJsonCopy(event.data, `data of event ${index + 1} ("${event.type}")`);
      const record: {
        -readonly [K in keyof StoredEvent]: StoredEvent[K];
      } = {
        stream_id: streamId,
        stream_version: version,
        global_position: this.#all.length + index + 1,
        type: event.type,
        data: data.value,
      };
      let bytes = data.bytes;
      if (event.metadata !== undefined) {
        const metadata = frozenJsonCopy(event.metadata, `metadata of event ${index + 1} ("${event.type}")`);
        record.metadata = metadata.value;
        bytes += metadata.bytes;
      }
      checkEventBytes(bytes, `event ${index + 1} ("${event.type}")`);
      const key = keys[index];
      if (key !== undefined) record.idempotency_key = key;
      if (recordedAt !== undefined) record.recorded_at = recordedAt;
      return Object.freeze(record);
    });
    return { duplicate: false, records, createdNewStream: current === EMPTY_STREAM_VERSION };
  }

  /**
   * Adds records produced by {@link plan} against the current log.
   *
   * @throws Error when the records do not follow the log (a stale plan), changing nothing.
   */
  commit(records: readonly StoredEvent[]): void {
    const first = records[0];
    if (
      first === undefined ||
      first.global_position !== this.#all.length + 1 ||
      first.stream_version !== this.streamVersion(first.stream_id) + 1
    ) {
      throw new Error('EventLog.commit: records do not follow the log (stale plan)');
    }
    for (const record of records) this.#add(record);
  }

  /**
   * Adds one record read back from storage, after checking its shape and that it continues
   * the log (next global position, next version of its stream, unseen idempotency key).
   *
   * @throws TypeError/RangeError explaining what is wrong, changing nothing.
   */
  restore(value: unknown): StoredEvent {
    const record = toStoredEvent(value);
    const expectedPosition = this.#all.length + 1;
    if (record.global_position !== expectedPosition) {
      throw new RangeError(`global_position ${record.global_position} where ${expectedPosition} was expected`);
    }
    const expectedVersion = this.streamVersion(record.stream_id) + 1;
    if (record.stream_version !== expectedVersion) {
      throw new RangeError(
        `stream_version ${record.stream_version} of stream "${record.stream_id}" where ${expectedVersion} was expected`,
      );
    }
    if (record.idempotency_key !== undefined && this.#byKey.has(record.idempotency_key)) {
      throw new RangeError(`idempotency_key "${record.idempotency_key}" appears twice`);
    }
    this.#add(record);
    return record;
  }

  #add(record: StoredEvent): void {
    this.#all.push(record);
    let stream = this.#streams.get(record.stream_id);
    if (!stream) {
      stream = [];
      this.#streams.set(record.stream_id, stream);
    }
    stream.push(record);
    if (record.idempotency_key !== undefined) this.#byKey.set(record.idempotency_key, record);
  }

  /** The stored records when the batch is a replay, undefined when it is new; else throws. */
  #findReplay(
    streamId: string,
    keys: readonly (string | undefined)[],
    expected: ExpectedStreamVersion | undefined,
  ): readonly StoredEvent[] | undefined {
    const seen = new Set<string>();
    const held: StoredEvent[] = [];
    for (const key of keys) {
      if (key === undefined) continue;
      if (seen.has(key)) throw new IdempotencyConflict(streamId, [key], 'the same key appears twice in one batch');
      seen.add(key);
      const record = this.#byKey.get(key);
      if (record) held.push(record);
    }
    if (held.length === 0) return undefined;

    const elsewhere = held.filter((record) => record.stream_id !== streamId);
    if (elsewhere.length > 0) {
      throw new IdempotencyConflict(
        streamId,
        elsewhere.map((record) => record.idempotency_key!),
        `already stored in stream "${elsewhere[0]!.stream_id}"`,
      );
    }
    const heldKeys = held.map((record) => record.idempotency_key!);
    if (held.length !== keys.length) {
      throw new IdempotencyConflict(
        streamId,
        heldKeys,
        `${held.length} of the batch's ${keys.length} events are already stored; a batch is replayed whole or not at all`,
      );
    }
    const first = held[0]!;
    if (held.some((record, index) => record.stream_version !== first.stream_version + index)) {
      throw new IdempotencyConflict(streamId, heldKeys, 'already stored, but not as one run in this order');
    }
    const versionBefore = first.stream_version - 1;
    try {
      assertExpectedVersion(streamId, versionBefore, expected);
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict)) throw error;
      throw new IdempotencyConflict(
        streamId,
        heldKeys,
        `already stored at versions ${first.stream_version}..${held[held.length - 1]!.stream_version}, ` +
          `written after version ${versionBefore}, which does not satisfy the expected version ` +
          `${String(expected)}`,
      );
    }
    return held;
  }
}

/** @throws TypeError unless `streamId` is a non-empty string. */
export function assertStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new TypeError(`Stream id must be a non-empty string; got ${JSON.stringify(streamId)}`);
  }
}

function assertEventType(event: EventToAppend, streamId: string): void {
  // called on untyped input from the HTTP layer
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || event.type.length === 0) {
    throw new TypeError(`Every event appended to stream "${streamId}" needs a non-empty string type`);
  }
}

const RECORD_FIELDS = new Set([
  'event_id', // written by earlier versions, always equal to stream_version; dropped on load
  'stream_id',
  'stream_version',
  'global_position',
  'type',
  'data',
  'metadata',
  'idempotency_key',
  'recorded_at',
]);

/** Checks that a value read back from storage is a well-formed record and freezes it. */
function toStoredEvent(value: unknown): StoredEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('record is not a JSON object');
  }
  const record = value as Record<string, unknown>;
  const unknownField = Object.keys(record).find((field) => !RECORD_FIELDS.has(field));
  if (unknownField !== undefined) throw new TypeError(`unknown field "${unknownField}"`);
  for (const field of ['stream_version', 'global_position'] as const) {
    const n = record[field];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
      throw new TypeError(`${field} must be a positive integer; got ${JSON.stringify(n)}`);
    }
  }
  if ('event_id' in record) {
    if (record.event_id !== record.stream_version) {
      throw new RangeError(`event_id ${String(record.event_id)} differs from stream_version ${String(record.stream_version)}`);
    }
    delete record.event_id;
  }
  checkEventDepth(record.data, 'data');
  if (record.metadata !== undefined) checkEventDepth(record.metadata, 'metadata');
  assertStreamId(record.stream_id);
  if (typeof record.type !== 'string' || record.type.length === 0) throw new TypeError('type must be a non-empty string');
  if (!('data' in record)) throw new TypeError('data is missing');
  if (record.metadata !== undefined && (typeof record.metadata !== 'object' || record.metadata === null || Array.isArray(record.metadata))) {
    throw new TypeError('metadata must be an object');
  }
  for (const field of ['idempotency_key', 'recorded_at'] as const) {
    const text = record[field];
    if (text !== undefined && (typeof text !== 'string' || text.length === 0)) {
      throw new TypeError(`${field} must be a non-empty string`);
    }
  }
  return deepFreeze(record) as unknown as StoredEvent;
}
