import randexpModule from 'randexp';
import type { Prng } from '../prng.js';
import { MockjutsuError } from '../mockjutsuError.js';

/** Upper bound of `*`, `+` and `{n,}` repeats: long enough to look real, short enough to be cheap. */
const OPEN_REPEAT_MAX = 8;

// randexp is CommonJS with `module.exports = RandExp`; its typings describe `exports.default`.
type RandExpClass = typeof import('randexp').default;
const RandExp = randexpModule as unknown as RandExpClass;

/** Strings matching a `pattern`, drawn from our PRNG (randexp does the regex walk). */
export interface PatternString {
  /** A candidate string; callers check it against `regex` (randexp cannot honour lookarounds or backrefs). */
  draw(r: Prng): string;
  readonly regex: RegExp;
}

/**
 * Compiles a JSON Schema `pattern` (ECMA-262, Unicode mode as ajv uses, unanchored). randexp's
 * `randInt` is replaced so every choice it makes comes from the PRNG passed to `draw`.
 */
export function compilePattern(pattern: unknown, at: string, minLength = 0): PatternString {
  if (typeof pattern !== 'string') throw new MockjutsuError('INVALID_SCHEMA', `pattern must be a string, not ${typeof pattern}`, at);
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch (e) {
    throw new MockjutsuError('INVALID_SCHEMA', `pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}`, at);
  }
  let gen: InstanceType<RandExpClass>;
  try {
    gen = new RandExp(pattern);
  } catch (e) {
    throw new MockjutsuError('INVALID_SCHEMA', `pattern ${JSON.stringify(pattern)} cannot be turned into strings: ${(e as Error).message}`, at);
  }
  // a minLength longer than the usual repeats needs longer open repeats to be reachable
  gen.max = Math.max(OPEN_REPEAT_MAX, 2 * minLength);
  // randexp expands a character class into a range set on every character it draws; the
  // tokens never change, so remember each expansion (10x faster on patterns like [a-f0-9]{32}).
  const internals = gen as unknown as { _expand(token: object): unknown };
  const expand = internals._expand.bind(gen);
  const expanded = new Map<object, unknown>();
  internals._expand = (token) => {
    let e = expanded.get(token);
    if (e === undefined) {
      e = expand(token);
      expanded.set(token, e);
    }
    return e;
  };
  let current: Prng | undefined;
  (gen as unknown as { randInt(a: number, b: number): number }).randInt = (a, b) => a + Math.floor(current!() * (b - a + 1));
  return {
    regex,
    draw(r) {
      current = r;
      return gen.gen();
    },
  };
}
