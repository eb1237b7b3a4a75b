import { closeSync, existsSync, ftruncateSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Encoder } from '@msgpack/msgpack';
import { MockjutsuError, describeValue } from '../core/mockjutsuError.js';
import { RECORD_EXTENSIONS, decodeRecords, readRecords, type RecordFormat, type RecordsRead } from './recordFile.js';

/**
 * An open record file, as the recorder uses it. The default ({@link nodeRecordFiles}) is the
 * file system through `node:fs`; tests pass their own to make a write fail (a full disk, an I/O
 * error) at a chosen byte.
 */
export interface RecordFileHandle {
  /** Current size in bytes. */
  size(): number;
  /** Reads up to `length` bytes at `position` into `buffer` at `offset`; returns how many. */
  read(buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** Appends up to `length` bytes of `buffer` from `offset`; returns how many were written (a short write is allowed). */
  append(buffer: Uint8Array, offset: number, length: number): number;
  /** Cuts the file to `size` bytes. */
  truncate(size: number): void;
  close(): void;
}

/** Opens record files (created when missing, for appending). */
export interface RecordFiles {
  open(file: string): RecordFileHandle;
}

/** Record files on the file system (`node:fs`, opened `a+`). */
export const nodeRecordFiles: RecordFiles = {
  open(file) {
    const fd = openSync(file, 'a+');
    return {
      size: () => fstatSync(fd).size,
      read: (buffer, offset, length, position) => readSync(fd, buffer, offset, length, position),
      append: (buffer, offset, length) => writeSync(fd, buffer, offset, length),
      truncate: (size) => ftruncateSync(fd, size),
      close: () => closeSync(fd),
    };
  },
};

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** `msgpack` (default; mite's format) or `ndjson`. */
  format?: RecordFormat;
  /** How files are opened (default {@link nodeRecordFiles}); tests inject failing writes here. */
  files?: RecordFiles;
}

/**
 * A write of record items that failed (disk full, I/O error...). `restored` tells whether the
 * file was cut back to `acknowledgedBytes`, the size after the last write that succeeded, so that
 * it holds exactly the items acknowledged before, none of this batch. When it could not be
 * (the truncate failed too) the recorder tries again before its next write to that file, and
 * refuses to append until it succeeds.
 */
export class RecordWriteError extends Error {
  /** The system error code of the failed write (`ENOSPC`, `EIO`...), or `EWRITE` when it had none. */
  readonly code: string;
  readonly record: string;
  readonly file: string;
  /** Items of the batch that failed (none of them is in the file when `restored`). */
  readonly items: number;
  readonly acknowledgedBytes: number;
  readonly restored: boolean;

  constructor(record: string, file: string, items: number, acknowledgedBytes: number, restored: boolean, cause: unknown, truncateError?: unknown) {
    const code = errorCode(cause);
    const why = (cause as Error | undefined)?.message ?? String(cause);
    super(
      `record ${JSON.stringify(record)}: writing ${items} item${items === 1 ? '' : 's'} to ${file} failed (${why}); ` +
        (restored
          ? `the file was cut back to ${acknowledgedBytes} bytes: it holds the items recorded before, none of these`
          : `the file could not be cut back to ${acknowledgedBytes} bytes (${(truncateError as Error | undefined)?.message ?? String(truncateError)}): it may hold part of these items; the recorder cuts it before its next write`),
      { cause },
    );
    this.name = 'RecordWriteError';
    this.code = code;
    this.record = record;
    this.file = file;
    this.items = items;
    this.acknowledgedBytes = acknowledgedBytes;
    this.restored = restored;
  }
}

function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.length > 0 ? code : 'EWRITE';
}

/** A torn tail a recorder cut off a file before appending to it. */
export interface RecordRepair {
  name: string;
  file: string;
  /** Bytes cut off (the part of an item a kill interrupted; never a complete item). */
  bytes: number;
}

/**
 * Appends items to one file per name under a directory: `{dir}/{name}.msgpack` (MessagePack
 * items back to back, as mite's recorder writes them) or `{dir}/{name}.ndjson`.
 */
