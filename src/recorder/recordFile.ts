import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { decode } from '@msgpack/msgpack';
import { MockjutsuError } from '../core/index.js';
import { msgpackItemEnd } from './msgpackFraming.js';

/** The two formats a recorder writes: MessagePack items back to back (mite's format) or NDJSON. */
export type RecordFormat = 'msgpack' | 'ndjson';

/** File extension of each format. */
export const RECORD_EXTENSIONS: Readonly<Record<RecordFormat, string>> = { msgpack: '.msgpack', ndjson: '.ndjson' };

/** What {@link readRecords} found in a file. */
export interface RecordsRead<T = unknown> {
  file: string;
  format: RecordFormat;
  /** Every complete item, in the order written. */
  items: T[];
  /** Bytes holding those items (the file is sound up to here). */
  validBytes: number;
  /**
   * Bytes after the last complete item: the tail of a write a kill cut short. Never returned
   * as an item; a recorder that opens the file again cuts them off before appending.
   */
  ignoredBytes: number;
}

/** The format of a record file, from its extension; an `INVALID_POOL` error for any other. */
export function recordFormatOf(file: string): RecordFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.msgpack') return 'msgpack';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw new MockjutsuError('INVALID_POOL', `${JSON.stringify(file)}: a record file ends in .msgpack or .ndjson (or .jsonl), not ${JSON.stringify(ext || basename(file))}`, file);
}

function looksLikeJsonText(bytes: Uint8Array): boolean {
  const first = bytes[0];
  if (first !== 0x7b && first !== 0x5b) return false; // '{' or '['
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4096))).toString('utf8');
  return !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(head) && /[\n}\]]/.test(head);
}

/** Items of MessagePack bytes written back to back; stops at a torn tail. */
export function decodeMsgpackRecords<T = unknown>(bytes: Uint8Array, source: string): Omit<RecordsRead<T>, 'file' | 'format'> {
  if (looksLikeJsonText(bytes)) {
    throw new MockjutsuError('INVALID_RECORD', `${source} holds JSON text, not MessagePack; name it .json (one array) or .ndjson (one item per line)`, source);
  }
  const items: T[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const end = msgpackItemEnd(bytes, pos);
    if (end.kind === 'incomplete') break;
    if (end.kind === 'invalid') {
      throw new MockjutsuError('INVALID_RECORD', `${source}: byte ${end.at} (0x${end.byte.toString(16)}) starts no MessagePack value; item ${items.length + 1} is malformed (is this a MessagePack file?)`, source);
    }
    try {
      items.push(decode(bytes.subarray(pos, end.end)) as T);
    } catch (e) {
      throw new MockjutsuError('INVALID_RECORD', `${source}: item ${items.length + 1} at byte ${pos} cannot be decoded: ${(e as Error).message}`, source);
    }
    pos = end.end;
  }
  return { items, validBytes: pos, ignoredBytes: bytes.length - pos };
}

/**
 * Items of NDJSON bytes. Only lines ended by a newline count: the recorder writes each item and
 * its newline in one write, so a last line without one is a torn write and is ignored, even
 * when what is there happens to parse (a cut `12345` reads as `123`).
 */
export function decodeNdjsonRecords<T = unknown>(bytes: Uint8Array, source: string): Omit<RecordsRead<T>, 'file' | 'format'> {
  const items: T[] = [];
  let pos = 0;
  let line = 0;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (;;) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    line++;
    const text = buf.toString('utf8', pos, nl).trim();
    if (text.length > 0) {
      try {
        items.push(JSON.parse(text) as T);
      } catch (e) {
        const binary = /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text) ? ' (it looks binary: MessagePack records belong in a .msgpack file)' : '';
        throw new MockjutsuError('INVALID_RECORD', `${source}: line ${line} is not JSON${binary}: ${(e as Error).message}`, source);
      }
    }
    pos = nl + 1;
  }
  return { items, validBytes: pos, ignoredBytes: buf.length - pos };
}

/** Decodes record bytes of a format. */
export function decodeRecords<T = unknown>(bytes: Uint8Array, format: RecordFormat, source: string): Omit<RecordsRead<T>, 'file' | 'format'> {
  return format === 'msgpack' ? decodeMsgpackRecords<T>(bytes, source) : decodeNdjsonRecords<T>(bytes, source);
}

/**
 * Reads a record file (`.msgpack`, `.ndjson` or `.jsonl`): every complete item, and how many
 * bytes of a torn last write it ignored. A file written by mite's recorder reads as it is.
 */
export function readRecords<T = unknown>(file: string): RecordsRead<T> {
  const format = recordFormatOf(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new MockjutsuError('INVALID_POOL', `${JSON.stringify(file)}: cannot read the record file: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, file);
  }
  // A plain Uint8Array view: MessagePack bin values then decode as Uint8Array, not Buffer.
  return { file, format, ...decodeRecords<T>(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), format, JSON.stringify(file)) };
}
