import type { EventStore } from '../store/index.js';
import { startSidecar, type RunningSidecar, type SidecarOptions } from '../sidecar/sidecarServer.js';
import { openReplayTarget, type ReplayTarget } from './replayTarget.js';

/** Options of {@link startReplaySidecar}: a sidecar's, plus its event store. */
export interface ReplaySidecarOptions extends SidecarOptions {
  /** A JSONL file (created when missing), an event store of your own, or undefined for memory. */
  store?: string | EventStore;
  /** With a file: fsync every append before answering it. */
  fsync?: boolean;
}

/** A listening sidecar that is also a replay target. */
export interface RunningReplaySidecar extends RunningSidecar {
  readonly target: ReplayTarget;
}

/**
 * Starts the sidecar with the event-store routes (`POST/GET /streams/:id`, `GET /all`,
 * `GET /projections/orders[/:id]`) next to the generator's; `close()` also releases the file.
 */
export async function startReplaySidecar(options: ReplaySidecarOptions = {}): Promise<RunningReplaySidecar> {
  const { store, fsync, ...sidecarOptions } = options;
  const target = openReplayTarget({ store, fsync, log: options.log });
  let sidecar: RunningSidecar;
  try {
    sidecar = await startSidecar({
      ...sidecarOptions,
      routes: [...(sidecarOptions.routes ?? []), ...target.routes],
      openapiSchemas: { ...target.openapiSchemas, ...sidecarOptions.openapiSchemas },
    });
  } catch (err) {
    target.close();
    throw err;
  }
  const closeServer = sidecar.close.bind(sidecar);
  return Object.assign(sidecar, {
    target,
    async close(graceMs?: number): Promise<void> {
      await closeServer(graceMs);
      target.close();
    },
  });
}
