// Messages between `export --workers N` and its worker threads (see exportWorker.ts).
import type { GeneratorOptions } from '../core/index.js';
import type { SessionExportOptions, SessionExportState } from '../formats/index.js';

/** What a worker is started with: the generator options (plain data, a model included) and the format. */
export interface ExportWorkerData {
  options: GeneratorOptions;
  format: SessionExportOptions;
}

/** To a worker. */
export type ToWorker =
  /** Simulate and write sessions from..to-1 of the partition (run `id`). */
  | { type: 'simulate'; id: number; partition: string; from: number; to: number }
  /** A run the worker kept as sessions (`deferred`): write it, its first event at `firstPosition`, the writer in `state`. */
  | { type: 'write'; id: number; firstPosition: number; state: SessionExportState }
  /** A Buffer the worker sent, written out: fill it again (fresh memory costs a page fault per page). */
  | { type: 'recycle'; buffer: ArrayBuffer };

/** From a worker. */
export type FromWorker =
  /**
   * Run `id` as UTF-8 in `bytes[0, length)`, every global_position a mark at `holes` (none when
   * the domain drops global_position). json: every session after a separator, as if one was
   * written before. sql: each row after `,\n`, ending at `rowEnds[i]`, `rowChars[i]` characters
   * long without its position.
   */
  | { type: 'staged'; id: number; events: number; bytes: ArrayBuffer; length: number; holes?: Int32Array; rowEnds?: Int32Array; rowChars?: Int32Array }
  /** Run `id` could not be marked (a payload holds the mark's text): the worker keeps it until `write`. */
  | { type: 'deferred'; id: number; events: number; rowChars?: Int32Array }
  | { type: 'written'; id: number; bytes: ArrayBuffer }
  | { type: 'failed'; id: number; message: string };
