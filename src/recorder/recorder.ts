import { closeSync, existsSync, ftruncateSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Encoder } from '@msgpack/msgpack';
import { MockjutsuError, describeValue } from '../core/mockjutsuError.js';
import { RECORD_EXTENSIONS, decodeRecords, readRecords, type RecordFormat, type RecordsRead } from './recordFile.js';

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** `msgpack` (default; mite's format) or `ndjson`. */
  format?: RecordFormat;
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
  /** Appends one item; it is in the file (the OS's page cache) when this returns. */
  record(name: string, item: unknown): void;
  /** Appends items in one write (what `POST /record/:name` with an array does). */
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
function readWhole(fd: number): Buffer {
  const size = fstatSync(fd).size;
  const buf = Buffer.alloc(size);
  let done = 0;
  while (done < size) {
    const n = readSync(fd, buf, done, size - done, done);
    if (n === 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}

/**
 * A recorder writing under `dir` (created if missing). Each item is encoded first and then
 * appended with a single write to a file opened for append, so a kill loses nothing already
 * recorded and can at worst leave part of the item being written; readers stop before such a
 * tail, and this recorder cuts it off when it opens the file again. (A power cut can lose what
 * the OS had not written to disk yet.)
 */
export function createRecorder(dir: string, options: RecorderOptions = {}): Recorder {
  const format = options.format ?? 'msgpack';
  if (format !== 'msgpack' && format !== 'ndjson') {
    throw new MockjutsuError('INVALID_OPTION', `format is ${describeValue(format)}; allowed: "msgpack" or "ndjson"`, 'format');
  }
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const fds = new Map<string, number>();
  const repairs: RecordRepair[] = [];
  const other: RecordFormat = format === 'msgpack' ? 'ndjson' : 'msgpack';

  function fileOf(name: string): string {
    return join(root, checkRecordName(name) + RECORD_EXTENSIONS[format]);
  }

  function open(name: string): number {
    let fd = fds.get(name);
    if (fd !== undefined) return fd;
    const file = fileOf(name);
    const clash = join(root, name + RECORD_EXTENSIONS[other]);
    if (existsSync(clash)) {
      throw new MockjutsuError('INVALID_OPTION', `record ${JSON.stringify(name)}: ${clash} already exists and this recorder writes ${format}; one name has one file (use format "${other}" or another name)`, name);
    }
    fd = openSync(file, 'a+');
    try {
      const existing = readWhole(fd);
      if (existing.length > 0) {
        const read = decodeRecords(existing, format, JSON.stringify(file));
        if (read.ignoredBytes > 0) {
          ftruncateSync(fd, read.validBytes);
          repairs.push({ name, file, bytes: read.ignoredBytes });
        }
      }
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    fds.set(name, fd);
    return fd;
  }

  function append(name: string, bytes: Uint8Array): void {
    const fd = open(name);
    let done = 0;
    // One write in practice; a short write (disk full, signal) continues where it stopped.
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  }

  return {
    dir: root,
    format,
    repairs,
    fileOf,
    record(name, item) {
      checkRecordName(name);
      append(name, encodeItem(item, format, name));
    },
    recordMany(name, items) {
      checkRecordName(name);
      if (!Array.isArray(items)) throw new MockjutsuError('INVALID_RECORD', `record ${JSON.stringify(name)}: items are ${describeValue(items)}; expected an array`, name);
      if (items.length === 0) return;
      append(name, Buffer.concat(items.map((item) => encodeItem(item, format, name))));
    },
    close() {
      for (const fd of fds.values()) closeSync(fd);
      fds.clear();
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
