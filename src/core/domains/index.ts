import type { DomainDefinition } from '../domain/domainDefinition.js';
import { compileDomain } from '../domain/compileDomain.js';
import { linkDomain, type CompiledDomain } from '../domain/linkDomain.js';
import { BUILT_IN_PROGRAMS } from './builtInPrograms.generated.js';
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

/**
 * A built-in domain, compiled once: linked with its program generated at build time
 * (builtInPrograms.generated.ts), so no expression is parsed here (nor jsep loaded in k6).
 */
export function builtInDomain(name: string): CompiledDomain {
  let d = compiled.get(name);
  if (d === undefined) {
    const program = Object.prototype.hasOwnProperty.call(BUILT_IN_PROGRAMS, name) ? BUILT_IN_PROGRAMS[name] : undefined;
    d = program !== undefined ? linkDomain(BUILT_IN_DOMAINS[name]!, program) : compileDomain(BUILT_IN_DOMAINS[name]!);
    compiled.set(name, d);
  }
  return d;
}
