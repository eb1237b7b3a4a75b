// `export --workers N` of an event_stream: the plan as a job of src/export's parallel writer
// (shared with the sidecar's bulk streams).
import { parallelSessionExport, type OutputWritten } from '../export/index.js';
import { exportPartitions, type ExportPlan } from './exportChunks.js';

export { RUN_SESSIONS, type OutputWritten } from '../export/index.js';

/**
 * The plan's sessions made by `threads` generating threads (this one and `threads - 1` workers),
 * byte for byte what the single-thread export writes; see `parallelSessionExport`.
 */
export function parallelExport(plan: ExportPlan, threads: number, runSessions?: number, output?: OutputWritten): AsyncGenerator<Uint8Array> {
  const { partition: _p, ...options } = plan.options;
  return parallelSessionExport(
    { options, partitions: exportPartitions(plan), count: plan.count, format: { format: plan.format, pretty: plan.pretty, dialect: plan.dialect, table: plan.table }, counter: plan.counter },
    { threads, runSessions, output },
  );
}
