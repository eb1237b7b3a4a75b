// seedrandom's alea (Johannes Baagøe's algorithm; seedrandom by David Bau, MIT), written again
// for engines without a JIT, such as k6's goja: the state lives in closure variables instead of
// object properties, int32() steps the state itself instead of calling next(), and Mash walks
// an array of char codes with a local accumulator. The arithmetic is the same, step for step,
// so every number equals seedrandom's (test/core/alea.spec.ts compares them).

/** A generator: uniform float in [0, 1), and `int32()`, a uniform signed 32-bit integer. */
export interface AleaPrng {
  (): number;
  int32(): number;
}

const TWO_POW_32 = 0x100000000;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** alea from a state, as seedrandom's `alea('', { state: { s0, s1, s2, c } })`. */
export function aleaFromState(s0: number, s1: number, s2: number, c: number): AleaPrng {
  const next = function (): number {
    const t = 2091639 * s0 + c * TWO_POW_MINUS_32;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    return (s2 = t - c);
  } as AleaPrng;
  next.int32 = function (): number {
    const t = 2091639 * s0 + c * TWO_POW_MINUS_32;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    return ((s2 = t - c) * TWO_POW_32) | 0;
  };
  return next;
}

// Mash's accumulator after hashing ' ' three times from its start value, and the three results:
// the same for every key.
const MASH_START = 0xefc8249d;
const SPACE = [32];
let mashN = MASH_START;
function mash(codes: ArrayLike<number>, from: number, to: number): number {
  let n = mashN;
  for (let i = from; i < to; i++) {
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
const SPACE_0 = mash(SPACE, 0, 1);
const SPACE_1 = mash(SPACE, 0, 1);
const SPACE_2 = mash(SPACE, 0, 1);
const AFTER_SPACES = mashN;

// The first pass over a key starts from AFTER_SPACES, so its state after a given prefix is
// always the same: the last prefix's is kept (derivePrng's keys share all but their last part).
let cachedPrefix: string | undefined;
let cachedPrefixN = 0;

/**
 * seedrandom's `alea(prefix + rest)`. `prefix` is only a hint (any split gives the same
 * numbers): the state after it, in the first of Mash's three passes, is cached.
 */
export function aleaFromKey(prefix: string, rest: string): AleaPrng {
  const key = prefix + rest;
  const codes: number[] = [];
  for (let i = 0; i < key.length; i++) codes.push(key.charCodeAt(i));
  if (prefix !== cachedPrefix) {
    mashN = AFTER_SPACES;
    mash(codes, 0, prefix.length);
    cachedPrefix = prefix;
    cachedPrefixN = mashN;
  }
  mashN = cachedPrefixN;
  let s0 = SPACE_0 - mash(codes, prefix.length, codes.length);
  if (s0 < 0) s0 += 1;
  let s1 = SPACE_1 - mash(codes, 0, codes.length);
  if (s1 < 0) s1 += 1;
  let s2 = SPACE_2 - mash(codes, 0, codes.length);
  if (s2 < 0) s2 += 1;
  return aleaFromState(s0, s1, s2, 1);
}
