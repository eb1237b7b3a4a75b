import type { FastifyInstance } from 'fastify';
import { DataPoolRegistry, parsePoolSpec, type PoolSpec } from '../pool/index.js';
import { createRecorder, type Recorder, type RecordFormat } from '../recorder/index.js';
import type { SidecarPlugin } from './sidecarServer.js';
import { registerPoolRoutes } from './poolRoutes.js';
import { registerRecordRoutes } from './recordRoutes.js';

/** Options of {@link openSidecarData}. */
export interface SidecarDataOptions {
  /** Where `POST /record/:name` writes (created when missing); without it the record routes are not served. */
  recordsDir?: string;
  /** Format of new record files: `msgpack` (default; mite's) or `ndjson`. */
  recordFormat?: RecordFormat;
  /** A recorder made by the caller (e.g. over injected files); takes the place of `recordsDir` and `recordFormat`. */
  recorder?: Recorder;
  /** Pools over files (`NAME=FILE[:recyclable]`), loaded once at start. */
  pools?: ReadonlyArray<PoolSpec | string>;
}

/** What the record and pool routes serve: a recorder (optional) and named pools. */
export interface SidecarData {
  readonly recorder: Recorder | undefined;
  readonly pools: DataPoolRegistry;
  /** True when pool `name` is live: filled by `POST /record/:name` while the sidecar runs. */
  isLive(name: string): boolean;
  /**
   * Appends `items` to record `name` (one write), then, once they are in the file, to the live
   * pool of that name, made (non-recyclable) at the first record of a name no `--pool` uses.
   * `pooled` is false when a pool over a file has that name (it never grows).
   */
  record(name: string, items: readonly unknown[]): { recorded: number; pooled: boolean };
  /** Closes the recorder's files. */
  close(): void;
}

/**
 * Opens the recorder and the pool files. Throws MockjutsuError (INVALID_POOL, INVALID_RECORD,
 * INVALID_OPTION) naming the bad spec or file.
 */
export function openSidecarData(options: SidecarDataOptions = {}): SidecarData {
  const pools = new DataPoolRegistry();
  for (const spec of options.pools ?? []) pools.addFile(typeof spec === 'string' ? parsePoolSpec(spec) : spec);
  const recorder = options.recorder ?? (options.recordsDir === undefined ? undefined : createRecorder(options.recordsDir, { format: options.recordFormat }));
  const live = new Map<string, unknown[]>();
  return {
    recorder,
    pools,
    isLive: (name) => live.has(name),
    record(name, items) {
      if (recorder === undefined) throw new Error('no recorder: the sidecar runs without a records directory');
      recorder.recordMany(name, items);
      let target = live.get(name);
      if (target === undefined && !pools.names().includes(name)) {
        target = pools.addLive<unknown>(name, false).items;
        live.set(name, target);
      }
      if (target !== undefined) for (const item of items) target.push(item);
      return { recorded: items.length, pooled: target !== undefined };
    },
    close() {
      recorder?.close();
    },
  };
}

/**
 * The record and pool routes as a sidecar plugin (not encapsulated, so that their schemas reach
 * `/openapi.json`): `GET /pools`, `POST /pools/:name/take`, and with a recorder
 * `POST /record/:name`, `GET /records`, `GET /records/:name`. Closes the recorder's files when
 * the sidecar closes.
 */
export function sidecarDataPlugin(data: SidecarData): SidecarPlugin {
  const plugin = async (app: FastifyInstance): Promise<void> => {
    registerPoolRoutes(app, data);
    if (data.recorder !== undefined) registerRecordRoutes(app, data);
    app.addHook('onClose', async () => {
      data.close();
    });
  };
  // fastify's documented opt-out of encapsulation (what fastify-plugin sets)
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}
