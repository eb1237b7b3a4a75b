import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import { jsLiteral, type CompiledDomain } from './linkDomain.js';
import { compileDomain } from './compileDomain.js';
import { DOMAIN_MODULE_FORMAT } from './domainModule.js';

/** Where a compiled domain module runs. */
export interface CompileDomainModuleOptions {
  /** "k6": an ES2017 ES module a k6 script imports beside dist/k6/mockjutsu.js. */
  target: 'k6';
}

/**
 * A standalone ES module of a compiled domain, the way fast-json-stringify's standalone mode
 * emits code: the program as real code (no `new Function`, no expression parser at run time)
 * and the definition, with its payload schemas resolved, as data. A k6 script imports it beside
 * the runtime bundle, which links it without the compiler:
 *
 *   import bank from './bank.k6.js';
 *   import { sessionStream } from './mockjutsu.js';
 *   const stream = sessionStream({ domain: bank, seed: __ENV.SEED });
 *
 * Sessions are byte for byte the library's for the same seed and partition. Pure: the caller
 * writes the text (`mockjutsu domain --compile FILE --target k6 --out bank.k6.js`).
 */
export function compileDomainModule(domain: CompiledDomain, options: CompileDomainModuleOptions): string {
  if (typeof options !== 'object' || options === null || options.target !== 'k6') {
    const target = typeof options === 'object' && options !== null ? (options as { target?: unknown }).target : options;
    throw new MockjutsuError('INVALID_OPTION', `target is ${describeValue(target)}; allowed: "k6"`, 'target');
  }
  if (typeof domain !== 'object' || domain === null || typeof domain.programSource !== 'string' || typeof domain.definition !== 'object') {
    throw new MockjutsuError('INVALID_DOMAIN', `domain is ${describeValue(domain)}; allowed: a compiled domain (compileDomain(definition))`, 'domain');
  }
  // A domain linked with a function (a built-in) is regenerated from its definition: the text
  // of a function depends on the toolchain that loaded it (tsx, bundlers and minifiers rewrite it).
  const source = domain.program !== undefined ? compileDomain(domain.definition).programSource : domain.programSource;
  const program = `function program($b, P, D, $x) {\n${source}\n}`;
  return `// mockjutsu compiled domain ${JSON.stringify(domain.name)} for k6 (format ${DOMAIN_MODULE_FORMAT}). Generated: do not edit;\n` +
    '// recompile from the domain file with `mockjutsu domain --compile FILE --target k6 --out FILE.k6.js`.\n' +
    `// Use: import domain from './this-file.js'; sessionStream({ domain, seed }) from dist/k6/mockjutsu.js.\n` +
    `const definition = ${jsLiteral(domain.definition)};\n` +
    `${program}\n` +
    `export default { format: ${JSON.stringify(DOMAIN_MODULE_FORMAT)}, name: ${JSON.stringify(domain.name)}, definition: definition, program: program };\n`;
}
