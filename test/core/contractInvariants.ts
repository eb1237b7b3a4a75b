import assert from 'node:assert/strict';
import type { Session } from '../../src/index.js';

/** A generated event of any domain on the default envelope. */
export type AnyEvent = Record<string, any>;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CONTRACT_KEYS = ['event_id', 'event_type', 'stream_id', 'aggregate_type', 'aggregate_id', 'stream_version', 'global_position', 'correlation_id', 'causation_id', 'session_id', 'user_id', 'timestamp', 'schema_version', 'payload'];

/** What an envelope check also tracks beyond the one session. */
export interface EnvelopeChecks {
  /** Collects event ids across sessions to assert they are unique (within the session regardless). */
  readonly eventIds?: Set<string>;
  /** stream id => the session that owns it, across sessions: a stream never reappears in another session. */
  readonly streamOwner?: Map<string, string>;
  /** Every event of the session is on one stream (the shop's session stream), so its versions are 1..n. */
  readonly oneStream?: boolean;
}

/**
 * The envelope rules every session of every domain holds: one start first and one terminal last;
 * the contract's keys in order; per stream, versions 1..n without gaps; a stream belongs to one
 * aggregate instance; consecutive global positions; the causation chain; strictly increasing
 * timestamps; one correlation, session and user id per session; unique event ids.
 */
export function assertEnvelope(session: readonly AnyEvent[], start: string, terminal: string, checks: EnvelopeChecks = {}): void {
  assert.ok(session.length >= 2, 'a session has at least its start and terminal events');
  const first = session[0]!;
  assert.equal(first.event_type, start, 'the first event is the start state');
  assert.equal(session[session.length - 1]!.event_type, terminal, 'the last event is the terminal state');
  assert.equal(session.filter((e) => e.event_type === start).length, 1, 'exactly one start event');
  assert.equal(session.filter((e) => e.event_type === terminal).length, 1, 'exactly one terminal event');
  const eventIds = checks.eventIds ?? new Set<string>();
  const versions = new Map<string, number>();
  let previous: AnyEvent | null = null;
  for (let i = 0; i < session.length; i++) {
    const e = session[i]!;
    assert.deepEqual(Object.keys(e), CONTRACT_KEYS);
    assert.match(e.event_id, UUID_V4);
    assert.ok(!eventIds.has(e.event_id), `duplicate event_id ${e.event_id}`);
    eventIds.add(e.event_id);
    if (checks.oneStream) assert.equal(e.stream_id, first.stream_id, 'a session is one stream');
    if (checks.streamOwner) {
      const owner = checks.streamOwner.get(e.stream_id);
      if (owner === undefined) checks.streamOwner.set(e.stream_id, e.session_id);
      else assert.equal(owner, e.session_id, `stream ${e.stream_id} appears in two sessions`);
    }
    const v = (versions.get(e.stream_id) ?? 0) + 1;
    assert.equal(e.stream_version, v, `${e.stream_id}: versions run 1..n without gaps`);
    versions.set(e.stream_id, v);
    assert.equal(e.stream_id, `${e.aggregate_type}-${e.aggregate_id}`);
    assert.equal(e.global_position, first.global_position + i, 'global positions are consecutive');
    assert.equal(e.correlation_id, first.correlation_id);
    assert.equal(e.session_id, first.session_id);
    assert.equal(e.user_id, first.user_id);
    assert.equal(e.schema_version, 1);
    assert.match(e.timestamp, ISO_MS);
    assert.equal(e.causation_id, previous === null ? null : previous.event_id, 'causation chain');
    if (previous !== null) assert.ok(Date.parse(e.timestamp) > Date.parse(previous.timestamp), 'timestamps strictly increase');
    assert.equal(typeof e.payload, 'object');
    previous = e;
  }
}

function cents(money: string): number {
  assert.match(money, /^\d+\.\d{2}$/, `money ${money} must have two decimals`);
  const [w, f] = money.split('.');
  return Number(w) * 100 + Number(f);
}

/**
 * Checks every rule of the event contract on one shop session (shared by the core, CLI, sidecar,
 * k6 and JMeter tests): the envelope on one stream, then the shop's payload rules.
 * `seenEventIds` collects ids across sessions to assert uniqueness.
 */
