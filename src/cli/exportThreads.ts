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
 * Threads for an event_stream export of `sessions` sessions on `cores` cores: `--workers N`
 * (`workers`), at most the cores (more threads than cores only add isolates); without it every
 * core up to {@link AUTO_THREADS_MAX} once the export reaches {@link AUTO_THREADS_MIN_SESSIONS},
 * else one.
 */
export function exportThreads(workers: number | undefined, sessions: number, cores: number): number {
  if (workers !== undefined) return Math.max(1, Math.min(workers, cores));
  return sessions >= AUTO_THREADS_MIN_SESSIONS ? Math.max(1, Math.min(cores, AUTO_THREADS_MAX)) : 1;
}
