import { Projection, type EventStore, type StoredEvent } from '../store/index.js';

/** One order of the read model, folded from a session's `checkout` and `payment` events. */
export interface OrderView {
  order_id: string;
  session_id: string | null;
  stream_id: string;
  user_id: string | null;
  /** The checkout's lines, as generated. */
  items: unknown[];
  item_count: number | null;
  /** Decimal string with two places, as in the checkout. */
  total: string;
  currency: string | null;
  /** True once a payment with status `success` was stored. */
  paid: boolean;
  /** Payments stored for this order (failed ones included). */
  payment_attempts: number;
  /** Method of the last payment; null before any. */
  payment_method: string | null;
  /** The checkout's timestamp. */
  checked_out_at: string | null;
  /** Timestamp of the successful payment; null while unpaid. */
  paid_at: string | null;
  /** Global position of the last event that changed this order. */
  position: number;
}

/** State of the orders projection. */
export interface OrdersState {
  /** Orders by id, in checkout order. */
  readonly orders: Map<string, OrderView>;
  /** Checkout or payment events passed over because their data did not fit (a hand-made event, a payment of an unknown order). */
  skipped: number;
}

type EventData = Record<string, unknown>;

function payloadOf(event: StoredEvent): { data: EventData; payload: EventData } | undefined {
  const data = event.data as EventData | null;
  if (typeof data !== 'object' || data === null) return undefined;
  const payload = data['payload'] as EventData | null | undefined;
  if (typeof payload !== 'object' || payload === null) return undefined;
  return { data, payload };
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The orders read model: a {@link Projection} over the store's global log. Handlers never
 * throw (a throwing handler would stop the projection on that event for good): data that
 * does not fit is counted in `skipped`.
 */
export function createOrdersProjection(store: Pick<EventStore, 'readAll' | 'subscribe'>): Projection<OrdersState> {
  return new Projection<OrdersState>(store, { name: 'orders', initialState: () => ({ orders: new Map(), skipped: 0 }) })
    .when('checkout', (state, event) => {
      const parts = payloadOf(event);
      const orderId = parts ? text(parts.payload['order_id']) : null;
      const total = parts ? text(parts.payload['total']) : null;
      if (!parts || orderId === null || total === null || state.orders.has(orderId)) {
        state.skipped++;
        return;
      }
      const { data, payload } = parts;
      const items = payload['items'];
      const count = payload['item_count'];
      state.orders.set(orderId, {
        order_id: orderId,
        session_id: text(data['session_id']),
        stream_id: event.stream_id,
        user_id: text(data['user_id']),
        items: Array.isArray(items) ? items : [],
        item_count: typeof count === 'number' ? count : null,
        total,
        currency: text(payload['currency']),
        paid: false,
        payment_attempts: 0,
        payment_method: null,
        checked_out_at: text(data['timestamp']),
        paid_at: null,
        position: event.global_position,
      });
    })
    .when('payment', (state, event) => {
      const parts = payloadOf(event);
      const orderId = parts ? text(parts.payload['order_id']) : null;
      const order = orderId === null ? undefined : state.orders.get(orderId);
      if (!parts || order === undefined) {
        state.skipped++;
        return;
      }
      order.payment_attempts++;
      order.payment_method = text(parts.payload['method']) ?? order.payment_method;
      if (parts.payload['status'] === 'success' && !order.paid) {
        order.paid = true;
        order.paid_at = text(parts.data['timestamp']);
      }
      order.position = event.global_position;
    });
}
