import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { EventLogCorruption } from './eventLogCorruption.js';
import { InMemoryEventStore, type InMemoryEventStoreOptions } from './inMemoryEventStore.js';
import { encodeJsonlRecords, scanJsonlLog } from './jsonlLogFormat.js';
import type { StoredEvent } from './storedEvent.js';

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
export interface JsonlEventStoreOptions extends Omit<InMemoryEventStoreOptions, 'records'> {
  /** fsync after every append before acknowledging it (default false: the OS decides when). */
  readonly fsync?: boolean;
  /**
   * Told when opening truncated a torn last line. Without it the store emits a process
   * warning, so a recovery is never silent; the report is also kept in `recovery`.
   */
  readonly onRecovery?: (report: JsonlRecoveryReport) => void;
}

/**
 * An {@link InMemoryEventStore} that writes through to a JSONL file (one record per line).
 *
 * The whole file is read and checked on construction; each append or batch is then one
 * write of its lines to a file descriptor opened for appending, followed by an fsync when
 * asked, before the records become visible. Single writer: two processes (or two instances)
 * appending to one file will corrupt it.
 *
 * @throws EventLogCorruption when a line other than the last is damaged or a record breaks
 *   the numbering; the file is left untouched.
 */
export class JsonlEventStore extends InMemoryEventStore {
  /** Absolute path of the log. */
  readonly file: string;
  /** Set when opening truncated a torn last line. */
  readonly recovery: JsonlRecoveryReport | undefined;
  readonly #fsync: boolean;
  #fd: number | undefined;
  /** Bytes known to hold acknowledged records; a failed write is cut back to this. */
  #size: number;
  /** Set when a failed write could not be undone: the file no longer matches memory. */
  #broken: Error | undefined;

  constructor(file: string, options: JsonlEventStoreOptions = {}) {
    super({ clock: options.clock, onListenerError: options.onListenerError });
    this.file = path.resolve(file);
    this.#fsync = options.fsync ?? false;

    const scan = scanJsonlLog(readIfExists(this.file), this.file);
    for (const line of scan.lines) {
      try {
        this.log.restore(line.value);
      } catch (error) {
        throw new EventLogCorruption(this.file, line.lineNumber, (error as Error).message);
      }
    }

    mkdirSync(path.dirname(this.file), { recursive: true });
    this.#fd = openSync(this.file, 'a');
    this.#size = scan.validLength;
    const tail = scan.tornTail;
    if (tail) {
      try {
        ftruncateSync(this.#fd, tail.offset);
        if (this.#fsync) fsyncSync(this.#fd);
      } catch (error) {
        this.close();
        throw error;
      }
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
  }

  /** Whether the file descriptor is still open. */
  get isOpen(): boolean {
    return this.#fd !== undefined;
  }

  /** Releases the file. Later appends throw; reads keep working from memory. */
  close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    closeSync(fd);
  }

  protected override persist(records: readonly StoredEvent[]): void {
    if (this.#broken) throw this.#broken;
    const fd = this.#fd;
    if (fd === undefined) throw new Error(`JsonlEventStore ${this.file} is closed`);
    const bytes = Buffer.from(encodeJsonlRecords(records), 'utf8');
    try {
      let written = 0;
      // One write in practice; the loop only covers a short write.
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      if (this.#fsync) fsyncSync(fd);
    } catch (error) {
      // Cut off a partial line now, or the next append would bury it mid-file.
      try {
        ftruncateSync(fd, this.#size);
      } catch (rollbackError) {
        this.#broken = new Error(
          `JsonlEventStore ${this.file} is unusable: a failed write could not be undone; reopen it`,
          { cause: rollbackError },
        );
      }
      throw error;
    }
    this.#size += bytes.length;
  }
}

function readIfExists(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Uint8Array(0);
    throw error;
  }
}
