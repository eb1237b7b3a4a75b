/**
 * Reference event-sourcing store: streams with optimistic concurrency, a global log,
 * idempotent appends, projections, temporal queries and snapshots; in memory or on a JSONL
 * file (the only part that touches `node:fs`).
 */
export { ConcurrencyConflict } from './concurrencyConflict.js';
export { applyEventHandler, type EventHandler, type EventHandlers } from './eventHandlers.js';
export { EventLog, type AppendPlan } from './eventLog.js';
export { EventLogCorruption } from './eventLogCorruption.js';
export type {
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
export {
  assertExpectedVersion,
  EMPTY_STREAM_VERSION,
  NO_CONCURRENCY_CHECK,
  STREAM_DOES_NOT_EXIST,
  STREAM_EXISTS,
  type ExpectedStreamVersion,
} from './expectedVersion.js';
export { checkEventBytes, checkEventDepth, EventLimitExceeded, MAX_EVENT_BYTES, MAX_EVENT_DEPTH } from './eventLimits.js';
export type { EventPersistence } from './eventPersistence.js';
export { IdempotencyConflict } from './idempotencyConflict.js';
export { idempotencyKeyOf } from './idempotencyKey.js';
export { InMemoryEventStore, type InMemoryEventStoreOptions } from './inMemoryEventStore.js';
export {
  EventLogLocationError,
  JsonlEventStore,
  JsonlFileAppender,
  type JsonlEventStoreOptions,
  type JsonlRecoveryReport,
} from './jsonlEventStore.js';
export { encodeJsonlRecords, scanJsonlLog, type JsonlLine, type JsonlLogScan, type TornTail } from './jsonlLogFormat.js';
export { Projection, type ProjectionOptions } from './projection.js';
export { reconstructState, type ReconstructedState, type ReconstructStateOptions } from './reconstructState.js';
export { InMemorySnapshotStore, type Snapshot, type SnapshotStore } from './snapshotStore.js';
export type { EventToAppend, StoredEvent } from './storedEvent.js';
