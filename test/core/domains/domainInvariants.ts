import assert from 'node:assert/strict';
import { createGenerator, type GeneratorOptions } from '../../../src/index.js';

/** A generated event of any domain on the default envelope. */
export type AnyEvent = Record<string, any>;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CONTRACT_KEYS = ['event_id', 'event_type', 'stream_id', 'aggregate_type', 'aggregate_id', 'stream_version', 'global_position', 'correlation_id', 'causation_id', 'session_id', 'user_id', 'timestamp', 'schema_version', 'payload'];

/**
 * What every session of every domain must hold across many sessions: one start first and one
 * terminal last; per stream, versions 1..n without gaps (a stream never reappears in another
 * session of the same run, so this holds across the whole run); a stream belongs to one aggregate instance;
 * the causation chain; strictly increasing timestamps; one correlation, session and user id
 * per session; event ids unique across everything checked with the same tracker.
 */
export class EnvelopeTracker {
  readonly eventIds = new Set<string>();
  /** stream id => the session that owns it. */
  readonly streamOwner = new Map<string, string>();
  sessions = 0;
  events = 0;

  constructor(readonly start: string, readonly terminal: string) {}

  /**
   * Starts another run (another seed): stream ids are unique within a run, but sequence ids
   * (`ACC-00000001`) are numbered by session index, so two seeds reuse them, as two separate
   * systems would. Event ids stay unique across runs (they are drawn from the seed).
   */
  newRun(): void {
    this.streamOwner.clear();
  }

  check(session: readonly AnyEvent[]): void {
    assert.ok(session.length >= 2, 'a session has at least its start and terminal events');
    const first = session[0]!;
    assert.equal(first.event_type, this.start, 'the first event is the start state');
    assert.equal(session[session.length - 1]!.event_type, this.terminal, 'the last event is the terminal state');
    assert.equal(session.filter((e) => e.event_type === this.start).length, 1, 'exactly one start event');
    assert.equal(session.filter((e) => e.event_type === this.terminal).length, 1, 'exactly one terminal event');
    const versions = new Map<string, number>();
    let previous: AnyEvent | null = null;
    for (let i = 0; i < session.length; i++) {
      const e = session[i]!;
      assert.deepEqual(Object.keys(e), CONTRACT_KEYS);
      assert.match(e.event_id, UUID_V4);
      assert.ok(!this.eventIds.has(e.event_id), `duplicate event_id ${e.event_id}`);
      this.eventIds.add(e.event_id);
      const owner = this.streamOwner.get(e.stream_id);
      if (owner === undefined) this.streamOwner.set(e.stream_id, e.session_id);
      else assert.equal(owner, e.session_id, `stream ${e.stream_id} appears in two sessions`);
      const v = (versions.get(e.stream_id) ?? 0) + 1;
      assert.equal(e.stream_version, v, `${e.stream_id}: versions run 1..n without gaps`);
      versions.set(e.stream_id, v);
      assert.equal(e.stream_id, `${e.aggregate_type}-${e.aggregate_id}`);
      assert.equal(e.global_position, first.global_position + i, 'global positions are consecutive');
      assert.equal(e.correlation_id, first.correlation_id);
      assert.equal(e.session_id, first.session_id);
      assert.equal(e.user_id, first.user_id);
      assert.equal(e.schema_version, 1);
      assert.match(e.timestamp, ISO_MS);
      assert.equal(e.causation_id, previous === null ? null : previous.event_id, 'causation chain');
      if (previous !== null) assert.ok(Date.parse(e.timestamp) > Date.parse(previous.timestamp), 'timestamps strictly increase');
      assert.equal(typeof e.payload, 'object');
      previous = e;
    }
    this.sessions++;
    this.events += session.length;
  }
}

/** Per event type: how many times it occurs per session (mean and its standard error). */
export interface Frequencies {
  readonly sessions: number;
  readonly mean: Record<string, number>;
  readonly standardError: Record<string, number>;
}

/** Mean occurrences of each event type per session over sessions 0..n-1 of a few partitions. */
export function frequencies(options: GeneratorOptions, sessions: number, partitions: readonly string[] = ['0']): Frequencies {
  const g = createGenerator(options);
  const sum: Record<string, number> = Object.create(null);
  const sumSq: Record<string, number> = Object.create(null);
  const types = g.config.domain.chain.states.map((s) => s.name);
  for (const t of types) { sum[t] = 0; sumSq[t] = 0; }
  let n = 0;
  for (const p of partitions) {
    for (let k = 0; k < sessions / partitions.length; k++) {
      const counts: Record<string, number> = Object.create(null);
      for (const e of g.session(p, k) as unknown as AnyEvent[]) counts[e.event_type] = (counts[e.event_type] ?? 0) + 1;
      for (const t of types) {
        const c = counts[t] ?? 0;
        sum[t]! += c;
        sumSq[t]! += c * c;
      }
      n++;
    }
  }
  const mean: Record<string, number> = {};
  const standardError: Record<string, number> = {};
  for (const t of types) {
    const m = sum[t]! / n;
    mean[t] = m;
    standardError[t] = Math.sqrt(Math.max(0, sumSq[t]! / n - m * m) / n);
  }
  return { sessions: n, mean, standardError };
}

/**
 * Two independent simulations (different seeds) agree on every event type's mean count per
 * session within 5 standard errors of the difference (plus 0.1% of the mean for float noise).
 * The domain statistics of lane dcli (exact absorbing-chain figures) replace one side once
 * they exist; until then this pins the frequencies to a stated statistical tolerance.
 */
export function assertSameFrequencies(a: Frequencies, b: Frequencies): void {
  for (const t of Object.keys(a.mean)) {
    // Both zero would agree vacuously: every event type of a shipped domain must occur.
    assert.ok(a.mean[t]! > 0 && b.mean[t]! > 0, `${t} never occurs in ${a.sessions} sessions`);
    const diff = Math.abs(a.mean[t]! - b.mean[t]!);
    const tolerance = 5 * Math.hypot(a.standardError[t]!, b.standardError[t]!) + 0.001 * a.mean[t]!;
    assert.ok(diff <= tolerance, `${t}: ${a.mean[t]} vs ${b.mean[t]} per session (tolerance ${tolerance})`);
  }
}
