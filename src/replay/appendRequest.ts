import type { IncomingHttpHeaders } from 'node:http';
import {
  NO_CONCURRENCY_CHECK,
  STREAM_DOES_NOT_EXIST,
  STREAM_EXISTS,
  type EventToAppend,
  type ExpectedStreamVersion,
} from '../store/index.js';
import { HttpError, describeValue } from '../sidecar/index.js';
import type { CompiledDomain } from '../core/domain/compileDomain.js';
import { envelopeNames } from '../core/domain/envelopeAccess.js';
import { builtInDomain } from '../core/domains/index.js';

/** The expected-version names a request may use, and the store constants they stand for. */
export const EXPECTED_VERSION_NAMES: Readonly<Record<string, ExpectedStreamVersion>> = Object.freeze({
  no_stream: STREAM_DOES_NOT_EXIST,
  any: NO_CONCURRENCY_CHECK,
  stream_exists: STREAM_EXISTS,
});

const NAME_OF_CONSTANT: Readonly<Record<string, string>> = Object.freeze({
  [STREAM_DOES_NOT_EXIST]: 'no_stream',
  [NO_CONCURRENCY_CHECK]: 'any',
  [STREAM_EXISTS]: 'stream_exists',
});

/** How an expected version is written in answers: the number, or its request name. */
export function expectedVersionName(expected: ExpectedStreamVersion): number | string {
  return typeof expected === 'number' ? expected : NAME_OF_CONSTANT[expected] ?? expected;
}

/** What a `POST /streams/:id` asks for. */
export interface AppendRequest {
  readonly events: readonly EventToAppend[];
  /** Undefined: no check (`any`). */
  readonly expected: ExpectedStreamVersion | undefined;
  /** True when the body was an array or `events`: the answer reports a batch. */
  readonly batch: boolean;
}

const MAX_EVENT_ID_LENGTH = 256;
const ALLOWED = 'a number >= 0, "no_stream", "any" or "stream_exists"';

// attacker input: never JSON.stringify it without a depth guard
const show = (value: unknown): string => describeValue(value, 80);

function badVersion(source: string, value: unknown): HttpError {
  return new HttpError(400, 'INVALID_EXPECTED_VERSION', `${source} is ${show(value)}; allowed: ${ALLOWED}${source === 'If-Match' ? ' (or * for stream_exists)' : ''}`);
}

/**
 * Parses an expected version from the body's `expected_version` (a number or a name) or the
 * `If-Match` header (digits, a name, `*` = the stream exists; ETag quotes are accepted).
 */
export function parseExpectedVersion(value: unknown, source: 'expected_version' | 'If-Match'): ExpectedStreamVersion {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw badVersion(source, value);
  }
  if (typeof value !== 'string') throw badVersion(source, value);
  let text = value.trim();
  if (source === 'If-Match') {
    if (text === '*') return STREAM_EXISTS;
    if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  }
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const named = Object.hasOwn(EXPECTED_VERSION_NAMES, text.toLowerCase()) ? EXPECTED_VERSION_NAMES[text.toLowerCase()] : undefined;
  if (named === undefined) throw badVersion(source, value);
  return named;
}

/** Where the replay target reads the envelope of the events of each served domain. */
export interface EnvelopeReader {
  readonly domain: CompiledDomain;
  readonly eventType: string;
  readonly eventId: string | undefined;
  readonly streamId: string | undefined;
  /** The domain's event types. */
  readonly types: ReadonlySet<string>;
}

const readers = new WeakMap<readonly CompiledDomain[], EnvelopeReader[]>();

/** The envelope readers of the served domains (the shop's when none is given). */
export function envelopeReaders(domains: readonly CompiledDomain[] = [builtInDomain('shop')]): EnvelopeReader[] {
  let r = readers.get(domains);
  if (r === undefined) {
    r = domains.map((domain) => {
      const names = envelopeNames(domain);
      return { domain, eventType: names.event_type!, eventId: names.event_id, streamId: names.stream_id, types: new Set(domain.events.map((e) => e.name)) };
    });
    readers.set(domains, r);
  }
  return r;
}

/**
 * The domain an event belongs to: the first served domain whose event type field holds one of
 * its event types, else the first whose event type field the event has (an event type the
 * domain does not generate is still stored: the target is a store, not a validator).
 */
function readerOf(event: Record<string, unknown>, all: readonly EnvelopeReader[]): EnvelopeReader | undefined {
  let byField: EnvelopeReader | undefined;
  for (const r of all) {
    if (!Object.hasOwn(event, r.eventType)) continue;
    const t = event[r.eventType];
    if (typeof t === 'string' && r.types.has(t)) return r;
    byField ??= r;
  }
  return byField;
}

