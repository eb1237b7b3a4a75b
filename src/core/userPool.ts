import { derivePrng, pick, type Prng } from './prng.js';
import { uuidV4 } from './uuid.js';
import { firstNames, lastNames, freeEmailDomains, cities, countries, userAgents } from './data/fakerSlice.generated.js';

/** A user of the pool: the same index always has the same id and profile for a seed. */
export interface UserProfile {
  user_id: string;
  first_name: string;
  last_name: string;
  email: string;
  city: string;
  country: string;
  user_agent: string;
  preferred_auth: string;
  preferred_payment: string;
}

const AUTH_METHODS = ['password', 'password', 'password', 'oauth_google', 'oauth_apple', 'magic_link', 'sso'];
const PAYMENT_METHODS = ['card', 'card', 'card', 'card', 'paypal', 'apple_pay', 'google_pay', 'bank_transfer'];

function emailLocal(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Profile of user `index` of the pool, a pure function of (seed, index). */
export function buildUserProfile(seed: string, index: number): UserProfile {
  const r: Prng = derivePrng(seed, 'user', index);
  const user_id = uuidV4(r);
  const first_name = pick(r, firstNames);
  const last_name = pick(r, lastNames);
  const n = Math.floor(r() * 100);
  const email = emailLocal(first_name) + '.' + emailLocal(last_name) + (r() < 0.5 ? String(n) : '') + '@' + pick(r, freeEmailDomains);
  return {
    user_id,
    first_name,
    last_name,
    email,
    city: pick(r, cities),
    country: pick(r, countries),
    user_agent: pick(r, userAgents),
    preferred_auth: pick(r, AUTH_METHODS),
    preferred_payment: pick(r, PAYMENT_METHODS),
  };
}

/** What a session reads of its user. */
export type SessionUser = Pick<UserProfile, 'user_id' | 'user_agent' | 'preferred_auth' | 'preferred_payment'>;

/**
 * The fields of `buildUserProfile(seed, index)` that sessions use, from the same draws, without
 * building the rest (names, e-mail: two regular-expression replaces, which an engine without a
 * JIT such as k6's goja pays dearly for once per session). Every draw of buildUserProfile must
 * happen here in the same order (test/core/userPool.spec.ts compares the two).
 */
export function buildSessionUser(seed: string, index: number): SessionUser {
  const r: Prng = derivePrng(seed, 'user', index);
  const user_id = uuidV4(r);
  // first_name, last_name, the e-mail's number, whether it is used, its domain, city, country.
  r(); r(); r(); r(); r(); r(); r();
  const user_agent = pick(r, userAgents);
  const preferred_auth = pick(r, AUTH_METHODS);
  return { user_id, user_agent, preferred_auth, preferred_payment: pick(r, PAYMENT_METHODS) };
}

/** A bounded cache of session users (returning users are common; the pool may be millions). */
export class UserPool {
  private readonly cache = new Map<number, SessionUser>();
  constructor(readonly seed: string, readonly size: number, private readonly cacheLimit = 4096) {}

  get(index: number): SessionUser {
    let p = this.cache.get(index);
    if (p === undefined) {
      p = buildSessionUser(this.seed, index);
      if (this.cacheLimit === 0) return p;
      if (this.cache.size >= this.cacheLimit) this.cache.clear();
      this.cache.set(index, p);
    }
    return p;
  }
}
