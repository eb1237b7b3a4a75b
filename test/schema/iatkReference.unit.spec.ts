// AWS IATK's generate_mock_event reference example (the MyEvent schema), value by value.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mockEvent, compileSchema, REALISTIC_VALUES, type EventContextFunction } from '../../src/index.js';

const MY_EVENT = JSON.parse(readFileSync(new URL('../fixtures/schemas/iatk-my-event.json', import.meta.url), 'utf8'));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// The context of IATK's example: a customer id, an address and five order items.
const addCustomerAndItems: EventContextFunction = (event, ctx) => {
  event.customerId = REALISTIC_VALUES.uuid!.draw(ctx.prng, ctx.timeMs);
  event.address = '99 Some Street';
  for (let i = 0; i < 5; i++) event.orderItems.push({ sku: `sku-${i}`, unitPrice: (i + 1) * 2, count: i + 1 });
};

describe('schema: IATK reference example (MyEvent, barebone)', () => {
  it('gives "" for strings, the first enum value, [] for arrays and the current time for date-time', () => {
    const before = Date.now();
    const event = mockEvent({ schema: MY_EVENT, ref: 'MyEvent', mode: 'barebone' }) as Record<string, unknown>;
    const after = Date.now();
    assert.deepEqual(Object.keys(event).sort(), ['address', 'customerId', 'datetime', 'membershipType', 'orderItems']);
    assert.equal(event.address, '');
    assert.equal(event.customerId, '');
    assert.equal(event.membershipType, 'A');
    assert.deepEqual(event.orderItems, []);
    const t = Date.parse(event.datetime as string);
    assert.ok(t >= before && t <= after, `datetime ${event.datetime} is not now`);
  });

  it('takes a fixed `now` for reproducible bytes', () => {
    const event = mockEvent({ schema: MY_EVENT, ref: 'MyEvent', mode: 'barebone', now: '2026-11-29T10:00:00Z', seed: 1 });
    assert.equal(JSON.stringify(event), '{"address":"","customerId":"","datetime":"2026-11-29T10:00:00.000Z","membershipType":"A","orderItems":[]}');
  });

  it('with the context: a UUID customer, "99 Some Street", five items whose unitPrice x count sums to 110', () => {
    const event = mockEvent({ schema: MY_EVENT, ref: 'MyEvent', mode: 'barebone', contexts: [addCustomerAndItems], seed: 7, now: 0 }) as any;
    assert.match(event.customerId, UUID);
    assert.equal(event.address, '99 Some Street');
    assert.equal(event.membershipType, 'A');
    assert.equal(event.orderItems.length, 5);
    assert.deepEqual(event.orderItems.map((x: any) => [x.unitPrice, x.count]), [[2, 1], [4, 2], [6, 3], [8, 4], [10, 5]]);
    assert.equal(event.orderItems.reduce((s: number, x: any) => s + x.unitPrice * x.count, 0), 110);
  });

  it('barebone nested objects are built the same way (all properties, placeholders)', () => {
    const g = compileSchema({ type: 'object', properties: { a: { type: 'object', properties: { n: { type: 'number' }, i: { type: 'integer' }, b: { type: 'boolean' }, s: { type: 'string', minLength: 5 } } } } }, { mode: 'barebone', seed: 1 });
    assert.deepEqual(g.value(0), { a: { n: 0, i: 0, b: false, s: '' } });
  });
});
