// alea's generator from a state, for engines without a JIT (k6's goja, where scripts/buildK6Bundle.mjs
// puts this file in place of aleaState.ts): the state lives in closure variables, which goja
// reads and writes more cheaply than object properties (V8 is the other way round: it boxes
// numbers kept in closures). Same numbers as aleaState.ts and seedrandom.
import type { AleaPrng } from './aleaState.js';

export type { AleaPrng };

/** alea from a state, as seedrandom's `alea('', { state: { s0, s1, s2, c } })`. */
export function aleaFromState(s0: number, s1: number, s2: number, c: number): AleaPrng {
  const next = function (): number {
    const t = 2091639 * s0 + c * 2.3283064365386963e-10;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    return (s2 = t - c);
  } as AleaPrng;
  next.int32 = function (): number {
    const t = 2091639 * s0 + c * 2.3283064365386963e-10;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    return ((s2 = t - c) * 0x100000000) | 0;
  };
  return next;
}
