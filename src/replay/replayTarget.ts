import {
  InMemoryEventStore,
  JsonlEventStore,
  type EventStore,
  type JsonlRecoveryReport,
  type Projection,
  type StoredEvent,
} from '../store/index.js';
import type { SidecarRoute } from '../sidecar/router.js';
import { createOrdersProjection, type OrdersState } from './ordersProjection.js';
import { STORE_SCHEMAS, storeRoutes } from './storeRoutes.js';

/** Options of {@link openReplayTarget}. */
export interface ReplayTargetOptions {
  /**
   * A JSONL file (created when missing, reloaded and checked when present), an event store
   * of your own, or undefined for an in-memory store.
   */
  readonly store?: string | EventStore;
  /** With a file: fsync every append before answering it (default false). */
  readonly fsync?: boolean;
  /** Where the target reports a recovered torn line or a failing projection; default stderr. */
  readonly log?: (line: string) => void;
}

/** An event store with the sidecar routes that serve it. */
export interface ReplayTarget {
  readonly store: EventStore;
  /** The JSONL file, when the store is one. */
  readonly file: string | undefined;
  /** Set when opening the file truncated a torn last line. */
  readonly recovery: JsonlRecoveryReport | undefined;
  /** The live orders read model. */
  readonly orders: Projection<OrdersState>;
  /** Hand these to `startSidecar({ routes })`. */
  readonly routes: readonly SidecarRoute[];
  /** Hand these to `startSidecar({ openapiSchemas })`. */
  readonly openapiSchemas: Readonly<Record<string, unknown>>;
  /** Stops the projection and releases the file (an own store is left open). */
  close(): void;
}

/**
 * Opens the replay target: the event store behind `POST /streams/:id`, its reads and the
 * live orders projection.
 *
 * @throws EventLogCorruption when the file is damaged before its last line; errors of the file system.
 */
export function openReplayTarget(options: ReplayTargetOptions = {}): ReplayTarget {
  const log = options.log ?? ((line: string) => void process.stderr.write(line + '\n'));
  // A listener error must not become an uncaught exception of the server: log it.
  const onListenerError = (error: unknown, records: readonly StoredEvent[]): void =>
    log(`mockjutsu sidecar: a store listener failed after position ${records[records.length - 1]?.global_position}: ${(error as Error)?.stack ?? String(error)}`);
  const clock = (): Date => new Date();
  let store: EventStore;
  let owned: JsonlEventStore | undefined;
  let recovery: JsonlRecoveryReport | undefined;
  if (typeof options.store === 'string') {
    owned = new JsonlEventStore(options.store, {
      fsync: options.fsync ?? false,
      clock,
      onListenerError,
      onRecovery: (report) => {
        recovery = report;
        log(`mockjutsu sidecar: ${report.file}: truncated a torn last line ${report.lineNumber} at byte ${report.offset} ` +
          `(${report.droppedBytes} bytes, ${report.reason}); that append was never acknowledged`);
      },
    });
    store = owned;
  } else {
    store = options.store ?? new InMemoryEventStore({ clock, onListenerError });
  }
  const orders = createOrdersProjection(store);
  try {
    orders.startLive();
  } catch (err) {
    owned?.close();
    throw err;
  }
  return {
    store,
    file: owned?.file,
    recovery,
    orders,
    routes: storeRoutes({ store, orders }),
    openapiSchemas: STORE_SCHEMAS,
    close() {
      orders.stopLive();
      owned?.close();
    },
  };
}
