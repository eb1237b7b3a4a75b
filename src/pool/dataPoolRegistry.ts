import { MockjutsuError, describeValue } from '../core/mockjutsuError.js';
import { createDataPool, type DataPool, type PoolDraw } from '../core/pool/index.js';
import { checkRecordName, listRecordFiles } from '../recorder/recorder.js';
import { openDataPool } from './poolFile.js';

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
