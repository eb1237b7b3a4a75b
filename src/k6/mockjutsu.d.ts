// Type declarations of dist/k6/mockjutsu.js (copied there by scripts/buildK6Bundle.mjs). They
// reuse the core's declarations (dist/core) and need no Node types. test/k6/typings.int.spec.ts
// checks that src/k6/index.ts implements exactly this.
import type {
  BulkOptions, GenerateOptions, GeneratorOptions, PartitionKey, Session, SessionEvent, SessionStream, SessionStreamState, TypeMap, TypeName,
} from '../core/index.js';

export type {
  AddToCartPayload, BulkOptions, CheckoutPayload, CustomPayload, EventPayload, GenerateOptions, GeneratorOptions,
  LoginPayload, LogoutPayload, MarkovModelDefinition, MockjutsuErrorCode, OrderItem,
  OutcomeDefinition, PageViewPayload, PartitionKey, PaymentPayload, RemoveFromCartPayload, SearchPayload, Seed, Session,
  SessionEvent, SessionStream, SessionStreamState, StateDefinition, ThinkTimeDefinition, TypeMap, TypeName, UserProfile,
  UserRecord, CompileSchemaOptions, SchemaGenerator, SchemaMode, MockEventOptions, EventMocker, EventContextFunction,
  MockEventContext, EnvelopeKind, EnvelopeContext, EnvelopeFields, CdcEvent, CdcOptions, CdcGenerator, CdcStream,
  DomainDefinition, DomainModule,
} from '../core/index.js';
export {
  MockjutsuError, SCHEMA_VERSION, serializeEvent, serializeSession,
  parseNdjsonRecords, compileSchema, mockEvent, mockEvents, createEventMocker, eventBridgeContext, cloudEventsContext,
  wrapEnvelope, envelopeContext, wrapSessionEvent, createCdcGenerator, ENVELOPE_KINDS,
} from '../core/index.js';

/**
 * Options of {@link sessionStream}: the generator options plus an optional fixed partition.
 * `domain`: "shop" (the default, carried by mockjutsu.js) or the default export of a module
 * compiled ahead (`mockjutsu domain --compile FILE --target k6 --out NAME.k6.js`; every built-in
 * domain ships as one: dist/k6/domains/NAME.k6.js); a domain definition (JSON from `open()`)
 * needs mockjutsu-domains.js, the bundle with the compiler.
 */
export interface K6SessionStreamOptions extends GeneratorOptions {
  /**
   * Overrides the partition, which is otherwise this VU's `exec.vu.idInTest` (unique across
   * every instance of a distributed run).
   */
  partition?: PartitionKey;
}

/**
 * This VU's session stream: the library's `SessionStream` (seed, partition, next, nextSession,
 * take, getState), bound to the VU on the first pull, never in the init context. Reading
 * `partition` binds it too.
 */
export type VuSessionStream = Omit<SessionStream, typeof Symbol.iterator>;

/** Name of the `__ENV` variable used as the seed when a call gives none: `MOCKJUTSU_SEED`. */
export declare const SEED_ENV_VAR: 'MOCKJUTSU_SEED';

/**
 * This VU's deterministic session stream. Call it in the init context: options are validated
 * there (bad ones throw a `MockjutsuError`); the VU id is read on the first `next()` /
 * `nextSession()`. Session k of VU v is the library's `createSessionStream({ seed, partition: v })`
 * session k, byte for byte. A seed is required (`seed` or `-e MOCKJUTSU_SEED=...`).
 * `start: "now"` is read when each VU initialises, so VUs then differ; use a fixed start to replay.
 *
 * @example
 * const stream = sessionStream({ seed: __ENV.SEED });
 * export default function () { const event = stream.next(); }
 */
export declare function sessionStream(options?: K6SessionStreamOptions): VuSessionStream;

/**
 * One item of a type, as `jutsu.generate` in the library: for `event_stream`, session
 * `options.session` (default 0) of `options.partition` (default 0, not the VU).
 */
export declare function generate<T extends string>(type: T, options?: GenerateOptions): T extends TypeName ? TypeMap[T] : unknown;

/** `count` items of a type (items 0..count-1 of the partition), as `jutsu.bulk` in the library. */
export declare function bulk<T extends string>(type: T, options: BulkOptions): Array<T extends TypeName ? TypeMap[T] : unknown>;

/** Names of the types `generate` and `bulk` serve. */
export declare function types(): string[];

/** Options of {@link dataPool}. */
export interface K6DataPoolOptions {
  /** Name used in messages (default "pool"). */
  name?: string;
  /** Round-robin forever (default false: each item once in the whole test, then exhausted). */
  recyclable?: boolean;
  /**
   * Which test-wide id picks the item:
   * - `"iteration"` (default): `exec.scenario.iterationInTest`; iteration i takes items
   *   [i * perIteration, (i + 1) * perIteration). Items are used in order, whatever VU runs the iteration.
   * - `"vu"`: `exec.vu.idInTest`; VU v takes v-1, v-1+vus, v-1+2*vus ... (needs `vus`). Items
   *   stay with their VU (a VU keeps its own users); VUs that run fewer iterations leave gaps.
   */
  by?: 'iteration' | 'vu';
  /** With by "iteration": the most items one iteration takes (default 1). */
  perIteration?: number;
  /** With by "vu": the test's VU count, all instances together (the highest `exec.vu.idInTest`). */
  vus?: number;
  /** When a non-recyclable pool runs out: `"throw"` (default; the iteration fails) or `"abort"` (`exec.test.abort` ends the test). */
  onExhausted?: 'throw' | 'abort';
}

/** A pool of items drawn by this VU (see {@link dataPool}). */
export interface K6DataPool<T> {
  readonly name: string;
  readonly size: number;
  readonly recyclable: boolean;
  /** The next item; when a non-recyclable pool is exhausted, throws a `POOL_EXHAUSTED` error (or aborts the test, per `onExhausted`). */
  next(): T;
  /** The next item, or undefined when a non-recyclable pool is exhausted (for an early `return`). */
  tryNext(): T | undefined;
  /** The text `next()` throws when the pool is exhausted (to log or pass to `exec.test.abort`). */
  readonly exhaustedMessage: string;
}

/**
 * A data pool over `items`: a `SharedArray` made in the init context (or any array). Create
 * it in the init context; items are drawn in the default function. Non-recyclable (the
 * default): each item at most once in the whole test, across VUs and execution segments,
 * because the index comes from `exec.scenario.iterationInTest` (or `exec.vu.idInTest`), ids
 * k6 makes unique test-wide; no coordination between VUs or instances.
 *
 * @example
 * const users = dataPool(new SharedArray('users', () => JSON.parse(open('./users.json'))), { name: 'users' });
 * export default function () {
 *   const user = users.tryNext();
 *   if (user === undefined) return exec.test.abort(users.exhaustedMessage);
 * }
 */
export declare function dataPool<T>(items: ArrayLike<T>, options?: K6DataPoolOptions): K6DataPool<T>;
