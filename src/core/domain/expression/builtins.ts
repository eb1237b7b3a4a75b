import type { Prng } from '../../prng.js';
import { standardNormal } from '../../prng.js';
import type { Product } from '../../productCatalog.js';
import { uuidV4 } from '../../uuid.js';
import { formatCents, parseCents } from '../../money.js';
import { slug } from '../../slug.js';
import { textMemo } from '../../textMemo.js';
import { MockjutsuError, describeValue } from '../../mockjutsuError.js';
import {
  firstNames, lastNames, freeEmailDomains, cities, countries, productAdjectives, productMaterials,
  products, departments, searchAdjectives, searchNouns, userAgents,
} from '../../data/fakerSlice.generated.js';

/**
 * What a compiled expression draws from (`$x` in the generated code): the session's PRNG and
 * the seeded product catalog. Builtins get randomness only from here, so a session is a pure
 * function of its seed.
 */
export interface ExpressionContext {
  readonly r: Prng;
  /** A product drawn from the seed's catalog (with `r`, so it is deterministic too). */
  product(): Product;
}

// Pure, and sees a small vocabulary (the catalog's departments).
const slugMemo = textMemo(slug, 1024);

/** A lambda handed to a builtin: the element and its index. */
type Lambda = (item: unknown, index: number) => unknown;

/** The lists `fake(name)` draws from (slices of @faker-js/faker's `en` locale). */
export const FAKE_LISTS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  first_name: firstNames,
  last_name: lastNames,
  free_email_domain: freeEmailDomains,
  city: cities,
  country: countries,
  product_adjective: productAdjectives,
  product_material: productMaterials,
  product_noun: products,
  department: departments,
  search_adjective: searchAdjectives,
  search_noun: searchNouns,
  user_agent: userAgents,
});


// ---------------------------------------------------------------------------------------------
// Argument checks. A runtime type error names the builtin and the bad value.

function bad(builtin: string, what: string, value: unknown): never {
  throw new MockjutsuError('INVALID_DOMAIN', `${builtin}: ${what}, got ${describeValue(value)}`);
}
function num(builtin: string, v: unknown, what = 'expected a number'): number {
  if (typeof v !== 'number' || v !== v) bad(builtin, what, v);
  return v as number;
}
function int(builtin: string, v: unknown, what = 'expected an integer'): number {
  if (typeof v !== 'number' || Math.floor(v) !== v) bad(builtin, what, v);
  return v as number;
}
function list(builtin: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) bad(builtin, 'expected a list', v);
  return v as unknown[];
}
function str(builtin: string, v: unknown): string {
  if (typeof v !== 'string') bad(builtin, 'expected a string', v);
  return v as string;
}
function index(builtin: string, l: readonly unknown[], v: unknown): number {
  if (typeof v !== 'number' || Math.floor(v) !== v || v < 0 || v >= l.length) bad(builtin, `expected an index from 0 to ${l.length - 1}`, v);
  return v as number;
}
function numbers(builtin: string, args: readonly unknown[]): readonly unknown[] {
  const vs = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (vs.length === 0) bad(builtin, 'expected at least one number', vs);
  return vs;
}

const hasOwn = Object.prototype.hasOwnProperty;
const floor = Math.floor;

function key(helper: string, k: unknown): string | number {
  if (typeof k !== 'string' && typeof k !== 'number') throw new MockjutsuError('INVALID_DOMAIN', `${helper}: a key must be a string or a number, got ${describeValue(k)}`);
  return k;
}

/** The value of an own property, undefined when `o` does not have it as its own. */
function own(o: unknown, k: string | number): unknown {
  if (o === null || o === undefined) throw new MockjutsuError('INVALID_DOMAIN', `cannot read ${JSON.stringify(String(k))} of ${o}`);
  return hasOwn.call(o, k) ? (o as Record<string | number, unknown>)[k] : undefined;
}

/** Defines an own property (so `__proto__` and `constructor` are data, never the prototype's). */
function put(o: unknown, k: string | number, v: unknown): unknown {
  if (o === null || typeof o !== 'object') throw new MockjutsuError('INVALID_DOMAIN', `cannot set ${JSON.stringify(String(k))} on ${describeValue(o)}`);
  if (Array.isArray(o) && k === 'length') throw new MockjutsuError('INVALID_DOMAIN', 'cannot set the length of a list; use append, remove_at or set_at');
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  return v;
}

/** `o[k] op= v` through own-property reads and writes; op is '=', '+', '-' or '*'. */
function update(o: unknown, k: unknown, op: string, v: unknown): unknown {
  const kk = key('assignment', k);
  if (op === '=') return put(o, kk, v);
  const cur = own(o, kk) as number;
  const next = op === '+' ? cur + (v as number) : op === '-' ? cur - (v as number) : cur * (v as number);
  return put(o, kk, next);
}

function draw(x: ExpressionContext): number {
  return x.r();
}

