import assert from 'node:assert/strict';
import { uuidV4 } from '../../src/core/uuid.js';
import { uuidV4 as uuidV4NoJit } from '../../src/core/uuidNoJit.js';
import { derivePrng } from '../../src/core/prng.js';

describe('core: uuidV4', () => {
  it('the k6 bundle\'s variant (uuidNoJit.ts) gives the same text as uuid.ts, for any draws', () => {
    // Fixed draws at the edges, then many drawn ones.
    const edges = [0, -1, 1, 0x7fffffff, -0x80000000, 0x0000ffff, -0x10000, 0x12345678];
    for (const a of edges) for (const b of edges) for (const c of edges) for (const d of edges.slice(0, 3)) {
      const seq = [a, b, c, d];
      const fixed = () => { let i = 0; const r = (() => 0) as unknown as { (): number; int32(): number }; r.int32 = () => seq[i++ % 4]!; return r; };
      assert.equal(uuidV4NoJit(fixed()), uuidV4(fixed()), seq.join(','));
    }
    const r1 = derivePrng('uuid-a');
    const r2 = derivePrng('uuid-a');
    for (let i = 0; i < 20_000; i++) {
      const u = uuidV4(r1);
      assert.equal(uuidV4NoJit(r2), u);
      assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
