// What the compiler checks of a builtin call (arity, lambdas, fake lists) and which builtins
// draw: compile-time knowledge only, apart from the builtins themselves, so the k6 runtime
// bundle (which runs programs compiled ahead) does not carry it.

/** How a builtin may be called; checked at compile time. */
export interface BuiltinSignature {
  readonly min: number;
  /** Infinity for variadic builtins. */
  readonly max: number;
  /** Index of the argument that must be a lambda (`x => ...` or `(x, i) => ...`), if any. */
  readonly lambda?: number;
  /** Index of the argument that must be a string literal naming a fake list (`fake`). */
  readonly fakeList?: number;
  /** Shown in error messages. */
  readonly usage: string;
}

/** The builtins that draw from the session's PRNG (`$x`): an expression without them draws nothing. */
export const DRAWING_BUILTINS: ReadonlySet<string> = new Set(['random', 'int', 'chance', 'pick', 'pick_weighted', 'uuid', 'lognormal', 'product', 'fake']);

/** Every builtin callable from an expression, with its arity. */
export const BUILTIN_SIGNATURES: Readonly<Record<string, BuiltinSignature>> = Object.freeze({
  random: { min: 0, max: 0, usage: 'random()' },
  int: { min: 2, max: 2, usage: 'int(min, max)' },
  chance: { min: 1, max: 1, usage: 'chance(p)' },
  pick: { min: 1, max: 1, usage: 'pick(list)' },
  pick_weighted: { min: 1, max: 2, usage: 'pick_weighted(list, weights) or pick_weighted({ value: weight, ... })' },
  uuid: { min: 0, max: 0, usage: 'uuid()' },
  lognormal: { min: 2, max: 2, usage: 'lognormal(median, sigma)' },
  min: { min: 1, max: Infinity, usage: 'min(a, b, ...) or min(list)' },
  max: { min: 1, max: Infinity, usage: 'max(a, b, ...) or max(list)' },
  abs: { min: 1, max: 1, usage: 'abs(x)' },
  floor: { min: 1, max: 1, usage: 'floor(x)' },
  ceil: { min: 1, max: 1, usage: 'ceil(x)' },
  round: { min: 1, max: 1, usage: 'round(x)' },
  clamp: { min: 3, max: 3, usage: 'clamp(x, lo, hi)' },
  len: { min: 1, max: 1, usage: 'len(list or string)' },
  count: { min: 1, max: 2, lambda: 1, usage: 'count(list) or count(list, x => condition)' },
  sum: { min: 1, max: 2, lambda: 1, usage: 'sum(list) or sum(list, x => number)' },
  map: { min: 2, max: 2, lambda: 1, usage: 'map(list, x => value)' },
  filter: { min: 2, max: 2, lambda: 1, usage: 'filter(list, x => condition)' },
  find: { min: 2, max: 2, lambda: 1, usage: 'find(list, x => condition)' },
  some: { min: 2, max: 2, lambda: 1, usage: 'some(list, x => condition)' },
  every: { min: 2, max: 2, lambda: 1, usage: 'every(list, x => condition)' },
  index_of: { min: 2, max: 2, lambda: 1, usage: 'index_of(list, x => condition)' },
  includes: { min: 2, max: 2, usage: 'includes(list or string, value)' },
  append: { min: 2, max: 2, usage: 'append(list, value)' },
  remove_at: { min: 2, max: 2, usage: 'remove_at(list, index)' },
  set_at: { min: 3, max: 3, usage: 'set_at(list, index, value)' },
  first: { min: 1, max: 1, usage: 'first(list)' },
  last: { min: 1, max: 1, usage: 'last(list)' },
  concat: { min: 1, max: Infinity, usage: 'concat(a, b, ...)' },
  lower: { min: 1, max: 1, usage: 'lower(string)' },
  upper: { min: 1, max: 1, usage: 'upper(string)' },
  slug: { min: 1, max: 1, usage: 'slug(string)' },
  url_encode: { min: 1, max: 1, usage: 'url_encode(string)' },
  pad: { min: 2, max: 2, usage: 'pad(n, digits)' },
  format_cents: { min: 1, max: 1, usage: 'format_cents(cents)' },
  to_cents: { min: 1, max: 1, usage: 'to_cents("12.34")' },
  product: { min: 0, max: 0, usage: 'product()' },
  fake: { min: 1, max: 1, fakeList: 0, usage: `fake('list name')` },
} satisfies Record<string, BuiltinSignature>);
