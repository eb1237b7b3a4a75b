import { MockjutsuError, describeValue } from '../core/mockjutsuError.js';
import { createDataPool, IterableDataPool, type DataPool, type PoolDraw } from '../core/pool/index.js';
import { checkRecordName, listRecordFiles } from '../recorder/recorder.js';
import { HeldIndexes } from './heldIndexes.js';
import { openDataPool } from './poolFile.js';

/** A draw for a holder: `tickets` name the items, to give back those not used. */
export interface HeldPoolDraw<T> extends PoolDraw<T> {
  /** The pool index of each item (non-recyclable pools only). */
  tickets?: number[];
}

/** Allowed holder names: what a client calls itself when it takes items it may give back. */
export const HOLDER_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** A pool as `serve --pool NAME=FILE[:recyclable]` names it. */
export interface PoolSpec {
  name: string;
  file: string;
  recyclable: boolean;
}

/** Parses `NAME=FILE` or `NAME=FILE:recyclable` (`:exclusive` spells the default out). */
export function parsePoolSpec(spec: string): PoolSpec {
  const m = /^([^=]+)=(.+?)(?::(recyclable|exclusive))?$/.exec(spec);
  if (m === null) {
    throw new MockjutsuError('INVALID_POOL', `pool spec ${describeValue(spec)}; expected NAME=FILE or NAME=FILE:recyclable, e.g. users=recorder-data/users.msgpack`, 'pool');
  }
  return { name: checkRecordName(m[1]), file: m[2]!, recyclable: m[3] === 'recyclable' };
}

/**
 * Named pools, for a server that hands items to many clients (the sidecar): `take(name, n)`
 * is synchronous, so on one event loop two requests can never get the same non-recyclable item.
 */
export class DataPoolRegistry {
  private readonly pools = new Map<string, DataPool<unknown>>();
  /** Per pool, per holder: the indexes it took and has not given back. */
  private readonly held = new Map<string, Map<string, HeldIndexes>>();

