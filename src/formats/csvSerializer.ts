import { segmentedRow } from './envelopeSegments.js';
import { payloadTextSource } from '../core/domain/eventSerializerSource.js';
import { ENVELOPE_NUMBER_FIELDS } from '../core/domain/envelopeGroups.js';
import { resolveDomain, textChunks, type CompiledDomain, type DomainInput, type SessionEvent, type UserProfile } from '../core/index.js';

/** RFC 4180 line end. */
export const CSV_EOL = '\r\n';

/**
 * Columns of the default (shop) domain's event table, envelope first, the payload last as JSON
 * text. Another domain's: {@link eventCsvColumns}.
 */
export const EVENT_CSV_COLUMNS: readonly string[] = [
  'event_id', 'event_type', 'stream_id', 'aggregate_type', 'aggregate_id', 'stream_version', 'global_position',
  'correlation_id', 'causation_id', 'session_id', 'user_id', 'timestamp', 'schema_version', 'payload',
];

/** Columns of the user table, in `UserProfile` field order. */
export const USER_CSV_COLUMNS: readonly string[] = [
  'user_id', 'first_name', 'last_name', 'email', 'city', 'country', 'user_agent', 'preferred_auth', 'preferred_payment',
];

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One RFC 4180 field: quoted when it holds a comma, quote, CR or LF (quotes doubled).
 * `null` is an empty unquoted field and `""` a quoted empty one, so loaders such as
 * PostgreSQL's `COPY ... (FORMAT csv)` read them back as NULL and the empty string.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  if (value === '') return '""';
  return NEEDS_QUOTES.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
}

/**
 * The CSV field of a JSON text whose quotes are doubled already (payloadTextSource): quoted
 * when it holds any (as csvField would quote the JSON text), else as csvField writes it.
 */
function doubledJsonField(text: string | undefined): string {
  if (text === undefined) return '';
  return text.includes('"') ? '"' + text + '"' : csvField(text);
}

/** One CSV record, CRLF-terminated. */
export function csvRow(fields: ReadonlyArray<string | number | boolean | null | undefined>): string {
  let s = '';
  for (let i = 0; i < fields.length; i++) s += (i === 0 ? '' : ',') + csvField(fields[i]);
  return s + CSV_EOL;
}

/** The payload of an event as JSON text (`JSON.stringify(event.payload)`). */
export function payloadJson(e: SessionEvent): string {
  return JSON.stringify(e.payload);
}

/** The CSV record of one event of the default (shop) domain, columns as {@link EVENT_CSV_COLUMNS}. */
export function eventCsvRow(e: SessionEvent): string {
  return (shopRow ??= eventCsvRowWriter('shop'))(e);
}
let shopRow: ((e: object) => string) | undefined;

/**
 * The columns of a domain's event table: its envelope's fields under their names, in contract
 * order (a dropped field has no column), the payload last as JSON text.
 */
export function eventCsvColumns(domain: DomainInput = 'shop'): string[] {
  return resolveDomain(domain).envelope.map((c) => c.name);
}

const rowWriters = new WeakMap<CompiledDomain, (e: object) => string>();

/**
 * The CSV record writer of a domain's events, columns as {@link eventCsvColumns}: generated once
 * per domain (one concatenation, no loop over the columns); a stream's and a session's columns
 * are written once per run of events that share them (see segmentedRow).
 */
export function eventCsvRowWriter(domain: DomainInput = 'shop'): (event: object) => string {
  const d = resolveDomain(domain);
  let w = rowWriters.get(d);
  if (w === undefined) {
    const type = d.envelope.find((c) => c.field === 'event_type');
    const row = segmentedRow(d.envelope, ',', (x) => `C(${x})`);
    const parts = row.slots.map((s) => {
      if ('segment' in s) return s.segment;
      const v = `e[${JSON.stringify(s.column.name)}]`;
      // The payload's JSON text made with its quotes doubled (one pass, from the domain's schemas).
      if (s.column.field === 'payload') return `P(W(${type === undefined ? 'undefined' : `e[${JSON.stringify(type.name)}]`},${v}))`;
      // A number column of a generated event is a finite number: written as is, like String(v).
      return ENVELOPE_NUMBER_FIELDS.has(s.column.field) ? `(typeof ${v}==="number"?""+${v}:C(${v}))` : `C(${v})`;
    });
    const source = `${row.state}return function(e){${row.refresh}return ${parts.join('+","+')}+${JSON.stringify(CSV_EOL)};};`;
    const payloadText = new Function(payloadTextSource(d, '"'))() as (type: unknown, payload: unknown) => string | undefined;
    w = new Function('C', 'P', 'W', source)(csvField, doubledJsonField, payloadText) as (e: object) => string;
    rowWriters.set(d, w);
  }
  return w;
}

/** The CSV record of one user profile, columns as {@link USER_CSV_COLUMNS}. */
export function userCsvRow(u: UserProfile): string {
  return (
    csvField(u.user_id) + ',' + csvField(u.first_name) + ',' + csvField(u.last_name) + ',' + csvField(u.email) + ',' +
    csvField(u.city) + ',' + csvField(u.country) + ',' + csvField(u.user_agent) + ',' + csvField(u.preferred_auth) + ',' +
    csvField(u.preferred_payment) + CSV_EOL
  );
}

/** Options of the CSV chunk writers. */
export interface CsvOptions {
  /** Write the header row first (default true). */
  header?: boolean;
  /** Approximate characters per chunk (whole records only); default 64 Ki. */
  chunkChars?: number;
}

/** CSV text of `items` in chunks of whole records, header first: constant memory for any count. */
export function csvChunks<T>(items: Iterable<T>, columns: readonly string[], row: (item: T) => string, options: CsvOptions = {}): Generator<string> {
  const head = options.header === false ? '' : csvRow(columns);
  return textChunks(items, (chunk, item) => chunk + row(item), { head, chunkChars: options.chunkChars });
}

/** Options of {@link eventCsvChunks}. */
export interface EventCsvOptions extends CsvOptions {
  /** The events' domain (its envelope gives the columns); default the shop. */
  domain?: DomainInput;
}

/**
 * RFC 4180 CSV of a domain's events: a header row (the envelope's names), then one record per
 * event, the payload last as a JSON column.
 */
export function eventCsvChunks(events: Iterable<object>, options: EventCsvOptions = {}): Generator<string> {
  const domain = resolveDomain(options.domain ?? 'shop');
  return csvChunks(events, eventCsvColumns(domain), eventCsvRowWriter(domain), options);
}

/** RFC 4180 CSV of user profiles: a header row, then one record per user. */
export function userCsvChunks(users: Iterable<UserProfile>, options: CsvOptions = {}): Generator<string> {
  return csvChunks(users, USER_CSV_COLUMNS, userCsvRow, options);
}
