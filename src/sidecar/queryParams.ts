import { HttpError } from './httpError.js';
import { normalizeSeed, MockjutsuError } from '../core/index.js';

const INTEGER = /^-?\d{1,16}$/;

function show(value: string): string {
  return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
}

/**
 * The query string of one request, checked against the parameters its route allows: an
 * unknown or repeated parameter is a 400 naming it (a typo such as `sead=1` must not silently
 * fall back to a random seed).
 */
export class QueryParams {
  private readonly values = new Map<string, string>();

  constructor(rawQuery: string, allowed: readonly string[] | undefined) {
    if (rawQuery.length === 0) return;
    for (const [name, value] of new URLSearchParams(rawQuery)) {
      if (allowed !== undefined && !allowed.includes(name)) {
        const list = allowed.length === 0 ? 'none' : allowed.join(', ');
        throw new HttpError(400, 'INVALID_QUERY', `unknown query parameter ${show(name)}; allowed: ${list}`);
      }
      if (this.values.has(name)) throw new HttpError(400, 'INVALID_QUERY', `query parameter ${show(name)} is given twice; give it once`);
      this.values.set(name, value);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The raw value, or undefined when absent. */
  string(name: string): string | undefined {
    return this.values.get(name);
  }

  /** A seed (canonical string form), or undefined when absent. */
  seed(name = 'seed'): string | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    try {
      return normalizeSeed(v, name);
    } catch (err) {
      if (err instanceof MockjutsuError) throw new HttpError(400, 'INVALID_SEED', err.message);
      throw err;
    }
  }

  /** An integer in [min, max], or undefined when absent. */
  integer(name: string, min: number, max: number, code: 'INVALID_COUNT' | 'INVALID_QUERY' = 'INVALID_QUERY', hint = ''): number | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    const n = INTEGER.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new HttpError(400, code, `${name} is ${show(v)}; allowed: an integer from ${min} to ${max}${hint}`);
    }
    return n;
  }

  /** A boolean flag: 1/true/yes or 0/false/no; `fallback` when absent. */
  flag(name: string, fallback: boolean): boolean {
    const v = this.values.get(name);
    if (v === undefined) return fallback;
    const l = v.toLowerCase();
    if (l === '1' || l === 'true' || l === 'yes' || l === '') return true;
    if (l === '0' || l === 'false' || l === 'no') return false;
    throw new HttpError(400, 'INVALID_QUERY', `${name} is ${show(v)}; allowed: 1, true, yes, 0, false, no`);
  }

  /** One of `choices`; `fallback` when absent. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const v = this.values.get(name);
    if (v === undefined) return fallback;
    if (!(choices as readonly string[]).includes(v)) {
      throw new HttpError(400, 'INVALID_QUERY', `${name} is ${show(v)}; allowed: ${choices.join(', ')}`);
    }
    return v as T;
  }

  /** `start`: epoch milliseconds when all digits, else the text (ISO-8601 or "now"; the core validates it). */
  start(name = 'start'): string | number | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    return INTEGER.test(v) ? Number(v) : v;
  }
}
