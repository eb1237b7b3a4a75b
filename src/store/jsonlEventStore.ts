import { closeSync, fstatSync, fsync, ftruncate, ftruncateSync, fsyncSync, openSync, readFileSync, statSync, write } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { promisify } from 'node:util';
import { EventLogCorruption } from './eventLogCorruption.js';
import type { EventPersistence } from './eventPersistence.js';
import type {
  AggregateStreamOptions,
  AggregateStreamResult,
  AppendToStreamOptions,
  AppendToStreamResult,
  EventStore,
  EventStoreListener,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  ReadStreamResult,
  Unsubscribe,
} from './eventStore.js';
import { InMemoryEventStore, type InMemoryEventStoreOptions } from './inMemoryEventStore.js';
import { encodeJsonlRecords, scanJsonlLog } from './jsonlLogFormat.js';
import type { EventToAppend, StoredEvent } from './storedEvent.js';

const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);
const ftruncateAsync = promisify(ftruncate);

/** What opening a log did about a torn last line. */
export interface JsonlRecoveryReport {
  /** Absolute path of the log. */
  readonly file: string;
  /** Byte offset the file was truncated to (where the torn line started). */
  readonly offset: number;
  /** Number of bytes removed. */
  readonly droppedBytes: number;
  /** 1-based line number of the removed line. */
  readonly lineNumber: number;
  /** The removed text. */
  readonly text: string;
  /** Why the line was judged torn. */
  readonly reason: string;
}

/** Options of {@link JsonlEventStore}. */
export interface JsonlEventStoreOptions extends Omit<InMemoryEventStoreOptions, 'records' | 'persistence'> {
  /** fsync after every append before acknowledging it (default false: the OS decides when). */
  readonly fsync?: boolean;
  /**
   * Told when opening truncated a torn last line. Without it the store emits a process
   * warning, so a recovery is never silent; the report is also kept in `recovery`.
   */
  readonly onRecovery?: (report: JsonlRecoveryReport) => void;
}

/** Thrown when the store's file cannot be opened where it was asked: its directory is missing, or it is not a regular file. */
export class EventLogLocationError extends Error {
  override readonly name = 'EventLogLocationError';
}

/**
 * Appends records to a JSONL file with async writes: one write per append (its lines, each
 * ended by `\n`, the commit marker), then an fsync when asked. Writes are ordered by the
 * store's append queue; a failed write is cut back so no partial line stays mid-file.
 */
export class JsonlFileAppender implements EventPersistence {
  #fd: number | undefined;
  /** Bytes known to hold acknowledged records; a failed write is cut back to this. */
  #size: number;
  /** Set when a failed write could not be undone: the file no longer matches memory. */
  #broken: Error | undefined;

  constructor(
    readonly file: string,
    fd: number,
    size: number,
    private readonly fsyncEach: boolean,
  ) {
    this.#fd = fd;
    this.#size = size;
  }

  async write(records: readonly StoredEvent[]): Promise<void> {
    if (this.#broken) throw this.#broken;
    const fd = this.#fd;
    if (fd === undefined) throw new Error(`JsonlEventStore ${this.file} is closed`);
    const bytes = Buffer.from(encodeJsonlRecords(records), 'utf8');
    try {
      let written = 0;
      // One write in practice; the loop only covers a short write.
      while (written < bytes.length) written += (await writeAsync(fd, bytes, written, bytes.length - written)).bytesWritten;
      if (this.fsyncEach) await fsyncAsync(fd);
    } catch (error) {
      // Cut off a partial line now, or the next append would bury it mid-file.
      try {
        await ftruncateAsync(fd, this.#size);
      } catch (rollbackError) {
        this.#broken = new Error(`JsonlEventStore ${this.file} is unusable: a failed write could not be undone; reopen it`, {
          cause: rollbackError,
        });
      }
      throw error;
    }
    this.#size += bytes.length;
  }

  async close(): Promise<void> {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    closeSync(fd);
  }

  get isOpen(): boolean {
    return this.#fd !== undefined;
  }
}

