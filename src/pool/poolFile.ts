import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { MockjutsuError } from '../core/index.js';
import { createDataPool, parseNdjsonRecords, type DataPool } from '../core/pool/index.js';
import { decodeMsgpackRecords } from '../recorder/recordFile.js';

/** File kinds a pool loads, by extension. */
export const POOL_FILE_EXTENSIONS = ['.msgpack', '.ndjson', '.jsonl', '.json', '.csv'] as const;

/** Items of a pool file and what was ignored. */
export interface PoolItems<T = unknown> {
  file: string;
  items: T[];
  /** Bytes of a torn last MessagePack item (a data-creation run that was killed); 0 otherwise. */
  ignoredBytes: number;
}

function allowed(): string {
  return POOL_FILE_EXTENSIONS.join(', ');
}

function textOf(bytes: Buffer, source: string, kind: string): string {
  const text = bytes.toString('utf8');
  if (text.includes('\u0000') || text.includes('\ufffd')) {
    throw new MockjutsuError('INVALID_POOL', `${source} is not ${kind} text (it holds binary bytes: MessagePack records belong in a .msgpack file)`, source);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Loads a pool's items from a file, by its extension: `.msgpack` (recorder/mite format),
 * `.ndjson` / `.jsonl` (one JSON value per line), `.json` (one array) or `.csv` (a header row,
 * then one object of strings per row). Errors name the file and what is allowed.
 */
export function loadPoolItems<T = unknown>(file: string): PoolItems<T> {
  const ext = extname(file).toLowerCase();
  const source = JSON.stringify(file);
  if (!(POOL_FILE_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new MockjutsuError('INVALID_POOL', `${source}: a pool file ends in ${allowed()}, not ${JSON.stringify(ext || basename(file))}`, file);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new MockjutsuError('INVALID_POOL', `${source}: cannot read the pool file: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message}`, file);
  }
  let items: T[];
  let ignoredBytes = 0;
  if (ext === '.msgpack') {
    const read = decodeMsgpackRecords<T>(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), source);
    items = read.items;
    ignoredBytes = read.ignoredBytes;
  } else if (ext === '.ndjson' || ext === '.jsonl') {
    items = parseNdjsonRecords<T>(textOf(bytes, source, 'NDJSON'), source);
  } else if (ext === '.json') {
    const text = textOf(bytes, source, 'JSON');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const hint = /^\s*[{[][^\n]*\n\s*[{[]/.test(text) ? '; it looks like one value per line: name it .ndjson' : '';
      throw new MockjutsuError('INVALID_POOL', `${source} is not JSON: ${(e as Error).message}${hint}`, file);
    }
    if (!Array.isArray(value)) {
      throw new MockjutsuError('INVALID_POOL', `${source} holds ${value === null ? 'null' : typeof value === 'object' ? 'an object' : 'a ' + typeof value}; a .json pool file holds one array of items`, file);
    }
    items = value as T[];
  } else {
    const text = textOf(bytes, source, 'CSV');
    if (/^\s*[{[]/.test(text)) {
      throw new MockjutsuError('INVALID_POOL', `${source} holds JSON, not CSV; name it .json (one array) or .ndjson (one item per line)`, file);
    }
    try {
      items = parseCsv(text, { columns: true, skip_empty_lines: true, trim: false }) as T[];
    } catch (e) {
      throw new MockjutsuError('INVALID_RECORD', `${source} is not valid CSV (a header row, then rows of the same columns): ${(e as Error).message}`, file);
    }
  }
  if (items.length === 0) {
    throw new MockjutsuError('INVALID_POOL', `${source} holds no items; a pool needs at least one`, file);
  }
  return { file, items, ignoredBytes };
}

/** Options of {@link openDataPool}. */
export interface OpenDataPoolOptions {
  /** Round-robin forever (default false: each item once, then exhausted). */
  recyclable?: boolean;
  /** Name used in messages (default: the file name without extension). */
  name?: string;
}

/** A data pool over a file (see {@link loadPoolItems}). */
export function openDataPool<T = unknown>(file: string, options: OpenDataPoolOptions = {}): DataPool<T> {
  const { items } = loadPoolItems<T>(file);
  const name = options.name ?? basename(file, extname(file));
  return createDataPool(items, { name, recyclable: options.recyclable === true });
}
