import { EventLogCorruption } from './eventLogCorruption.js';
import type { StoredEvent } from './storedEvent.js';

/**
 * The JSONL log format, kept free of I/O: one JSON record per line, each line ended by
 * `\n`. The newline is the commit marker: a record is written together with its newline in
 * a single write, and acknowledged only after that write returned.
 */

/** One parsed line of a log. */
export interface JsonlLine {
  /** 1-based line number. */
  readonly lineNumber: number;
  /** Byte offset of the line's first byte. */
  readonly offset: number;
  readonly value: unknown;
}

/** The damaged end of a log left by an interrupted write. */
export interface TornTail {
  /** Byte offset where the torn line starts; the log is valid up to here. */
  readonly offset: number;
  /** Number of bytes from `offset` to the end of the file. */
  readonly byteLength: number;
  /** 1-based line number of the torn line. */
  readonly lineNumber: number;
  /** The torn bytes, decoded leniently for the report. */
  readonly text: string;
  /** Why the line counts as torn. */
  readonly reason: string;
}

/** What {@link scanJsonlLog} found. */
export interface JsonlLogScan {
  readonly lines: readonly JsonlLine[];
  /** Bytes that hold complete, parseable lines: the length to keep. */
  readonly validLength: number;
  readonly tornTail?: TornTail;
}

const NEWLINE = 0x0a;

/** Serialises records as log lines: what one append writes in one go. */
export function encodeJsonlRecords(records: readonly StoredEvent[]): string {
  let text = '';
  for (const record of records) text += `${JSON.stringify(record)}\n`;
  return text;
}

/**
 * Splits a log into parsed lines and finds a torn tail.
 *
 * The last line is torn when it has no terminating newline (even if it happens to parse:
 * its append was never acknowledged) or when it is not valid JSON (a crash can leave
 * unwritten, zero-filled blocks). Any other line that is not valid UTF-8 JSON is corruption
 * no crash explains, so it throws instead of being dropped.
 *
 * @param file only used in error messages.
 * @throws EventLogCorruption naming `file` and the line.
 */
export function scanJsonlLog(bytes: Uint8Array, file: string): JsonlLogScan {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const lines: JsonlLine[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start < bytes.length) {
    lineNumber += 1;
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) {
      return torn(bytes, lines, start, lineNumber, 'no terminating newline (write interrupted)');
    }
    let value: unknown;
    try {
      value = JSON.parse(strict.decode(bytes.subarray(start, end)));
    } catch (error) {
      const reason = `not valid JSON (${(error as Error).message})`;
      if (end === bytes.length - 1) return torn(bytes, lines, start, lineNumber, reason);
      throw new EventLogCorruption(file, lineNumber, reason);
    }
    lines.push({ lineNumber, offset: start, value });
    start = end + 1;
  }
  return { lines, validLength: bytes.length };
}

function torn(bytes: Uint8Array, lines: JsonlLine[], offset: number, lineNumber: number, reason: string): JsonlLogScan {
  return {
    lines,
    validLength: offset,
    tornTail: {
      offset,
      byteLength: bytes.length - offset,
      lineNumber,
      text: new TextDecoder('utf-8').decode(bytes.subarray(offset)),
      reason,
    },
  };
}
