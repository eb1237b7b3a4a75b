import { CONTRACT_FIELDS, type EventFields, type ExpectedStream, type GeneratedEvent } from './expectedStreams.js';
import type { FoundRecord } from './foundRecord.js';
import type {
  StreamDifferences,
  StoredPlace,
  UnexpectedEvent,
  VerifyReport,
  VerifySummary,
} from './verifyReport.js';

/** Options of {@link compareStreams}. */
export interface CompareStreamsOptions {
  /**
   * Top-level event fields left out of the data comparison. Default `["global_position"]`: it
   * numbers the events of one generator instance, so it depends on how the run was split.
   */
  readonly ignoreFields?: readonly string[];
  /** Passed through to the report. */
  readonly warnings?: readonly string[];
  /** Where the run's domain keeps event_id, event_type, stream_id and stream_version (default: the contract's names). */
  readonly fields?: EventFields;
}

/** A stored record placed in its stream. */
interface Placed {
  readonly record: FoundRecord;
  /** The record's stream_version, or its 1-based place in the input when it has none. */
  readonly version: number;
  /** 0-based place in its stream after ordering. */
  readonly index: number;
  readonly eventId: string | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function eventIdOf(data: unknown, f: EventFields): string | undefined {
  const v = isObject(data) ? data[f.eventId] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function eventTypeOf(data: unknown, f: EventFields): string | null {
  const v = isObject(data) ? data[f.eventType] : undefined;
  return typeof v === 'string' ? v : null;
}

/** What a report says of an expected event: its id, type and version (its place in the stream when the domain has no version). */
function described(event: GeneratedEvent, index: number, f: EventFields): { event_id: string; event_type: string; expected_version: number } {
  const version = f.streamVersion === undefined ? undefined : event[f.streamVersion];
  return { event_id: String(event[f.eventId]), event_type: String(event[f.eventType]), expected_version: typeof version === 'number' ? version : index + 1 };
}

/**
 * Paths of the fields where `found` differs from `expected`: changed values, missing and extra
 * fields, arrays of other lengths (`payload.items[2]`). Key order does not matter.
 */
export function differingFields(expected: unknown, found: unknown, ignoreTopLevel: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (e: unknown, f: unknown, path: string): void => {
    if (e === f) return;
    if (isObject(e) && isObject(f)) {
      for (const key of Object.keys(e)) {
        if (path === '' && ignoreTopLevel.includes(key)) continue;
        const sub = path === '' ? key : `${path}.${key}`;
        if (!Object.hasOwn(f, key)) out.push(sub);
        else walk(e[key], f[key], sub);
      }
      for (const key of Object.keys(f)) {
        if (path === '' && ignoreTopLevel.includes(key)) continue;
        if (!Object.hasOwn(e, key)) out.push(path === '' ? key : `${path}.${key}`);
      }
      return;
    }
    if (Array.isArray(e) && Array.isArray(f)) {
      for (let i = 0; i < Math.max(e.length, f.length); i++) {
        if (i >= e.length || i >= f.length) out.push(`${path}[${i}]`);
        else walk(e[i], f[i], `${path}[${i}]`);
      }
      return;
    }
    out.push(path === '' ? '(the whole event)' : path);
  };
  walk(expected, found, '');
  return out;
}

/** Lengths of the longest strictly increasing subsequences ending at each index (patience sorting, O(n log n)). */
function longestEndingAt(values: readonly number[]): number[] {
  const tails: number[] = [];
  return values.map((v) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = v;
    return lo + 1;
  });
}

/**
 * For distinct `values`, whether each one belongs to every longest strictly increasing
 * subsequence: on some longest one, and the only such element at its depth.
 */
export function onEveryLongestIncreasing(values: readonly number[]): boolean[] {
  const n = values.length;
  if (n === 0) return [];
  const ending = longestEndingAt(values);
  const starting = longestEndingAt([...values].reverse().map((v) => -v)).reverse();
  const longest = Math.max(...ending);
  const onSome = ending.map((f, i) => f + starting[i]! - 1 === longest);
  const atDepth = new Map<number, number>();
  onSome.forEach((on, i) => {
    if (on) atDepth.set(ending[i]!, (atDepth.get(ending[i]!) ?? 0) + 1);
  });
  return onSome.map((on, i) => on && atDepth.get(ending[i]!) === 1);
}

/** Records grouped by stream (first-seen order), each stream ordered by stream_version when every record has one. */
function groupByStream(found: Iterable<FoundRecord>, f: EventFields): Map<string, Placed[]> {
  const raw = new Map<string, FoundRecord[]>();
  for (const record of found) {
    let list = raw.get(record.stream_id);
    if (list === undefined) raw.set(record.stream_id, (list = []));
    list.push(record);
  }
  const out = new Map<string, Placed[]>();
  for (const [streamId, records] of raw) {
    const versioned = records.every((r) => r.stream_version !== undefined);
    const ordered = versioned
      ? records.map((r, i) => ({ r, i })).sort((a, b) => a.r.stream_version! - b.r.stream_version! || a.i - b.i).map((x) => x.r)
      : records;
    out.set(streamId, ordered.map((record, index) => ({
      record,
      version: versioned ? record.stream_version! : index + 1,
      index,
      eventId: eventIdOf(record.data, f),
    })));
  }
  return out;
}

function emptyDifferences(partition: string | null, session: number | null, expected: number, found: number): StreamDifferences {
  return { partition, session, expected_events: expected, found_events: found, lost: [], duplicated: [], reordered: [], altered: [], misplaced: [], unexpected: [] };
}

function hasDifferences(d: StreamDifferences): boolean {
  return d.lost.length + d.duplicated.length + d.reordered.length + d.altered.length + d.misplaced.length + d.unexpected.length > 0 ||
    d.unexpected_stream === true;
}

/**
 * Compares the regenerated streams with what a store holds, by event_id, stream and order and
 * by data (never by the store's global positions). Pure: no I/O.
 *
 * - lost: an expected event stored nowhere;
 * - duplicated: an expected event stored more than once (a retry the store answered
 *   idempotently left one record, so it is not a difference);
 * - reordered: out of the generated order relative to the other stored events of its stream
 *   (not on every longest run of them that keeps the order; lost events shift nothing);
 * - altered: a stored copy whose data differs (the fields are named);
 * - misplaced: stored only in another stream;
 * - unexpected: a stored record that is not an expected event of its stream, and whole
 *   streams that no regenerated session has.
 */
export function compareStreams(expected: readonly ExpectedStream[], found: Iterable<FoundRecord>, options: CompareStreamsOptions = {}): VerifyReport {
  const f = options.fields ?? CONTRACT_FIELDS;
  const ignore = options.ignoreFields ?? ['global_position'];
  const byStream = groupByStream(found, f);

  // Where each expected event belongs.
  const home = new Map<string, { stream: ExpectedStream; index: number }>();
  for (const stream of expected) stream.events.forEach((event, index) => home.set(String(event[f.eventId]), { stream, index }));

  // Every stored copy of every event id, in store order.
  const copies = new Map<string, Array<{ streamId: string; placed: Placed }>>();
  let foundEvents = 0;
  for (const [streamId, records] of byStream) {
    for (const placed of records) {
      foundEvents++;
      if (placed.eventId === undefined) continue;
      let list = copies.get(placed.eventId);
      if (list === undefined) copies.set(placed.eventId, (list = []));
      list.push({ streamId, placed });
    }
  }

  const streams: Record<string, StreamDifferences> = {};
  const expectedIds = new Set(expected.map((s) => s.stream_id));

  for (const stream of expected) {
    const stored = byStream.get(stream.stream_id) ?? [];
    const d = emptyDifferences(stream.partition, stream.session, stream.events.length, stored.length);
    const firstCopies: Array<{ expectedIndex: number; placed: Placed }> = [];
    stream.events.forEach((event, expectedIndex) => {
      const base = described(event, expectedIndex, f);
      const all = copies.get(base.event_id) ?? [];
      if (all.length === 0) {
        d.lost.push(base);
        return;
      }
      if (all.length > 1) {
        const places: StoredPlace[] = all.map((c) => ({ stream_id: c.streamId, stream_version: c.placed.version }));
        d.duplicated.push({ ...base, count: all.length, found: places });
      }
      const own = all.filter((c) => c.streamId === stream.stream_id);
      if (own.length === 0) {
        d.misplaced.push({ ...base, found_stream: all[0]!.streamId, found_version: all[0]!.placed.version });
        return;
      }
      firstCopies.push({ expectedIndex, placed: own[0]!.placed });
      for (const copy of own) {
        const fields = differingFields(event, copy.placed.record.data, ignore);
        if (fields.length > 0) d.altered.push({ ...base, found_version: copy.placed.version, fields });
      }
    });

    // An event is reordered unless it lies on every longest run of stored events that keeps
    // the generated order: a swap names both events, one event moved far names only that one.
    const inStoreOrder = [...firstCopies].sort((a, b) => a.placed.index - b.placed.index);
    const inPlace = onEveryLongestIncreasing(inStoreOrder.map((c) => c.expectedIndex));
    inStoreOrder.forEach((entry, i) => {
      if (inPlace[i]) return;
      const event = stream.events[entry.expectedIndex]!;
      d.reordered.push({ ...described(event, entry.expectedIndex, f), found_version: entry.placed.version });
    });
    d.reordered.sort((a, b) => a.found_version - b.found_version);

    for (const placed of stored) {
      const entry = unexpectedIn(stream.stream_id, placed, home, f);
      if (entry !== undefined) d.unexpected.push(entry);
    }
    if (hasDifferences(d)) streams[stream.stream_id] = d;
  }

  let unexpectedStreams = 0;
  for (const [streamId, stored] of byStream) {
    if (expectedIds.has(streamId)) continue;
    unexpectedStreams++;
    const d: StreamDifferences = { ...emptyDifferences(null, null, 0, stored.length), unexpected_stream: true };
    for (const placed of stored) d.unexpected.push(unexpectedIn(streamId, placed, home, f)!);
    streams[streamId] = d;
  }

  const count = (kind: 'lost' | 'duplicated' | 'reordered' | 'altered' | 'misplaced' | 'unexpected'): number =>
    Object.values(streams).reduce((n, d) => n + d[kind].length, 0);
  const summary: VerifySummary = {
    lost: count('lost'),
    duplicated: count('duplicated'),
    reordered: count('reordered'),
    altered: count('altered'),
    misplaced: count('misplaced'),
    unexpected: count('unexpected'),
    unexpected_streams: unexpectedStreams,
    streams_with_differences: Object.keys(streams).length,
  };
  return {
    ok: summary.streams_with_differences === 0,
    expected_streams: expected.length,
    expected_events: expected.reduce((n, s) => n + s.events.length, 0),
    found_streams: byStream.size,
    found_events: foundEvents,
    streams,
    summary,
    warnings: [...(options.warnings ?? [])],
  };
}

/** The record as an unexpected event of `streamId`, or undefined when it is an expected event of that stream. */
function unexpectedIn(streamId: string, placed: Placed, home: Map<string, { stream: ExpectedStream }>, f: EventFields): UnexpectedEvent | undefined {
  const owner = placed.eventId === undefined ? undefined : home.get(placed.eventId);
  if (owner !== undefined && owner.stream.stream_id === streamId) return undefined;
  const entry: { -readonly [K in keyof UnexpectedEvent]: UnexpectedEvent[K] } = {
    event_id: placed.eventId ?? null,
    event_type: eventTypeOf(placed.record.data, f),
    found_version: placed.version,
  };
  if (owner !== undefined) entry.expected_stream = owner.stream.stream_id;
  return entry;
}
