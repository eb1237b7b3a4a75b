import { MockjutsuError } from '../core/index.js';

/** Stable codes of the sidecar's own errors (the core's MockjutsuError codes are used as they are). */
export type HttpErrorCode =
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'BAD_REQUEST'
  | 'INVALID_QUERY'
  | 'INVALID_COUNT'
  | 'INVALID_SEED'
  | 'INVALID_OPTION'
  | 'MALFORMED_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHORIZED'
  | 'REQUEST_TIMEOUT'
  | 'HEADERS_TOO_LARGE'
  | 'SHUTTING_DOWN'
  | 'INTERNAL_ERROR';

/**
 * An error answered with `status` and the JSON error body
 * `{"status":"error","error":{"code","message",...extra}}`; `headers` are added to the answer
 * (e.g. `Allow` on a 405).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode | string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** More fields of the error object (e.g. a 409's `current_version`). */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const STATUS_OF_CORE_CODE: Record<string, number> = {
  UNKNOWN_TYPE: 404,
  INVALID_OPTION: 400,
  INVALID_SEED: 400,
  INVALID_COUNT: 400,
  INVALID_MODEL: 400,
};

/** The JSON error body. */
export function errorBody(code: string, message: string, extra: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({ status: 'error', error: { code, message, ...extra } });
}

const FRAMEWORK_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BAD_REQUEST', 'the request body is not as long as its Content-Length says'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'MALFORMED_JSON', 'request body is empty; expected a JSON object'],
  FST_ERR_BAD_URL: [400, 'BAD_REQUEST', 'the path is not valid percent-encoding (UTF-8)'],
};

/**
 * The answer for a thrown value: HttpError and MockjutsuError (bad input) keep their code and
 * message, fastify's own 4xx errors get our codes; anything else is a bug, answered 500 with a
 * generic message (the caller logs it).
 */
export function toHttpError(err: unknown, bodyLimit = 1024 * 1024): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof MockjutsuError) return new HttpError(STATUS_OF_CORE_CODE[err.code] ?? 400, err.code, err.message);
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (e !== null && typeof e === 'object' && typeof e.code === 'string') {
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return tooLarge(bodyLimit);
    const known = FRAMEWORK_ERRORS[e.code];
    if (known !== undefined) return new HttpError(known[0], known[1], known[2]);
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return new HttpError(e.statusCode, 'BAD_REQUEST', `bad request (${e.code})`);
    }
  }
  return new HttpError(500, 'INTERNAL_ERROR', 'internal error; the sidecar logged the details on its stderr and keeps running');
}

/** The 413 for a body past `limit` bytes. */
export function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body is larger than the limit; allowed: at most ${limit} bytes`);
}
