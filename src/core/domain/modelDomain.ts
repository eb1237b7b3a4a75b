import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import { MODEL_KEYS, type MarkovModelDefinition } from '../markovModel.js';
import { BUILT_IN_DOMAINS } from '../domains/index.js';
import { compileDomain } from './compileDomain.js';
import { compileChain } from './domainChain.js';
import { checkKeys, checkName, expectRecord } from './domainChecks.js';
import type { CompiledDomain } from './linkDomain.js';
import type { DomainDefinition, EventDefinition } from './domainDefinition.js';

// The `model` option: the shop with its chain replaced. Compiled from the shop's definition, so
// the k6 runtime bundle, which carries neither the definitions nor the compiler, swaps this file
// for a stub (src/k6/modelDomainStub.ts).

/** The shop's chain as a model (derived from src/core/domains/shopDomain.ts, never written twice): start a model file from it. */
export const defaultModelDefinition: MarkovModelDefinition = shopModel();

function shopModel(): MarkovModelDefinition {
  const shop = BUILT_IN_DOMAINS.shop!;
  return {
    name: shop.domain,
    ...shop.chain!,
    max_cart_lines: shop.params!.max_cart_lines as number,
    aggregate_type: Object.keys(shop.aggregates!)[0]!,
  };
}

/**
 * Validates a model: its chain through the domain's chain compiler (the one validator of
 * chains), and the keys models add. Errors are INVALID_MODEL and name the path (`model.states.x`).
 */
export function checkModel(input: unknown): MarkovModelDefinition {
  try {
    const m = expectRecord('model', input, 'an object with start, terminal and states');
    checkKeys('model', m, MODEL_KEYS);
    const { name, max_cart_lines: maxCartLines, aggregate_type: aggregateType, ...chain } = m;
    if (name !== undefined && typeof name !== 'string') throw new MockjutsuError('INVALID_MODEL', `model.name: is ${describeValue(name)}; allowed: a string`, 'model.name');
    if (maxCartLines !== undefined && (!Number.isInteger(maxCartLines) || (maxCartLines as number) < 1 || (maxCartLines as number) > 50)) {
      throw new MockjutsuError('INVALID_MODEL', `model.max_cart_lines: is ${describeValue(maxCartLines)}; allowed: an integer from 1 to 50`, 'model.max_cart_lines');
    }
    if (aggregateType !== undefined) {
      if (typeof aggregateType !== 'string') throw new MockjutsuError('INVALID_MODEL', `model.aggregate_type: is ${describeValue(aggregateType)}; allowed: a name of 1-64 letters, digits, "_", "." or "-", starting with a letter`, 'model.aggregate_type');
      checkName('model.aggregate_type', aggregateType, 'aggregate_type');
    }
    compileChain(chain, 'model');
    return m as unknown as MarkovModelDefinition;
  } catch (e) {
    // The chain's checks are the domain's (INVALID_DOMAIN); for a model they are INVALID_MODEL.
    if (e instanceof MockjutsuError && e.code === 'INVALID_DOMAIN') throw new MockjutsuError('INVALID_MODEL', e.message, e.path);
    throw e;
  }
}

/** Parses JSON text into a validated model; errors name the bad field. */
export function parseModel(json: string): MarkovModelDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new MockjutsuError('INVALID_MODEL', `model is not valid JSON: ${(e as Error).message}`, 'model');
  }
  return checkModel(raw);
}

const withModel = new WeakMap<object, CompiledDomain>();

/**
 * The shop with its chain replaced by `model`, compiled (a domain: pass it as `domain`, or give
 * the model itself as the `model` option). The shop's events keep their rules; states the shop
 * has no event for are plain events; the shop's events the model lacks are dropped.
 */
export function compileModel(model: MarkovModelDefinition): CompiledDomain {
  let d = typeof model === 'object' && model !== null ? withModel.get(model) : undefined;
  if (d === undefined) {
    d = compileDomain(shopWithChain(checkModel(model)));
    withModel.set(model, d);
  }
  return d;
}

/** The `model` option: `compileModel(model)`, refused beside a domain other than the shop. */
export function shopWithModel(domain: unknown, model: MarkovModelDefinition): CompiledDomain {
  if (domain !== undefined && domain !== 'shop') throw new MockjutsuError('INVALID_OPTION', 'model replaces the shop\'s chain; with another domain, put the chain in the domain (its "chain")', 'model');
  return compileModel(model);
}

function shopWithChain(m: MarkovModelDefinition): DomainDefinition {
  const shop = BUILT_IN_DOMAINS.shop!;
  const states = m.states;
  const events: Record<string, EventDefinition> = {}; // ES2017 (k6): no Object.fromEntries
  for (const [name, ev] of Object.entries(shop.events ?? {})) if (Object.prototype.hasOwnProperty.call(states, name)) events[name] = ev;
  const aggregate = m.aggregate_type ?? Object.keys(shop.aggregates!)[0]!;
  const startEvent = { ...(Object.prototype.hasOwnProperty.call(events, m.start) ? events[m.start] : {}), instance: 'new' as const };
  return {
    ...shop,
    params: { ...shop.params, ...(m.max_cart_lines !== undefined ? { max_cart_lines: m.max_cart_lines } : {}) },
    aggregates: { [aggregate]: { stream_id: `${aggregate}-{id}`, id: 'session' } },
    chain: { start: m.start, terminal: m.terminal, ...(m.max_steps !== undefined ? { max_steps: m.max_steps } : {}), states },
    events: { ...events, [m.start]: startEvent },
  };
}
