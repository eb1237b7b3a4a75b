import type { ServerResponse } from 'node:http';
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
 * `{"status":"error","error":{"code","message"}}`; `headers` are added to the answer
 * (e.g. `Allow` on a 405).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode | string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
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
export function errorBody(code: string, message: string): string {
  return JSON.stringify({ status: 'error', error: { code, message } });
}

/**
 * The answer for a thrown value: HttpError and MockjutsuError (bad input) keep their code and
 * message; anything else is a bug, answered 500 with a generic message (the caller logs it).
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof MockjutsuError) return new HttpError(STATUS_OF_CORE_CODE[err.code] ?? 400, err.code, err.message);
  return new HttpError(500, 'INTERNAL_ERROR', 'internal error; the sidecar logged the details on its stderr and keeps running');
}

/** Writes `err` as the JSON error body, unless an answer has already started. */
export function sendError(res: ServerResponse, err: HttpError): void {
  if (res.headersSent) {
    // the status line is gone: cutting the connection is the only honest signal left
    res.destroy();
    return;
  }
  const body = errorBody(err.code, err.message);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...err.headers,
  };
  res.writeHead(err.status, headers);
  res.end(body);
}
