// alea's generator from a state, for engines without a JIT (k6's goja, where scripts/buildK6Bundle.mjs
// puts this file in place of aleaState.ts): the state lives in closure variables, which goja
// reads and writes more cheaply than object properties (V8 is the other way round: it boxes
// numbers kept in closures). Same numbers as aleaState.ts and seedrandom. `uuid()` is
// uuidV4(this) with its four int32 draws made inline (uuidNoJit.ts calls it).
import type { AleaPrng } from './aleaState.js';
import { uuidFromInt32s } from './uuidNoJit.js';

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
  (next as AleaPrng & { uuid: () => string }).uuid = function (): string {
    // Four steps: the state moves from (s0, s1, s2) to (x1, x2, x3).
    let t = 2091639 * s0 + c * 2.3283064365386963e-10;
    c = t | 0;
    const x0 = t - c;
    t = 2091639 * s1 + c * 2.3283064365386963e-10;
    c = t | 0;
    const x1 = t - c;
    t = 2091639 * s2 + c * 2.3283064365386963e-10;
    c = t | 0;
    const x2 = t - c;
    t = 2091639 * x0 + c * 2.3283064365386963e-10;
    c = t | 0;
    const x3 = t - c;
    s0 = x1;
    s1 = x2;
    s2 = x3;
    return uuidFromInt32s((x0 * 0x100000000) | 0, (x1 * 0x100000000) | 0, (x2 * 0x100000000) | 0, (x3 * 0x100000000) | 0);
  };
  return next;
}
