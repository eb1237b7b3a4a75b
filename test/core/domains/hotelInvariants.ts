import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type { AnyEvent } from './domainInvariants.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const HOTEL_DIR = fileURLToPath(new URL('../../../domains/hotel/', import.meta.url));

/** Which OpenAPI schema each hotel event's payload must match (as the domain file says). */
const SCHEMA_OF: Record<string, string> = {
  visit_started: 'VisitStarted', rooms_searched: 'RoomsSearched', room_held: 'RoomHeld', hold_released: 'HoldReleased',
  booking_confirmed: 'BookingConfirmed', booking_cancelled: 'BookingCancelled', visit_ended: 'VisitEnded',
};

/** Validators of the shipped OpenAPI file, read independently of the domain loader. */
function openApiValidators(): Map<string, (v: unknown) => boolean> {
  const doc = parseYaml(readFileSync(HOTEL_DIR + 'hotel.openapi.yaml', 'utf8')) as { components: { schemas: Record<string, object> } };
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const out = new Map<string, (v: unknown) => boolean>();
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    // The file's schemas are closed here: a payload field the OpenAPI file does not list is an error.
    const v = ajv.compile({ ...schema, additionalProperties: false });
    out.set(name, (x) => {
      const ok = v(x) as boolean;
      if (!ok) assert.fail(`payload ${JSON.stringify(x)} does not match ${name}: ${ajv.errorsText(v.errors)}`);
      return ok;
    });
  }
  return out;
}

let validators: Map<string, (v: unknown) => boolean> | undefined;

export interface HotelSessionSummary {
  readonly holds: number;
  readonly confirmed: number;
  readonly released: number;
  readonly cancelled: number;
  readonly withFee: number;
}

/**
 * Checks the hotel's rules on one session: every payload matches its schema in the shipped
 * OpenAPI file; a Booking stream starts with room_held, whose total is nights x nightly rate
 * and whose stay is the search just before it; a booking is confirmed or released only while
 * held, cancelled only once confirmed, and nothing follows a release or a cancellation; a
 * confirmation charges the hold's total; a cancellation refunds what was charged minus a fee
 * (refund + fee = charged); visit_ended counts the confirmed bookings and the open holds.
 */
export function assertHotelSession(session: readonly AnyEvent[]): HotelSessionSummary {
  validators ??= openApiValidators();
  const bookings = new Map<string, { status: string; total: number; paid: number }>();
  let search: AnyEvent['payload'] | null = null;
  let released = 0;
  let cancelled = 0;
  let confirmed = 0;
  let withFee = 0;
  for (const e of session) {
    const p = e.payload;
    validators.get(SCHEMA_OF[e.event_type]!)!(p);
    if (e.aggregate_type === 'GuestVisit') {
      if (e.event_type === 'visit_started') assert.equal(p.guest_id, e.user_id);
      if (e.event_type === 'rooms_searched') search = p;
      continue;
    }
    assert.equal(e.aggregate_type, 'Booking');
    assert.equal(p.booking_id, e.aggregate_id);
    const b = bookings.get(e.aggregate_id);
    switch (e.event_type) {
      case 'room_held':
        assert.equal(b, undefined, 'a booking starts with its hold');
        assert.equal(e.stream_version, 1);
        assert.ok(search !== null, 'a hold follows a search');
        assert.deepEqual([p.city, p.check_in, p.nights, p.guests], [search.city, search.check_in, search.nights, search.guests], 'the hold is for the stay searched');
        assert.equal(p.total_cents, p.nights * p.nightly_rate_cents, 'total = nights x nightly rate');
        bookings.set(e.aggregate_id, { status: 'held', total: p.total_cents, paid: 0 });
        break;
      case 'booking_confirmed':
        assert.equal(b?.status, 'held', 'only a held room is confirmed');
        assert.equal(p.amount_cents, b!.total, 'the confirmation charges the hold total');
        b!.status = 'confirmed';
        b!.paid = p.amount_cents;
        confirmed++;
        break;
      case 'hold_released':
        assert.equal(b?.status, 'held', 'only a hold is released');
        b!.status = 'released';
        released++;
        break;
      case 'booking_cancelled':
        assert.equal(b?.status, 'confirmed', 'only a confirmed booking is cancelled');
        assert.equal(p.refund_cents + p.fee_cents, b!.paid, 'refund + fee = what was charged');
        assert.ok(p.refund_cents >= 0 && p.fee_cents >= 0 && p.refund_cents <= b!.paid);
        if (p.fee_cents > 0) withFee++;
        b!.status = 'cancelled';
        cancelled++;
        break;
      default:
        assert.fail(`unexpected ${e.event_type} on a booking`);
    }
  }
  const end = session[session.length - 1]!.payload;
  const statuses = [...bookings.values()].map((b) => b.status);
  assert.equal(end.confirmed_bookings, statuses.filter((s) => s === 'confirmed').length);
  assert.equal(end.open_holds, statuses.filter((s) => s === 'held').length);
  return { holds: bookings.size, confirmed, released, cancelled, withFee };
}
