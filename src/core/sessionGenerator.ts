import { resolveGeneratorConfig, normalizePartition, type GeneratorConfig, type GeneratorOptions, type PartitionKey } from './generatorOptions.js';
import { DomainSimulator } from './domain/domainSimulator.js';
import { serializerFor, sessionSerializerFor } from './domain/eventSerializer.js';
import { MockjutsuError, describeValue } from './mockjutsuError.js';
import type { Session, SessionEvent } from './sessionEvent.js';

/**
 * Where a session stream stands: the next event is event `event` (0-based) of session
 * `session` of the partition, and gets global position `position`. Save it with
 * `getState()`, resume with `stream(partition, state)`: the output continues byte for byte.
 */
export interface SessionStreamState {
  session: number;
  event: number;
  position: number;
}

/** One partition's endless stream: session 0, 1, 2 ... of (seed, partition), event by event. */
export interface SessionStream extends Iterable<SessionEvent> {
  readonly seed: string;
  readonly partition: string;
  /** This partition's next event; a new session starts after each logout. */
  next(): SessionEvent;
  /** The next whole session; mid-session, the rest of the current one (no event is ever skipped). */
  nextSession(): Session;
  /** The next `n` events. */
  take(n: number): SessionEvent[];
  getState(): SessionStreamState;
}

/** A configured generator: resolve options once, then make any number of partition streams. */
export interface SessionGenerator {
  readonly config: GeneratorConfig;
  readonly seed: string;
  /** Session k of a partition, its events numbered from `firstPosition`. Pure. */
  session(partition: PartitionKey, k: number, firstPosition?: number): Session;
  stream(partition?: PartitionKey, state?: SessionStreamState): SessionStream;
  /** JSON text of one of this generator's events (the domain's compiled serializer): `JSON.stringify(event)`. */
  serialize(event: SessionEvent): string;
  /** JSON text of one of this generator's sessions: `JSON.stringify(session)`. */
  serializeSession(session: readonly SessionEvent[]): string;
}

function checkState(state: unknown): SessionStreamState {
  const s = state as SessionStreamState;
  const ok = typeof s === 'object' && s !== null &&
    Number.isSafeInteger(s.session) && s.session >= 0 &&
    Number.isSafeInteger(s.event) && s.event >= 0 &&
    Number.isSafeInteger(s.position) && s.position >= 1 + s.event;
  if (!ok) throw new MockjutsuError('INVALID_OPTION', `state is ${describeValue(state)}; expected { session, event, position } from getState()`, 'state');
  return { session: s.session, event: s.event, position: s.position };
}

/** What a stream draws sessions from. */
interface SessionSource {
  simulate(partition: string, k: number, firstPosition: number): Session;
}

class PartitionStream implements SessionStream {
  private current: Session;
  private k: number;
  private i: number;
  /** Global position of the current session's first event (a domain may not carry it). */
  private first: number;

  constructor(private readonly simulator: SessionSource, readonly seed: string, readonly partition: string, state: SessionStreamState) {
    this.k = state.session;
    this.i = state.event;
    this.first = state.position - state.event;
    this.current = simulator.simulate(partition, this.k, this.first);
    if (this.i >= this.current.length) throw new MockjutsuError('INVALID_OPTION', `state.event is ${this.i} but session ${this.k} has ${this.current.length} events`, 'state.event');
  }

  next(): SessionEvent {
    const e = this.current[this.i++]!;
    if (this.i === this.current.length) this.advance();
    return e;
  }

  nextSession(): Session {
    const rest = this.i === 0 ? this.current : this.current.slice(this.i);
    this.advance();
    return rest;
  }

  take(n: number): SessionEvent[] {
    const out: SessionEvent[] = [];
    for (let j = 0; j < n; j++) out.push(this.next());
    return out;
  }

  getState(): SessionStreamState {
    return { session: this.k, event: this.i, position: this.first + this.i };
  }

  private advance(): void {
    this.first += this.current.length;
    this.k++;
    this.i = 0;
    this.current = this.simulator.simulate(this.partition, this.k, this.first);
  }

  *[Symbol.iterator](): Iterator<SessionEvent> {
    for (;;) yield this.next();
  }
}

/** Resolves options once; the returned generator is cheap to make streams from. */
export function createGenerator(options: GeneratorOptions = {}): SessionGenerator {
  const config = resolveGeneratorConfig(options);
  const simulator = new DomainSimulator(config) as unknown as SessionSource;
  const g: SessionGenerator = {
    config,
    seed: config.seed,
    // The serializers are compiled on first use (then replace these): a generator that never
    // serializes, as a k6 VU's, generates no code (k6 and the k6 harness forbid code from strings).
    serialize(event) {
      g.serialize = serializerFor(config.domain) as (event: SessionEvent) => string;
      return g.serialize(event);
    },
    serializeSession(session) {
      g.serializeSession = sessionSerializerFor(config.domain) as (session: readonly SessionEvent[]) => string;
      return g.serializeSession(session);
    },
    session(partition, k, firstPosition = 1) {
      return simulator.simulate(normalizePartition(partition), k, firstPosition);
    },
    stream(partition = 0, state) {
      return new PartitionStream(simulator, config.seed, normalizePartition(partition), state === undefined ? { session: 0, event: 0, position: 1 } : checkState(state));
    },
  };
  return g;
}

/** Options of {@link createSessionStream}. */
export interface SessionStreamOptions extends GeneratorOptions {
  /** The partition (k6 VU id, JMeter thread key...); default 0. */
  partition?: PartitionKey;
  /** Resume where a previous stream's `getState()` stood. */
  state?: SessionStreamState;
}

/**
 * A partition's session stream: `.next()` returns its next event, `.nextSession()` its next
 * whole session. Session k of partition p depends on (seed, p, k) alone.
 */
export function createSessionStream(options: SessionStreamOptions = {}): SessionStream {
  const { partition, state, ...rest } = options;
  return createGenerator(rest).stream(partition ?? 0, state);
}
