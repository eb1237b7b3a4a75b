/**
 * A deep-frozen copy of `value` as JSON sees it (`JSON.parse(JSON.stringify(value))`).
 *
 * Every store keeps exactly what a JSON file would give back, so an in-memory store and a
 * persisted one return the same records, and nobody can change a record after the fact.
 *
 * @throws TypeError naming `what` when `value` has no JSON form (undefined, a function,
 *   a BigInt, a cycle).
 */
export function frozenJsonCopy<T>(value: T, what: string): T {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${what} is not JSON-serialisable: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) throw new TypeError(`${what} is not JSON-serialisable (got ${typeof value})`);
  return deepFreeze(JSON.parse(text) as T);
}

/** Freezes a freshly parsed JSON value in place and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
