import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import { UNSAFE_KEYS, type CompiledDomain } from './linkDomain.js';
import { compileDomain } from './compileDomain.js';
import { DOMAIN_MODULE_FORMAT } from './domainModule.js';
import { linkedDomainData } from './linkedDomain.js';

/** Where a compiled domain module runs. */
export interface CompileDomainModuleOptions {
  /** "k6": an ES2017 ES module a k6 script imports beside dist/k6/mockjutsu.js. */
  target: 'k6';
}

/**
 * JS source of a JSON-like value where every object or array met more than once (a payload
 * document several event types $ref) is written once, as a `var` in `declarations`.
 * `__proto__` keys become computed keys so they stay own keys.
 */
export function sharedLiteral(value: unknown, prefix = 's'): { declarations: string; expression: string } {
  const counts = new Map<object, number>();
  const walking = new Set<object>();
  const count = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    if (walking.has(v)) throw new MockjutsuError('INVALID_DOMAIN', 'domain data refers to itself (a cycle); allowed: JSON data', 'domain');
    const n = counts.get(v) ?? 0;
    counts.set(v, n + 1);
    if (n > 0) return;
    walking.add(v);
    for (const x of Array.isArray(v) ? v : Object.keys(v).map((k) => (v as Record<string, unknown>)[k])) count(x);
    walking.delete(v);
  };
  count(value);
  const names = new Map<object, string>();
  const declarations: string[] = [];
  const literal = (v: unknown, hoist: boolean): string => {
    if (typeof v !== 'object' || v === null) return v === undefined ? 'undefined' : JSON.stringify(v);
    if (hoist && counts.get(v)! > 1) {
      let name = names.get(v);
      if (name === undefined) {
        const text = literal(v, false);
        name = `${prefix}${names.size}`;
        names.set(v, name);
        declarations.push(`var ${name}=${text};`);
      }
      return name;
    }
    if (Array.isArray(v)) return '[' + v.map((x) => literal(x, true)).join(',') + ']';
    const o = v as Record<string, unknown>;
    return '{' + Object.keys(o).map((k) => (UNSAFE_KEYS.has(k) ? '[' + JSON.stringify(k) + ']' : JSON.stringify(k)) + ':' + literal(o[k], true)).join(',') + '}';
  };
  const expression = literal(value, true);
  return { declarations: declarations.join('\n'), expression };
}

/**
 * The parts of a domain module, as JS source: `declarations` (shared data), then the
 * expressions of the module's `domain` (linked data) and `program` (a function).
 * What compileDomainModule writes and the build writes for each built-in domain.
 */
export function domainModuleParts(domain: CompiledDomain): { declarations: string; domain: string; program: string } {
  // A domain linked with a function (a built-in) is regenerated from its definition: the text
  // of a function depends on the toolchain that loaded it (tsx, bundlers and minifiers rewrite it).
  const source = domain.program !== undefined ? compileDomain(domain.definition).programSource : domain.programSource;
  const data = sharedLiteral(linkedDomainData(domain));
  return {
    declarations: data.declarations,
    domain: data.expression,
    program: `function ($b, P, D, $x) {\n${source}\n}`,
  };
}

/**
 * A standalone ES module of a compiled domain, the way fast-json-stringify's standalone mode
 * emits code: the linked domain (chain, aggregates, event types with their payload draw
 * schemas, envelope, params) as data, the program as real code. No
 * `new Function`, no expression parser, no validation at run time: a k6 script imports it beside
 * the runtime bundle, which takes it as it is:
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
  if (typeof domain !== 'object' || domain === null || typeof domain.programSource !== 'string' || !Array.isArray(domain.events)) {
    throw new MockjutsuError('INVALID_DOMAIN', `domain is ${describeValue(domain)}; allowed: a compiled domain (compileDomain(definition))`, 'domain');
  }
  const parts = domainModuleParts(domain);
  return `// mockjutsu compiled domain ${JSON.stringify(domain.name)} for k6 (format ${DOMAIN_MODULE_FORMAT}). Generated: do not edit;\n` +
    '// recompile from the domain file with `mockjutsu domain --compile FILE --target k6 --out FILE.k6.js`.\n' +
    `// Use: import domain from './this-file.js'; sessionStream({ domain, seed }) from dist/k6/mockjutsu.js.\n` +
    (parts.declarations === '' ? '' : parts.declarations + '\n') +
    `var domain = ${parts.domain};\n` +
    `var program = ${parts.program};\n` +
    `export default { format: ${JSON.stringify(DOMAIN_MODULE_FORMAT)}, name: ${JSON.stringify(domain.name)}, domain: domain, program: program };\n`;
}
