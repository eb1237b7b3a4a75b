import type { GeneratorCache } from './generatorCache.js';
import type { LruCache } from './lruCache.js';
import type { Router } from './router.js';
import type { SessionRegistry } from './sessionRegistry.js';

/** Request limits of a sidecar (every one is a 4xx naming the limit when exceeded). */
export interface SidecarLimits {
  /** Largest request body, bytes (413 past it). Default 1 MiB. */
  bodyBytes: number;
  /** Largest `count` of a JSON `/bulk` and of `/template`. Default 10,000. */
  maxJsonCount: number;
  /** Largest `count` of an NDJSON `/bulk`. Default 10,000,000. */
  maxNdjsonCount: number;
  /** Largest `n` of `/sessions/:key/batch`. Default 10,000. */
  maxBatch: number;
  /** Longest session key, characters. Default 512. */
  maxKeyLength: number;
}

export const DEFAULT_LIMITS: Readonly<SidecarLimits> = Object.freeze({
  bodyBytes: 1024 * 1024,
  maxJsonCount: 10_000,
  maxNdjsonCount: 10_000_000,
  maxBatch: 10_000,
  maxKeyLength: 512,
});

/** A complete answer kept for identical deterministic requests. */
export interface CachedResponse {
  /** Raw header list for `writeHead` (Content-Length included). */
  headers: Array<string | number>;
  body: Buffer;
}

/** Server-wide state every route handler sees as `ctx.sidecar`. */
export interface SidecarContext {
  /** Seed of requests that give none (for `/sessions`), reported by `/health`. */
  readonly defaultSeed: string;
  readonly version: string;
  /** `Date.now()` when the server started. */
  readonly startedAt: number;
  readonly limits: Readonly<SidecarLimits>;
  readonly generators: GeneratorCache;
  readonly sessions: SessionRegistry;
  /** Deterministic answers by request (type, query, representation). */
  readonly responses: LruCache<string, CachedResponse>;
  readonly router: Router;
  /** True once shutdown began. */
  readonly closing: boolean;
  /** One line on the sidecar's log (stderr by default). */
  log(line: string): void;
}
