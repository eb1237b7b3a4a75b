import { aleaFromKey, aleaFromState } from './alea.js';

// Math's functions bound once: in goja (k6), `Math.floor` is a global lookup and a property
// read on every call. 2 * Math.PI is the same double as before.
const { floor, sqrt, log, cos } = Math;
const TWO_PI = 2 * Math.PI;

/**
 * The core's only source of randomness. seedrandom's `alea` was chosen by measurement
 * (see `bench/prng.bench.ts`): fastest of seedrandom's generators here and it passes the
 * bench's uniformity checks; period ~2^116. ./alea.ts is the same generator, number for
 * number, written to be cheap without a JIT (k6's goja).
 */
export interface Prng {
  /** Uniform float in [0, 1). */
  (): number;
  /** Uniform signed 32-bit integer. */
  int32(): number;
}

/**
 * A generator determined only by `parts`. Parts are length-prefixed so that
 * ("ab", "c") and ("a", "bc") never yield the same stream.
 */
export function derivePrng(...parts: ReadonlyArray<string | number>): Prng {
  // The key is split before its last part: keys that share the rest (a seed's users) share
  // the first part of their hashing.
  let prefix = 'mockjutsu/1';
  let last = '';
  for (let i = 0; i < parts.length; i++) {
    const s = String(parts[i]);
    prefix += last;
    last = ':' + s.length + ':' + s;
  }
  return aleaFromKey(prefix, last);
}

/** A partition's base: three 32-bit words drawn from alea seeded by (seed, partition). */
export type PartitionBase = readonly [number, number, number];

/** The base of a partition's sessions (one long-key seeding per partition, not per session). */
export function partitionBase(seed: string, partition: string): PartitionBase {
  const r = derivePrng(seed, 'partition', partition);
  return [r.int32() >>> 0, r.int32() >>> 0, r.int32() >>> 0];
}

// murmur3's 32-bit finalizer: every input bit affects every output bit.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The generator of session k of a partition: alea started from a state mixed from the
 * partition's base and k. Seeding alea from a text key costs ~2.8 us per session (its Mash
 * hash walks every character three times); this costs a fraction, with the same alea steps.
 */
export function sessionPrng(base: PartitionBase, k: number): Prng {
  const lo = k >>> 0;
  const hi = Math.floor(k / 0x100000000) >>> 0;
  const a = fmix32(base[0] ^ fmix32(lo + 0x9e3779b9));
  const b = fmix32(base[1] ^ fmix32(hi + Math.imul(lo, 0x85ebca6b) + 0x7f4a7c15));
  const c = fmix32(base[2] ^ fmix32(a + b + 0x94d049bb));
  return aleaFromState(a * 2.3283064365386963e-10, b * 2.3283064365386963e-10, c * 2.3283064365386963e-10, 1);
}

/** Integer in [0, n). */
export function randomInt(r: Prng, n: number): number {
  return floor(r() * n);
}

/** One element of a non-empty array. */
export function pick<T>(r: Prng, items: ReadonlyArray<T>): T {
  return items[floor(r() * items.length)] as T;
}

/** Standard normal draw (Box-Muller; one of the pair is discarded to keep draws per call fixed). */
export function standardNormal(r: Prng): number {
  let u = r();
  if (u < 1e-12) u = 1e-12;
  return sqrt(-2 * log(u)) * cos(TWO_PI * r());
}

/** Index drawn from cumulative weights (last entry = total). */
export function pickCumulative(r: Prng, cumulative: ArrayLike<number>): number {
  const last = cumulative.length - 1;
  const x = r() * cumulative[last]!;
  let i = 0;
  while (i < last && cumulative[i]! <= x) i++;
  return i;
}
