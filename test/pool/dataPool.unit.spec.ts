import assert from 'node:assert/strict';
import { IterableDataPool, RecyclableDataPool, createDataPool, iterationItemIndex, vuItemIndex, parseNdjsonRecords } from '../../src/core/index.js';

const ITEMS = ['a', 'b', 'c'];

describe('data pools (pure allocation)', () => {
  it('recyclable: round-robin in order, wrapping around forever', () => {
    const pool = new RecyclableDataPool(ITEMS, { name: 'letters' });
    assert.deepEqual(Array.from({ length: 8 }, () => pool.next()), ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b']);
    assert.deepEqual(pool.take(4), { items: ['c', 'a', 'b', 'c'], exhausted: false });
    assert.equal(pool.position, 12);
    assert.equal(pool.tryNext(), 'a');
    assert.equal(pool.recyclable, true);
  });

  it('non-recyclable: each item once in order, then exhausted with a message naming the pool, never a repeat', () => {
    const pool = new IterableDataPool(ITEMS, { name: 'users' });
    assert.equal(pool.next(), 'a');
    assert.deepEqual(pool.take(5), { items: ['b', 'c'], exhausted: true });
    assert.equal(pool.exhausted, true);
    assert.equal(pool.remaining, 0);
    assert.equal(pool.tryNext(), undefined);
    assert.deepEqual(pool.take(2), { items: [], exhausted: true });
    assert.throws(() => pool.next(), (e: any) => e.code === 'POOL_EXHAUSTED' && e.message.startsWith('pool "users" is exhausted: all 3 items were handed out once'));
    assert.throws(() => pool.next(), { code: 'POOL_EXHAUSTED' }); // stays exhausted
  });

  it('non-recyclable take(n) that ends exactly on the last item says exhausted in that draw', () => {
    const pool = new IterableDataPool(ITEMS);
    assert.deepEqual(pool.take(2), { items: ['a', 'b'], exhausted: false });
    assert.deepEqual(pool.take(1), { items: ['c'], exhausted: true });
  });

  it('iterating a non-recyclable pool hands out what is left, once', () => {
    const pool = new IterableDataPool([1, 2, 3, 4]);
    pool.next();
    assert.deepEqual([...pool], [2, 3, 4]);
    assert.deepEqual([...pool], []);
  });

  it('a position resumes where an earlier run stopped', () => {
    assert.deepEqual(new IterableDataPool(ITEMS, { position: 2 }).take(3).items, ['c']);
    assert.equal(new RecyclableDataPool(ITEMS, { position: 5 }).next(), 'c');
  });

  it('empty pools, non-arrays and bad counts: clear errors', () => {
    assert.throws(() => new IterableDataPool([], { name: 'users' }), (e: any) => e.code === 'INVALID_POOL' && /pool "users" is empty; a pool needs at least one item/.test(e.message));
    assert.throws(() => new RecyclableDataPool('abc' as any), /items are "abc"; expected an array/);
    assert.throws(() => createDataPool(ITEMS).take(-1), /take\(n\) with n = -1; allowed: an integer from 0 to 1000000/);
    assert.throws(() => createDataPool(ITEMS, { position: 1.5 }), /position is 1.5/);
    assert.equal(createDataPool(ITEMS, { recyclable: true }).recyclable, true);
    assert.equal(createDataPool(ITEMS).recyclable, false);
  });

  it('test-wide indexes: iteration i owns [i*k, (i+1)*k); VU v of V owns v-1 + j*V; both injective', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) for (let d = 0; d < 3; d++) seen.add(iterationItemIndex(i, 3, d));
    assert.equal(seen.size, 150);
    assert.equal(Math.max(...seen), 149);
    assert.throws(() => iterationItemIndex(4, 2, 2), /an iteration drew item 3 from the pool but perIteration is 2/);
    const byVu = new Set<number>();
    for (let v = 1; v <= 7; v++) for (let j = 0; j < 10; j++) byVu.add(vuItemIndex(v, 7, j));
    assert.equal(byVu.size, 70);
    assert.equal(Math.max(...byVu), 69);
    assert.equal(vuItemIndex(3, 7, 2), 16);
    assert.throws(() => vuItemIndex(8, 7, 0), /exec\.vu\.idInTest is 8 but the pool was told vus: 7/);
  });

  it('NDJSON text: items per line, blank lines skipped, a bad line named', () => {
    assert.deepEqual(parseNdjsonRecords('\ufeff{"id":1}\r\n\n{"id":2}'), [{ id: 1 }, { id: 2 }]);
    assert.throws(() => parseNdjsonRecords('{"id":1}\n{id:2}\n', 'users.ndjson'), (e: any) => e.code === 'INVALID_RECORD' && /^users\.ndjson: line 2 is not JSON/.test(e.message));
  });
});

describe('live pools (filled while the test runs, as by the recorder)', () => {
  it('non-recyclable: starts empty, hands out each item once as it arrives, exhausted only for now', () => {
    const items: string[] = [];
    const pool = new IterableDataPool(items, { name: 'users', live: true });
    assert.deepEqual(pool.take(2), { items: [], exhausted: true });
    assert.equal(pool.tryNext(), undefined);
    items.push('a', 'b', 'c');
    assert.deepEqual(pool.take(2), { items: ['a', 'b'], exhausted: false });
    assert.equal(pool.next(), 'c');
    assert.throws(() => pool.next(), { code: 'POOL_EXHAUSTED' });
    items.push('d');
    assert.deepEqual(pool.take(5), { items: ['d'], exhausted: true });
  });

  it('recyclable: no items yet is a clear exhausted signal, then round-robin over what is there', () => {
    const items: number[] = [];
    const pool = new RecyclableDataPool(items, { name: 'products', live: true });
    assert.throws(() => pool.next(), (e: any) => e.code === 'POOL_EXHAUSTED' && e.message === 'pool "products" has no items yet; nothing was recorded into it');
    assert.deepEqual(pool.take(3), { items: [], exhausted: true });
    items.push(1, 2);
    assert.deepEqual(pool.take(3), { items: [1, 2, 1], exhausted: false });
  });

  it('without live, an empty array is still refused', () => {
    assert.throws(() => new RecyclableDataPool([], { name: 'x' }), { code: 'INVALID_POOL' });
  });
});
