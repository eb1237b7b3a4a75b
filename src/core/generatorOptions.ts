import { MockjutsuError, describeValue } from './mockjutsuError.js';
import type { MarkovModelDefinition } from './markovModel.js';
import { DEFAULT_START_MS, LATEST_SESSION_START_MS, isRepresentableMs } from './timeModel.js';
import { checkUserRecords, type UserRecord } from './userRecords.js';
import { resolveDomain, type DomainInput } from './domain/resolveDomain.js';
import type { CompiledDomain } from './domain/compileDomain.js';

/** A seed: any non-empty string up to 256 characters or a safe integer. `42` and `"42"` are the same seed. */
export type Seed = string | number;

/** A partition key: a k6 VU id, a JMeter thread key... Keys compare by their string form. */
export type PartitionKey = string | number;

/** Options shared by every generator entry point. */
export interface GeneratorOptions {
  /** Determines every byte. Without it a random seed is chosen (see {@link resolveSeed}). */
  seed?: Seed;
  /**
   * The domain whose sessions are generated: a built-in name ("shop", "bank", "hotel"), a
   * domain definition (see docs/domains.md) or a compiled domain. Default: the shop.
   */
  domain?: DomainInput;
  /** Overrides of the domain's `params` (constants its expressions read as `params.<name>`). */
  params?: Record<string, unknown>;
  /**
   * The shop's Markov chain replaced by this one (the shop's events keep their rules; see
   * `compileModel`). Only with the shop: another domain carries its chain itself.
   */
  model?: MarkovModelDefinition;
  /**
   * Number of distinct users sessions are drawn from (1..10,000,000, default 1,000). Returning
   * users keep id and profile. Or the users themselves: an array (or k6 SharedArray) of records
   * of users that exist in the system under test ({@link UserRecord}); sessions then belong to
   * them, drawn the same way (the same seed and records give the same sessions).
   */
  users?: number | ArrayLike<UserRecord>;
  /**
   * First session's start: ISO-8601 text, epoch ms, a Date, or "now".
   * Default 2025-01-01T00:00:00.000Z, so that output does not depend on the clock.
   */
  start?: string | number | Date;
  /** Session k of a partition starts within [k, k+1) x this interval after `start` (default 30 min). */
  sessionIntervalMs?: number;
  /** Spread session starts over this period instead, following `activity` (default: no spread). */
  spreadMs?: number;
  /** Activity curve used with `spreadMs`: "daily-weekly" (default) or "flat". */
  activity?: 'daily-weekly' | 'flat';
  /** Products in the seeded catalog (10..100,000, default 500). */
  catalogSize?: number;
  /** ISO 4217 code of every price (default "USD"). */
  currency?: string;
  /** Origin of page_view URLs (default "https://shop.example.com"). */
  siteUrl?: string;
  /**
   * Most user profiles kept in memory (0..1,000,000, default 4,096). Only memory and speed
   * change, never the output: a k6 VU sets it low to stay small.
   */
  userCacheSize?: number;
}

/** Options resolved and validated; what the simulator runs on. */
export interface GeneratorConfig {
  readonly seed: string;
  /** The compiled domain the sessions follow. */
  readonly domain: CompiledDomain;
  /** The domain's params with the overrides applied. */
  readonly params: Readonly<Record<string, unknown>>;
  /** How many users sessions are drawn from. */
  readonly users: number;
  /** The users' records when `users` was a list; undefined for seeded users. */
  readonly userRecords: ArrayLike<UserRecord> | undefined;
  readonly startMs: number;
  readonly sessionIntervalMs: number;
  readonly spreadMs: number;
  readonly activity: 'daily-weekly' | 'flat';
  readonly catalogSize: number;
  readonly currency: string;
  readonly siteUrl: string;
  readonly userCacheSize: number;
}

