import type {
  AddToCartPayload, CheckoutPayload, LoginPayload, LogoutPayload, PageViewPayload, PaymentPayload,
  RemoveFromCartPayload, SearchPayload, SessionEvent,
} from './sessionEvent.js';

// Every string the core puts in an event is safe to wrap in quotes as is: ids are generated,
// names are validated against /^[A-Za-z][A-Za-z0-9_.-]*$/, and the faker slice is checked at
// build time to hold no character JSON would escape. So no per-string escape check (it cost
// a quarter of the serializer's time); custom payloads go through JSON.stringify.
function q(s: string): string {
  return '"' + s + '"';
}

function qn(s: string | null): string {
  return s === null ? 'null' : '"' + s + '"';
}

type PayloadWriter = (p: any) => string;

// Key order here must match the object literals in sessionSimulator.ts.
const PAYLOAD_WRITERS: Record<string, PayloadWriter> = {
  login: (p: LoginPayload) => '{"auth_method":' + q(p.auth_method) + ',"ip":' + q(p.ip) + ',"user_agent":' + q(p.user_agent) + '}',
  page_view: (p: PageViewPayload) => '{"url":' + q(p.url) + ',"referrer":' + qn(p.referrer) + ',"page_type":' + q(p.page_type) + '}',
  search: (p: SearchPayload) => '{"query":' + q(p.query) + ',"result_count":' + p.result_count + '}',
  add_to_cart: (p: AddToCartPayload) =>
    '{"sku":' + q(p.sku) + ',"name":' + q(p.name) + ',"quantity":' + p.quantity + ',"unit_price":' + q(p.unit_price) + ',"currency":' + q(p.currency) + '}',
  remove_from_cart: (p: RemoveFromCartPayload) => '{"sku":' + q(p.sku) + ',"quantity":' + p.quantity + '}',
  checkout: (p: CheckoutPayload) => {
    let items = '';
    for (let i = 0; i < p.items.length; i++) {
      const it = p.items[i]!;
      items += (i === 0 ? '{"sku":' : ',{"sku":') + q(it.sku) + ',"name":' + q(it.name) + ',"quantity":' + it.quantity + ',"unit_price":' + q(it.unit_price) + '}';
    }
    return '{"order_id":' + q(p.order_id) + ',"items":[' + items + '],"item_count":' + p.item_count + ',"total":' + q(p.total) + ',"currency":' + q(p.currency) + '}';
  },
  payment: (p: PaymentPayload) =>
    '{"order_id":' + q(p.order_id) + ',"amount":' + q(p.amount) + ',"currency":' + q(p.currency) + ',"method":' + q(p.method) +
    ',"status":' + q(p.status) + ',"attempt":' + p.attempt + (p.failure_reason === undefined ? '}' : ',"failure_reason":' + q(p.failure_reason) + '}'),
  logout: (p: LogoutPayload) => '{"reason":' + q(p.reason) + ',"session_duration_ms":' + p.session_duration_ms + '}',
};

/**
 * JSON text of one event the core built, equal to `JSON.stringify(event)` and several times
 * faster (schema-compiled by hand, as fast-json-stringify would). For events changed or made
 * elsewhere use `JSON.stringify`: this skips escaping on purpose.
 */
export function serializeEvent(e: SessionEvent): string {
  if (e.session_id !== cachedSession || e.stream_id !== cachedStream || e.user_id !== cachedUser || e.correlation_id !== cachedCorrelation || e.aggregate_type !== cachedAggregateType) {
    cacheSession(e);
  }
  const writer = PAYLOAD_WRITERS[e.event_type];
  return (
    '{"event_id":"' + e.event_id +
    '","event_type":"' + e.event_type +
    streamSegment + e.stream_version +
    ',"global_position":' + e.global_position +
    correlationSegment +
    (e.causation_id === null ? 'null' : '"' + e.causation_id + '"') +
    sessionSegment + e.timestamp +
    '","schema_version":' + e.schema_version +
    ',"payload":' + (writer === undefined ? JSON.stringify(e.payload) : writer(e.payload)) + '}'
  );
}

// The envelope fields that stay the same through a session are joined once per session into
// flat segments, so an event is ~20 pieces instead of ~40 (fewer concatenations to flatten).
let cachedSession: string | undefined;
let cachedStream: string | undefined;
let cachedUser: string | undefined;
let cachedCorrelation: string | undefined;
let cachedAggregateType: string | undefined;
let streamSegment = '';
let correlationSegment = '';
let sessionSegment = '';

function flat(s: string): string {
  s.charCodeAt(0); // forces V8 to flatten the rope once, here, rather than on every write
  return s;
}

function cacheSession(e: SessionEvent): void {
  cachedSession = e.session_id;
  cachedStream = e.stream_id;
  cachedUser = e.user_id;
  cachedCorrelation = e.correlation_id;
  cachedAggregateType = e.aggregate_type;
  streamSegment = flat('","stream_id":"' + e.stream_id + '","aggregate_type":"' + e.aggregate_type + '","aggregate_id":"' + e.aggregate_id + '","stream_version":');
  correlationSegment = flat(',"correlation_id":"' + e.correlation_id + '","causation_id":');
  sessionSegment = flat(',"session_id":"' + e.session_id + '","user_id":"' + e.user_id + '","timestamp":"');
}

/** JSON text of a session (an array of events), equal to `JSON.stringify(session)`. */
export function serializeSession(session: readonly SessionEvent[]): string {
  let s = '[';
  for (let i = 0; i < session.length; i++) s += (i === 0 ? '' : ',') + serializeEvent(session[i]!);
  return s + ']';
}
