// cdc_event: Debezium-style change events, coherent per row over a long stream.
import assert from 'node:assert/strict';
import { createCdcGenerator, cdcEventDataType, createGenerator, MockjutsuError, type CdcEvent } from '../../src/index.js';

describe('schema: cdc_event', () => {
  it('over 100k events per row: c, then u*, then optionally d; before/after chain exactly; ts_ms increases per table', () => {
    const stream = createCdcGenerator({ seed: 'cdc' }).stream(0);
    const last = new Map<string, string | null>(); // table/key -> JSON of the row's last after (null once deleted)
    const lastTs = new Map<string, number>();
    const ops = { c: 0, u: 0, d: 0 };
    const tables = new Set<string>();
    let linkedOrders = 0;
    for (let i = 0; i < 100_000; i++) {
      const e = stream.next();
      const table = e.source.table;
      tables.add(table);
      const row = (e.after ?? e.before)!;
      const key = table + '/' + String(row.id);
      ops[e.op]++;
      const prev = last.get(key);
      if (e.op === 'c') {
        assert.equal(prev, undefined, `event ${i}: ${key} created twice`);
        assert.equal(e.before, null);
      } else {
        assert.notEqual(prev, undefined, `event ${i}: ${e.op} of ${key} before its create`);
        assert.notEqual(prev, null, `event ${i}: ${e.op} of ${key} after its delete`);
        assert.equal(JSON.stringify(e.before), prev, `event ${i}: before is not the last after`);
        if (e.op === 'd') assert.equal(e.after, null);
        else assert.equal(e.after!.id, e.before!.id);
      }
      if (table === 'orders' && e.op === 'c') {
        // an order created while customers exist points at one that was created before it
        const customer = last.get('customers/' + String(e.after!.customer_id));
        if (customer !== undefined && customer !== null) linkedOrders++;
      }
      last.set(key, e.after === null ? null : JSON.stringify(e.after));
      const ts = lastTs.get(table) ?? 0;
      assert.ok(e.source.ts_ms > ts, `event ${i}: ts_ms of ${table} did not increase`);
      assert.ok(e.ts_ms > e.source.ts_ms);
      lastTs.set(table, e.source.ts_ms);
    }
    assert.deepEqual([...tables].sort(), ['customers', 'orders', 'products']);
    assert.ok(ops.c > 20_000 && ops.u > 40_000 && ops.d > 5_000, JSON.stringify(ops));
    assert.ok(linkedOrders > 10_000, `orders pointing at a created customer: ${linkedOrders}`);
  });

  it('per-partition streams are independent and seeded; resuming from getState() continues exactly', () => {
    const g = createCdcGenerator({ seed: 11 });
    const a = JSON.stringify(g.stream('vu-1').take(50));
    assert.equal(JSON.stringify(createCdcGenerator({ seed: 11 }).stream('vu-1').take(50)), a);
    assert.notEqual(JSON.stringify(g.stream('vu-2').take(50)), a);
    const s = g.stream(3);
    s.take(37);
    const resumed = g.stream(3, s.getState());
    assert.equal(JSON.stringify(resumed.take(20)), JSON.stringify(s.take(20)));
  });

  it('the first change of seed 1 is a customers create with id 1', () => {
    const e = createCdcGenerator({ seed: 1 }).stream(0).next();
    assert.equal(e.op, 'c');
    assert.equal(e.before, null);
    assert.equal(e.source.table, 'customers');
    assert.equal(e.after!.id, 1);
    assert.equal(e.source.db, 'shop');
    assert.equal(e.source.connector, 'postgresql');
  });

  it('user tables: rows come from their schemas, string keys are UUIDs', () => {
    const g = createCdcGenerator({
      seed: 2,
      tables: [{ name: 'tickets', key: 'ticket_id', schema: { type: 'object', required: ['ticket_id', 'state'], properties: { ticket_id: { type: 'string' }, state: { enum: ['open', 'closed'] } }, additionalProperties: false } }],
    });
    const events: CdcEvent[] = g.stream(0).take(200);
    assert.ok(events.every((e) => e.source.table === 'tickets'));
    for (const e of events) {
      const row = (e.after ?? e.before)!;
      assert.deepEqual(Object.keys(row).sort(), ['state', 'ticket_id']);
      assert.match(row.ticket_id as string, /^[0-9a-f-]{36}$/);
      assert.ok(row.state === 'open' || row.state === 'closed');
    }
    assert.throws(() => createCdcGenerator({ tables: [{ name: 't', schema: { type: 'object' }, references: { x: 'nope' } }] }), /tables\[0\]\.references\.x names table "nope", which is not in tables/);
    assert.throws(() => createCdcGenerator({ tables: [{ name: 'bad', schema: { type: 'integer', minimum: 3, maximum: 1 } }] }), (e: unknown) => e instanceof MockjutsuError && /tables\[0\] \(bad\): #: minimum 3 is greater than maximum 1/.test(e.message));
  });

  it('as a data type: item k equals event k of the partition, in any order of calls', () => {
    const g = createGenerator({ seed: 5 });
    const stream = createCdcGenerator({ seed: 5 }).stream('p');
    const expected = stream.take(30).map((e) => JSON.stringify(e));
    for (const k of [0, 1, 2, 10, 29, 3]) assert.equal(JSON.stringify(cdcEventDataType.item(g, 'p', k, 1)), expected[k]);
  });
});
