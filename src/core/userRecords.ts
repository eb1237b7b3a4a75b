import { MockjutsuError, describeValue } from './mockjutsuError.js';
import { buildUserProfile, type UserProfile } from './userPool.js';

/**
 * A user that exists in the system under test, as a data-creation run recorded it. `user_id`
 * (or `id`) is required; the other profile fields are taken when present (`name` is split into
 * first and last name) and otherwise filled from the seeded profile of the same index, so the
 * sessions stay a pure function of (seed, records).
 */
export interface UserRecord {
  user_id?: string | number;
  id?: string | number;
  email?: string;
  name?: string;
  first_name?: string;
  last_name?: string;
  city?: string;
  country?: string;
  user_agent?: string;
  preferred_auth?: string;
  preferred_payment?: string;
  [field: string]: unknown;
}

const TEXT_FIELDS = ['email', 'first_name', 'last_name', 'city', 'country', 'user_agent', 'preferred_auth', 'preferred_payment'] as const;

function textField(record: UserRecord, field: string, index: number): string | undefined {
  const v = record[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new MockjutsuError('INVALID_OPTION', `users[${index}].${field} is ${describeValue(v)}; expected a string`, `users[${index}].${field}`);
  return v;
}

/** The profile sessions use for record `index` of a users list. */
export function userProfileFromRecord(seed: string, record: UserRecord, index: number): UserProfile {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new MockjutsuError('INVALID_OPTION', `users[${index}] is ${describeValue(record)}; expected an object with a user_id (or id)`, `users[${index}]`);
  }
  const id = record.user_id ?? record.id;
  if (!(typeof id === 'string' && id.length > 0) && !(typeof id === 'number' && Number.isSafeInteger(id))) {
    throw new MockjutsuError('INVALID_OPTION', `users[${index}] has user_id/id ${describeValue(id)}; expected a non-empty string or an integer`, `users[${index}].user_id`);
  }
  const profile = buildUserProfile(seed, index);
  profile.user_id = String(id);
  const name = textField(record, 'name', index);
  if (name !== undefined) {
    const space = name.trim().indexOf(' ');
    profile.first_name = space < 0 ? name.trim() : name.trim().slice(0, space);
    profile.last_name = space < 0 ? '' : name.trim().slice(space + 1).trim();
  }
  for (const field of TEXT_FIELDS) {
    const v = textField(record, field, index);
    if (v !== undefined) profile[field] = v;
  }
  return profile;
}

/** Checks a users list: an array or array-like (a k6 SharedArray) of 1..10,000,000 records. */
export function checkUserRecords(users: unknown, seed: string): ArrayLike<UserRecord> {
  const list = users as ArrayLike<UserRecord>;
  if (typeof list !== 'object' || list === null || typeof list.length !== 'number' || list.length < 1 || list.length > 10_000_000) {
    throw new MockjutsuError('INVALID_OPTION', `users is ${describeValue(users)}; allowed: an integer from 1 to 10000000, or an array of 1 to 10000000 user records ({ user_id, email, name... })`, 'users');
  }
  // A plain array is checked whole now; an array-like (k6 SharedArray: each read is a copy) is
  // checked record by record as sessions use them.
  const count = Array.isArray(list) && list.length <= 100_000 ? list.length : 1;
  for (let i = 0; i < count; i++) userProfileFromRecord(seed, list[i]!, i);
  return list;
}

/** Profiles of a users list, converted on first use and cached (bounded, like the seeded pool). */
export class RecordUserPool {
  private readonly cache = new Map<number, UserProfile>();
  constructor(readonly seed: string, private readonly records: ArrayLike<UserRecord>, private readonly cacheLimit = 4096) {}

  get(index: number): UserProfile {
    let p = this.cache.get(index);
    if (p === undefined) {
      p = userProfileFromRecord(this.seed, this.records[index]!, index);
      if (this.cacheLimit === 0) return p;
      if (this.cache.size >= this.cacheLimit) this.cache.clear();
      this.cache.set(index, p);
    }
    return p;
  }
}
