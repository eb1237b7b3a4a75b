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
