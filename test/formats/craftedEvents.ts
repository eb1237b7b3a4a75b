// Events built by hand with every character an exporter can get wrong, for round trips
// through the CSV and SQL writers (and real databases).
import type { SessionEvent } from '../../src/core/index.js';

/** Strings that break naive quoting: quotes, separators, line ends, backslashes, non-ASCII (each fits VARCHAR(64)). */
export const NASTY_STRINGS: readonly string[] = [
  `it's "quoted", with a comma`,
  'line one\nline two\r\nline three\rend',
  'back\\slash \\\' \\" \\n \\\\ trailing\\',
  "Côte d'Ivoire, Curaçao, Réunion, Åland; 東京 😀 \u2028 \u00e9",
  'tab\there, ctrl-z \x1a; -- no comment /* nor this */',
  "'); DROP TABLE events; --",
  '',
  ' leading and trailing spaces ',
];

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** One stream of crafted events: event i carries NASTY_STRINGS[i] in its event_type and payload. */
export function craftedEvents(): SessionEvent[] {
  const sessionId = uuid(1000);
  return NASTY_STRINGS.map((s, i) => ({
    event_id: uuid(i + 1),
    event_type: s,
    stream_id: `Crafted-${sessionId}`,
    aggregate_type: 'Crafted',
    aggregate_id: sessionId,
    stream_version: i + 1,
    global_position: i + 1,
    correlation_id: uuid(2000),
    causation_id: i === 0 ? null : uuid(i),
    session_id: sessionId,
    user_id: uuid(3000),
    timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, i, 123)).toISOString(),
    schema_version: 1,
    payload: { text: s, nested: { list: [s, i, null, true] }, amount: '12.50' } as never,
  }));
}
