import type { DomainDefinition } from '../domain/domainDefinition.js';
import { compileDomain, type CompiledDomain } from '../domain/compileDomain.js';
import { shopDomain } from './shopDomain.js';
import { bankDomain } from './bankDomain.js';
import { hotelDomain } from './hotelDomain.generated.js';

/** The domains mockjutsu ships, by name (`mockjutsu domain --print NAME` writes one). */
export const BUILT_IN_DOMAINS: Readonly<Record<string, DomainDefinition>> = Object.freeze({
  shop: shopDomain,
  bank: bankDomain,
  // Generated from domains/hotel/*.yaml (its payloads $ref an OpenAPI file) by scripts/generateFileDomains.mjs.
  hotel: hotelDomain,
});

const compiled = new Map<string, CompiledDomain>();

/** A built-in domain, compiled once. */
export function builtInDomain(name: string): CompiledDomain {
  let d = compiled.get(name);
  if (d === undefined) {
    d = compileDomain(BUILT_IN_DOMAINS[name]!);
    compiled.set(name, d);
  }
  return d;
}
