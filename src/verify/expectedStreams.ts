import { MockjutsuError, checkInteger, createGenerator, type GeneratorOptions, type Session } from '../core/index.js';

/** Most sessions (partitions x sessions) one verification regenerates. */
export const MAX_EXPECTED_SESSIONS = 1_000_000;

/** One regenerated stream: session `session` of `partition`, as the generator emits it. */
export interface ExpectedStream {
  readonly stream_id: string;
  readonly partition: string;
  /** 0-based session index within the partition. */
  readonly session: number;
  readonly events: Session;
}

/** Options of {@link expectedStreams}. */
export interface ExpectedStreamsOptions {
  /** Options of the generator that produced the run; `seed` is required to regenerate anything. */
  readonly generator: GeneratorOptions;
  /** Canonical partition keys. */
  readonly partitions: readonly string[];
  /** Sessions 0..sessions-1 of every partition. */
  readonly sessions: number;
}

/**
 * Regenerates what a run should have stored: sessions 0..K-1 of every partition, each its own
 * stream, exactly as a k6 VU's `nextSession()` (or a JMeter key's stream) produced them.
 *
 * @throws MockjutsuError for bad options, or when two sessions share a stream id.
 */
export function expectedStreams(options: ExpectedStreamsOptions): ExpectedStream[] {
  if (options.generator.seed === undefined) {
    throw new MockjutsuError('INVALID_SEED', 'seed is missing; verification regenerates the run from its seed, so give the one the run used', 'seed');
  }
  const sessions = checkInteger(options.sessions, 'sessions', 1, MAX_EXPECTED_SESSIONS, 'INVALID_COUNT');
  const total = options.partitions.length * sessions;
  if (total > MAX_EXPECTED_SESSIONS) {
    throw new MockjutsuError('INVALID_COUNT', `${options.partitions.length} partitions x ${sessions} sessions is ${total} sessions; allowed: at most ${MAX_EXPECTED_SESSIONS} per verification`, 'sessions');
  }
  const generator = createGenerator(options.generator);
  const out: ExpectedStream[] = [];
  const owners = new Map<string, string>();
  for (const partition of options.partitions) {
    const stream = generator.stream(partition);
    for (let k = 0; k < sessions; k++) {
      const events = stream.nextSession();
      const streamId = events[0]!.stream_id;
      const owner = owners.get(streamId);
      if (owner !== undefined) {
        throw new MockjutsuError('INVALID_OPTION', `session ${k} of partition ${partition} has the stream id ${streamId} of ${owner}; the generator gives every session its own stream`, 'partitions');
      }
      owners.set(streamId, `session ${k} of partition ${partition}`);
      out.push({ stream_id: streamId, partition, session: k, events });
    }
  }
  return out;
}

/**
 * For a run that stopped part-way (a time-limited k6 test): each partition sent a prefix of its
 * stream, so only what comes after the last stored event of a partition is "not sent" rather
 * than lost. Keeps, per partition, the sessions and events up to the last one whose event_id
 * the store holds; returns the kept streams and how many expected events were dropped.
 */
export function trimToSentPrefix(expected: readonly ExpectedStream[], storedEventIds: ReadonlySet<string>): { kept: ExpectedStream[]; notSent: number } {
  const last = new Map<string, { session: number; event: number }>();
  for (const s of expected) {
    for (let i = s.events.length - 1; i >= 0; i--) {
      if (!storedEventIds.has(s.events[i]!.event_id)) continue;
      const prev = last.get(s.partition);
      if (prev === undefined || s.session > prev.session || (s.session === prev.session && i > prev.event)) last.set(s.partition, { session: s.session, event: i });
      break;
    }
  }
  const kept: ExpectedStream[] = [];
  let notSent = 0;
  for (const s of expected) {
    const upTo = last.get(s.partition);
    if (upTo === undefined || s.session > upTo.session) {
      notSent += s.events.length;
    } else if (s.session === upTo.session) {
      kept.push({ ...s, events: s.events.slice(0, upTo.event + 1) });
      notSent += s.events.length - upTo.event - 1;
    } else {
      kept.push(s);
    }
  }
  return { kept, notSent };
}
