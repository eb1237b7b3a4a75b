import { textChunks, type SessionEvent, type UserProfile } from '../core/index.js';

/** RFC 4180 line end. */
export const CSV_EOL = '\r\n';

/** Columns of the event table, envelope first, the payload last as JSON text. */
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

// JSON text of an object always holds quotes: quote it without testing first.
function jsonField(json: string): string {
  return json.includes('"') ? '"' + json.replace(/"/g, '""') + '"' : csvField(json);
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

/** The CSV record of one event, columns as {@link EVENT_CSV_COLUMNS}. */
export function eventCsvRow(e: SessionEvent): string {
  return (
    csvField(e.event_id) + ',' + csvField(e.event_type) + ',' + csvField(e.stream_id) + ',' +
    csvField(e.aggregate_type) + ',' + csvField(e.aggregate_id) + ',' + e.stream_version + ',' +
    e.global_position + ',' + csvField(e.correlation_id) + ',' + csvField(e.causation_id) + ',' +
    csvField(e.session_id) + ',' + csvField(e.user_id) + ',' + csvField(e.timestamp) + ',' +
    e.schema_version + ',' + jsonField(payloadJson(e)) + CSV_EOL
  );
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

/** RFC 4180 CSV of events: a header row, then one record per event, the payload as a JSON column. */
export function eventCsvChunks(events: Iterable<SessionEvent>, options: CsvOptions = {}): Generator<string> {
  return csvChunks(events, EVENT_CSV_COLUMNS, eventCsvRow, options);
}

/** RFC 4180 CSV of user profiles: a header row, then one record per user. */
export function userCsvChunks(users: Iterable<UserProfile>, options: CsvOptions = {}): Generator<string> {
  return csvChunks(users, USER_CSV_COLUMNS, userCsvRow, options);
}