export interface Recorder {
  readonly dir: string;
  readonly format: RecordFormat;
  /**
   * Appends one item; it is in the file (the OS's page cache) when this returns. A failed
   * write throws {@link RecordWriteError} and leaves none of the item in the file.
   */
  record(name: string, item: unknown): void;
  /**
   * Appends items in one write (what `POST /record/:name` with an array does): all of them or,
   * when the write fails ({@link RecordWriteError}), none.
   */
  recordMany(name: string, items: readonly unknown[]): void;
  /** Where items of `name` go. */
  fileOf(name: string): string;
  /** Torn tails cut off so far (one per file that had one when first opened). */
  readonly repairs: readonly RecordRepair[];
  /** Closes the open files; recording again reopens them. */
  close(): void;
}

/** Record names: letters, digits, `_`, `-` and `.`, not starting with `.` (no paths, no hidden files). */
export const RECORD_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Validates a record name (it becomes a file name: no `/`, `\`, `..` or leading dot). */
export function checkRecordName(name: unknown): string {
  if (typeof name !== 'string' || !RECORD_NAME.test(name)) {
    throw new MockjutsuError('INVALID_OPTION', `record name ${describeValue(name)} is not allowed; allowed: 1-128 letters, digits, "_", "-" and "." not starting with "." (it names a file: no paths)`, 'name');
  }
  return name;
}

// One encoder reused for every item: it keeps its buffer instead of allocating one per call.
const encoder = new Encoder();

function encodeItem(item: unknown, format: RecordFormat, name: string): Uint8Array {
  if (item === undefined || typeof item === 'function' || typeof item === 'symbol' || typeof item === 'bigint') {
    throw new MockjutsuError('INVALID_RECORD', `record ${JSON.stringify(name)}: an item is ${describeValue(item)}; expected a JSON value (object, array, string, number, boolean or null)`, name);
  }
  if (format === 'msgpack') return encoder.encode(item);
  return Buffer.from(JSON.stringify(item) + '\n', 'utf8');
}

/** Reads the whole open file (to find a torn tail before appending). */
function readWhole(handle: RecordFileHandle): Buffer {
  const size = handle.size();
  const buf = Buffer.alloc(size);
  let done = 0;
  while (done < size) {
    const n = handle.read(buf, done, size - done, done);
    if (n === 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}

/** An open record file and the size its acknowledged items take. */
interface OpenRecord {
  handle: RecordFileHandle;
  file: string;
  /** Size after the last write that succeeded: the file holds exactly the acknowledged items up to here. */
  acknowledged: number;
  /** True after a failed write whose truncate failed too: the file may hold more than `acknowledged`. */
  dirty: boolean;
}

/**
 * A recorder writing under `dir` (created if missing). Each batch is encoded first and then
 * appended with a single write to a file opened for append. The recorder knows the size of what
 * it acknowledged; when a write fails (disk full, I/O error, even after part of the batch
 * reached the file) it cuts the file back to that size and throws {@link RecordWriteError}, so
 * a batch is in the file whole or not at all. A kill loses nothing already recorded and can at
 * worst leave part of the batch being written; readers stop before such a tail, and this
 * recorder cuts it off when it opens the file again. (A power cut can lose what the OS had not
 * written to disk yet.) One recorder writes a file: two writers of one file are not supported.
 */
export function createRecorder(dir: string, options: RecorderOptions = {}): Recorder {
  const format = options.format ?? 'msgpack';
  if (format !== 'msgpack' && format !== 'ndjson') {
    throw new MockjutsuError('INVALID_OPTION', `format is ${describeValue(format)}; allowed: "msgpack" or "ndjson"`, 'format');
  }
  const files = options.files ?? nodeRecordFiles;
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const open = new Map<string, OpenRecord>();
  const repairs: RecordRepair[] = [];
  const other: RecordFormat = format === 'msgpack' ? 'ndjson' : 'msgpack';

  function fileOf(name: string): string {
    return join(root, checkRecordName(name) + RECORD_EXTENSIONS[format]);
  }

  function openRecord(name: string): OpenRecord {
    const known = open.get(name);
    if (known !== undefined) return known;
    const file = fileOf(name);
    const clash = join(root, name + RECORD_EXTENSIONS[other]);
    if (existsSync(clash)) {
      throw new MockjutsuError('INVALID_OPTION', `record ${JSON.stringify(name)}: ${clash} already exists and this recorder writes ${format}; one name has one file (use format "${other}" or another name)`, name);
    }
    const handle = files.open(file);
    let acknowledged = 0;
    try {
      const existing = readWhole(handle);
      acknowledged = existing.length;
      if (existing.length > 0) {
        const read = decodeRecords(existing, format, JSON.stringify(file));
        if (read.ignoredBytes > 0) {
          handle.truncate(read.validBytes);
          repairs.push({ name, file, bytes: read.ignoredBytes });
        }
        acknowledged = read.validBytes;
      }
    } catch (e) {
      handle.close();
      throw e;
    }
    const rec: OpenRecord = { handle, file, acknowledged, dirty: false };
    open.set(name, rec);
    return rec;
  }

  function append(name: string, bytes: Uint8Array, items: number): void {
    const rec = openRecord(name);
    if (rec.dirty) {
      // the last failed write could not be undone: undo it now, or refuse to append after it
      try {
        rec.handle.truncate(rec.acknowledged);
        rec.dirty = false;
      } catch (e) {
        throw new RecordWriteError(name, rec.file, items, rec.acknowledged, false, e, e);
      }
    }
    let done = 0;
    try {
      // One write in practice; a short write (signal, nearly full disk) continues where it stopped.
      while (done < bytes.length) {
        const n = rec.handle.append(bytes, done, bytes.length - done);
        if (!(n > 0)) throw Object.assign(new Error(`the write made no progress (${done} of ${bytes.length} bytes written)`), { code: 'EWRITE' });
        done += n;
      }
    } catch (e) {
      try {
        rec.handle.truncate(rec.acknowledged);
      } catch (t) {
        rec.dirty = true;
        throw new RecordWriteError(name, rec.file, items, rec.acknowledged, false, e, t);
      }
      throw new RecordWriteError(name, rec.file, items, rec.acknowledged, true, e);
    }
    rec.acknowledged += bytes.length;
  }

  return {
    dir: root,
    format,
    repairs,
    fileOf,
    record(name, item) {
      checkRecordName(name);
      append(name, encodeItem(item, format, name), 1);
    },
    recordMany(name, items) {
      checkRecordName(name);
      if (!Array.isArray(items)) throw new MockjutsuError('INVALID_RECORD', `record ${JSON.stringify(name)}: items are ${describeValue(items)}; expected an array`, name);
      if (items.length === 0) return;
      append(name, Buffer.concat(items.map((item) => encodeItem(item, format, name))), items.length);
    },
    close() {
      for (const rec of open.values()) {
        if (rec.dirty) {
          try { rec.handle.truncate(rec.acknowledged); } catch { /* reopening repairs only a torn tail; nothing more can be done here */ }
        }
        rec.handle.close();
      }
      open.clear();
    },
  };
}

/** One record file of a directory. */
export interface RecordFileInfo {
  name: string;
  file: string;
  format: RecordFormat;
  bytes: number;
}

/** Record files of `dir` (`.msgpack`, `.ndjson`, `.jsonl`), sorted by name. */
export function listRecordFiles(dir: string): RecordFileInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new MockjutsuError('INVALID_POOL', `record directory ${JSON.stringify(dir)} cannot be read: ${err.code === 'ENOENT' ? 'no such directory' : err.message}`, dir);
  }
  const out: RecordFileInfo[] = [];
  for (const f of names) {
    const m = /^(.+)\.(msgpack|ndjson|jsonl)$/.exec(f);
    if (m === null || !RECORD_NAME.test(m[1]!)) continue;
    const file = join(dir, f);
    const st = statSync(file);
    if (!st.isFile()) continue;
    out.push({ name: m[1]!, file, format: m[2] === 'msgpack' ? 'msgpack' : 'ndjson', bytes: st.size });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : 1));
}

/** The file of record `name` under `dir`: an error naming the known names when there is none, or two. */
export function findRecordFile(dir: string, name: string): RecordFileInfo {
  checkRecordName(name);
  const all = listRecordFiles(dir);
  const hits = all.filter((r) => r.name === name);
  if (hits.length === 0) {
    const known = [...new Set(all.map((r) => r.name))];
    throw new MockjutsuError('INVALID_POOL', `no records named ${JSON.stringify(name)} in ${JSON.stringify(dir)}; ${known.length === 0 ? 'the directory has no .msgpack or .ndjson files' : 'known: ' + known.join(', ')}`, name);
  }
  if (hits.length > 1) {
    throw new MockjutsuError('INVALID_POOL', `records ${JSON.stringify(name)} are in ${hits.length} files (${hits.map((h) => h.file).join(', ')}); keep one`, name);
  }
  return hits[0]!;
}

/** Reads record `name` of `dir` (see {@link readRecords}). */
export function readRecordsOf<T = unknown>(dir: string, name: string): RecordsRead<T> {
  return readRecords<T>(findRecordFile(dir, name).file);
}