/** Names of the {@link GeneratorOptions} (entry points that take more, such as k6's, extend it). */
export const GENERATOR_OPTION_NAMES: readonly (keyof GeneratorOptions)[] = [
  'seed', 'domain', 'params', 'model', 'users', 'start', 'sessionIntervalMs', 'spreadMs', 'activity', 'catalogSize', 'currency', 'siteUrl', 'userCacheSize',
];

const KNOWN_OPTIONS = new Set<string>([
  ...GENERATOR_OPTION_NAMES,
  // entry-point specific options, validated where they are used
  'count', 'partition', 'unit', 'sessions', 'events', 'session', 'envelope',
]);

/** Validates a seed and returns its canonical string form. */
export function normalizeSeed(seed: unknown, path = 'seed'): string {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw new MockjutsuError('INVALID_SEED', `${path} is ${describeValue(seed)}; allowed: a safe integer or a non-empty string of at most 256 characters`, path);
    return String(seed);
  }
  if (typeof seed === 'string' && seed.length > 0 && seed.length <= 256) return seed;
  throw new MockjutsuError('INVALID_SEED', `${path} is ${describeValue(seed)}; allowed: a safe integer or a non-empty string of at most 256 characters`, path);
}

/** A fresh random seed (uses Math.random: only for runs without a seed, which report it). */
export function randomSeed(): string {
  return String(Math.floor(Math.random() * 0x100000000) * 0x100000 + Math.floor(Math.random() * 0x100000));
}

/** The seed a run will use: the one given (validated) or a fresh random one. */
export function resolveSeed(seed: Seed | undefined): string {
  return seed === undefined ? randomSeed() : normalizeSeed(seed);
}

/** Validates a partition key and returns its canonical string form. */
export function normalizePartition(partition: unknown, path = 'partition'): string {
  if (typeof partition === 'number' && Number.isSafeInteger(partition)) return String(partition);
  if (typeof partition === 'string' && partition.length > 0 && partition.length <= 512) return partition;
  throw new MockjutsuError('INVALID_OPTION', `${path} is ${describeValue(partition)}; allowed: a safe integer or a non-empty string of at most 512 characters`, path);
}

/** Validates an integer option (used for counts by every surface). */
export function checkInteger(value: unknown, path: string, min: number, max: number, code: 'INVALID_OPTION' | 'INVALID_COUNT' = 'INVALID_OPTION'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MockjutsuError(code, `${path} is ${describeValue(value)}; allowed: an integer from ${min} to ${max}`, path);
  }
  return value;
}

function parseStart(start: unknown): number {
  if (start === undefined) return DEFAULT_START_MS;
  let ms: number;
  if (start === 'now') ms = Date.now();
  else if (start instanceof Date) ms = start.getTime();
  else if (typeof start === 'number') ms = start;
  else if (typeof start === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(start)) ms = Date.parse(start);
  else ms = NaN;
  // Sessions run after their start, so the last year before 9999-12-31 is left to them.
  if (!isRepresentableMs(ms) || ms > LATEST_SESSION_START_MS) {
    throw new MockjutsuError('INVALID_OPTION', `start is ${describeValue(start)}; allowed: "now", an ISO-8601 instant such as "2025-01-01T00:00:00Z" (UTC or with an offset), epoch milliseconds, or a Date, from 1970 to 9998-12-31`, 'start');
  }
  return ms;
}

