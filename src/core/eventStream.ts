import { createGenerator, type SessionGenerator, type SessionStream } from './sessionGenerator.js';
import { checkInteger, type GeneratorOptions, type PartitionKey } from './generatorOptions.js';
import { MockjutsuError, describeValue } from './mockjutsuError.js';
import type { Session, SessionEvent } from './sessionEvent.js';
import type { CompiledDomain } from './domain/compileDomain.js';

/** Options of {@link eventStream}. */
export interface EventStreamOptions extends GeneratorOptions {
  /** Stop after this many sessions (default: endless unless `events` is set). */
  sessions?: number;
  /** Stop after this many events (a session may be cut short at the end). */
  events?: number;
  partition?: PartitionKey;
}

/** A lazy, constant-memory iterator; `seed` is the seed used (random when none was given). */
export interface EventIterator<T> extends IterableIterator<T> {
  readonly seed: string;
  /** The domain the events follow (`serializerFor(it.domain)` writes them). */
  readonly domain: CompiledDomain;
}

/** Validates the options and opens the partition's stream (shared by both iterators). */
function open(options: EventStreamOptions): { sessions: number; events: number; generator: SessionGenerator; stream: SessionStream } {
  if (typeof options !== 'object' || options === null) throw new MockjutsuError('INVALID_OPTION', `options is ${describeValue(options)}; expected an object`, 'options');
  const sessions = options.sessions === undefined ? Infinity : checkInteger(options.sessions, 'sessions', 1, Number.MAX_SAFE_INTEGER, 'INVALID_COUNT');
  const events = options.events === undefined ? Infinity : checkInteger(options.events, 'events', 1, Number.MAX_SAFE_INTEGER, 'INVALID_COUNT');
  const { partition, sessions: _s, events: _e, ...rest } = options;
  const generator = createGenerator(rest);
  return { sessions, events, generator, stream: generator.stream(partition ?? 0) };
}

function withSeed<T>(it: Generator<T>, seed: string, domain: CompiledDomain): EventIterator<T> {
  return Object.assign(it, { seed, domain }) as unknown as EventIterator<T>;
}

/**
 * Events of partition `partition` (default 0) one at a time, for millions of events in
 * constant memory: the same events as `createSessionStream(options).next()`.
 */
export function eventStream(options: EventStreamOptions = {}): EventIterator<SessionEvent> {
  const { sessions, events, generator, stream } = open(options);
  const domain = generator.config.domain;
  // Sessions are counted by the stream's own position, not by a terminal event type: a
  // domain's terminal differs from the shop's, and its envelope may rename event_type.
  const first = stream.getState().session;
  function* run(): Generator<SessionEvent> {
    let emitted = 0;
    while (stream.getState().session - first < sessions && emitted < events) {
      const e = stream.next();
      emitted++;
      yield e;
    }
  }
  return withSeed(run(), stream.seed, domain);
}

/** Whole sessions of a partition, lazily: the same as `createSessionStream(options).nextSession()`. */
export function sessionIterator(options: EventStreamOptions = {}): EventIterator<Session> {
  const { sessions, generator, stream } = open(options);
  function* run(): Generator<Session> {
    for (let done = 0; done < sessions; done++) yield stream.nextSession();
  }
  return withSeed(run(), stream.seed, generator.config.domain);
}
