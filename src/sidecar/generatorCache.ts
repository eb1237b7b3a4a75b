import { LRUCache } from 'lru-cache';
import { createGenerator, type CompiledDomain, type SessionGenerator, type UserRecord } from '../core/index.js';

/** The generator options a request can set. */
export interface GeneratorRequest {
  seed: string;
  users?: number;
  start?: string | number;
  /**
   * One user's record: sessions of that user only (`users: [record]`), as a k6 VU that drew the
   * user from a pool generates them. `recordKey` is its canonical JSON text (keys the cache).
   */
  record?: { value: UserRecord; key: string };
  /** The domain (one of the served ones, distinct by name); default the shop. */
  domain?: CompiledDomain;
}

/**
 * Resolved generators by (seed, users, start), bounded: resolving options and building the
 * simulator once per seed rather than per request is most of the sidecar's speed.
 * Generators whose output depends on the clock (`start=now`) are never cached.
 */
export class GeneratorCache {
  private readonly cache: LRUCache<string, SessionGenerator>;
  /**
   * Users of requests that name none (`serve --users N|FILE`): a count, or the records of users
   * that exist in the system under test. Undefined: the generator's default (1,000 seeded users).
   */
  readonly defaultUsers: number | ArrayLike<UserRecord> | undefined;

  constructor(maxGenerators = 256, defaultUsers?: number | ArrayLike<UserRecord>) {
    this.cache = new LRUCache({ max: maxGenerators });
    this.defaultUsers = defaultUsers;
  }

  /** Key of a request's generator (also used to key session cursors). */
  static key(r: GeneratorRequest): string {
    return (r.domain?.name ?? 'shop') + '\u0000' + r.seed + '\u0000' + (r.record !== undefined ? 'record:' + r.record.key : r.users ?? '') + '\u0000' + (r.start ?? '');
  }

  /**
   * The generator for `r` (throws MockjutsuError for bad users or start). `remember` false
   * builds one without caching it, for one-off random seeds.
   */
  get(r: GeneratorRequest, remember = true): SessionGenerator {
    const cacheable = remember && r.start !== 'now';
    const key = cacheable ? GeneratorCache.key(r) : '';
    if (cacheable) {
      const hit = this.cache.get(key);
      if (hit !== undefined) return hit;
    }
    const users = r.record !== undefined ? [r.record.value] : r.users ?? this.defaultUsers;
    const g = createGenerator({ seed: r.seed, users, start: r.start, ...(r.domain === undefined ? {} : { domain: r.domain }) });
    if (cacheable) this.cache.set(key, g);
    return g;
  }

  /**
   * The record of user `id` (`user_id`, or `id`) among the users of `serve --users FILE`;
   * undefined when there is none or the sidecar has no records.
   */
  recordOf(id: string): UserRecord | undefined {
    const users = this.defaultUsers;
    if (users === undefined || typeof users === 'number') return undefined;
    if (this.byId === undefined) {
      this.byId = new Map();
      for (let i = 0; i < users.length; i++) {
        const u = users[i]!;
        const uid = u.user_id ?? u.id;
        if (uid !== undefined && !this.byId.has(String(uid))) this.byId.set(String(uid), i);
      }
    }
    const i = this.byId.get(id);
    return i === undefined ? undefined : users[i];
  }

  /** Whether `serve --users FILE` gave records (rather than a count). */
  get hasRecords(): boolean {
    return this.defaultUsers !== undefined && typeof this.defaultUsers !== 'number';
  }

  private byId: Map<string, number> | undefined;

  get size(): number {
    return this.cache.size;
  }
}
