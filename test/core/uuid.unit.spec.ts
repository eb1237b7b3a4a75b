import assert from 'node:assert/strict';
import { uuidV4 } from '../../src/core/uuid.js';
import { uuidV4 as uuidV4NoJit } from '../../src/core/uuidNoJit.js';
import { derivePrng } from '../../src/core/prng.js';
import { aleaFromState } from '../../src/core/alea.js';
import { aleaFromState as aleaFromStateNoJit } from '../../src/core/aleaStateNoJit.js';

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

  it('the k6 alea\'s own uuid() (aleaStateNoJit.ts: four draws inline) gives uuid.ts\'s text and leaves the same state', () => {
    for (let i = 0; i < 200; i++) {
      const state = [((i * 2654435761) >>> 0) / 2 ** 32, ((i * 40503 + 7) >>> 0) / 2 ** 32, ((i * 97 + 13) % 1000) / 1000, 1 + (i % 3)] as const;
      const lib = aleaFromState(...state);
      const k6 = aleaFromStateNoJit(...state) as ReturnType<typeof aleaFromStateNoJit> & { uuid: () => string };
      for (let j = 0; j < 50; j++) {
        assert.equal(k6.uuid(), uuidV4(lib));
        // interleaved with plain draws: the state after uuid() is the one after four int32 draws
        assert.equal(k6(), lib());
        assert.equal(uuidV4NoJit(k6), uuidV4(lib));
      }
    }
  });
});

