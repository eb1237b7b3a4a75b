import { applyEventHandler, type EventHandlers } from './eventHandlers.js';
import type { EventStore } from './eventStore.js';

/** Options of {@link reconstructState}. */
export interface ReconstructStateOptions<State> {
  /** Fresh initial state; called once per reconstruction because handlers mutate it. */
  readonly initialState: () => State;
  /** Replay only the first `upTo` events (stream versions 1..upTo); default: all of them. */
  readonly upTo?: number;
}

/** Result of {@link reconstructState}. */
export interface ReconstructedState<State> {
  readonly state: State;
  /** Version of the last event replayed: the number of events folded (0 for none). */
  readonly streamVersion: number;
}

/**
 * Temporal query: the state of a stream as it was after its first `upTo` events.
 *
 * @throws RangeError when `upTo` is not a non-negative integer.
 */
export async function reconstructState<State>(
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  handlers: EventHandlers<State>,
  options: ReconstructStateOptions<State>,
): Promise<ReconstructedState<State>> {
  const { upTo } = options;
  if (upTo !== undefined && (!Number.isSafeInteger(upTo) || upTo < 0)) {
    throw new RangeError(`upTo must be a non-negative integer; got ${String(upTo)}`);
  }
  const { events } = await store.readStream(streamId, upTo === undefined ? {} : { to: upTo });
  const state = options.initialState();
  for (const event of events) applyEventHandler(handlers, state, event);
  return { state, streamVersion: events.length === 0 ? 0 : events[events.length - 1]!.stream_version };
}
