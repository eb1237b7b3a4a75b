import * as retTokenizer from 'ret/dist/tokenizer.js';
import type { Prng } from '../prng.js';
import { MockjutsuError } from '../mockjutsuError.js';

/** Upper bound of `*`, `+` and `{n,}` repeats: long enough to look real, short enough to be cheap. */
const OPEN_REPEAT_MAX = 8;

/** Printable ASCII: what `.` and negated classes draw from, and what classes prefer. */
const PRINTABLE: Range = [32, 126];

// ret's token tree (`type` numbers are ret's `types`: ROOT 0, GROUP 1, POSITION 2, SET 3,
// RANGE 4, REPETITION 5, REFERENCE 6, CHAR 7).
interface Token {
  type: number;
  stack?: Token[];
  options?: Token[][];
  remember?: boolean;
  followedBy?: boolean;
  notFollowedBy?: boolean;
  set?: Token[];
  not?: boolean;
  from?: number;
  to?: number;
  min?: number;
  max?: number;
  value?: Token | number;
}

type Range = [number, number];
type Piece = (r: Prng, groups: string[]) => string;

// ret is CommonJS; only its tokenizer module is imported (its index also pulls in a
// regex writer we do not use).
// Through a namespace import: Node's ESM loader puts module.exports on `default` (and the
// detected named export), a CommonJS transpile (tsx's require path) only the named export.
type RetModule = { tokenizer?(pattern: string): Token; default?: { tokenizer(pattern: string): Token } };
const tokenize = ((retTokenizer as unknown as RetModule).tokenizer ?? (retTokenizer as unknown as RetModule).default!.tokenizer);

/** Strings matching a `pattern`, drawn from our PRNG. */
export interface PatternString {
  /** A candidate string; callers check it against `regex` (lookarounds are not generated). */
  draw(r: Prng): string;
  readonly regex: RegExp;
}

function codeRanges(token: Token): Range[] {
  if (token.type === 7) return [[token.value as number, token.value as number]];
  if (token.type === 4) return [[token.from!, token.to!]];
  const out: Range[] = [];
  for (const t of token.set ?? []) out.push(...codeRanges(t));
  return out;
}

function merged(ranges: Range[]): Range[] {
  const sorted = ranges.slice().sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function intersect(ranges: Range[], [lo, hi]: Range): Range[] {
  const out: Range[] = [];
  for (const [a, b] of ranges) if (b >= lo && a <= hi) out.push([Math.max(a, lo), Math.min(b, hi)]);
  return out;
}

function complement(ranges: Range[], [lo, hi]: Range): Range[] {
  const out: Range[] = [];
  let next = lo;
  for (const [a, b] of ranges) {
    if (b < next) continue;
    if (a > hi) break;
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= hi) out.push([next, hi]);
  return out;
}

// The characters a class draws from: printable ASCII when the class has any (so `\s` is a space
// and `\w` a letter, digit or _), else the class itself (e.g. [à-ÿ]); negated classes within
// printable ASCII.
function classRanges(token: Token): Range[] {
  const own = merged(codeRanges(token));
  if (token.not) return complement(own, PRINTABLE);
  const ascii = intersect(own, PRINTABLE);
  return ascii.length > 0 ? ascii : own;
}

/**
 * Compiles a JSON Schema `pattern` (ECMA-262, Unicode mode as ajv uses, unanchored) into a
 * generator whose every choice comes from the PRNG passed to `draw`. ret (randexp's tokenizer)
 * parses the pattern; the token tree becomes closures once, making randexp's choices in
 * randexp's order (a choice among n is floor(r() * n)) without walking the tree or expanding
 * classes per string. Groups are numbered in pattern order, as backreferences count them.
 */
export function compilePattern(pattern: unknown, at: string, minLength = 0): PatternString {
  if (typeof pattern !== 'string') throw new MockjutsuError('INVALID_SCHEMA', `pattern must be a string, not ${typeof pattern}`, at);
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch (e) {
    throw new MockjutsuError('INVALID_SCHEMA', `pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}`, at);
  }
  let tokens: Token;
  try {
    tokens = tokenize(pattern);
  } catch (e) {
    throw new MockjutsuError('INVALID_SCHEMA', `pattern ${JSON.stringify(pattern)} cannot be turned into strings: ${(e as Error).message}`, at);
  }
  // a minLength longer than the usual repeats needs longer open repeats to be reachable
  const openMax = Math.max(OPEN_REPEAT_MAX, 2 * minLength);
  let groupCount = 0;
  const compile = (token: Token): Piece => {
    switch (token.type) {
      case 0: // ROOT
      case 1: { // GROUP
        if (token.followedBy || token.notFollowedBy) return () => ''; // lookarounds: left to the caller's regex check
        const group = token.type === 1 && token.remember ? groupCount++ : -1;
        const sequence = (stack: Token[]): Piece => {
          const parts = stack.map(compile);
          return (r, groups) => {
            let out = '';
            for (let i = 0; i < parts.length; i++) out += parts[i]!(r, groups);
            return out;
          };
        };
        const options = token.options ? token.options.map(sequence) : undefined;
        const body: Piece = options ? (r, groups) => options[Math.floor(r() * options.length)]!(r, groups) : sequence(token.stack ?? []);
        return group < 0 ? body : (r, groups) => (groups[group] = body(r, groups));
      }
      case 2: // POSITION (^, $, \b): nothing to write
        return () => '';
      case 3:
      case 4: { // SET (a RANGE only occurs inside one)
        const ranges = classRanges(token.type === 3 ? token : { type: 3, set: [token] });
        let total = 0;
        for (const [lo, hi] of ranges) total += hi - lo + 1;
        if (total === 0) return () => '';
        if (total <= 256) {
          const chars: string[] = [];
          for (const [lo, hi] of ranges) for (let c = lo; c <= hi; c++) chars.push(String.fromCodePoint(c));
          return (r) => chars[Math.floor(r() * total)]!;
        }
        return (r) => {
          let i = Math.floor(r() * total);
          for (const [lo, hi] of ranges) {
            if (i <= hi - lo) return String.fromCodePoint(lo + i);
            i -= hi - lo + 1;
          }
          return '';
        };
      }
      case 5: { // REPETITION
        const item = compile(token.value as Token);
        const min = token.min!;
        const span = (token.max === Infinity ? min + openMax : token.max!) - min + 1;
        return (r, groups) => {
          let out = '';
          for (let i = min + Math.floor(r() * span); i > 0; i--) out += item(r, groups);
          return out;
        };
      }
      case 6: { // REFERENCE
        const index = (token.value as number) - 1;
        return (_r, groups) => groups[index] ?? '';
      }
      case 7: { // CHAR
        const c = String.fromCodePoint(token.value as number);
        return () => c;
      }
      default:
        throw new MockjutsuError('INVALID_SCHEMA', `pattern ${JSON.stringify(pattern)}: unknown token type ${token.type}`, at);
    }
  };
  const root = compile(tokens);
  return { regex, draw: (r) => root(r, []) };
}
