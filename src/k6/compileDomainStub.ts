// Stands in for src/core/domain/compileDomain.ts in the k6 bundle (scripts/buildK6Bundle.mjs
// swaps it in): the expression compiler (jsep and the code generator, ~35 KB) is not loaded by
// every VU. Built-in domains come with their programs generated at build time; a custom domain
// is compiled ahead with `mockjutsu domain --compile FILE --target k6 --out NAME.k6.js`, or in
// init by the bundle that carries the compiler (mockjutsu-domains.js).
import { MockjutsuError } from '../core/mockjutsuError.js';
import { isRecord } from '../core/domain/domainChecks.js';

export type * from '../core/domain/compileDomain.js';

/** The k6 runtime bundle has no expression compiler: says how to compile ahead instead. */
export function compileDomain(input: unknown): never {
  return compileAhead(input);
}

/** Nor does it evaluate code: a program given as source (not as a function) needs the compiler bundle. */
export function programFunction(_programSource: string): never {
  return compileAhead(undefined);
}

function compileAhead(input: unknown): never {
  const name = isRecord(input) && typeof input.domain === 'string' ? JSON.stringify(input.domain) : 'this domain';
  const file = isRecord(input) && typeof input.domain === 'string' && /^[A-Za-z0-9_.-]+$/.test(input.domain) ? input.domain : 'mydomain';
  throw new MockjutsuError(
    'INVALID_DOMAIN',
    `domain ${name} must be compiled ahead for k6: mockjutsu.js carries no expression compiler (every VU would load it). ` +
      `Run \`mockjutsu domain --compile ${file}.json --target k6 --out ${file}.k6.js\`, then in the script ` +
      `\`import ${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(file) ? file : 'domain'} from './${file}.k6.js'\` and pass it as { domain }; ` +
      'or import mockjutsu-domains.js (the bundle with the compiler) to compile a domain in init. ' +
      'Built-in domains (by name) need neither; a `model` option also needs the compiler.',
    'domain',
  );
}

