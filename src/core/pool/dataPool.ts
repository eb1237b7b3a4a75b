import { MockjutsuError, describeValue } from '../mockjutsuError.js';

/** What one {@link DataPool.take} handed out: fewer than asked only when the pool is exhausted. */
export interface PoolDraw<T> {
  items: T[];
  /** True when a non-recyclable pool has nothing left (this draw may still hold its last items). */
  exhausted: boolean;
}

/**
 * A pool of items that exist in the system under test (users, accounts, products...), handed
 * out one by one. The allocation is in-process and synchronous, so a server (the sidecar) can
 * serve one pool to many clients by calling `take(n)` per request.
 */
export interface DataPool<T> extends Iterable<T> {
  /** Name used in messages (the recorder name or the file). */
  readonly name: string;
  readonly size: number;
  readonly recyclable: boolean;
  /** Items handed out so far (a recyclable pool keeps counting past `size`). */
  readonly position: number;
  /** The next item; a non-recyclable pool throws a `POOL_EXHAUSTED` {@link MockjutsuError} after its last one. */
  next(): T;
  /** The next item, or undefined once a non-recyclable pool is exhausted. */
  tryNext(): T | undefined;
  /** Up to `n` items; `exhausted` says a non-recyclable pool has none left. Never repeats a non-recyclable item. */
  take(n: number): PoolDraw<T>;
}

/** Options of the pool classes. */
export interface DataPoolOptions {
  /** Name used in messages (default "pool"). */
  name?: string;
  /** Items already handed out by an earlier run of this pool (resume; default 0). */
  position?: number;
  /**
   * The items array grows after the pool is made (a pool the recorder fills as a data-creation
   * run records): it may start empty, and a non-recyclable pool that ran out hands out items
   * appended later. `exhausted` then means "nothing left for now".
   */
  live?: boolean;
}

/** Validates a pool's items: an array or an array-like (a k6 SharedArray) with at least one item. */
export function checkPoolItems<T>(items: ArrayLike<T>, name: string, allowEmpty = false): ArrayLike<T> {
  if (typeof items !== 'object' || items === null || typeof items.length !== 'number' || !Number.isSafeInteger(items.length)) {
    throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(name)}: items are ${describeValue(items)}; expected an array (or a k6 SharedArray) of items`, 'items');
  }
  if (items.length === 0 && !allowEmpty) {
    throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(name)} is empty; a pool needs at least one item (did the data-creation run record any?)`, 'items');
  }
  return items;
}

function checkCount(n: unknown, name: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1_000_000) {
    throw new MockjutsuError('INVALID_OPTION', `pool ${JSON.stringify(name)}: take(n) with n = ${describeValue(n)}; allowed: an integer from 0 to 1000000`, 'n');
  }
  return n;
}

