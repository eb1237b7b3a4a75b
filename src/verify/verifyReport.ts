/** An expected event that is stored nowhere. */
export interface LostEvent {
  readonly event_id: string;
  readonly event_type: string;
  /** Its stream_version in the regenerated stream. */
  readonly expected_version: number;
}

/** Where one stored copy of an event sits. */
export interface StoredPlace {
  readonly stream_id: string;
  readonly stream_version: number;
}

/** An expected event stored more than once (a retried write the store did not recognise). */
export interface DuplicatedEvent {
  readonly event_id: string;
  readonly event_type: string;
  readonly expected_version: number;
  /** Number of stored copies (>= 2). */
  readonly count: number;
  /** Every copy, in store order. */
  readonly found: readonly StoredPlace[];
}

/**
 * An event stored out of the generated order, relative to the other stored events of its
 * stream: it is not on every longest run of them that keeps the generated order (a swap of two
 * events names both; one event moved far names that one). Lost events shift nothing.
 */
export interface ReorderedEvent {
  readonly event_id: string;
  readonly event_type: string;
  readonly expected_version: number;
  /** The stream_version the store gave it (its first copy). */
  readonly found_version: number;
}

/** A stored copy whose data differs from the regenerated event. */
export interface AlteredEvent {
  readonly event_id: string;
  readonly event_type: string;
  readonly expected_version: number;
  readonly found_version: number;
  /** Paths of the differing fields: `timestamp`, `payload.total`, `payload.items[0].quantity`. */
  readonly fields: readonly string[];
}

/** An expected event stored only in another stream. */
export interface MisplacedEvent {
  readonly event_id: string;
  readonly event_type: string;
  readonly expected_version: number;
  readonly found_stream: string;
  readonly found_version: number;
}

/** A stored record that is not an expected event of its stream. */
export interface UnexpectedEvent {
  /** The record's event_id (data.event_id); null when it has none. */
  readonly event_id: string | null;
  readonly event_type: string | null;
  readonly found_version: number;
  /** Set when the event belongs to another expected stream. */
  readonly expected_stream?: string;
}

/** The differences found in one stream; only streams with at least one are reported. */
export interface StreamDifferences {
  /** Partition and session of the regenerated stream (the replay key); null for an unexpected stream. */
  readonly partition: string | null;
  readonly session: number | null;
  readonly expected_events: number;
  readonly found_events: number;
  /** True when the store holds the stream but no regenerated session has it. */
  readonly unexpected_stream?: true;
  readonly lost: LostEvent[];
  readonly duplicated: DuplicatedEvent[];
  readonly reordered: ReorderedEvent[];
  readonly altered: AlteredEvent[];
  readonly misplaced: MisplacedEvent[];
  readonly unexpected: UnexpectedEvent[];
}

/** Counts of a {@link VerifyReport}. */
export interface VerifySummary {
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  readonly altered: number;
  readonly misplaced: number;
  readonly unexpected: number;
  readonly unexpected_streams: number;
  readonly streams_with_differences: number;
}

/** What a verification found. `ok` is true exactly when every count of the summary is 0. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly expected_streams: number;
  readonly expected_events: number;
  readonly found_streams: number;
  readonly found_events: number;
  /** Streams with differences, by stream id (empty when ok). */
  readonly streams: Record<string, StreamDifferences>;
  readonly summary: VerifySummary;
  /** What the run was regenerated from (set by verifyStreams). */
  readonly run?: { readonly seed: string; /** The domain, when not the shop. */ readonly domain?: string; readonly partitions: readonly string[]; readonly sessions: number; readonly against: string };
  /** Things worth knowing that are not differences (a torn last line that was skipped...). */
  readonly warnings: readonly string[];
}

const KINDS = ['lost', 'duplicated', 'reordered', 'altered', 'misplaced', 'unexpected'] as const;

function describe(kind: (typeof KINDS)[number], entry: Record<string, unknown>, streamId: string): string {
  const id = entry['event_id'] ?? '(no event_id)';
  const type = entry['event_type'] ?? '?';
  switch (kind) {
    case 'lost':
      return `${id} (${type}, version ${entry['expected_version']})`;
    case 'duplicated':
      return `${id} (${type}) stored ${entry['count']} times: ${(entry['found'] as StoredPlace[]).map((p) => (p.stream_id === streamId ? '' : `${p.stream_id} `) + `v${p.stream_version}`).join(', ')}`;
    case 'reordered':
      return `${id} (${type}) expected at version ${entry['expected_version']}, stored at ${entry['found_version']}`;
    case 'altered':
      return `${id} (${type}, version ${entry['found_version']}): ${(entry['fields'] as string[]).join(', ')}`;
    case 'misplaced':
      return `${id} (${type}, version ${entry['expected_version']}) stored in ${entry['found_stream']} at ${entry['found_version']}`;
    case 'unexpected':
      return `${id} (${type}) at version ${entry['found_version']}${entry['expected_stream'] ? ` (belongs to ${entry['expected_stream']})` : ''}`;
  }
}

/**
 * A human summary of a report: one headline, then the differences stream by stream (at most
 * `maxLines` of them; the JSON report has them all).
 */
export function formatVerifySummary(report: VerifyReport, maxLines = 40): string {
  const s = report.summary;
  const lines: string[] = [];
  const run = report.run;
  if (run) {
    const parts = run.partitions.length <= 6 ? run.partitions.join(',') : `${run.partitions.slice(0, 3).join(',')},...,${run.partitions[run.partitions.length - 1]} (${run.partitions.length})`;
    lines.push(`mockjutsu verify: ${run.domain === undefined ? '' : `domain ${run.domain}, `}seed ${run.seed}, partitions ${parts}, sessions 0..${run.sessions - 1} against ${run.against}`);
  }
  lines.push(`expected ${report.expected_events} events in ${report.expected_streams} streams; the store holds ${report.found_events} events in ${report.found_streams} streams`);
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  if (report.ok) {
    lines.push('OK: every expected event is stored once, in order, unchanged, and nothing else is stored');
    return lines.join('\n') + '\n';
  }
  lines.push(
    `DIFFERENCES in ${s.streams_with_differences} stream(s): ${s.lost} lost, ${s.duplicated} duplicated, ${s.reordered} reordered, ` +
      `${s.altered} altered, ${s.misplaced} misplaced, ${s.unexpected} unexpected (${s.unexpected_streams} unexpected stream(s))`,
  );
  let shown = 0;
  let hidden = 0;
  for (const [streamId, d] of Object.entries(report.streams)) {
    const entries: string[] = [];
    const wholeStreamLost = d.found_events === 0 && d.lost.length === d.expected_events && d.expected_events > 0;
    if (wholeStreamLost) entries.push(`    ${'lost'.padEnd(10)} the whole stream (${d.expected_events} events, from ${d.lost[0]!.event_id})`);
    for (const kind of KINDS) if (!(wholeStreamLost && kind === 'lost')) for (const e of d[kind]) entries.push(`    ${kind.padEnd(10)} ${describe(kind, e as unknown as Record<string, unknown>, streamId)}`);
    if (shown >= maxLines) {
      hidden += entries.length;
      continue;
    }
    const key = d.partition === null ? 'unexpected stream' : `partition ${d.partition}, session ${d.session}`;
    lines.push(`  ${streamId} (${key}):`);
    const room = maxLines - shown;
    lines.push(...entries.slice(0, room));
    shown += Math.min(room, entries.length);
    hidden += Math.max(0, entries.length - room);
  }
  if (hidden > 0) lines.push(`  ... and ${hidden} more (the JSON report, --report FILE, lists them all)`);
  return lines.join('\n') + '\n';
}
