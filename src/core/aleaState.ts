// alea's generator from a state, for engines with a JIT (V8): the state lives in an object, as
// in seedrandom, which V8 keeps unboxed. k6's bundle uses aleaStateNoJit.ts instead (same
// numbers; scripts/buildK6Bundle.mjs swaps the file).

/** A generator: uniform float in [0, 1), and `int32()`, a uniform signed 32-bit integer. */
export interface AleaPrng {
  (): number;
  int32(): number;
}

/** alea from a state, as seedrandom's `alea('', { state: { s0, s1, s2, c } })`. */
export function aleaFromState(s0: number, s1: number, s2: number, c: number): AleaPrng {
  const me = { s0, s1, s2, c };
  const next = function (): number {
    const t = 2091639 * me.s0 + me.c * 2.3283064365386963e-10;
    me.s0 = me.s1;
    me.s1 = me.s2;
    return (me.s2 = t - (me.c = t | 0));
  } as AleaPrng;
  next.int32 = function (): number {
    const t = 2091639 * me.s0 + me.c * 2.3283064365386963e-10;
    me.s0 = me.s1;
    me.s1 = me.s2;
    return ((me.s2 = t - (me.c = t | 0)) * 0x100000000) | 0;
  };
  return next;
}
