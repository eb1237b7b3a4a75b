import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import type { MarkovModelDefinition } from '../markovModel.js';
import { builtInDomain, builtInDomainNames, isBuiltInDomain } from '../domains/index.js';
import { compileDomain } from './compileDomain.js';
import type { CompiledDomain } from './linkDomain.js';
import { restoreDomain } from './linkedDomain.js';
import { isDomainModule, type DomainModule } from './domainModule.js';
import type { DomainDefinition } from './domainDefinition.js';
import { shopWithModel } from './modelDomain.js';

/** A domain as the generator options take it: a built-in name, a definition, or compiled. */
export type DomainInput = string | DomainDefinition | CompiledDomain | DomainModule;

function isCompiled(v: object): v is CompiledDomain {
  return 'programSource' in v && 'chain' in v && 'events' in v;
}

const compiledInputs = new WeakMap<object, CompiledDomain>();

/**
 * The compiled domain of the options: `domain` (default: the shop), or the shop with its chain
 * replaced by `model` (the shop's events keep their rules; states the model lacks are dropped).
 */
export function resolveDomain(domain: unknown, model?: MarkovModelDefinition): CompiledDomain {
  if (model !== undefined) return shopWithModel(domain, model);
  if (domain === undefined) return builtInDomain('shop');
  if (typeof domain === 'string') {
    if (!isBuiltInDomain(domain)) {
      throw new MockjutsuError('INVALID_OPTION', `domain is ${describeValue(domain)}; built-in domains: ${builtInDomainNames().join(', ')} (or pass a domain definition)`, 'domain');
    }
    return builtInDomain(domain);
  }
  if (typeof domain !== 'object' || domain === null || Array.isArray(domain)) {
    throw new MockjutsuError('INVALID_OPTION', `domain is ${describeValue(domain)}; allowed: a built-in name (${builtInDomainNames().join(', ')}), a domain definition, a compiled domain or a compiled domain module`, 'domain');
  }
  if (isCompiled(domain)) return domain;
  let d = compiledInputs.get(domain);
  if (d === undefined) {
    // A module from compileDomainModule is used as it is: no compiler, no validation (k6).
    d = isDomainModule(domain) ? restoreDomain(domain) : compileDomain(domain);
    compiledInputs.set(domain, d);
  }
  return d;
}
