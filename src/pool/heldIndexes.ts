/**
 * The pool indexes one client holds (taken and not given back), as sorted disjoint ranges
 * [start, end): a client that takes batches from a pool holds a few ranges, not one entry per
 * item, so a pool of millions costs the sidecar little.
 */
export class HeldIndexes {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Number of ranges (for tests). */
  get ranges(): number { return this.starts.length; }

  /** Index of the last range whose start is <= i, or -1. */
  private find(i: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= i) {
        at = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return at;
  }

  has(i: number): boolean {
    const r = this.find(i);
    return r >= 0 && i < this.ends[r]!;
  }

  /** Adds indexes (a pool hands each to one holder at a time, so none is held already). */
  addAll(indexes: readonly number[]): void {
    for (const i of indexes) {
      const r = this.find(i);
      if (r >= 0 && i < this.ends[r]!) continue;
      const joinsLeft = r >= 0 && this.ends[r] === i;
      const joinsRight = r + 1 < this.starts.length && this.starts[r + 1] === i + 1;
      if (joinsLeft && joinsRight) {
        this.ends[r] = this.ends[r + 1]!;
        this.starts.splice(r + 1, 1);
        this.ends.splice(r + 1, 1);
      } else if (joinsLeft) {
        this.ends[r] = i + 1;
      } else if (joinsRight) {
        this.starts[r + 1] = i;
      } else {
        this.starts.splice(r + 1, 0, i);
        this.ends.splice(r + 1, 0, i + 1);
      }
    }
  }

  /** Removes an index that {@link has} says is held. */
  remove(i: number): void {
    const r = this.find(i);
    if (r < 0 || i >= this.ends[r]!) return;
    const start = this.starts[r]!;
    const end = this.ends[r]!;
    if (start === i && end === i + 1) {
      this.starts.splice(r, 1);
      this.ends.splice(r, 1);
    } else if (start === i) {
      this.starts[r] = i + 1;
    } else if (end === i + 1) {
      this.ends[r] = i;
    } else {
      this.ends[r] = i;
      this.starts.splice(r + 1, 0, i + 1);
      this.ends.splice(r + 1, 0, end);
    }
  }
}
