// sessionPrng builds alea from a state without seedrandom's key hashing; it must step exactly
// as seedrandom's alea started from the same state (the session generator's goldens rely on it).
import assert from 'node:assert/strict';
import alea from 'seedrandom/lib/alea.js';
import { partitionBase, sessionPrng } from '../../src/core/prng.js';

describe('sessionPrng', () => {
  it('steps exactly as seedrandom alea from the same state, for () and int32()', () => {
    for (const [seed, partition, k] of [['42', '0', 0], ['x', 'vu-7', 12345], ['s', 'p', 2 ** 40 + 3]] as const) {
      const base = partitionBase(seed, partition);
      const ours = sessionPrng(base, k);
      const reference = referenceSessionPrng(base, k);
      for (let i = 0; i < 1000; i++) {
        if (i % 2 === 0) assert.equal(ours(), reference(), `draw ${i}`);
        else assert.equal(ours.int32(), reference.int32(), `draw ${i}`);
      }
    }
  });
});

// The previous implementation, verbatim: seedrandom's alea with the mixed state copied in.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
function referenceSessionPrng(base: readonly [number, number, number], k: number): { (): number; int32(): number } {
  const lo = k >>> 0;
  const hi = Math.floor(k / 0x100000000) >>> 0;
  const a = fmix32(base[0] ^ fmix32(lo + 0x9e3779b9));
  const b = fmix32(base[1] ^ fmix32(hi + Math.imul(lo, 0x85ebca6b) + 0x7f4a7c15));
  const c = fmix32(base[2] ^ fmix32(a + b + 0x94d049bb));
  return alea('', { state: { c: 1, s0: a * 2.3283064365386963e-10, s1: b * 2.3283064365386963e-10, s2: c * 2.3283064365386963e-10 } }) as any;
}
