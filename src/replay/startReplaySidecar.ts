import type { EventStore } from '../store/index.js';
import { startSidecar, type RunningSidecar, type SidecarOptions } from '../sidecar/index.js';
import { openReplayTarget, replayTargetPlugin, type ReplayTarget } from './replayTarget.js';

/** Options of {@link startReplaySidecar}: a sidecar's, plus its event store. */
export interface ReplaySidecarOptions extends SidecarOptions {
  /** A JSONL file (its directory must exist), an event store of your own, or undefined for memory. */
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
  const target = await openReplayTarget({ store, fsync, log: options.log, domains: options.domains });
  let sidecar: RunningSidecar;
  try {
    sidecar = await startSidecar({ ...sidecarOptions, plugins: [...(sidecarOptions.plugins ?? []), replayTargetPlugin(target)] });
  } catch (err) {
    await target.close();
    throw err;
  }
  return Object.assign(sidecar, { target });
}
