import type { DomainProgramFactory } from './linkDomain.js';
import type { LinkedDomainData } from './linkedDomain.js';

// What compileDomainModule emits (and the build emits for each built-in domain), as the runtime
// sees it: linked data, and the program as code, so neither the compiler nor the validation code
// nor `new Function` is needed to use it. No event serializer: in goja (k6) the native
// JSON.stringify writes the same text about 5x faster than generated JS (see eventSerializerNoJit.ts).

/** Marker of a module from {@link compileDomainModule} (its default export). */
export const DOMAIN_MODULE_FORMAT = 'mockjutsu-domain-module/2';

/** What a compiled domain module exports by default; `domain` options take it as is. */
export interface DomainModule {
  readonly format: typeof DOMAIN_MODULE_FORMAT;
  readonly name: string;
  /** The linked domain (chain, aggregates, event types, envelope, params) as data. */
  readonly domain: LinkedDomainData;
  /** The domain's program as code (compileDomain's programSource as a function). */
  readonly program: DomainProgramFactory;
}

/** Whether a value is meant as a compiled domain module (any format version: old ones get a clear error). */
export function isDomainModule(v: unknown): v is DomainModule {
  return typeof v === 'object' && v !== null && typeof (v as { format?: unknown }).format === 'string' && (v as { format: string }).format.indexOf('mockjutsu-domain-module/') === 0;
}
