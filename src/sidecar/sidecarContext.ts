import type { SettingRanges } from './sidecarSettings.js';
import type { LRUCache } from 'lru-cache';
import type { GeneratorCache } from './generatorCache.js';
import type { SessionRegistry } from './sessionRegistry.js';
import type { ServedTypes } from './servedTypes.js';

/** Request limits of a sidecar (every one is a 4xx naming the limit when exceeded; the bulk workers' are not). */
export interface SidecarLimits {
  /** Largest request body, bytes (413 past it). Default 1 MiB. */
  bodyBytes: number;
  /** Deepest nesting of a JSON request body (400 past it). Default 64. */
  bodyDepth: number;
  /** Largest `count` of a JSON `/bulk` and of `/template`. Default 10,000. */
  maxJsonCount: number;
  /** Largest `count` of an NDJSON `/bulk`. Default 10,000,000. */
  maxNdjsonCount: number;
  /** Largest `n` of `/sessions/:key/batch`. Default 10,000. */
  maxBatch: number;
  /** Longest session key, characters. Default 512. */
  maxKeyLength: number;
  /**
   * NDJSON event_stream bulks made by worker threads at once (one each, through the export's
   * `--workers` path), off the event loop; the others are made in the event loop in turns of
   * 64 K characters. Default 0 (none): on 2 cores a worker per bulk used 1.2x-1.7x the CPU of the
   * event loop's path (a fresh isolate per bulk) and, with 4 bulks streaming, /health p99 went
   * from 15 to 137 ms (npm run bench, sidecar).
   */
  bulkWorkers: number;
  /** Fewest sessions of a bulk made by a worker thread (a smaller one is made sooner than a worker starts). Default 2,000. */
  bulkWorkerSessions: number;
}

export const DEFAULT_LIMITS: Readonly<SidecarLimits> = Object.freeze({
  bodyBytes: 1024 * 1024,
  bodyDepth: 64,
  maxJsonCount: 10_000,
  maxNdjsonCount: 10_000_000,
  maxBatch: 10_000,
  maxKeyLength: 512,
  bulkWorkers: 0,
  bulkWorkerSessions: 2000,
});

/** What each limit may be (startSidecar refuses anything else): maxNdjsonCount up to the CLI export cap, bulkWorkers as serve --bulk-workers. */
export const LIMIT_RANGES: SettingRanges<SidecarLimits> = Object.freeze({
  bodyBytes: [1, 2 ** 31 - 1],
  bodyDepth: [1, 10_000],
  maxJsonCount: [1, 10_000_000],
  maxNdjsonCount: [1, 1_000_000_000_000],
  maxBatch: [1, 10_000_000],
  maxKeyLength: [1, 1_000_000],
  bulkWorkers: [0, 256],
  bulkWorkerSessions: [1, 10_000_000],
});

/** A complete answer kept for identical deterministic requests. */
export interface CachedResponse {
  /** Raw header list for `writeHead` (Content-Length included). */
  headers: Array<string | number>;
  body: Buffer;
}

/** Server-wide state every route sees as `app.sidecar` (plugins too). */
export interface SidecarContext {
  /** Seed of `/sessions` requests that give none (not reported by the public `/health`). */
  readonly defaultSeed: string;
  readonly version: string;
  /** `Date.now()` when the server started. */
  readonly startedAt: number;
  readonly limits: Readonly<SidecarLimits>;
  readonly generators: GeneratorCache;
  /** The types and domains served, by name. */
  readonly types: ServedTypes;
  readonly sessions: SessionRegistry;
  /** Deterministic answers by request (type, query, representation). */
  readonly responses: LRUCache<string, CachedResponse>;
  /** True once shutdown began. */
  readonly closing: boolean;
  /** One line on the sidecar's log (stderr by default). */
  log(line: string): void;
  /**
   * One line per failure on the log, at most `perSecond` per kind each second; the lines left
   * out are counted in the next one. For failures that can repeat thousands of times a second
   * (a full disk): no stack traces, no flood.
   */
  logFailure(kind: string, line: string): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The sidecar's shared state. */
    sidecar: SidecarContext;
  }
  interface FastifyContextConfig {
    /** Answered without the bearer token (only `/health`). */
    public?: boolean;
  }
}
