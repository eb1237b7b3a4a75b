import type { CompiledEventType } from './linkDomain.js';

/** At most this many guarded targets in an outcome whose next state is drawn by plan. */
export const MAX_PLAN_GUARDS = 8;

/**
 * The guarded targets of an outcome (event types, in target order) when its next state can be
 * drawn by plan: every target works on `any` instance and at most MAX_PLAN_GUARDS have guards.
 * Bit j of a plan's guard mask is set when guard j fails. Undefined when there is no plan.
 */
export function planGuarded(events: readonly CompiledEventType[], targets: readonly number[]): number[] | undefined {
  if (!targets.every((t) => events[t]!.instance === 'any')) return undefined;
  const guarded = targets.filter((t) => events[t]!.hasGuard);
  return guarded.length <= MAX_PLAN_GUARDS ? guarded : undefined;
}
