import type { ChainDefinition, ChainStateDefinition } from './domain/domainDefinition.js';

// A Markov model is what remains of the shop's old hand-written generator: the shop's chain
// replaced by a user's chain (the `model` option, `--model FILE`). It has no rules of its own:
// the states are the shop's event types when they share a name (with the shop's guards and
// effects, written in src/core/domains/shopDomain.ts), plain events otherwise. Validation and
// compilation are the domain's (src/core/domain/modelDomain.ts, through compileChain).

export type { ThinkTimeDefinition, OutcomeDefinition } from './domain/domainDefinition.js';

/** A state of the chain; its name is the `event_type` it emits. */
export type StateDefinition = ChainStateDefinition;

/** A Markov model as data: a domain chain plus the keys models always had. Load it from JSON or pass the object. */
export interface MarkovModelDefinition extends ChainDefinition {
  /** A label (`mockjutsu model --check` prints it); the sessions do not carry it. */
  name?: string;
  /** Most distinct lines a cart holds: the shop's `max_cart_lines` param (1..50, default 8). */
  max_cart_lines?: number;
  /** `aggregate_type` of the sessions' streams (default "ShoppingSession"). */
  aggregate_type?: string;
}

/** The keys of a model file. */
export const MODEL_KEYS: readonly (keyof MarkovModelDefinition)[] = ['name', 'start', 'terminal', 'max_steps', 'max_cart_lines', 'aggregate_type', 'states'];