function checkOptions(options: DataPoolOptions): { name: string; position: number; live: boolean } {
  const name = options.name ?? 'pool';
  if (typeof name !== 'string' || name.length === 0) throw new MockjutsuError('INVALID_POOL', `pool name is ${describeValue(name)}; expected a non-empty string`, 'name');
  const position = options.position ?? 0;
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(name)}: position is ${describeValue(position)}; expected an integer >= 0`, 'position');
  }
  return { name, position, live: options.live === true };
}

/** The message of an exhausted non-recyclable pool (the same text on every surface). */
export function poolExhaustedMessage(name: string, size: number): string {
  return `pool ${JSON.stringify(name)} is exhausted: all ${size} items were handed out once and a non-recyclable pool never repeats one; ` +
    'record more items, draw fewer, or make the pool recyclable';
}

/** Round-robin forever: item 0, 1, ... size-1, 0, 1 ... */
export class RecyclableDataPool<T> implements DataPool<T> {
  readonly name: string;
  readonly recyclable = true;
  private readonly items: ArrayLike<T>;
  private drawn: number;

  constructor(items: ArrayLike<T>, options: DataPoolOptions = {}) {
    const o = checkOptions(options);
    this.name = o.name;
    this.items = checkPoolItems(items, o.name, o.live);
    this.drawn = o.position;
  }

  get size(): number { return this.items.length; }
  get position(): number { return this.drawn; }

  next(): T {
    if (this.items.length === 0) throw new MockjutsuError('POOL_EXHAUSTED', `pool ${JSON.stringify(this.name)} has no items yet; nothing was recorded into it`, this.name);
    return this.items[this.drawn++ % this.items.length]!;
  }

  tryNext(): T | undefined {
    return this.items.length === 0 ? undefined : this.next();
  }

  take(n: number): PoolDraw<T> {
    const count = checkCount(n, this.name);
    if (this.items.length === 0) return { items: [], exhausted: true };
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(this.next());
    return { items, exhausted: false };
  }

  *[Symbol.iterator](): Iterator<T> {
    for (;;) yield this.next();
  }
}

/** A {@link PoolDraw} that also says which items (their indexes in the pool) were handed out. */
export interface IndexedPoolDraw<T> extends PoolDraw<T> {
  /** `indexes[i]` is the index of `items[i]` in the pool: what {@link IterableDataPool.giveBack} takes. */
  indexes: number[];
}

/**
 * Each item exactly once, in order; then a clear exhausted signal, never a repeat. Items handed
 * out but not used can be given back ({@link giveBack}): they are handed out again before any
 * new item, so the pool loses nothing a client fetched ahead and did not use.
 */
export class IterableDataPool<T> implements DataPool<T> {
  readonly name: string;
  readonly recyclable = false;
  private readonly items: ArrayLike<T>;
  /** Index of the first item never handed out. */
  private drawn: number;
  /** Indexes given back, handed out again first (FIFO from `givenHead`). */
  private given: number[] = [];
  private givenHead = 0;
  /** The indexes in `given[givenHead..]`, to refuse one given back twice. */
  private readonly waiting = new Set<number>();

  constructor(items: ArrayLike<T>, options: DataPoolOptions = {}) {
    const o = checkOptions(options);
    this.name = o.name;
    this.items = checkPoolItems(items, o.name, o.live);
    this.drawn = o.live ? o.position : Math.min(o.position, this.items.length);
  }

  get size(): number { return this.items.length; }
  /** Items handed out so far and not given back. */
  get position(): number { return this.drawn - this.waiting.size; }
  /** Items not handed out yet (given-back ones included). */
  get remaining(): number { return this.items.length - this.position; }
  get exhausted(): boolean { return this.remaining <= 0; }

  /** Index of the next item to hand out, or -1 when none is left. */
  private nextIndex(): number {
    if (this.givenHead < this.given.length) {
      const i = this.given[this.givenHead++]!;
      this.waiting.delete(i);
      if (this.givenHead === this.given.length) {
        this.given = [];
        this.givenHead = 0;
      }
      return i;
    }
    return this.drawn < this.items.length ? this.drawn++ : -1;
  }

  next(): T {
    const i = this.nextIndex();
    if (i < 0) throw new MockjutsuError('POOL_EXHAUSTED', poolExhaustedMessage(this.name, this.items.length), this.name);
    return this.items[i]!;
  }

  tryNext(): T | undefined {
    const i = this.nextIndex();
    return i < 0 ? undefined : this.items[i];
  }

  take(n: number): PoolDraw<T> {
    const { items, exhausted } = this.takeIndexed(n);
    return { items, exhausted };
  }

  /** Up to `n` items with their indexes (see {@link giveBack}). */
  takeIndexed(n: number): IndexedPoolDraw<T> {
    const count = checkCount(n, this.name);
    const items: T[] = [];
    const indexes: number[] = [];
    while (items.length < count) {
      const i = this.nextIndex();
      if (i < 0) break;
      items.push(this.items[i]!);
      indexes.push(i);
    }
    return { items, indexes, exhausted: this.exhausted };
  }

  /**
   * Puts items handed out but not used back into the pool, by index (from
   * {@link takeIndexed}): they are handed out again before new items. The caller guarantees
   * it will not use them (the sidecar checks that the client giving them back is the one that
   * took them). An index never handed out, or already waiting to be handed out again, throws
   * `INVALID_OPTION` and nothing is given back.
   */
  giveBack(indexes: readonly number[]): void {
    const seen = new Set<number>();
    for (const i of indexes) {
      if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 0 || i >= this.drawn) {
        throw new MockjutsuError('INVALID_OPTION', `pool ${JSON.stringify(this.name)}: cannot give back index ${describeValue(i)}: it was never handed out (handed out: 0 to ${this.drawn - 1}); nothing was given back`, 'indexes');
      }
      if (this.waiting.has(i) || seen.has(i)) {
        throw new MockjutsuError('INVALID_OPTION', `pool ${JSON.stringify(this.name)}: index ${i} is given back twice; nothing was given back`, 'indexes');
      }
      seen.add(i);
    }
    for (const i of indexes) {
      this.given.push(i);
      this.waiting.add(i);
    }
  }

  /** Iterates the items not handed out yet (each is handed out as it is iterated). */
  *[Symbol.iterator](): Iterator<T> {
    for (;;) {
      const i = this.nextIndex();
      if (i < 0) return;
      yield this.items[i]!;
    }
  }
}

/** A recyclable or non-recyclable pool over `items`. */
export function createDataPool<T>(items: ArrayLike<T>, options: DataPoolOptions & { recyclable?: boolean } = {}): DataPool<T> {
  return options.recyclable === true ? new RecyclableDataPool(items, options) : new IterableDataPool(items, options);
}
