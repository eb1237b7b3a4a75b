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

/**
 * A bounded cache of session users (returning users are common; the pool may be millions).
 * Direct-mapped: user i lives in slot i % cacheLimit, in parallel arrays rather than one object
 * per user, which is what a k6 VU's goja runtime pays most for (~600 bytes per small object
 * there, ~130 bytes per user here); `get` makes the small object per call, once per session.
 */
export class UserPool {
  private readonly slots: number;
  private readonly indexes: number[] = [];
  private readonly ids: string[] = [];
  private readonly agents: string[] = [];
  private readonly auths: string[] = [];
  private readonly payments: string[] = [];
  constructor(readonly seed: string, readonly size: number, cacheLimit = 4096) {
    this.slots = Math.min(cacheLimit, size);
  }

  get(index: number): SessionUser {
    if (this.slots === 0) return buildSessionUser(this.seed, index);
    const slot = index % this.slots;
    if (this.indexes[slot] !== index) {
      const u = buildSessionUser(this.seed, index);
      // Filled in slot order the first time (arrays stay dense), then overwritten in place.
      while (this.indexes.length <= slot) {
        this.indexes.push(-1);
        this.ids.push('');
        this.agents.push('');
        this.auths.push('');
        this.payments.push('');
      }
      this.indexes[slot] = index;
      this.ids[slot] = u.user_id;
      this.agents[slot] = u.user_agent;
      this.auths[slot] = u.preferred_auth;
      this.payments[slot] = u.preferred_payment;
      return u;
    }
    return { user_id: this.ids[slot]!, user_agent: this.agents[slot]!, preferred_auth: this.auths[slot]!, preferred_payment: this.payments[slot]! };
  }
}
