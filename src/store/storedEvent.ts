/**
 * What a caller hands to the store: a type, a JSON payload and optional metadata.
 *
 * A generated mockjutsu event travels whole as `data`; the store never rewrites it.
 */
export interface EventToAppend<Data = unknown> {
  /** Event type, used by projections and folds to pick a handler. */
  readonly type: string;
  /** JSON payload. Stored as `JSON.parse(JSON.stringify(data))`, so it must be JSON-serialisable. */
  readonly data: Data;
  /** Optional JSON metadata (correlation ids, headers...). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * Key that makes a retried append harmless. Omitted: `data.event_id` when `data` is an
   * object with a string `event_id` (every mockjutsu event has one). `null`: no key, the
   * event is always appended.
   */
  readonly idempotencyKey?: string | null;
}

/**
 * The store's own envelope around an appended event. Records are deep-frozen: a fold or a
 * reader cannot change what the store holds. The event's own identity is `data.event_id`
 * (the generated UUID); the record's place is `stream_version` and `global_position`.
 */
export interface StoredEvent<Data = unknown> {
  readonly stream_id: string;
  /** Stream version after this event: 1, 2, 3... within its stream. */
  readonly stream_version: number;
  /** 1, 2, 3... across every stream of the store, in commit order. */
  readonly global_position: number;
  readonly type: string;
  readonly data: Data;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Present when the append carried (or derived) an idempotency key. */
  readonly idempotency_key?: string;
  /** ISO-8601 time of the append; only when the store was given a clock. */
  readonly recorded_at?: string;
}
