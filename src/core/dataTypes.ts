import type { SessionGenerator } from './sessionGenerator.js';
import { buildUserProfile, type UserProfile } from './userPool.js';
import { userProfileFromRecord } from './userRecords.js';
import type { Session } from './sessionEvent.js';
import { MockjutsuError } from './mockjutsuError.js';
import { cdcEventDataType } from './schema/cdcDataType.js';

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
  description: 'a user profile of the pool (the same index keeps the same id and profile); with users given as records, the profile sessions use for record index % count',
  item: (g, _partition, index) => {
    const i = index % g.config.users;
    const records = g.config.userRecords;
    // the very profile the sessions of these users carry (RecordUserPool), not a seeded one
    return records === undefined ? buildUserProfile(g.seed, i) : userProfileFromRecord(g.seed, records[i]!, i);
  },
  positions: () => 0,
};

/** Every type served, by name. */
export const DATA_TYPES: ReadonlyMap<string, DataType<unknown>> = new Map<string, DataType<any>>([
  [eventStreamType.name, eventStreamType],
  [userType.name, userType],
  [cdcEventDataType.name, cdcEventDataType],
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
