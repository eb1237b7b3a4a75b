import type { DomainDefinition } from '../domain/domainDefinition.js';
import { compileDomain } from '../domain/compileDomain.js';
import type { CompiledDomain } from '../domain/linkDomain.js';
import { linkDomain } from '../domain/linkDomain.js';
import { BUILT_IN_MODULES } from './builtInPrograms.generated.js';
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

/** Whether `name` is a built-in domain. */
export function isBuiltInDomain(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILT_IN_DOMAINS, name);
}

/** The built-in domains' names. */
export function builtInDomainNames(): string[] {
  return Object.keys(BUILT_IN_DOMAINS);
}

const compiled = new Map<string, CompiledDomain>();

/**
 * A built-in domain, compiled once: its definition linked with the program generated at build
 * time (builtInPrograms.generated.ts), so no expression is parsed and no code
 * evaluated here. (The k6 runtime bundle restores built-ins from the same modules' linked data
 * instead, without the definitions: src/k6/builtInDomainsStub.ts.) Without a generated module
 * (while the build step itself runs), compiled from the definition.
 */
export function builtInDomain(name: string): CompiledDomain {
  let d = compiled.get(name);
  if (d === undefined) {
    const module = Object.prototype.hasOwnProperty.call(BUILT_IN_MODULES, name) ? BUILT_IN_MODULES[name] : undefined;
    d = module !== undefined ? linkDomain(BUILT_IN_DOMAINS[name]!, module.program) : compileDomain(BUILT_IN_DOMAINS[name]!);
    compiled.set(name, d);
  }
  return d;
}
