import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import type { MarkovModel, MarkovModelDefinition } from '../markovModel.js';
import { BUILT_IN_DOMAINS } from '../domains/index.js';
import { compileDomain } from './compileDomain.js';
import type { CompiledDomain } from './linkDomain.js';
import type { DomainDefinition, EventDefinition } from './domainDefinition.js';

// The `model` option: the shop with its chain replaced (compiled from the shop's definition, so
// the k6 runtime bundle, which carries neither, swaps this file for a stub: src/k6/markovModelStub.ts).

const withModel = new WeakMap<object, CompiledDomain>();

/** The shop with its chain replaced by `model` (the shop's events keep their rules; states the model lacks are dropped). */
export function shopWithModel(domain: unknown, model: MarkovModelDefinition | MarkovModel): CompiledDomain {
  if (domain !== undefined && domain !== 'shop') throw new MockjutsuError('INVALID_OPTION', 'model replaces the shop\'s chain; with another domain, put the chain in the domain (its "chain")', 'model');
  const key = model as object;
  let d = typeof key === 'object' && key !== null ? withModel.get(key) : undefined;
  if (d === undefined) {
    d = compileDomain(shopWithChain(model));
    if (typeof key === 'object' && key !== null) withModel.set(key, d);
  }
  return d;
}

function shopWithChain(model: MarkovModelDefinition | MarkovModel): DomainDefinition {
  const m: MarkovModelDefinition = 'definition' in model && 'stateIndex' in model ? (model as MarkovModel).definition : model as MarkovModelDefinition;
  if (typeof m !== 'object' || m === null) throw new MockjutsuError('INVALID_MODEL', `model is ${describeValue(m)}; expected an object with start, terminal and states`, 'model');
  const shop = BUILT_IN_DOMAINS.shop!;
  const states = typeof m.states === 'object' && m.states !== null ? m.states : {};
  const events: Record<string, EventDefinition> = {}; // ES2017 (k6): no Object.fromEntries
  for (const [name, ev] of Object.entries(shop.events ?? {})) if (Object.prototype.hasOwnProperty.call(states, name)) events[name] = ev;
  const aggregate = typeof m.aggregate_type === 'string' ? m.aggregate_type : 'ShoppingSession';
  const startEvent = { ...(events[m.start] ?? {}), instance: 'new' as const };
  return {
    ...shop,
    params: { ...shop.params, ...(m.max_cart_lines !== undefined ? { max_cart_lines: m.max_cart_lines } : {}) },
    aggregates: { [aggregate]: { stream_id: `${aggregate}-{id}`, id: 'session' } },
    chain: { start: m.start, terminal: m.terminal, ...(m.max_steps !== undefined ? { max_steps: m.max_steps } : {}), states: m.states },
    events: { ...events, [m.start]: startEvent },
  };
}
