import type { SessionGenerator } from './sessionGenerator.js';
import { buildUserProfile, type UserProfile } from './userPool.js';
import type { Session } from './sessionEvent.js';
import { MockjutsuError } from './mockjutsuError.js';
import { createCdcGenerator, type CdcEvent, type CdcGenerator, type CdcStream } from './schema/cdcEventStream.js';

/** A type the generator serves by name (`jutsu.generate(name)`, `GET /generate/:name`, ...). */
export interface DataType<T> {
  readonly name: string;
  readonly description: string;
  /** Item `index` of the sequence for a partition; `position` numbers events (event streams only). */
  item(generator: SessionGenerator, partition: string, index: number, position: number): T;
  /** How many global positions an item uses (events in a session; 0 for other types). */
  positions(item: T): number;
}

const eventStreamType: DataType<Session> = {
  name: 'event_stream',
  description: 'one user session: login ... logout, as an array of events (see the event contract)',
  item: (g, partition, index, position) => g.session(partition, index, position),
  positions: (session) => session.length,
};

const userType: DataType<UserProfile> = {
  name: 'user',
  description: 'a user profile of the pool (the same index keeps the same id and profile)',
  item: (g, _partition, index) => buildUserProfile(g.seed, index % g.config.users),
  positions: () => 0,
};

// Change events carry row state, so event k of a partition needs events 0..k-1: keep the
// last stream and continue it when the next index is asked for (bulk, k6 and JMeter do).
let cdcCache: { seed: string; generator: CdcGenerator; partition: string; stream: CdcStream; next: number } | undefined;

const cdcEventType: DataType<CdcEvent> = {
  name: 'cdc_event',
  description: 'a Debezium-style change event (op c/u/d, before, after, source) of the customers, orders or products table, coherent per row',
  item: (g, partition, index) => {
    let c = cdcCache;
    if (c === undefined || c.seed !== g.seed) {
      const generator = createCdcGenerator({ seed: g.seed });
      c = cdcCache = { seed: g.seed, generator, partition, stream: generator.stream(partition), next: 0 };
    }
    if (c.partition !== partition || c.next > index) {
      c.partition = partition;
      c.stream = c.generator.stream(partition);
      c.next = 0;
    }
    while (c.next < index) {
      c.stream.next();
      c.next++;
    }
    c.next++;
    return c.stream.next();
  },
  positions: () => 0,
};

/** Every type served, by name. */
export const DATA_TYPES: ReadonlyMap<string, DataType<unknown>> = new Map<string, DataType<any>>([
  [eventStreamType.name, eventStreamType],
  [userType.name, userType],
  [cdcEventType.name, cdcEventType],
]);

/** Names of the served types. */
export function typeNames(): string[] {
  return [...DATA_TYPES.keys()];
}

/** The type called `name`, or an UNKNOWN_TYPE error that lists the known ones. */
export function getDataType(name: unknown): DataType<unknown> {
  const t = typeof name === 'string' ? DATA_TYPES.get(name) : undefined;
  if (t === undefined) {
    throw new MockjutsuError('UNKNOWN_TYPE', `unknown type ${JSON.stringify(String(name))}; known types: ${typeNames().join(', ')}`, 'type');
  }
  return t;
}
