import alea from 'seedrandom/lib/alea.js';

/**
 * The core's only source of randomness. seedrandom's `alea` was chosen by measurement
 * (see `bench/prng.bench.ts`): fastest of seedrandom's generators here and it passes the
 * bench's uniformity checks; period ~2^116.
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
  let key = 'mockjutsu/1';
  for (const part of parts) {
    const s = String(part);
    key += ':' + s.length + ':' + s;
  }
  return alea(key);
}

/** Integer in [0, n). */
export function randomInt(r: Prng, n: number): number {
  return Math.floor(r() * n);
}

/** One element of a non-empty array. */
export function pick<T>(r: Prng, items: ReadonlyArray<T>): T {
  return items[Math.floor(r() * items.length)] as T;
}

/** Standard normal draw (Box-Muller; one of the pair is discarded to keep draws per call fixed). */
export function standardNormal(r: Prng): number {
  let u = r();
  if (u < 1e-12) u = 1e-12;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** Index drawn from cumulative weights (last entry = total). */
export function pickCumulative(r: Prng, cumulative: ArrayLike<number>): number {
  const x = r() * cumulative[cumulative.length - 1]!;
  let i = 0;
  while (cumulative[i]! <= x && i < cumulative.length - 1) i++;
  return i;
}
