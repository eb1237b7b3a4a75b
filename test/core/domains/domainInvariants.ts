import assert from 'node:assert/strict';
import { createGenerator, type GeneratorOptions } from '../../../src/index.js';
import { assertEnvelope, type AnyEvent } from '../contractInvariants.js';

export type { AnyEvent };

/**
 * The envelope rules (assertEnvelope) across many sessions: a stream never reappears in another
 * session of the same run, so its versions run 1..n across the whole run; event ids are unique
 * across everything checked with the same tracker.
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
    assertEnvelope(session, this.start, this.terminal, { eventIds: this.eventIds, streamOwner: this.streamOwner });
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
