/** Payload of `login`. */
export interface LoginPayload { auth_method: string; ip: string; user_agent: string; }
/** Payload of `page_view`. `referrer` is null for a direct visit. */
export interface PageViewPayload { url: string; referrer: string | null; page_type: string; }
/** Payload of `search`. */
export interface SearchPayload { query: string; result_count: number; }
/** Payload of `add_to_cart`; money is a decimal string with two places. */
export interface AddToCartPayload { sku: string; name: string; quantity: number; unit_price: string; currency: string; }
/** Payload of `remove_from_cart`: only a sku in the cart, never more than it holds. */
export interface RemoveFromCartPayload { sku: string; quantity: number; }
/** One line of a checkout. */
export interface OrderItem { sku: string; name: string; quantity: number; unit_price: string; }
/** Payload of `checkout`: `total` = sum of quantity x unit_price, computed in integer cents. */
export interface CheckoutPayload { order_id: string; items: OrderItem[]; item_count: number; total: string; currency: string; }
/** Payload of `payment`: `amount` equals the checkout's `total`. */
export interface PaymentPayload {
  order_id: string; amount: string; currency: string; method: string; status: 'success' | 'failed'; attempt: number;
  failure_reason?: string;
}
/** Payload of `logout`. */
export interface LogoutPayload { reason: string; session_duration_ms: number; }

/** Payload of an event of a custom model state (carries the outcome drawn, if the state has outcomes). */
export interface CustomPayload { outcome?: string; }

export type EventPayload =
  | LoginPayload | PageViewPayload | SearchPayload | AddToCartPayload | RemoveFromCartPayload
  | CheckoutPayload | PaymentPayload | LogoutPayload | CustomPayload;

/**
 * One event of a session, field order as in the event contract. Its JSON text is what every
 * surface emits (`JSON.stringify(event)` gives the same bytes as the core's serializer).
 */
export interface SessionEvent<P = EventPayload> {
  /** UUID (v4 layout) drawn from the seeded PRNG. */
  event_id: string;
  /** One of the model's states. */
  event_type: string;
  /** `${aggregate_type}-${aggregate_id}`: one stream per session. */
  stream_id: string;
  aggregate_type: string;
  aggregate_id: string;
  /** 1..n within the stream; append event n with expected version n-1. */
  stream_version: number;
  /** 1, 2, 3 ... across everything one generator instance emits. */
  global_position: number;
  correlation_id: string;
  /** `event_id` of the previous event of the session; null for the first. */
  causation_id: string | null;
  session_id: string;
  user_id: string;
  /** ISO-8601 UTC with milliseconds; strictly increasing within a session. */
  timestamp: string;
  schema_version: number;
  payload: P;
}

/** A session: one user's journey, login first and logout last. */
export type Session = SessionEvent[];

/** Version of the event contract this build emits. */
export const SCHEMA_VERSION = 1;
