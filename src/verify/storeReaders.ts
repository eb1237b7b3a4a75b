import { readFile } from 'node:fs/promises';
import { scanJsonlLog } from '../store/jsonlLogFormat.js';
import { EventLogCorruption } from '../store/eventLogCorruption.js';
import { StoreReadError, toFoundRecord, type FoundRecord } from './foundRecord.js';

/** What a reader got from a store. */
export interface StoreContents {
  readonly records: FoundRecord[];
  /** Things worth reporting that do not stop the verification. */
  readonly warnings: string[];
}

/** Records asked per `GET /all` page. */
export const PAGE_SIZE = 5_000;

/**
 * Reads a store's JSONL file (a `mockjutsu serve --store` file) or an NDJSON file of
 * generated events, without changing it. A torn last line (an append a crash interrupted,
 * never acknowledged) is left out with a warning; damage anywhere else is an error.
 *
 * @throws StoreReadError
 */
export async function readStoreFile(file: string): Promise<StoreContents> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StoreReadError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let scan;
  try {
    scan = scanJsonlLog(bytes, file);
  } catch (err) {
    if (err instanceof EventLogCorruption) throw new StoreReadError(err.message);
    throw err;
  }
  const warnings: string[] = [];
  if (scan.tornTail) {
    warnings.push(`${file}: left out the torn last line ${scan.tornTail.lineNumber} (${scan.tornTail.byteLength} bytes, ${scan.tornTail.reason}); the store drops it when it next opens the file`);
  }
  const records = scan.lines.map((line) => toFoundRecord(line.value, `line ${line.lineNumber} of ${file}`));
  return { records, warnings };
}

/** Options of {@link readStoreUrl}. */
export interface ReadStoreUrlOptions {
  /** Bearer token of a sidecar started with --token. */
  readonly token?: string;
  readonly pageSize?: number;
  /** Per request, milliseconds (default 30 s). */
  readonly timeoutMs?: number;
}

/**
 * Reads a running sidecar's whole global log, page by page through `GET /all?from=N&limit=M`.
 * `url` is the sidecar's base URL (`http://127.0.0.1:8099`; a trailing `/all` is accepted).
 *
 * @throws StoreReadError naming the request that failed.
 */
export async function readStoreUrl(url: string, options: ReadStoreUrlOptions = {}): Promise<StoreContents> {
  const base = url.replace(/\/+$/, '').replace(/\/all$/, '');
  const limit = options.pageSize ?? PAGE_SIZE;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token !== undefined) headers['Authorization'] = `Bearer ${options.token}`;
  const records: FoundRecord[] = [];
  let from = 1;
  for (;;) {
    const page = `${base}/all?from=${from}&limit=${limit}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(page, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
      text = await response.text();
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new StoreReadError(`GET ${page} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}${cause?.code === 'ECONNREFUSED' ? ' (is the sidecar running with --store?)' : ''}`);
    }
    if (!response.ok) {
      const hint = response.status === 404 ? ' (a sidecar without --store has no /all; start it with mockjutsu serve --store FILE)' : '';
      throw new StoreReadError(`GET ${page} answered ${response.status}: ${text.slice(0, 300)}${hint}`);
    }
    let body: { events?: unknown; next_from?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new StoreReadError(`GET ${page} did not answer JSON: ${text.slice(0, 120)}`);
    }
    if (typeof body !== 'object' || body === null || !Array.isArray(body.events)) {
      throw new StoreReadError(`GET ${page} answered no events array; expected {"events": [...], "next_from": n|null}`);
    }
    body.events.forEach((value, i) => records.push(toFoundRecord(value, `record ${from + i} of ${base}/all`)));
    const next = body.next_from;
    if (body.events.length === 0 || next === null || next === undefined) break;
    if (typeof next !== 'number' || !Number.isSafeInteger(next) || next <= from) {
      throw new StoreReadError(`GET ${page} answered next_from ${JSON.stringify(next)}; expected a position after ${from} or null`);
    }
    from = next;
  }
  return { records, warnings: [] };
}