function pickWeighted(x: ExpressionContext, a: unknown, b?: unknown): unknown {
  let values: readonly unknown[];
  let weights: readonly unknown[];
  if (b === undefined) {
    if (a === null || typeof a !== 'object' || Array.isArray(a)) bad('pick_weighted', 'expected { value: weight, ... } or (list, weights)', a);
    values = Object.keys(a as object);
    weights = values.map((k) => (a as Record<string, unknown>)[k as string]);
  } else {
    values = list('pick_weighted', a);
    weights = list('pick_weighted', b);
    if (weights.length !== values.length) bad('pick_weighted', `expected ${values.length} weights, one per value`, weights);
  }
  let total = 0;
  for (const w of weights) {
    if (typeof w !== 'number' || !(w >= 0) || w === Infinity) bad('pick_weighted', 'a weight must be a finite number >= 0', w);
    total += w as number;
  }
  if (!(total > 0)) bad('pick_weighted', 'the weights must not all be 0', weights);
  const target = x.r() * total;
  let acc = 0;
  for (let i = 0; i < values.length - 1; i++) {
    acc += weights[i] as number;
    if (target < acc) return values[i];
  }
  // The last value with a weight > 0 (float sums may leave target just below total).
  let i = values.length - 1;
  while ((weights[i] as number) === 0) i--;
  return values[i];
}

function scalarText(builtin: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return bad(builtin, 'expected strings, numbers or booleans', v);
}

/**
 * The runtime of compiled expressions (`$b` in the generated code). A call `name(a, b)` in an
 * expression compiles to `$b.name($x, a, b)`; `own`, `put`, `at` and `update` are the compiler's
 * member-access helpers and are not callable from expressions. Every builtin is deterministic:
 * randomness comes only from `$x.r`.
 */
