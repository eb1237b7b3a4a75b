/**
 * Thrown when a persisted event log cannot be trusted: a damaged line that is not the last
 * one, or a record that breaks the log's numbering. Names the file and the 1-based line.
 */
export class EventLogCorruption extends Error {
  override readonly name = 'EventLogCorruption';

  constructor(
    /** Path of the log file. */
    readonly file: string,
    /** 1-based line number of the offending record. */
    readonly lineNumber: number,
    /** Why the line was rejected. */
    readonly reason: string,
  ) {
    super(`Corrupt event log ${file}, line ${lineNumber}: ${reason}`);
  }
}