  /** Adds a pool under its name; a name is used once. */
  add<T>(pool: DataPool<T>): DataPool<T> {
    checkRecordName(pool.name);
    if (this.pools.has(pool.name)) throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(pool.name)} is already defined`, pool.name);
    this.pools.set(pool.name, pool as DataPool<unknown>);
    return pool;
  }

  /** Adds a pool over a file (`--pool NAME=FILE[:recyclable]`). */
  addFile(spec: PoolSpec | string): DataPool<unknown> {
    const s = typeof spec === 'string' ? parsePoolSpec(spec) : spec;
    return this.add(openDataPool(s.file, { name: s.name, recyclable: s.recyclable }));
  }

  /** Adds one pool per record file of a recorder directory (all recyclable, or all not). */
  addRecorderDir(dir: string, recyclable = false): DataPool<unknown>[] {
    return listRecordFiles(dir).map((r) => this.add(openDataPool(r.file, { name: r.name, recyclable })));
  }

  /** Adds a pool over items. */
  addItems<T>(name: string, items: readonly T[], recyclable = false): DataPool<T> {
    return this.add(createDataPool(items, { name, recyclable }));
  }

  /**
   * Adds a pool that starts empty and grows: push recorded items into the returned array (what
   * `POST /record/:name` would do after the recorder wrote them). A non-recyclable one hands each
   * item out once, as it arrives.
   */
  addLive<T>(name: string, recyclable = false): { pool: DataPool<T>; items: T[] } {
    const items: T[] = [];
    return { pool: this.add(createDataPool(items, { name, recyclable, live: true })), items };
  }

  /** The pool called `name`: an `INVALID_POOL` error listing the known ones when there is none. */
  get(name: string): DataPool<unknown> {
    const pool = this.pools.get(name);
    if (pool === undefined) {
      const known = [...this.pools.keys()];
      throw new MockjutsuError('INVALID_POOL', `unknown pool ${describeValue(name)}; ${known.length === 0 ? 'no pools are defined' : 'known: ' + known.join(', ')}`, 'pool');
    }
    return pool;
  }

  /** Up to `n` items of pool `name` (see {@link DataPool.take}). */
  take(name: string, n: number): PoolDraw<unknown> {
    return this.get(name).take(n);
  }

  /**
   * Up to `n` items of pool `name` for `holder`: a non-recyclable pool also says which items
   * (`tickets`) and remembers that `holder` holds them, so that it can give back those it did
   * not use ({@link giveBack}). A recyclable pool hands out round-robin and keeps nothing.
   */
  takeFor(name: string, n: number, holder: string): HeldPoolDraw<unknown> {
    const pool = this.get(name);
    checkHolder(holder);
    if (!(pool instanceof IterableDataPool)) return pool.take(n);
    const draw = pool.takeIndexed(n);
    if (draw.indexes.length > 0) this.holdings(name, holder, true)!.addAll(draw.indexes);
    return { items: draw.items, exhausted: draw.exhausted, tickets: draw.indexes };
  }

  /**
   * Puts back into non-recyclable pool `name` the items `holder` took (by their tickets) and
   * did not use: they are handed out again before new items. All or nothing: a ticket that
   * `holder` does not hold (never taken by it, given back already, or a repeat in the list)
   * throws `POOL_NOT_HELD` and nothing is given back. A recyclable pool throws `INVALID_OPTION`
   * (it never runs out: there is nothing to give back).
   */
  giveBack(name: string, holder: string, tickets: readonly number[]): { returned: number; remaining: number } {
    const pool = this.get(name);
    checkHolder(holder);
    if (!(pool instanceof IterableDataPool)) {
      throw new MockjutsuError('INVALID_OPTION', `pool ${JSON.stringify(name)} is recyclable: it hands items out round-robin and never runs out, so there is nothing to give back`, 'pool');
    }
    const held = this.holdings(name, holder, false);
    const seen = new Set<number>();
    const notHeld: number[] = [];
    for (const t of tickets) {
      if (held === undefined || !held.has(t) || seen.has(t)) notHeld.push(t);
      seen.add(t);
    }
    if (notHeld.length > 0) {
      const shown = notHeld.slice(0, 10).join(', ') + (notHeld.length > 10 ? ` and ${notHeld.length - 10} more` : '');
      throw new MockjutsuError('POOL_NOT_HELD', `pool ${JSON.stringify(name)}: holder ${describeValue(holder)} does not hold ticket(s) ${shown} ` +
        '(never taken by this holder, given back already, or listed twice); nothing was given back, so no item can be handed out twice', 'tickets');
    }
    pool.giveBack(tickets);
    for (const t of tickets) held!.remove(t);
    return { returned: tickets.length, remaining: pool.remaining };
  }

  private holdings(name: string, holder: string, create: boolean): HeldIndexes | undefined {
    let byHolder = this.held.get(name);
    if (byHolder === undefined) {
      if (!create) return undefined;
      byHolder = new Map();
      this.held.set(name, byHolder);
    }
    let h = byHolder.get(holder);
    if (h === undefined && create) {
      h = new HeldIndexes();
      byHolder.set(holder, h);
    }
    return h;
  }

  names(): string[] {
    return [...this.pools.keys()];
  }

  /** Where each pool stands (for a status endpoint). */
  status(): Array<{ name: string; size: number; recyclable: boolean; position: number; remaining: number | null }> {
    return [...this.pools.values()].map((p) => ({
      name: p.name, size: p.size, recyclable: p.recyclable, position: p.position,
      remaining: p.recyclable ? null : Math.max(0, p.size - p.position),
    }));
  }
}

function checkHolder(holder: unknown): string {
  if (typeof holder !== 'string' || !HOLDER_PATTERN.test(holder)) {
    throw new MockjutsuError('INVALID_OPTION', `holder is ${describeValue(holder)}; expected 1 to 200 printable ASCII characters without spaces (a name the client keeps for the whole test, e.g. engine-1/6f1c...)`, 'holder');
  }
  return holder;
}
