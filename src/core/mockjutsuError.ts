/** Stable machine-readable codes carried by every {@link MockjutsuError}. */
export type MockjutsuErrorCode =
  | 'UNKNOWN_TYPE'
  | 'INVALID_OPTION'
  | 'INVALID_SEED'
  | 'INVALID_COUNT'
  | 'INVALID_MODEL'
  /** A non-recyclable data pool handed out its last item. */
  | 'POOL_EXHAUSTED'
  /** Items given back to a non-recyclable pool that the client giving them back does not hold. */
  | 'POOL_NOT_HELD'
  /** A data pool that cannot be used: empty, unknown name, bad options or a file of the wrong kind. */
  | 'INVALID_POOL'
  /** A recorded item or a pool file's record that cannot be read. */
  | 'INVALID_RECORD'
  /** A schema (or its `ref`) is malformed or names something that is not there. */
  | 'INVALID_SCHEMA'
  /** A schema no value can satisfy (minimum > maximum, impossible pattern, `not` excluding all...). */
  | 'UNSATISFIABLE_SCHEMA'
  /** A domain file (or one of its expressions) is malformed, or an expression failed at run time. */
  | 'INVALID_DOMAIN';

/**
 * The one error class every surface throws for bad input. `code` is stable across versions;
 * `message` names the bad value and what is allowed.
 */
export class MockjutsuError extends Error {
  readonly code: MockjutsuErrorCode;
  /** Where the bad value was found, e.g. `options.count` or `model.states.login.transitions`. */
  readonly path: string | undefined;

  constructor(code: MockjutsuErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'MockjutsuError';
    this.code = code;
    this.path = path;
  }
}

/** Renders a bad value for an error message without dumping huge objects. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
