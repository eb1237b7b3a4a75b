import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import { didYouMean } from './nearestName.js';

// Shared checks of a domain's validation: every error names the JSON path and what is allowed.

export function fail(path: string, message: string): never {
  throw new MockjutsuError('INVALID_DOMAIN', `${path}: ${message}`, path);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `obj[key]` only when it is the object's own (a state named `constructor` must not find Object's). */
export function own<T = unknown>(obj: object | undefined, key: string): T | undefined {
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, T>)[key] : undefined;
}

export function hasOwn(obj: object | undefined, key: string): boolean {
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key);
}

/** Fails on a key the schema does not know, suggesting the nearest known one. */
export function checkKeys(path: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) {
      fail(`${path}.${k}`, `unknown key ${JSON.stringify(k)}${didYouMean(k, allowed) || ";"} allowed keys: ${allowed.join(', ')}`);
    }
  }
}

export function expectRecord(path: string, v: unknown, what: string): Record<string, unknown> {
  if (!isRecord(v)) fail(path, `expected ${what}, got ${describeValue(v)}`);
  return v;
}

/** Names of states, aggregates and outcomes: also file, URL and column friendly. */
export const NAME_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** Names usable in expressions (variables, lets). */
export const IDENTIFIER_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function checkName(path: string, name: string, what: string, re: RegExp = NAME_RE): void {
  if (!re.test(name)) {
    fail(path, `${what} ${JSON.stringify(name.length > 70 ? name.slice(0, 67) + '...' : name)} is not allowed; use ${re === NAME_RE ? '1-64 letters, digits, "_", "." or "-", starting with a letter' : '1-64 letters, digits or "_", not starting with a digit'}`);
  }
}

export function checkCount(path: string, n: number, max: number, what: string): void {
  if (n > max) fail(path, `${n} ${what}; allowed: at most ${max}`);
}

/** Size limits: a hostile or huge domain is refused before any work grows with it. */
export const DOMAIN_LIMITS = {
  states: 2000,
  transitionsPerState: 500,
  transitions: 50_000,
  outcomesPerState: 50,
  aggregates: 100,
  variables: 500,
  fields: 500,
  lets: 100,
  effects: 100,
  expressionChars: 4000,
  jsonDepth: 32,
  initialValueChars: 100_000,
} as const;