/**
 * An event store kept in a JSONL file (one record per line): an {@link InMemoryEventStore}
 * composed with a {@link JsonlFileAppender}. Opening reads the whole file and checks it (a
 * torn last line left by a crash is cut off and reported); each append is then written (and
 * fsynced when asked) with async I/O before it becomes visible. Single writer: two processes
 * appending to one file corrupt it. The file's directory must exist (it is never created).
 *
 * @throws EventLogCorruption when a line other than the last is damaged or a record breaks
 *   the numbering (the file is left untouched); EventLogLocationError when the directory is
 *   missing or the path is not a regular file.
 */
export class JsonlEventStore implements EventStore {
  /** Absolute path of the log. */
  readonly file: string;
  /** Set when opening truncated a torn last line. */
  readonly recovery: JsonlRecoveryReport | undefined;
  readonly #store: InMemoryEventStore;
  readonly #appender: JsonlFileAppender;

  constructor(file: string, options: JsonlEventStoreOptions = {}) {
    this.file = path.resolve(file);
    const dir = path.dirname(this.file);
    let dirStat;
    try {
      dirStat = statSync(dir);
    } catch {
      throw new EventLogLocationError(`cannot open the event store ${this.file}: directory ${dir} does not exist; create it first`);
    }
    if (!dirStat.isDirectory()) throw new EventLogLocationError(`cannot open the event store ${this.file}: ${dir} is not a directory`);
    const fsyncEach = options.fsync ?? false;
    const scan = scanJsonlLog(readIfExists(this.file), this.file);
    const records: unknown[] = [];
    for (const line of scan.lines) records.push(line.value);
    let store: InMemoryEventStore;
    const fd = openSync(this.file, 'a');
    try {
      if (!fstatSync(fd).isFile()) throw new EventLogLocationError(`cannot open the event store ${this.file}: it is not a regular file`);
      this.#appender = new JsonlFileAppender(this.file, fd, scan.validLength, fsyncEach);
      try {
        store = new InMemoryEventStore({ ...options, records, persistence: this.#appender });
      } catch (error) {
        const lineNumber = Number(/^Initial record (\d+)/.exec((error as Error).message)?.[1] ?? 0);
        throw new EventLogCorruption(this.file, scan.lines[lineNumber - 1]?.lineNumber ?? lineNumber, ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message);
      }
      const tail = scan.tornTail;
      if (tail) {
        ftruncateSync(fd, tail.offset);
        if (fsyncEach) fsyncSync(fd);
        this.recovery = {
          file: this.file,
          offset: tail.offset,
          droppedBytes: tail.byteLength,
          lineNumber: tail.lineNumber,
          text: tail.text,
          reason: tail.reason,
        };
        if (options.onRecovery) options.onRecovery(this.recovery);
        else {
          process.emitWarning(
            `Truncated torn line ${tail.lineNumber} of ${this.file} at byte ${tail.offset} ` +
              `(${tail.byteLength} bytes, ${tail.reason})`,
            { code: 'MOCKJUTSU_STORE_RECOVERY' },
          );
        }
      }
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.#store = store;
  }

  /** Whether the file is still open for appends. */
  get isOpen(): boolean {
    return this.#appender.isOpen;
  }

  /** Global position of the last committed record. */
  get globalPosition(): number {
    return this.#store.globalPosition;
  }

  appendToStream(streamId: string, events: readonly EventToAppend[], options?: AppendToStreamOptions): Promise<AppendToStreamResult> {
    return this.#store.appendToStream(streamId, events, options);
  }

  readStream<Data = unknown>(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult<Data>> {
    return this.#store.readStream<Data>(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<ReadAllResult> {
    return this.#store.readAll(options);
  }

  aggregateStream<State, Data = unknown>(streamId: string, options: AggregateStreamOptions<State, Data>): Promise<AggregateStreamResult<State>> {
    return this.#store.aggregateStream(streamId, options);
  }

  subscribe(listener: EventStoreListener): Unsubscribe {
    return this.#store.subscribe(listener);
  }

  /** Waits for queued appends, then releases the file. Later appends reject; reads keep working from memory. */
  close(): Promise<void> {
    return this.#store.close();
  }
}

function readIfExists(file: string): Uint8Array {
  try {
    // a FIFO or a device (/dev/zero) would be read forever or written through: refuse it
    if (!statSync(file).isFile()) throw new EventLogLocationError(`cannot open the event store ${file}: it is not a regular file`);
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Uint8Array(0);
    throw error;
  }
}
