// Stands in for src/core/domain/modelDomain.ts in the k6 runtime bundle (swapped in by
// scripts/buildK6Bundle.mjs): sessions follow domains, and a Markov model (the `model` option:
// the shop with a user's chain) is compiled only by the bundle with the compiler
// (mockjutsu-domains.js). Nor does the runtime bundle carry the shop's definition that
// `defaultModelDefinition` is derived from.
import { MockjutsuError } from '../core/mockjutsuError.js';
import type { MarkovModelDefinition } from '../core/markovModel.js';

function noModelCompiler(): never {
  throw new MockjutsuError(
    'INVALID_OPTION',
    'the model option needs the domain compiler, which mockjutsu.js does not carry (every VU would load it): ' +
      'import mockjutsu-domains.js instead, or put the chain in a domain and compile it ahead ' +
      '(`mockjutsu domain --compile FILE --target k6 --out NAME.k6.js`)',
    'model',
  );
}

export const compileModel = noModelCompiler;
export const parseModel = noModelCompiler;
export const checkModel = noModelCompiler;
export const shopWithModel = noModelCompiler;
/** Not in the runtime bundle (the shop's definition is not): undefined there. */
export const defaultModelDefinition = undefined as unknown as MarkovModelDefinition;
