// seedrandom's alea (Johannes Baagøe's algorithm; seedrandom by David Bau, MIT), written again:
// Mash walks an array of char codes with a local accumulator and skips the part of a key it
// has already hashed; the generator itself is in aleaState.ts (for JIT engines: V8) or
// aleaStateNoJit.ts (for k6's goja, which has no JIT; the k6 bundle swaps it in). The
// arithmetic is seedrandom's step for step, so every number is the same
// (test/core/alea.spec.ts compares them).

import { aleaFromState } from './aleaState.js';
import type { AleaPrng } from './aleaState.js';

export { aleaFromState, type AleaPrng };

const TWO_POW_32 = 0x100000000;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

// Mash's accumulator after hashing ' ' three times from its start value, and the three results:
// the same for every key.
const MASH_START = 0xefc8249d;
const SPACE = [32];
let mashN = MASH_START;
/** One Mash step per code, from the accumulator `mashN` on; returns Mash's output there. */
function mash(codes: readonly number[]): number {
  let n = mashN;
  for (let i = 0, len = codes.length; i < len; i++) {
    n += codes[i]!;
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * TWO_POW_32;
  }
  mashN = n;
  return (n >>> 0) * TWO_POW_MINUS_32;
}
const SPACE_0 = mash(SPACE);
const SPACE_1 = mash(SPACE);
const SPACE_2 = mash(SPACE);
const AFTER_SPACES = mashN;

function charCodes(s: string): number[] {
  const codes: number[] = [];
  for (let i = 0; i < s.length; i++) codes.push(s.charCodeAt(i));
  return codes;
}

// Mash walks the key three times. The first walk starts from AFTER_SPACES, so its state after
// a given prefix is always the same: the last prefix's state and char codes are kept
// (derivePrng's keys for a seed's users share all but their last part).
let cachedPrefix: string | undefined;
let cachedPrefixCodes: number[] = [];
let cachedPrefixN = 0;

/**
 * seedrandom's `alea(prefix + rest)`. `prefix` is only a hint (any split gives the same
 * numbers): its char codes and the state after it in Mash's first walk are cached.
 */
export function aleaFromKey(prefix: string, rest: string): AleaPrng {
  if (prefix !== cachedPrefix) {
    cachedPrefixCodes = charCodes(prefix);
    mashN = AFTER_SPACES;
    mash(cachedPrefixCodes);
    cachedPrefix = prefix;
    cachedPrefixN = mashN;
  }
  const prefixCodes = cachedPrefixCodes;
  const restCodes = charCodes(rest);
  mashN = cachedPrefixN;
  let s0 = SPACE_0 - mash(restCodes);
  if (s0 < 0) s0 += 1;
  mash(prefixCodes);
  let s1 = SPACE_1 - mash(restCodes);
  if (s1 < 0) s1 += 1;
  mash(prefixCodes);
  let s2 = SPACE_2 - mash(restCodes);
  if (s2 < 0) s2 += 1;
  return aleaFromState(s0, s1, s2, 1);
}
