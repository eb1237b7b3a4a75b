// Giving back items of a non-recyclable pool that were taken and not used (what a client that
// fetches ahead does at its end): they are handed out again first, never twice, none lost.
import assert from 'node:assert/strict';
import { IterableDataPool } from '../../src/core/pool/index.js';
import { DataPoolRegistry } from '../../src/pool/index.js';
import { HeldIndexes } from '../../src/pool/heldIndexes.js';
import { MockjutsuError } from '../../src/core/index.js';

describe('IterableDataPool.giveBack and DataPoolRegistry.takeFor/giveBack', () => {
  it('hands given-back items out again before new ones, in the order given back; position, remaining and exhausted count them', () => {
    const pool = new IterableDataPool(['a', 'b', 'c', 'd', 'e'], { name: 'letters' });
    const first = pool.takeIndexed(4);
    assert.deepEqual(first, { items: ['a', 'b', 'c', 'd'], indexes: [0, 1, 2, 3], exhausted: false });
    pool.giveBack([3, 1]);
    assert.equal(pool.position, 2);
    assert.equal(pool.remaining, 3);
    assert.deepEqual(pool.takeIndexed(2), { items: ['d', 'b'], indexes: [3, 1], exhausted: false });
    assert.equal(pool.next(), 'e');
    assert.equal(pool.exhausted, true);
    pool.giveBack([4]);
    assert.equal(pool.exhausted, false);
    assert.deepEqual([...pool], ['e']);
    assert.equal(pool.tryNext(), undefined);
  });

  it('refuses an index never handed out or given back twice, and then gives back nothing', () => {
    const pool = new IterableDataPool([1, 2, 3], { name: 'nums' });
    pool.take(2);
    assert.throws(() => pool.giveBack([0, 2]), (e: unknown) => e instanceof MockjutsuError && e.code === 'INVALID_OPTION' && /index 2: it was never handed out \(handed out: 0 to 1\)/.test(e.message));
    assert.equal(pool.remaining, 1, 'index 0 was not given back either');
    assert.throws(() => pool.giveBack([0, 0]), /index 0 is given back twice; nothing was given back/);
    pool.giveBack([0]);
    assert.throws(() => pool.giveBack([0]), /index 0 is given back twice/);
    assert.deepEqual(pool.take(5), { items: [1, 3], exhausted: true });
  });

  it('HeldIndexes keeps ranges: batches merge, removals split', () => {
    const h = new HeldIndexes();
    h.addAll([0, 1, 2, 3]);
    h.addAll([4, 5, 6, 7]);
    assert.equal(h.ranges, 1);
    h.remove(5);
    assert.equal(h.ranges, 2);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => h.has(i)), [true, true, true, true, true, false, true, true, false]);
    h.addAll([5]);
    assert.equal(h.ranges, 1);
    h.remove(0);
    h.remove(7);
    h.addAll([20, 10]);
    assert.deepEqual([0, 1, 6, 7, 10, 20, 21].map((i) => h.has(i)), [false, true, true, false, true, true, false]);
    assert.equal(h.ranges, 3);
  });

  it('a holder gives back only what it holds; all or nothing; a recyclable pool has nothing to give back', () => {
    const reg = new DataPoolRegistry();
    reg.addItems('users', ['u0', 'u1', 'u2', 'u3', 'u4', 'u5']);
    reg.addItems('colors', ['red', 'green'], true);
    assert.deepEqual(reg.takeFor('users', 3, 'A'), { items: ['u0', 'u1', 'u2'], exhausted: false, tickets: [0, 1, 2] });
    assert.deepEqual(reg.takeFor('users', 2, 'B'), { items: ['u3', 'u4'], exhausted: false, tickets: [3, 4] });
    const notHeld = (e: unknown) => e instanceof MockjutsuError && e.code === 'POOL_NOT_HELD';
    assert.throws(() => reg.giveBack('users', 'A', [2, 3]), (e: unknown) => notHeld(e) && /holder "A" does not hold ticket\(s\) 3 .*nothing was given back/.test((e as Error).message));
    assert.throws(() => reg.giveBack('users', 'C', [0]), notHeld, 'an unknown holder holds nothing');
    assert.throws(() => reg.giveBack('users', 'A', [1, 1]), notHeld, 'listed twice');
    assert.equal(reg.get('users').position, 5, 'nothing was put back');
    assert.deepEqual(reg.giveBack('users', 'A', [2, 1]), { returned: 2, remaining: 3 });
    assert.throws(() => reg.giveBack('users', 'A', [2]), notHeld, 'given back already');
    // B takes what A gave back (first) then the last new item; A can no longer give them back
    assert.deepEqual(reg.takeFor('users', 5, 'B'), { items: ['u2', 'u1', 'u5'], exhausted: true, tickets: [2, 1, 5] });
    assert.throws(() => reg.giveBack('users', 'A', [1]), notHeld);
    assert.deepEqual(reg.giveBack('users', 'B', [5]), { returned: 1, remaining: 1 });
    assert.deepEqual(reg.takeFor('users', 1, 'A'), { items: ['u5'], exhausted: true, tickets: [5] });
    assert.deepEqual(reg.takeFor('colors', 3, 'A'), { items: ['red', 'green', 'red'], exhausted: false }, 'no tickets for a recyclable pool');
    assert.throws(() => reg.giveBack('colors', 'A', [0]), /pool "colors" is recyclable/);
    assert.throws(() => reg.takeFor('users', 1, 'with space'), /holder is "with space"; expected 1 to 200 printable ASCII characters/);
  });
});
