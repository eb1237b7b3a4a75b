import { createReadStream } from 'node:fs';
import { scanJsonlLog } from '../store/jsonlLogFormat.js';
import { EventLogCorruption } from '../store/eventLogCorruption.js';
import { StoreReadError, toFoundRecord, type FoundRecord } from './foundRecord.js';
import type { EventFields } from './expectedStreams.js';

/** What a reader got from a store. */
export interface StoreContents {
  readonly records: FoundRecord[];
  /** Things worth reporting that do not stop the verification. */
  readonly warnings: string[];
}

/** Largest store file `verify` reads (it holds every record in memory to compare). */
export const MAX_STORE_FILE_BYTES = 4 * 1024 ** 3;
/** Longest line of a store file: an event is a few KB; a line without end is not a store. */
export const MAX_STORE_LINE_BYTES = 16 * 1024 ** 2;

/** Limits of {@link readStoreFile}. */
export interface ReadStoreFileOptions {
  /** How a bare generated event of the run's domain is read (default: the contract's names). */
  readonly fields?: EventFields;
  readonly maxBytes?: number;
  readonly maxLineBytes?: number;
}

/**
 * The bytes of `file`, read as a stream so that a device or FIFO (`/dev/zero`, a pipe) is
 * bounded: more than `maxBytes`, or a line longer than `maxLineBytes`, stops the read.
 */
async function readBounded(file: string, maxBytes: number, maxLineBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let lineBytes = 0;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw new StoreReadError(`${file} is larger than ${maxBytes} bytes, the most verify reads; verify a smaller store or its shards (--partitions)`);
      // lineBytes: length of the line that is still open at the end of what was read.
      for (let start = 0, nl = chunk.indexOf(10); ; start = nl + 1, nl = chunk.indexOf(10, start)) {
        lineBytes += (nl === -1 ? chunk.length : nl) - start;
        if (lineBytes > maxLineBytes || nl === -1) break;
        lineBytes = 0;
      }
      if (lineBytes > maxLineBytes) throw new StoreReadError(`${file} has a line longer than ${maxLineBytes} bytes (after ${total} bytes read); a store holds one event per line`);
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total);
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
export async function readStoreFile(file: string, options: ReadStoreFileOptions = {}): Promise<StoreContents> {
  let bytes: Uint8Array;
  try {
    bytes = await readBounded(file, options.maxBytes ?? MAX_STORE_FILE_BYTES, options.maxLineBytes ?? MAX_STORE_LINE_BYTES);
  } catch (err) {
    if (err instanceof StoreReadError) throw err;
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
  const records = scan.lines.map((line) => toFoundRecord(line.value, `line ${line.lineNumber} of ${file}`, options.fields));
  return { records, warnings };
}

/** Largest `GET /all` page body read (5,000 events of a few KB each fit many times over). */
export const MAX_PAGE_BYTES = 256 * 1024 ** 2;

async function boundedText(response: Response, maxBytes: number, page: string): Promise<string> {
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new StoreReadError(`GET ${page} answered more than ${maxBytes} bytes; a page of the store's log is far smaller`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** Options of {@link readStoreUrl}. */
export interface ReadStoreUrlOptions {
  /** Bearer token of a sidecar started with --token. */
  readonly token?: string;
  /** How a bare generated event of the run's domain is read (default: the contract's names). */
  readonly fields?: EventFields;
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
      text = await boundedText(response, MAX_PAGE_BYTES, page);
    } catch (err) {
      if (err instanceof StoreReadError) throw err;
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
    body.events.forEach((value, i) => records.push(toFoundRecord(value, `record ${from + i} of ${base}/all`, options.fields)));
    const next = body.next_from;
    if (body.events.length === 0 || next === null || next === undefined) break;
    if (typeof next !== 'number' || !Number.isSafeInteger(next) || next <= from) {
      throw new StoreReadError(`GET ${page} answered next_from ${JSON.stringify(next)}; expected a position after ${from} or null`);
    }
    from = next;
  }
  return { records, warnings: [] };
}