export function assertSessionContract(session: Session, seenEventIds?: Set<string>, start = 'login', terminal = 'logout'): void {
  assertEnvelope(session, start, terminal, { eventIds: seenEventIds, oneStream: true });
  const first = session[0]!;
  const cart = new Map<string, number>(); // sku -> quantity
  const prices = new Map<string, number>();
  let order: { id: string; total: number; attempts: number; currency: string } | null = null;
  for (let i = 0; i < session.length; i++) {
    const e = session[i]!;
    const p = e.payload as any;
    switch (e.event_type) {
      case 'login':
        assert.deepEqual(Object.keys(p), ['auth_method', 'ip', 'user_agent']);
        assert.ok(typeof p.auth_method === 'string' && typeof p.user_agent === 'string');
        assert.match(p.ip, /^\d{1,3}(\.\d{1,3}){3}$/);
        break;
      case 'page_view':
        assert.deepEqual(Object.keys(p), ['url', 'referrer', 'page_type']);
        assert.ok(['home', 'category', 'product', 'cart'].includes(p.page_type));
        assert.match(p.url, p.page_type === 'cart' ? /\/cart$/ : p.page_type === 'home' ? /\/$/ : p.page_type === 'category' ? /\/c\/[a-z0-9-]+$/ : /\/p\/SKU-\d+$/);
        if (p.page_type === 'cart') assert.ok(cart.size > 0, 'the cart page is viewed only with a non-empty cart');
        assert.ok(p.referrer === null || /^https?:\/\//.test(p.referrer));
        break;
      case 'search':
        assert.deepEqual(Object.keys(p), ['query', 'result_count']);
        assert.ok(typeof p.query === 'string' && p.query.length > 0);
        assert.ok(Number.isInteger(p.result_count) && p.result_count >= 0);
        break;
      case 'logout':
        assert.deepEqual(Object.keys(p), ['reason', 'session_duration_ms']);
        assert.ok(['user', 'timeout', 'max_steps'].includes(p.reason));
        assert.equal(p.session_duration_ms, Date.parse(e.timestamp) - Date.parse(first.timestamp), 'session duration = logout time - login time');
        break;
      case 'add_to_cart': {
        assert.deepEqual(Object.keys(p), ['sku', 'name', 'quantity', 'unit_price', 'currency']);
        assert.match(p.currency, /^[A-Z]{3}$/);
        assert.ok(Number.isInteger(p.quantity) && p.quantity >= 1);
        const price = cents(p.unit_price);
        if (prices.has(p.sku)) assert.equal(prices.get(p.sku), price, 'a sku keeps its price');
        prices.set(p.sku, price);
        cart.set(p.sku, (cart.get(p.sku) ?? 0) + p.quantity);
        order = null;
        break;
      }
      case 'remove_from_cart': {
        const held = cart.get(p.sku);
        assert.ok(held !== undefined, `removed sku ${p.sku} is in the cart`);
        assert.deepEqual(Object.keys(p), ['sku', 'quantity']);
        // The shop removes a whole cart line: never more than the cart holds, never a part.
        assert.equal(p.quantity, held, 'removes the line the cart holds');
        cart.delete(p.sku);
        order = null;
        break;
      }
      case 'checkout': {
        assert.ok(cart.size > 0, 'checkout only with a non-empty cart');
        assert.deepEqual(Object.keys(p), ['order_id', 'items', 'item_count', 'total', 'currency']);
        assert.match(p.order_id, UUID_V4);
        let total = 0;
        let count = 0;
        assert.equal(p.items.length, cart.size);
        for (const it of p.items) {
          assert.deepEqual(Object.keys(it), ['sku', 'name', 'quantity', 'unit_price']);
          count += it.quantity;
          assert.equal(cart.get(it.sku), it.quantity, 'checkout items are the cart lines');
          assert.equal(prices.get(it.sku), cents(it.unit_price));
          total += it.quantity * cents(it.unit_price);
        }
        assert.equal(cents(p.total), total, 'total = sum of quantity x unit_price');
        assert.equal(p.item_count, count, 'item_count = sum of quantities');
        order = { id: p.order_id, total, attempts: 0, currency: p.currency };
        break;
      }
      case 'payment': {
        assert.ok(order !== null, 'payment follows a checkout');
        assert.equal(p.order_id, order!.id);
        assert.equal(cents(p.amount), order!.total, 'amount = checkout total');
        assert.ok(p.status === 'success' || p.status === 'failed');
        assert.deepEqual(Object.keys(p), ['order_id', 'amount', 'currency', 'method', 'status', 'attempt', ...(p.status === 'failed' ? ['failure_reason'] : [])], 'failure_reason only on a failed payment');
        assert.equal(p.currency, order!.currency);
        assert.equal(p.attempt, ++order!.attempts, 'attempts count 1, 2, ... per order');
        if (p.status === 'success') {
          cart.clear();
          order = null;
        } else {
          const next = session[i + 1]!;
          assert.ok(next.event_type === 'payment' || next.event_type === 'logout', 'a failed payment is followed by a retry or by leaving');
        }
        break;
      }
    }
  }
}
