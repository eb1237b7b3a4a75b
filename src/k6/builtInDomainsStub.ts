// Stands in for src/core/domains/index.ts in the k6 runtime bundle (swapped in by
// scripts/buildK6Bundle.mjs): built-in domains come as their modules generated at build time
// (linked data and program), without their definitions nor the code that validates and links a
// definition (~20 KB every VU would load). Only the shop (the default) is in the bundle; the
// other built-ins are shipped beside it as dist/k6/domains/NAME.k6.js, each a module like those
// of `mockjutsu domain --compile`, so a VU loads only the domains its script imports.
import { MockjutsuError } from '../core/mockjutsuError.js';
import type { DomainDefinition } from '../core/domain/domainDefinition.js';
import type { CompiledDomain } from '../core/domain/linkDomain.js';
import { restoreDomain } from '../core/domain/linkedDomain.js';
import type { DomainModule } from '../core/domain/domainModule.js';
import { BUILT_IN_DOMAIN_NAMES, shopModule } from '../core/domains/builtInPrograms.generated.js';

/** Not carried by the runtime bundle (nothing there reads it; the library exports it). */
export const BUILT_IN_DOMAINS = undefined as unknown as Readonly<Record<string, DomainDefinition>>;

/** The built-in domains this bundle carries. */
const IN_BUNDLE: Readonly<Record<string, DomainModule>> = { shop: shopModule };

export function isBuiltInDomain(name: string): boolean {
  return BUILT_IN_DOMAIN_NAMES.indexOf(name) >= 0;
}

export function builtInDomainNames(): string[] {
  return BUILT_IN_DOMAIN_NAMES.slice();
}

const compiled = new Map<string, CompiledDomain>();

export function builtInDomain(name: string): CompiledDomain {
  let d = compiled.get(name);
  if (d === undefined) {
    if (!Object.prototype.hasOwnProperty.call(IN_BUNDLE, name)) {
      throw new MockjutsuError(
        'INVALID_OPTION',
        `domain ${JSON.stringify(name)} is built in, but mockjutsu.js carries only ${Object.keys(IN_BUNDLE).join(', ')} (every VU loads the bundle): ` +
          `\`import ${name} from './domains/${name}.k6.js'\` (shipped beside mockjutsu.js) and pass it as { domain: ${name} }`,
        'domain',
      );
    }
    d = restoreDomain(IN_BUNDLE[name]!);
    compiled.set(name, d);
  }
  return d;
}