export const EXPRESSION_BUILTINS = Object.freeze({
  // --- compiler helpers
  own,
  at(o: unknown, k: unknown): unknown {
    return own(o, key('[]', k));
  },
  put(o: unknown, k: unknown, v: unknown): unknown {
    return put(o, key('assignment', k), v);
  },
  update,
  /** A fresh payload with the own fields of a drawn value (payload schemas that list no properties). */
  copy(d: unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (d === null || typeof d !== 'object' || Array.isArray(d)) return out;
    for (const k of Object.keys(d)) put(out, k, (d as Record<string, unknown>)[k]);
    return out;
  },

  // --- randomness
  random: draw,
  int(x: ExpressionContext, lo: unknown, hi: unknown): number {
    const a = int('int', lo, 'min must be an integer');
    const b = int('int', hi, 'max must be an integer');
    if (b < a) bad('int', `max must be >= min (${a})`, b);
    return a + floor(x.r() * (b - a + 1));
  },
  chance(x: ExpressionContext, p: unknown): boolean {
    return x.r() < num('chance', p, 'expected a probability from 0 to 1');
  },
  pick(x: ExpressionContext, l: unknown): unknown {
    const items = list('pick', l);
    if (items.length === 0) bad('pick', 'expected a non-empty list', l);
    return items[floor(x.r() * items.length)];
  },
  pick_weighted: pickWeighted,
  uuid(x: ExpressionContext): string {
    return uuidV4(x.r);
  },
  lognormal(x: ExpressionContext, median: unknown, sigma: unknown): number {
    const m = num('lognormal', median, 'median must be a number > 0');
    const s = num('lognormal', sigma, 'sigma must be a number >= 0');
    if (!(m > 0)) bad('lognormal', 'median must be a number > 0', m);
    if (!(s >= 0)) bad('lognormal', 'sigma must be a number >= 0', s);
    return m * Math.exp(s * standardNormal(x.r));
  },
  product(x: ExpressionContext): Product {
    return x.product();
  },
  fake(x: ExpressionContext, name: unknown): string {
    const items = typeof name === 'string' && hasOwn.call(FAKE_LISTS, name) ? FAKE_LISTS[name]! : bad('fake', `expected one of ${Object.keys(FAKE_LISTS).join(', ')}`, name);
    return items[floor(x.r() * items.length)]!;
  },

  // --- numbers
  min(_x: ExpressionContext, ...args: unknown[]): number {
    const vs = numbers('min', args);
    let m = Infinity;
    for (const v of vs) if (num('min', v) < m) m = v as number;
    return m;
  },
  max(_x: ExpressionContext, ...args: unknown[]): number {
    const vs = numbers('max', args);
    let m = -Infinity;
    for (const v of vs) if (num('max', v) > m) m = v as number;
    return m;
  },
  abs: (_x: ExpressionContext, v: unknown): number => Math.abs(num('abs', v)),
  floor: (_x: ExpressionContext, v: unknown): number => Math.floor(num('floor', v)),
  ceil: (_x: ExpressionContext, v: unknown): number => Math.ceil(num('ceil', v)),
  round: (_x: ExpressionContext, v: unknown): number => Math.round(num('round', v)),
  clamp(_x: ExpressionContext, v: unknown, lo: unknown, hi: unknown): number {
    const a = num('clamp', lo, 'lo must be a number');
    const b = num('clamp', hi, 'hi must be a number');
    if (b < a) bad('clamp', `hi must be >= lo (${a})`, b);
    const n = num('clamp', v);
    return n < a ? a : n > b ? b : n;
  },

  // --- lists
  len(_x: ExpressionContext, v: unknown): number {
    if (typeof v !== 'string' && !Array.isArray(v)) bad('len', 'expected a list or a string', v);
    return (v as unknown[] | string).length;
  },
  count(_x: ExpressionContext, l: unknown, fn?: Lambda): number {
    const items = list('count', l);
    if (fn === undefined) return items.length;
    let n = 0;
    for (let i = 0; i < items.length; i++) if (fn(items[i], i)) n++;
    return n;
  },
  sum(_x: ExpressionContext, l: unknown, fn?: Lambda): number {
    const items = list('sum', l);
    let s = 0;
    for (let i = 0; i < items.length; i++) s += num('sum', fn === undefined ? items[i] : fn(items[i], i), 'expected numbers to add');
    return s;
  },
  map(_x: ExpressionContext, l: unknown, fn: Lambda): unknown[] {
    const items = list('map', l);
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) out.push(fn(items[i], i));
    return out;
  },
  filter(_x: ExpressionContext, l: unknown, fn: Lambda): unknown[] {
    const items = list('filter', l);
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) if (fn(items[i], i)) out.push(items[i]);
    return out;
  },
  find(_x: ExpressionContext, l: unknown, fn: Lambda): unknown {
    const items = list('find', l);
    for (let i = 0; i < items.length; i++) if (fn(items[i], i)) return items[i];
    return null;
  },
  some(_x: ExpressionContext, l: unknown, fn: Lambda): boolean {
    const items = list('some', l);
    for (let i = 0; i < items.length; i++) if (fn(items[i], i)) return true;
    return false;
  },
  every(_x: ExpressionContext, l: unknown, fn: Lambda): boolean {
    const items = list('every', l);
    for (let i = 0; i < items.length; i++) if (!fn(items[i], i)) return false;
    return true;
  },
  index_of(_x: ExpressionContext, l: unknown, fn: Lambda): number {
    const items = list('index_of', l);
    for (let i = 0; i < items.length; i++) if (fn(items[i], i)) return i;
    return -1;
  },
  includes(_x: ExpressionContext, l: unknown, v: unknown): boolean {
    if (typeof l === 'string') return l.indexOf(str('includes', v)) !== -1;
    const items = list('includes', l);
    for (let i = 0; i < items.length; i++) if (items[i] === v || (v !== v && items[i] !== items[i])) return true;
    return false;
  },
  append(_x: ExpressionContext, l: unknown, v: unknown): unknown[] {
    const out = list('append', l).slice();
    out.push(v);
    return out;
  },
  remove_at(_x: ExpressionContext, l: unknown, i: unknown): unknown[] {
    const items = list('remove_at', l);
    const at = index('remove_at', items, i);
    return items.slice(0, at).concat(items.slice(at + 1));
  },
  set_at(_x: ExpressionContext, l: unknown, i: unknown, v: unknown): unknown[] {
    const out = list('set_at', l).slice();
    out[index('set_at', out, i)] = v;
    return out;
  },
  first(_x: ExpressionContext, l: unknown): unknown {
    const items = list('first', l);
    return items.length === 0 ? null : items[0];
  },
  last(_x: ExpressionContext, l: unknown): unknown {
    const items = list('last', l);
    return items.length === 0 ? null : items[items.length - 1];
  },

  // --- text and money
  concat(_x: ExpressionContext, ...args: unknown[]): string {
    let s = '';
    for (const a of args) s += scalarText('concat', a);
    return s;
  },
  lower: (_x: ExpressionContext, v: unknown): string => str('lower', v).toLowerCase(),
  upper: (_x: ExpressionContext, v: unknown): string => str('upper', v).toUpperCase(),
  slug: (_x: ExpressionContext, v: unknown): string => slugMemo(str('slug', v)),
  url_encode: (_x: ExpressionContext, v: unknown): string => encodeURIComponent(scalarText('url_encode', v)),
  pad(_x: ExpressionContext, n: unknown, digits: unknown): string {
    const v = int('pad', n);
    const d = int('pad', digits, 'digits must be an integer from 1 to 32');
    if (d < 1 || d > 32) bad('pad', 'digits must be an integer from 1 to 32', d);
    let s = String(Math.abs(v));
    while (s.length < d) s = '0' + s;
    return v < 0 ? '-' + s : s;
  },
  format_cents: (_x: ExpressionContext, v: unknown): string => formatCents(int('format_cents', v, 'expected integer cents')),
  to_cents(_x: ExpressionContext, v: unknown): number {
    const c = parseCents(v);
    return c === undefined ? bad('to_cents', 'expected a number or a decimal string like "12.34"', v) : c;
  },
});

/** The shape of `$b`. */
export type ExpressionBuiltins = typeof EXPRESSION_BUILTINS;
