// How many threads an event_stream export runs on: `--workers N`, or the default, which uses
// the cores only for exports big enough to pay for a worker thread's start.

/**
 * Sessions (over all partitions) from which an export without `--workers` runs on more than
 * one thread. A worker thread costs ~0.45 CPU-s before it pays (its isolate, its modules, its
 * cold JIT), so on 2 cores two threads were slower than one up to 20,000 sessions (0.65x at
 * 1,000, 0.8x-1.0x at 20,000), even at 40,000 (~1.0x), and faster from 60,000 (1.23x-1.44x over
 * the formats) to 200,000 (1.34x-1.60x); shop, `bench/export.bench.ts` and paired runs.
 */
export const AUTO_THREADS_MIN_SESSIONS = 50_000;

/**
 * Most threads the default starts: each thread is an isolate of its own, ~25 MB of RSS, and the
 * export keeps under 150 MB at two (132 MB measured at 100,000 sessions; 159 MB at three, 183 MB
 * at four). More cores take more: `--workers N`.
 */
export const AUTO_THREADS_MAX = 2;

/**
 * Fewest sessions per partition for the default to use more than one thread. Threads take runs
 * of at most 64 sessions of one partition, so with one session a partition every run is one
 * session and costs a message, a Buffer and a mark search: 50,000 partitions of one session
 * took 1.2x-1.3x the time of one thread (2.5x on a tiny domain); from ~4-32 a partition it was
 * even or faster.
 */
export const AUTO_THREADS_MIN_PER_PARTITION = 32;

/** What the default decides by. */
export interface ExportShape {
  /** Sessions of the export, over all partitions. */
  sessions: number;
  /** Sessions of each partition (`--count`). */
  perPartition: number;
  /**
   * Users from a file (`--users FILE`): every worker gets a copy of the records, which cost more
   * than a second thread gives (100,000 users: 1.3x the time of one thread; 400,000: 1.7x).
   */
  userRecords: boolean;
}

/**
 * Threads for an event_stream export on `cores` cores: `--workers N` (`workers`), at most the
 * cores (more threads than cores only add isolates); without it every core up to
 * {@link AUTO_THREADS_MAX} once the export reaches {@link AUTO_THREADS_MIN_SESSIONS} sessions of
 * at least {@link AUTO_THREADS_MIN_PER_PARTITION} a partition, without user records; else one.
 */
export function exportThreads(workers: number | undefined, shape: ExportShape, cores: number): number {
  if (workers !== undefined) return Math.max(1, Math.min(workers, cores));
  const pays = shape.sessions >= AUTO_THREADS_MIN_SESSIONS && shape.perPartition >= AUTO_THREADS_MIN_PER_PARTITION && !shape.userRecords;
  return pays ? Math.max(1, Math.min(cores, AUTO_THREADS_MAX)) : 1;
}
