/**
 * A bounded map that forgets the least recently used entry first. A `Map` keeps insertion
 * order, so re-inserting on every hit makes its first key the least recently used one.
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  private weight = 0;

  /**
   * @param maxEntries most entries kept (at least 1).
   * @param maxWeight most total weight kept, as measured by `weigh` (default: unbounded).
   * @param weigh weight of one value (e.g. its size in bytes); default 0.
   */
  constructor(
    readonly maxEntries: number,
    readonly maxWeight = Infinity,
    private readonly weigh: (value: V) => number = () => 0,
  ) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries is ${maxEntries}; expected an integer >= 1`);
  }

  get size(): number {
    return this.map.size;
  }

  /** The value for `key`, which becomes the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** The value without touching its recency. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Stores `value` as the most recently used entry, evicting old entries past the bounds. */
  set(key: K, value: V): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.weight -= this.weigh(old);
      this.map.delete(key);
    }
    const w = this.weigh(value);
    if (w > this.maxWeight) return; // would evict everything and still not fit
    this.map.set(key, value);
    this.weight += w;
    while (this.map.size > this.maxEntries || this.weight > this.maxWeight) {
      const oldest = this.map.keys().next().value as K;
      this.delete(oldest);
    }
  }

  delete(key: K): boolean {
    const old = this.map.get(key);
    if (old === undefined) return false;
    this.weight -= this.weigh(old);
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.weight = 0;
  }
}
