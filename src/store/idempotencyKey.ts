import type { EventToAppend } from './storedEvent.js';

/**
 * The idempotency key of an event to append: its explicit `idempotencyKey`, else
 * `data.event_id` when that is a string (the UUID of a generated mockjutsu event), else none.
 *
 * @throws TypeError when an explicit key is not a non-empty string.
 */
export function idempotencyKeyOf(event: EventToAppend): string | undefined {
  const explicit = event.idempotencyKey;
  if (explicit === null) return undefined;
  if (explicit !== undefined) {
    if (typeof explicit !== 'string' || explicit.length === 0) {
      throw new TypeError(`idempotencyKey must be a non-empty string or null; got ${JSON.stringify(explicit)}`);
    }
    return explicit;
  }
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const eventId = (data as { readonly event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && eventId.length > 0) return eventId;
  }
  return undefined;
}
