import assert from 'node:assert/strict';
import seedrandomAlea from 'seedrandom/lib/alea.js';
import { aleaFromKey, aleaFromState } from '../../src/core/alea.js';
import { aleaFromState as aleaFromStateNoJit } from '../../src/core/aleaStateNoJit.js';
import { derivePrng, partitionBase } from '../../src/core/prng.js';

// src/core/alea.ts must give seedrandom's numbers exactly: every byte of every output hangs on them.
function draws(r: { (): number; int32(): number }, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i % 3 === 2 ? r.int32() : r());
  return out;
}

describe('alea (src/core/alea.ts) equals seedrandom/lib/alea.js number for number', () => {
  const keys = ['', ' ', 'a', '42', 'mockjutsu/1:2:42:4:user:3:123', 'mockjutsu/1:5:alpha:9:partition:4:vu-3', 'ünïcödé ✓ 🎲', 'x'.repeat(500)];

  it('from text keys, whatever the prefix/rest split, in any order (the prefix cache never leaks)', () => {
    for (const key of keys) {
      const expected = draws(seedrandomAlea(key), 300);
      for (const cut of [0, 1, Math.floor(key.length / 2), key.length]) {
        if (cut > key.length) continue;
        assert.deepEqual(draws(aleaFromKey(key.slice(0, cut), key.slice(cut)), 300), expected, `key ${JSON.stringify(key)} cut at ${cut}`);
      }
    }
    // Alternating prefixes, and a prefix that is a prefix of the previous one.
    for (let i = 0; i < 200; i++) {
      const prefix = ['mockjutsu/1:2:42:4:user', 'mockjutsu/1:1:7:4:user', 'mockjutsu/1:2:4'][i % 3]!;
      const rest = ':' + String(i).length + ':' + i;
      assert.deepEqual(draws(aleaFromKey(prefix, rest), 20), draws(seedrandomAlea(prefix + rest), 20), prefix + rest);
    }
  });

  for (const [name, fromState] of [['aleaState.ts (V8)', aleaFromState], ['aleaStateNoJit.ts (the k6 bundle\'s)', aleaFromStateNoJit]] as const) {
    it(`from a state, as alea("", { state }): ${name}`, () => {
      for (let i = 0; i < 100; i++) {
        const state = { s0: ((i * 2654435761) >>> 0) / 2 ** 32, s1: ((i * 40503 + 7) >>> 0) / 2 ** 32, s2: ((i * 97 + 13) % 1000) / 1000, c: 1 + (i % 3) };
        assert.deepEqual(draws(fromState(state.s0, state.s1, state.s2, state.c), 200), draws(seedrandomAlea('', { state: { ...state } }), 200));
      }
    });
  }

  it('derivePrng keys are the length-prefixed parts, hashed as seedrandom would', () => {
    assert.deepEqual(draws(derivePrng('42', 'user', 123), 30), draws(seedrandomAlea('mockjutsu/1:2:42:4:user:3:123'), 30));
    assert.deepEqual(draws(derivePrng(), 5), draws(seedrandomAlea('mockjutsu/1'), 5));
    const r = seedrandomAlea('mockjutsu/1:2:42:9:partition:1:7');
    assert.deepEqual(partitionBase('42', '7'), [r.int32() >>> 0, r.int32() >>> 0, r.int32() >>> 0]);
  });
});
