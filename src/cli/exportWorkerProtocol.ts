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
  /** Phase 1: simulate sessions from..to-1 of the partition (run `id`). */
  | { type: 'simulate'; id: number; partition: string; from: number; to: number }
  /** Phase 2: write run `id`, its first event at `firstPosition`, the writer in `state`. */
  | { type: 'write'; id: number; firstPosition: number; state: SessionExportState };

/** From a worker. */
export type FromWorker =
  | { type: 'counted'; id: number; events: number; rowLengths?: number[] }
  | { type: 'written'; id: number; bytes: ArrayBuffer }
  | { type: 'failed'; id: number; message: string };
