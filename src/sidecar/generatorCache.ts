import { LRUCache } from 'lru-cache';
import { createGenerator, type SessionGenerator, type UserRecord } from '../core/index.js';

/** The generator options a request can set. */
export interface GeneratorRequest {
  seed: string;
  users?: number;
  start?: string | number;
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
    return r.seed + '\u0000' + (r.users ?? '') + '\u0000' + (r.start ?? '');
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
    const g = createGenerator({ seed: r.seed, users: r.users ?? this.defaultUsers, start: r.start });
    if (cacheable) this.cache.set(key, g);
    return g;
  }

  get size(): number {
    return this.cache.size;
  }
}