/** Resolves and validates options; throws {@link MockjutsuError} naming the bad value. */
export function resolveGeneratorConfig(options: GeneratorOptions = {}, seed?: string): GeneratorConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new MockjutsuError('INVALID_OPTION', `options is ${describeValue(options)}; expected an object`, 'options');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new MockjutsuError('INVALID_OPTION', `unknown option ${JSON.stringify(key)}; allowed: ${[...KNOWN_OPTIONS].join(', ')}`, key);
    }
  }
  const resolvedSeed = seed ?? resolveSeed(options.seed);
  const userRecords = typeof options.users === 'object' && options.users !== null ? checkUserRecords(options.users, resolvedSeed) : undefined;
  const users = userRecords !== undefined ? userRecords.length : options.users === undefined ? 1000 : checkInteger(options.users, 'users', 1, 10_000_000);
  const sessionIntervalMs = options.sessionIntervalMs === undefined ? 1_800_000 : checkInteger(options.sessionIntervalMs, 'sessionIntervalMs', 1, 365 * 86_400_000);
  const spreadMs = options.spreadMs === undefined ? 0 : checkInteger(options.spreadMs, 'spreadMs', 1, 10 * 365 * 86_400_000);
  const activity = options.activity ?? 'daily-weekly';
  if (activity !== 'daily-weekly' && activity !== 'flat') {
    throw new MockjutsuError('INVALID_OPTION', `activity is ${describeValue(activity)}; allowed: "daily-weekly" or "flat"`, 'activity');
  }
  const catalogSize = options.catalogSize === undefined ? 500 : checkInteger(options.catalogSize, 'catalogSize', 10, 100_000);
  const currency = options.currency ?? 'USD';
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw new MockjutsuError('INVALID_OPTION', `currency is ${describeValue(currency)}; allowed: a three-letter ISO 4217 code such as "USD"`, 'currency');
  }
  const siteUrl = options.siteUrl ?? 'https://shop.example.com';
  if (typeof siteUrl !== 'string' || !/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(siteUrl)) {
    throw new MockjutsuError('INVALID_OPTION', `siteUrl is ${describeValue(siteUrl)}; allowed: an origin such as "https://shop.example.com" (no path, no trailing slash)`, 'siteUrl');
  }
  const userCacheSize = options.userCacheSize === undefined ? 4096 : checkInteger(options.userCacheSize, 'userCacheSize', 0, 1_000_000);
  const domain = resolveDomain(options.domain, options.model);
  const params = resolveParams(domain, options.params, options.currency, options.siteUrl);
  return Object.freeze({
    seed: resolvedSeed,
    domain,
    params,
    users,
    userRecords,
    startMs: parseStart(options.start),
    sessionIntervalMs,
    spreadMs,
    activity,
    catalogSize,
    currency,
    siteUrl,
    userCacheSize,
  });
}

/**
 * The domain's params with the caller's overrides (each a param the domain declares, of the type
 * of its own value), frozen; `currency` and `siteUrl` fill the shop's.
 */
export function resolveParams(domain: CompiledDomain, overrides: unknown, currency?: unknown, siteUrl?: unknown): Readonly<Record<string, unknown>> {
  const params: Record<string, unknown> = {};
  for (const k of Object.keys(domain.params)) Object.defineProperty(params, k, { value: domain.params[k], enumerable: true, writable: true });
  const set = (k: string, v: unknown, path: string): void => {
    if (!Object.prototype.hasOwnProperty.call(domain.params, k)) {
      throw new MockjutsuError('INVALID_OPTION', `${path}: domain ${domain.name} has no param ${JSON.stringify(k)}; its params: ${Object.keys(domain.params).join(', ') || '(none)'}`, path);
    }
    const was = typeof domain.params[k];
    if (typeof v !== was) throw new MockjutsuError('INVALID_OPTION', `${path} is ${describeValue(v)}; allowed: a ${was} like the domain's ${JSON.stringify(domain.params[k])}`, path);
    Object.defineProperty(params, k, { value: v, enumerable: true, writable: true });
  };
  if (currency !== undefined && Object.prototype.hasOwnProperty.call(domain.params, 'currency')) set('currency', currency, 'currency');
  if (siteUrl !== undefined && Object.prototype.hasOwnProperty.call(domain.params, 'site_url')) set('site_url', siteUrl, 'siteUrl');
  if (overrides !== undefined) {
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) throw new MockjutsuError('INVALID_OPTION', `params is ${describeValue(overrides)}; expected an object of the domain's params`, 'params');
    for (const k of Object.keys(overrides)) set(k, (overrides as Record<string, unknown>)[k], `params.${k}`);
  }
  return Object.freeze(params);
}
