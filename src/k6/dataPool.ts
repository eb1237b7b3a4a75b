// Data pools in k6: every VU holds the same items (a SharedArray, loaded once in init) and
// picks an item's index from ids k6 makes unique across the whole test, so no two VUs, and no
// two instances of a distributed run, get the same non-recyclable item, with no coordination.
import { MockjutsuError, checkPoolItems, iterationItemIndex, poolExhaustedMessage, vuItemIndex } from '../core/index.js';
import { describeValue } from '../core/mockjutsuError.js';
import { abortTest, iterationInTest, vuIdInTest } from './k6Environment.js';

// The pool's two types are written once, in the k6 module's declarations that users read
// (mockjutsu.d.ts, shipped beside the bundle); the implementation takes them from there.
import type { K6DataPool, K6DataPoolOptions } from './mockjutsu.js';
export type { K6DataPool, K6DataPoolOptions };

const POOL_OPTIONS = ['name', 'recyclable', 'by', 'perIteration', 'vus', 'onExhausted'];

function positiveInteger(value: unknown, path: string, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(name)}: ${path} is ${describeValue(value)}; expected an integer >= 1`, path);
  }
  return value;
}

class TestWidePool<T> implements K6DataPool<T> {
  private draws = 0;
  private lastIteration = -1;
  // A VU's id never changes: read it once (each exec.vu read builds an object in k6).
  private vuId = 0;

  constructor(
    readonly name: string,
    private readonly items: ArrayLike<T>,
    readonly recyclable: boolean,
    private readonly by: 'iteration' | 'vu',
    private readonly perIteration: number,
    private readonly vus: number,
    private readonly onExhausted: 'throw' | 'abort',
  ) {}

  get size(): number { return this.items.length; }
  get exhaustedMessage(): string { return poolExhaustedMessage(this.name, this.items.length); }

  private nextIndex(): number {
    if (this.by === 'vu') {
      if (this.vuId === 0) this.vuId = vuIdInTest();
      return vuItemIndex(this.vuId, this.vus, this.draws++);
    }
    const iteration = iterationInTest();
    if (iteration !== this.lastIteration) {
      this.lastIteration = iteration;
      this.draws = 0;
    }
    return iterationItemIndex(iteration, this.perIteration, this.draws++);
  }

  tryNext(): T | undefined {
    const index = this.nextIndex();
    if (this.recyclable) return this.items[index % this.items.length];
    return index < this.items.length ? this.items[index] : undefined;
  }

  next(): T {
    const item = this.tryNext();
    if (item === undefined && !this.recyclable) {
      if (this.onExhausted === 'abort') abortTest(this.exhaustedMessage);
      throw new MockjutsuError('POOL_EXHAUSTED', this.exhaustedMessage, this.name);
    }
    return item as T;
  }
}

/**
 * A data pool over `items`: a `SharedArray` made in the init context (or any array). Create
 * it in the init context; items are drawn in the default function. Non-recyclable (the
 * default): each item at most once in the whole test, across VUs and execution segments.
 *
 * @example
 * const users = dataPool(new SharedArray('users', () => JSON.parse(open('./users.json'))), { name: 'users' });
 * export default function () {
 *   const user = users.tryNext();
 *   if (user === undefined) return exec.test.abort(users.exhaustedMessage);
 * }
 */
export function dataPool<T>(items: ArrayLike<T>, options: K6DataPoolOptions = {}): K6DataPool<T> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new MockjutsuError('INVALID_OPTION', `options is ${describeValue(options)}; expected an object such as { name: 'users' }`, 'options');
  }
  for (const key of Object.keys(options)) {
    if (POOL_OPTIONS.indexOf(key) < 0) throw new MockjutsuError('INVALID_OPTION', `unknown option ${JSON.stringify(key)} of dataPool; allowed: ${POOL_OPTIONS.join(', ')}`, key);
  }
  const name = options.name === undefined ? 'pool' : options.name;
  if (typeof name !== 'string' || name.length === 0) throw new MockjutsuError('INVALID_POOL', `pool name is ${describeValue(name)}; expected a non-empty string`, 'name');
  checkPoolItems(items, name);
  const by = options.by === undefined ? 'iteration' : options.by;
  if (by !== 'iteration' && by !== 'vu') throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(name)}: by is ${describeValue(by)}; allowed: "iteration" or "vu"`, 'by');
  const onExhausted = options.onExhausted === undefined ? 'throw' : options.onExhausted;
  if (onExhausted !== 'throw' && onExhausted !== 'abort') throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(name)}: onExhausted is ${describeValue(onExhausted)}; allowed: "throw" or "abort"`, 'onExhausted');
  if (options.recyclable !== undefined && typeof options.recyclable !== 'boolean') {
    throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(name)}: recyclable is ${describeValue(options.recyclable)}; expected true or false`, 'recyclable');
  }
  let perIteration = 1;
  let vus = 0;
  if (by === 'iteration') {
    if (options.vus !== undefined) throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(name)}: vus applies to by: "vu" only`, 'vus');
    if (options.perIteration !== undefined) perIteration = positiveInteger(options.perIteration, 'perIteration', name);
  } else {
    if (options.perIteration !== undefined) throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(name)}: perIteration applies to by: "iteration" only`, 'perIteration');
    if (options.vus === undefined) {
      throw new MockjutsuError('INVALID_POOL', `pool ${JSON.stringify(name)}: by: "vu" needs vus, the VU count of the whole test (all instances), e.g. { by: 'vu', vus: 100 }`, 'vus');
    }
    vus = positiveInteger(options.vus, 'vus', name);
  }
  return new TestWidePool(name, items, options.recyclable === true, by, perIteration, vus, onExhausted);
}
