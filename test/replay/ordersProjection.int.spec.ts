import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createGenerator, type CheckoutPayload, type PaymentPayload, type SessionEvent } from '../../src/core/index.js';
import { InMemoryEventStore } from '../../src/store/index.js';
import { createOrdersProjection, startReplaySidecar, type RunningReplaySidecar } from '../../src/replay/index.js';
import { call, postEvent, postSession, tempDir } from './replayKit.js';

interface ExpectedOrder {
  order_id: string;
  session_id: string;
  total: string;
  items: unknown[];
  paid: boolean;
  payment_attempts: number;
}

/** The orders the generated sessions imply, straight from their checkout and payment events. */
function ordersOf(sessions: readonly SessionEvent[][]): Map<string, ExpectedOrder> {
  const orders = new Map<string, ExpectedOrder>();
  for (const session of sessions) {
    for (const e of session) {
      if (e.event_type === 'checkout') {
        const p = e.payload as CheckoutPayload;
        orders.set(p.order_id, { order_id: p.order_id, session_id: e.session_id, total: p.total, items: p.items, paid: false, payment_attempts: 0 });
      } else if (e.event_type === 'payment') {
        const p = e.payload as PaymentPayload;
        const o = orders.get(p.order_id)!;
        o.payment_attempts++;
        if (p.status === 'success') o.paid = true;
      }
    }
  }
  return orders;
}

describe('replay target: the live orders projection', () => {
  const tmp = tempDir('orders');
  const file = join(tmp.dir, 'events.jsonl');
  const generator = createGenerator({ seed: 'orders' });
  // Enough sessions that checkouts, failed payments and retries all occur.
  const sessions = ['1', '2', '3', '4', '5'].flatMap((p) => {
    const stream = generator.stream(p);
    return Array.from({ length: 12 }, () => stream.nextSession());
  });
  const expected = ordersOf(sessions);
  let s: RunningReplaySidecar;

  before(async () => {
    s = await startReplaySidecar({ port: 0, store: file, log: () => {} });
  });
  after(async () => {
    await s?.close(1000);
    tmp.remove();
  });

  it('has the data to test: orders, paid and unpaid, payment retries', () => {
    const all = [...expected.values()];
    assert.ok(all.length >= 10, `${all.length} orders`);
    assert.ok(all.some((o) => o.paid) && all.some((o) => !o.paid));
    assert.ok(all.some((o) => o.payment_attempts > 1), 'a failed payment followed by a retry');
  });

  it('follows the appends live: totals equal the checkout totals, paid matches a successful payment', async () => {
    // Half the sessions event by event, half as batches.
    for (const [i, session] of sessions.entries()) {
      if (i % 2 === 0) {
        for (const e of session) assert.equal((await postEvent(s.url, e)).status, 201);
      } else {
        assert.equal((await postSession(s.url, session)).status, 201);
      }
    }
    for (const o of expected.values()) {
      const a = await call(`${s.url}/projections/orders/${o.order_id}`);
      assert.equal(a.status, 200, a.text);
      const got = a.body.order;
      assert.equal(got.total, o.total, `total of ${o.order_id}`);
      assert.equal(got.paid, o.paid, `paid of ${o.order_id}`);
      assert.equal(got.payment_attempts, o.payment_attempts);
      assert.equal(got.session_id, o.session_id);
      assert.deepEqual(got.items, o.items);
      assert.equal(got.paid_at === null, !o.paid);
    }
    const list = await call(`${s.url}/projections/orders?limit=10000`);
    assert.equal(list.body.total_orders, expected.size);
    assert.equal(list.body.skipped_events, 0);
    assert.deepEqual(new Set(list.body.orders.map((o: any) => o.order_id)), new Set(expected.keys()));
    const paid = await call(`${s.url}/projections/orders?limit=10000&paid=true`);
    assert.equal(paid.body.count, [...expected.values()].filter((o) => o.paid).length);
    const first = [...expected.values()][0]!;
    const bySession = await call(`${s.url}/projections/orders?session_id=${first.session_id}`);
    assert.ok(bySession.body.orders.every((o: any) => o.session_id === first.session_id) && bySession.body.count >= 1);
    assert.equal((await call(`${s.url}/projections/orders?limit=2`)).body.count, 2);
  });

  it('a retried payment is not counted twice (idempotent append)', async () => {
    const session = sessions.find((ss) => ss.some((e) => e.event_type === 'payment'))!;
    const payment = session.find((e) => e.event_type === 'payment')!;
    const orderId = (payment.payload as PaymentPayload).order_id;
    const before = (await call(`${s.url}/projections/orders/${orderId}`)).body.order.payment_attempts;
    assert.equal((await postEvent(s.url, payment)).status, 200);
    assert.equal((await call(`${s.url}/projections/orders/${orderId}`)).body.order.payment_attempts, before);
  });

  it('404 for an unknown order; rebuilt the same from the file by a new sidecar', async () => {
    const unknown = await call(`${s.url}/projections/orders/00000000-0000-4000-8000-000000000000`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'ORDER_NOT_FOUND');
    const now = (await call(`${s.url}/projections/orders?limit=10000`)).body;
    await s.close(1000);
    s = await startReplaySidecar({ port: 0, store: file, log: () => {} });
    const reloaded = (await call(`${s.url}/projections/orders?limit=10000`)).body;
    assert.deepEqual(reloaded.orders, now.orders);
    assert.equal(reloaded.projection_position, now.projection_position);
  });

  it('passes over hand-made checkout/payment events that do not fit, without stopping', async () => {
    const store = new InMemoryEventStore();
    const projection = createOrdersProjection(store);
    await projection.startLive();
    await store.appendToStream('x', [{ type: 'checkout', data: { payload: null } }]);
    await store.appendToStream('x', [{ type: 'payment', data: { payload: { order_id: 'unknown' } } }]);
    await store.appendToStream('x', [{ type: 'checkout', data: 'not an object' }]);
    await store.appendToStream('y', [{ type: 'checkout', data: { session_id: 's', payload: { order_id: 'o1', total: '1.00', items: [] } } }]);
    await store.appendToStream('y', [{ type: 'payment', data: { payload: { order_id: 'o1', status: 'failed', method: 'card' } } }]);
    assert.equal(projection.state.skipped, 3);
    assert.equal(projection.position, 5);
    const order = projection.state.orders.get('o1')!;
    assert.equal(order.paid, false);
    assert.equal(order.payment_attempts, 1);
    assert.equal(order.payment_method, 'card');
  });
});
