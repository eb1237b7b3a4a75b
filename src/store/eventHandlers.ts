import type { StoredEvent } from './storedEvent.js';

/**
 * A fold step: updates `state` in place from one event and returns nothing. It must depend
 * on nothing but its two arguments (no clock, no I/O), so replaying a stream always gives
 * the same state; records are frozen, so it cannot change the event.
 */
export type EventHandler<State, Data = unknown> = (state: State, event: StoredEvent<Data>) => void;

/**
 * Handlers by event type. The `never` data type lets handlers typed for any payload sit in
 * one map; events of a type without a handler are skipped.
 */
export type EventHandlers<State> = { readonly [type: string]: EventHandler<State, never> | undefined };

/** Applies the handler for `event.type`, if any, to `state`. */
export function applyEventHandler<State>(
  handlers: EventHandlers<State> | ReadonlyMap<string, EventHandler<State, never>>,
  state: State,
  event: StoredEvent,
): void {
  const handler =
    handlers instanceof Map
      ? (handlers as ReadonlyMap<string, EventHandler<State, never>>).get(event.type)
      : Object.hasOwn(handlers, event.type)
        ? (handlers as EventHandlers<State>)[event.type]
        : undefined;
  (handler as EventHandler<State> | undefined)?.(state, event);
}
