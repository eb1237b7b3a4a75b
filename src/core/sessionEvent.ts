// The typed view of the shop's events (src/core/domains/shopDomain.ts: its payload schemas and
// field bindings are the source; these types describe what they emit). Other domains' events
// are SessionEvent<unknown> with their own envelope names: see docs/domains.md.

/** Payload of `login`. */
export interface LoginPayload { auth_method: string; ip: string; user_agent: string; }
/** Payload of `page_view`. `referrer` is null for a direct visit; a cart page only with a non-empty cart. */
export interface PageViewPayload { url: string; referrer: string | null; page_type: 'home' | 'category' | 'product' | 'cart'; }
/** Payload of `search`. */
export interface SearchPayload { query: string; result_count: number; }
/** Payload of `add_to_cart`; money is a decimal string with two places. */
export interface AddToCartPayload { sku: string; name: string; quantity: number; unit_price: string; currency: string; }
/** Payload of `remove_from_cart`: a whole line of the cart goes, its sku and quantity. */
export interface RemoveFromCartPayload { sku: string; quantity: number; }
/** One line of a checkout. */
export interface OrderItem { sku: string; name: string; quantity: number; unit_price: string; }
/** Payload of `checkout`: the cart's lines; `total` = sum of quantity x unit_price (integer cents), `item_count` = sum of quantities. */
export interface CheckoutPayload { order_id: string; items: OrderItem[]; item_count: number; total: string; currency: string; }
/** How a payment was made. */
export type PaymentMethod = 'card' | 'paypal' | 'apple_pay' | 'google_pay' | 'bank_transfer';
/** Why a payment failed. */
export type PaymentFailureReason = 'card_declined' | 'insufficient_funds' | 'expired_card' | 'authentication_failed' | 'processor_timeout';
interface PaymentFields {
  /** The open order's id (its checkout's `order_id`). */
  order_id: string;
  /** Equals the checkout's `total`. */
  amount: string;
  currency: string;
  method: PaymentMethod;
  /** 1, 2... per order: a failed payment may be retried. */
  attempt: number;
}
/** Payload of `payment`: `failure_reason` only when it failed (the payment's outcome is its status). */
export type PaymentPayload =
  | PaymentFields & { status: 'success'; failure_reason?: never }
  | PaymentFields & { status: 'failed'; failure_reason: PaymentFailureReason };
/** Payload of `logout`: `max_steps` when the session was cut at the chain's step cap. */
export interface LogoutPayload { reason: 'user' | 'timeout' | 'max_steps'; session_duration_ms: number; }

/**
 * Payload of an event of a model's state the shop has no event for: `{ outcome }` when the
 * state has more than one outcome, `{}` otherwise.
 */
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
  /** One of the chain's states. */
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
