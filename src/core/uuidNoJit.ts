// uuidV4 for engines without a JIT (k6's goja, where scripts/buildK6Bundle.mjs puts this file in
// place of uuid.ts): two Number#toString(16) calls of 48-bit integers and a few slices cost goja
// less than String.fromCharCode with 36 computed arguments (V8 is the other way round, by far).
// The dashes before the version and variant groups come from toString(16) of their negatives
// (-0x4abc is "-4abc"): two concatenations fewer. The k6 bundle's alea (aleaStateNoJit.ts) has
// a `uuid` method that makes its four draws inline (one call instead of four); same bits, same
// text as uuid.ts (test/core/uuid.unit.spec.ts compares them).
import type { Prng } from './prng.js';

const TWO_POW_48 = 0x1000000000000;

/** RFC 4122 version-4 text from four signed 32-bit draws, in draw order. */
export function uuidFromInt32s(a: number, b: number, c: number, d: number): string {
  // 2^48 + x has 13 hex digits for any 48-bit x: the leading 1 is sliced off.
  const ab = (TWO_POW_48 + (a >>> 0) * 65536 + (b >>> 16)).toString(16);
  const cd = (TWO_POW_48 + (c & 0xffff) * 0x100000000 + (d >>> 0)).toString(16);
  return ab.slice(1, 9) + '-' + ab.slice(9) + (-(0x4000 | (b & 0xfff))).toString(16) +
    (-(0x8000 | ((c >>> 16) & 0x3fff))).toString(16) + '-' + cd.slice(1);
}

/** RFC 4122 version-4 layout from four 32-bit draws. */
export function uuidV4(r: Prng): string {
  const own = (r as Prng & { uuid?: () => string }).uuid;
  return own !== undefined ? own() : uuidFromInt32s(r.int32(), r.int32(), r.int32(), r.int32());
}
