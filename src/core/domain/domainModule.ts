import type { DomainProgramFactory } from './linkDomain.js';
import type { DomainDefinition } from './domainDefinition.js';

// What compileDomainModule emits, as the runtime sees it (no compiler needed to link it).

/** Marker of a module from {@link compileDomainModule} (its default export). */
export const DOMAIN_MODULE_FORMAT = 'mockjutsu-domain-module/1';

/** What a compiled domain module exports by default; `domain` options take it as is. */
export interface DomainModule {
  readonly format: typeof DOMAIN_MODULE_FORMAT;
  readonly name: string;
  /** The definition, payload schemas resolved (what linkDomain validates again). */
  readonly definition: DomainDefinition;
  /** The domain's program as code (compileDomain's programSource as a function). */
  readonly program: DomainProgramFactory;
}

export function isDomainModule(v: unknown): v is DomainModule {
  return typeof v === 'object' && v !== null && (v as { format?: unknown }).format === DOMAIN_MODULE_FORMAT;
}
