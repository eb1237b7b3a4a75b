import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import type { MarkovModel, MarkovModelDefinition } from '../markovModel.js';
import { BUILT_IN_DOMAINS, builtInDomain } from '../domains/index.js';
import { compileDomain } from './compileDomain.js';
import { linkDomain, type CompiledDomain } from './linkDomain.js';
import { isDomainModule, type DomainModule } from './domainModule.js';
import type { DomainDefinition, EventDefinition } from './domainDefinition.js';

/** A domain as the generator options take it: a built-in name, a definition, or compiled. */
export type DomainInput = string | DomainDefinition | CompiledDomain | DomainModule;

function isCompiled(v: object): v is CompiledDomain {
  return 'programSource' in v && 'chain' in v && 'events' in v;
}

const withModel = new WeakMap<object, CompiledDomain>();

/**
 * The compiled domain of the options: `domain` (default: the shop), or the shop with its chain
 * replaced by `model` (the shop's events keep their rules; states the model lacks are dropped).
 */
export function resolveDomain(domain: unknown, model?: MarkovModelDefinition | MarkovModel): CompiledDomain {
  if (model !== undefined) {
    if (domain !== undefined && domain !== 'shop') throw new MockjutsuError('INVALID_OPTION', 'model replaces the shop\'s chain; with another domain, put the chain in the domain (its "chain")', 'model');
    const key = model as object;
    let d = typeof key === 'object' && key !== null ? withModel.get(key) : undefined;
    if (d === undefined) {
      d = compileDomain(shopWithChain(model));
      if (typeof key === 'object' && key !== null) withModel.set(key, d);
    }
    return d;
  }
  if (domain === undefined) return builtInDomain('shop');
  if (typeof domain === 'string') {
    if (!Object.prototype.hasOwnProperty.call(BUILT_IN_DOMAINS, domain)) {
      throw new MockjutsuError('INVALID_OPTION', `domain is ${describeValue(domain)}; built-in domains: ${Object.keys(BUILT_IN_DOMAINS).join(', ')} (or pass a domain definition)`, 'domain');
    }
    return builtInDomain(domain);
  }
  if (typeof domain !== 'object' || domain === null || Array.isArray(domain)) {
    throw new MockjutsuError('INVALID_OPTION', `domain is ${describeValue(domain)}; allowed: a built-in name (${Object.keys(BUILT_IN_DOMAINS).join(', ')}), a domain definition, a compiled domain or a compiled domain module`, 'domain');
  }
  if (isCompiled(domain)) return domain;
  let d = withModel.get(domain);
  if (d === undefined) {
    // A module from compileDomainModule links without the expression compiler (k6).
    d = isDomainModule(domain) ? linkDomain(domain.definition, domain.program) : compileDomain(domain);
    withModel.set(domain, d);
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
