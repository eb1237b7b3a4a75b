// Stands in for src/core/markovModel.ts and domain/modelDomain.ts in the k6 runtime bundle (swapped
// in by scripts/buildK6Bundle.mjs): sessions follow domains, and the old Markov model (the
// `model` option) is compiled only by the bundle with the compiler (mockjutsu-domains.js).
import { MockjutsuError } from '../core/mockjutsuError.js';

export type * from '../core/markovModel.js';

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
// src/core/domain/modelDomain.ts (the shop with a model's chain)
export const shopWithModel = noModelCompiler;
// The old simulator's helpers (imported by modules the bundle drops: modelStatistics).
export const REQUIRES_CART = 1;
export const REQUIRES_ORDER = 2;
export const guardMask = noModelCompiler;
export const allowedTransitions = noModelCompiler;
export const applyEffect = noModelCompiler;
