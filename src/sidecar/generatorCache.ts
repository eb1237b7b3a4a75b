import { LRUCache } from 'lru-cache';
import { createGenerator, type SessionGenerator } from '../core/index.js';
import type { CompiledDomain } from '../core/domain/compileDomain.js';

/** The generator options a request can set. */
export interface GeneratorRequest {
  seed: string;
  users?: number;
  start?: string | number;
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

  constructor(maxGenerators = 256) {
    this.cache = new LRUCache({ max: maxGenerators });
  }

  /** Key of a request's generator (also used to key session cursors). */
  static key(r: GeneratorRequest): string {
    return (r.domain?.name ?? 'shop') + '\u0000' + r.seed + '\u0000' + (r.users ?? '') + '\u0000' + (r.start ?? '');
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
    const g = createGenerator({ seed: r.seed, users: r.users, start: r.start, ...(r.domain === undefined ? {} : { domain: r.domain }) });
    if (cacheable) this.cache.set(key, g);
    return g;
  }

  get size(): number {
    return this.cache.size;
  }
}