function fieldsText(all: readonly EnvelopeReader[]): string {
  const names = [...new Set(all.map((r) => r.eventType))];
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]} (by domain: ${all.map((r) => `${r.domain.name} ${r.eventType}`).join(', ')})`;
}

/** True when `body` is a generated event of one of the domains (not a request envelope). */
function isEvent(body: object, all: readonly EnvelopeReader[]): boolean {
  return all.some((r) => r.eventType in body);
}

/** One generated event of the body, checked and wrapped for the store (type = its event type, data = the event), read through its domain's envelope. */
function toEventToAppend(value: unknown, streamId: string, where: string, all: readonly EnvelopeReader[]): EventToAppend {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'INVALID_EVENT', `${where} is ${show(value)}; expected a generated event (a JSON object with event_id and ${fieldsText(all)})`);
  }
  const event = value as Record<string, unknown>;
  const r = readerOf(event, all);
  if (r === undefined) {
    throw new HttpError(400, 'INVALID_EVENT', `${where} has no ${fieldsText(all)}; expected a generated event of a served domain (${all.map((x) => x.domain.name).join(', ')})`);
  }
  const type = event[r.eventType];
  if (typeof type !== 'string' || type.length === 0 || type.length > 256) {
    throw new HttpError(400, 'INVALID_EVENT', `${where}.${r.eventType} is ${show(type)}; expected a non-empty string (the event type) of at most 256 characters`);
  }
  let idempotencyKey: string | null = null;
  if (r.eventId !== undefined) {
    const id = event[r.eventId];
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_EVENT_ID_LENGTH) {
      throw new HttpError(400, 'INVALID_EVENT', `${where}.${r.eventId} is ${show(id)}; expected a non-empty string of at most ${MAX_EVENT_ID_LENGTH} characters (the event's UUID, its idempotency key)`);
    }
    idempotencyKey = id;
  }
  const own = r.streamId === undefined ? undefined : event[r.streamId];
  if (own !== undefined && own !== streamId) {
    throw new HttpError(400, 'STREAM_ID_MISMATCH', `${where}.${r.streamId} is ${show(own)} but it was posted to stream ${show(streamId)}; post each event to /streams/<its ${r.streamId}> (percent-encoded)`);
  }
  return { type, data: event, idempotencyKey };
}

/**
 * Reads a `POST /streams/:id` body and headers: one event, an array of events (one atomic
 * batch), or `{ "expected_version": n, "event": {...} }` / `{ "expected_version": n, "events": [...] }`;
 * the expected version from the body or the `If-Match` header (both: they must agree).
 *
 * @throws HttpError 400 naming what is wrong.
 */
export function parseAppendRequest(body: unknown, headers: IncomingHttpHeaders, streamId: string, readers: readonly EnvelopeReader[] = envelopeReaders()): AppendRequest {
  let items: unknown[];
  let batch: boolean;
  let fromBody: ExpectedStreamVersion | undefined;
  if (Array.isArray(body)) {
    items = body;
    batch = true;
  } else if (typeof body === 'object' && body !== null && !isEvent(body, readers) && ('event' in body || 'events' in body)) {
    const envelope = body as Record<string, unknown>;
    const unknown = Object.keys(envelope).find((k) => k !== 'event' && k !== 'events' && k !== 'expected_version');
    if (unknown !== undefined) {
      throw new HttpError(400, 'BAD_REQUEST', `unknown field ${show(unknown)} in the request envelope; allowed: expected_version and one of event, events`);
    }
    if ('event' in envelope && 'events' in envelope) {
      throw new HttpError(400, 'BAD_REQUEST', 'the request envelope has both event and events; give one');
    }
    if ('events' in envelope) {
      if (!Array.isArray(envelope['events'])) throw new HttpError(400, 'BAD_REQUEST', `events is ${show(envelope['events'])}; expected an array of events`);
      items = envelope['events'];
      batch = true;
    } else {
      items = [envelope['event']];
      batch = false;
    }
    if (envelope['expected_version'] !== undefined) fromBody = parseExpectedVersion(envelope['expected_version'], 'expected_version');
  } else {
    items = [body];
    batch = false;
  }
  if (items.length === 0) throw new HttpError(400, 'BAD_REQUEST', 'the batch is empty; post at least one event');

  const header = headers['if-match'];
  const fromHeader = header === undefined ? undefined : parseExpectedVersion(header, 'If-Match');
  if (fromBody !== undefined && fromHeader !== undefined && fromBody !== fromHeader) {
    throw new HttpError(400, 'INVALID_EXPECTED_VERSION', `expected_version ${show(expectedVersionName(fromBody))} and If-Match ${show(header)} disagree; give one, or the same value in both`);
  }
  const events = items.map((item, i) => toEventToAppend(item, streamId, batch ? `events[${i}]` : 'the event', readers));
  const seen = new Map<string, number>();
  events.forEach((event, i) => {
    const key = event.idempotencyKey;
    if (typeof key !== 'string') return;
    const first = seen.get(key);
    if (first !== undefined) throw new HttpError(400, 'INVALID_EVENT', `events[${first}] and events[${i}] have the same event id ${show(key)}; every event of a batch needs its own`);
    seen.set(key, i);
  });
  return { events, expected: fromBody ?? fromHeader, batch };
}
