import { MockjutsuError, checkInteger, createGenerator, type GeneratorOptions } from '../core/index.js';
import type { CompiledDomain } from '../core/domain/compileDomain.js';
import { envelopeNames, type EnvelopeNames } from '../core/domain/envelopeAccess.js';

/** A generated event of any domain: its envelope fields under the domain's names. */
export type GeneratedEvent = Readonly<Record<string, unknown>>;

/**
 * How verify reads an event of the run's domain: the names of the fields it matches on. A
 * domain that drops event_id or stream_id cannot be verified (events are matched by them).
 */
export interface EventFields {
  readonly domain: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  /** Undefined when the domain drops stream_version (the place in the stream counts then). */
  readonly streamVersion: string | undefined;
}

/** The fields verify reads, for `domain`. @throws MockjutsuError when it drops event_id or stream_id. */
export function eventFields(domain: CompiledDomain): EventFields {
  const n: EnvelopeNames = envelopeNames(domain);
  for (const f of ['event_id', 'stream_id'] as const) {
    if (n[f] === undefined) {
      throw new MockjutsuError('INVALID_OPTION', `domain ${domain.name} drops the envelope field ${f}; verify matches stored events to generated ones by event_id and stream_id, so it cannot verify this domain's runs (keep ${f} in its envelope)`, 'domain');
    }
  }
  return { domain: domain.name, eventId: n.event_id!, eventType: n.event_type!, streamId: n.stream_id!, streamVersion: n.stream_version };
}

/** The contract's names (the shop's events). */
export const CONTRACT_FIELDS: EventFields = Object.freeze({ domain: 'shop', eventId: 'event_id', eventType: 'event_type', streamId: 'stream_id', streamVersion: 'stream_version' });

/** Most sessions (partitions x sessions) one verification regenerates. */
export const MAX_EXPECTED_SESSIONS = 1_000_000;

/**
 * One regenerated stream: the events of session `session` of `partition` that belong to one
 * aggregate instance's stream (a session of a domain with several aggregates writes several
 * streams), in the order the generator emits them.
 */
export interface ExpectedStream {
  readonly stream_id: string;
  readonly partition: string;
  /** 0-based session index within the partition. */
  readonly session: number;
  readonly events: readonly GeneratedEvent[];
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
  const fields = eventFields(generator.config.domain);
  const out: ExpectedStream[] = [];
  const owners = new Map<string, string>();
  for (const partition of options.partitions) {
    const stream = generator.stream(partition);
    for (let k = 0; k < sessions; k++) {
      const byStream = new Map<string, GeneratedEvent[]>();
      for (const e of stream.nextSession() as unknown as GeneratedEvent[]) {
        const streamId = String(e[fields.streamId]);
        let list = byStream.get(streamId);
        if (list === undefined) byStream.set(streamId, (list = []));
        list.push(e);
      }
      for (const [streamId, events] of byStream) {
        const owner = owners.get(streamId);
        if (owner !== undefined) {
          throw new MockjutsuError('INVALID_OPTION', `session ${k} of partition ${partition} has the stream id ${streamId} of ${owner}; the generator gives every session its own streams`, 'partitions');
        }
        owners.set(streamId, `session ${k} of partition ${partition}`);
        out.push({ stream_id: streamId, partition, session: k, events });
      }
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
export function trimToSentPrefix(expected: readonly ExpectedStream[], storedEventIds: ReadonlySet<string>, fields: EventFields = CONTRACT_FIELDS): { kept: ExpectedStream[]; notSent: number } {
  const last = new Map<string, { session: number; event: number }>();
  for (const s of expected) {
    for (let i = s.events.length - 1; i >= 0; i--) {
      if (!storedEventIds.has(s.events[i]![fields.eventId] as string)) continue;
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
