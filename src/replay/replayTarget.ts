import type { FastifyInstance } from 'fastify';
import {
  InMemoryEventStore,
  JsonlEventStore,
  type EventStore,
  type JsonlRecoveryReport,
  type Projection,
  type StoredEvent,
} from '../store/index.js';
import type { SidecarPlugin } from '../sidecar/index.js';
import { createOrdersProjection, type OrdersState } from './ordersProjection.js';
import { registerStoreRoutes } from './storeRoutes.js';
import { envelopeReaders, type EnvelopeReader } from './appendRequest.js';
import type { CompiledDomain } from '../core/domain/compileDomain.js';
import { builtInDomain } from '../core/domains/index.js';
import { resolveDomain, type DomainInput } from '../core/domain/resolveDomain.js';

/** Options of {@link openReplayTarget}. */
export interface ReplayTargetOptions {
  /**
   * A JSONL file (created when missing, in a directory that must exist; reloaded and checked
   * when present), an event store of your own, or undefined for an in-memory store.
   */
  readonly store?: string | EventStore;
  /** With a file: fsync every append before answering it (default false). */
  readonly fsync?: boolean;
  /** Where the target reports a recovered torn line or a failing projection; default stderr. */
  readonly log?: (line: string) => void;
  /**
   * Domains whose events the target takes besides the shop's: each event's envelope (event
   * type, event id = idempotency key, stream id) is read under its domain's names.
   */
  readonly domains?: readonly DomainInput[];
}

/** An event store with its live orders projection, served by {@link replayTargetPlugin}. */
export interface ReplayTarget {
  readonly store: EventStore;
  /** The JSONL file, when the store is one. */
  readonly file: string | undefined;
  /** Set when opening the file truncated a torn last line. */
  readonly recovery: JsonlRecoveryReport | undefined;
  /** The live orders read model. */
  readonly orders: Projection<OrdersState>;
  /** Records held when the target opened. */
  readonly initialRecords: number;
  /** The domains whose events it takes (the shop first). */
  readonly domains: readonly CompiledDomain[];
  /** Their envelope readers. */
  readonly readers: readonly EnvelopeReader[];
  /** Stops the projection and releases the file (an own store is left open). */
  close(): Promise<void>;
}

/**
 * Opens the replay target: the event store behind `POST /streams/:id`, its reads and the
 * live orders projection.
 *
 * @throws EventLogCorruption when the file is damaged before its last line; EventLogLocationError
 *   when its directory is missing; errors of the file system.
 */
export async function openReplayTarget(options: ReplayTargetOptions = {}): Promise<ReplayTarget> {
  const log = options.log ?? ((line: string) => void process.stderr.write(line + '\n'));
  // domains first: a bad one fails before the file is opened
  const shop = builtInDomain('shop');
  const domains = [shop];
  for (const input of options.domains ?? []) {
    const d = resolveDomain(input);
    if (!domains.includes(d)) domains.push(d);
  }
  // A listener error must not become an uncaught exception of the server: log it.
  const onListenerError = (error: unknown, records: readonly StoredEvent[]): void =>
    log(`mockjutsu sidecar: a store listener failed after position ${records[records.length - 1]?.global_position}: ${(error as Error)?.message ?? String(error)}`);
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
  let initialRecords: number;
  try {
    initialRecords = await orders.startLive();
  } catch (err) {
    await owned?.close();
    throw err;
  }
  return {
    store,
    domains,
    readers: envelopeReaders(domains),
    file: owned?.file,
    recovery,
    orders,
    initialRecords,
    async close() {
      orders.stopLive();
      await owned?.close();
    },
  };
}

/**
 * The one way to mount a replay target on the sidecar: a fastify plugin (not encapsulated, so
 * its schemas reach `/openapi.json`) that adds the store routes and closes the target when the
 * sidecar closes. `mockjutsu serve` registers it with an in-memory store, or a JSONL one with
 * `--store FILE`.
 */
export function replayTargetPlugin(target: ReplayTarget): SidecarPlugin {
  const plugin = async (app: FastifyInstance): Promise<void> => {
    registerStoreRoutes(app, { store: target.store, orders: target.orders, readers: target.readers });
    app.addHook('onClose', async () => {
      await target.close();
    });
  };
  // fastify's documented opt-out of encapsulation (what fastify-plugin sets)
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}
