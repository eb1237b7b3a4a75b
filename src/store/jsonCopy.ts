/**
 * Copies of values as JSON sees them (`JSON.parse(JSON.stringify(value))`).
 *
 * Every store keeps exactly what a JSON file would give back, so an in-memory store and a
 * persisted one return the same records and snapshots.
 */

/**
 * A mutable JSON copy of `value`.
 *
 * @throws TypeError naming `what` when `value` has no JSON form (undefined, a function,
 *   a BigInt, a cycle).
 */
export function jsonCopy<T>(value: T, what: string): T {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${what} is not JSON-serialisable: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) throw new TypeError(`${what} is not JSON-serialisable (got ${typeof value})`);
  return JSON.parse(text) as T;
}

/**
 * A deep-frozen JSON copy of `value`, so nobody can change what the store holds, with the
 * size of its JSON text in bytes (the store's size limit).
 */
export function frozenJsonCopy<T>(value: T, what: string): { value: T; bytes: number } {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${what} is not JSON-serialisable: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) throw new TypeError(`${what} is not JSON-serialisable (got ${typeof value})`);
  return { value: deepFreeze(JSON.parse(text) as T), bytes: Buffer.byteLength(text) };
}

/** Freezes a freshly parsed JSON value in place (no cycles possible) and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
