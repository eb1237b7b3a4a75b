import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { resolveDomain } from '../core/index.js';
import { createSessionExportWriter, initialExportState, type SessionExportOptions } from '../formats/index.js';
import { exportPartitions, type ExportPlan } from './exportChunks.js';
import type { ExportWorkerData, FromWorker, ToWorker } from './exportWorkerProtocol.js';

/**
 * Sessions per run handed to a worker (~160 events, ~110 KB of text). Small on purpose: a
 * worker holds a run's sessions from simulating it until it is told where the run starts, and
 * sessions held that long outlive V8's young generation: runs of 250 cost 1.55x the CPU of
 * runs of 10 in the same loop (measured with bench-like loops in one process).
 */
export const RUN_SESSIONS = 16;
/** Runs queued per worker, so a worker always has the next run to simulate while it waits. */
const RUNS_IN_FLIGHT = 8;

/** A run of consecutive sessions of one partition, as the export goes through it. */
interface Run {
  worker: Worker;
  events?: number;
  rowLengths?: number[];
  bytes?: ArrayBuffer;
}

function startWorker(data: ExportWorkerData): Worker {
  const js = new URL('./exportWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: data, resourceLimits: WORKER_LIMITS });
  // Under tsx (tests of the source) the worker is the .ts file next to this one.
  // A worker does not inherit the tsx loader: load the .ts entry through tsx's API.
  const ts = new URL('./exportWorker.ts', import.meta.url).href;
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(ts)}, ${JSON.stringify(ts)}))`;
  return new Worker(code, { eval: true, workerData: data, resourceLimits: WORKER_LIMITS });
}

// A cap on each worker's old space: a bug that held runs would fail the export, not the machine.
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96 };

const digits = (n: number): number => (n < 10 ? 1 : Math.floor(Math.log10(n)) + 1);

/**
 * An event_stream export written by `workers` worker threads: each simulates and serialises
 * runs of {@link RUN_SESSIONS} sessions into Buffers it transfers (never strings), and this
 * thread emits them in order. Where each run starts (its first global position; for SQL the
 * open INSERT statement) is planned here from the runs before it, which the workers report
 * once simulated (event counts, SQL row lengths), so the bytes equal the single-thread
 * export's whatever the worker count. At most RUNS_IN_FLIGHT runs per worker are in flight: memory stays
 * flat for any count.
 */
export async function* parallelSessionExport(plan: ExportPlan, workers: number, runSessions = RUN_SESSIONS): AsyncGenerator<Uint8Array> {
  const partitions = exportPartitions(plan);
  const format: SessionExportOptions = { format: plan.format, pretty: plan.pretty, dialect: plan.dialect, table: plan.table };
  // validates the options before any thread starts; the domain gives the csv/sql columns
  const writer = createSessionExportWriter({ ...format, domain: resolveDomain(plan.options.domain, plan.options.model) });
  const runsPerPartition = Math.ceil(plan.count / runSessions);
  const total = partitions.length * runsPerPartition;
  const { partition: _p, ...options } = plan.options;
  const data: ExportWorkerData = { options, format };
  const pool = Array.from({ length: Math.max(1, Math.min(workers, total)) }, () => startWorker(data));
  const runs = new Map<number, Run>();
  const planState = initialExportState();
  let nextPlan = 0;
  let nextPosition = 1;
  let failure: Error | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const runOf = (id: number) => ({ partition: partitions[Math.floor(id / runsPerPartition)]!, from: (id % runsPerPartition) * runSessions });
  const send = (worker: Worker, m: ToWorker) => worker.postMessage(m);

  // Plans every run whose predecessors are all counted: its first position and writer state.
  const planRuns = (): void => {
    for (let run = runs.get(nextPlan); run?.events !== undefined; run = runs.get(nextPlan)) {
      if (nextPlan % runsPerPartition === 0) nextPosition = 1;
      send(run.worker, { type: 'write', id: nextPlan, firstPosition: nextPosition, state: planState });
      const shift = nextPosition - 1;
      if (writer.advanceState && run.rowLengths) {
        // Lengths were measured with positions 1..n; the run's rows carry shift+1..shift+n.
        const lengths = run.rowLengths.map((n, i) => n - digits(i + 1) + digits(i + 1 + shift));
        writer.advanceState(planState, lengths);
      }
      planState.written = true;
      run.rowLengths = undefined;
      nextPosition += run.events;
      nextPlan++;
    }
  };

  for (const worker of pool) {
    worker.on('message', (m: FromWorker) => {
      const run = runs.get(m.id);
      if (m.type === 'failed') failure ??= new Error(`export worker failed on run ${m.id}: ${m.message}`);
      else if (run !== undefined && m.type === 'counted') {
        run.events = m.events;
        run.rowLengths = m.rowLengths;
        planRuns();
      } else if (run !== undefined && m.type === 'written') run.bytes = m.bytes;
      notify();
    });
    worker.on('error', (e) => {
      failure ??= e;
      notify();
    });
    worker.on('exit', (code) => {
      if (!finished) failure ??= new Error(`export worker exited with code ${code} before the export was done`);
      notify();
    });
  }

  try {
    yield Buffer.from(writer.head, 'utf8');
    let nextDispatch = 0;
    const maxInFlight = pool.length * RUNS_IN_FLIGHT;
    for (let nextYield = 0; nextYield < total; ) {
      for (; nextDispatch < total && nextDispatch - nextYield < maxInFlight; nextDispatch++) {
        const worker = pool[nextDispatch % pool.length]!;
        runs.set(nextDispatch, { worker });
        const { partition, from } = runOf(nextDispatch);
        send(worker, { type: 'simulate', id: nextDispatch, partition, from, to: Math.min(plan.count, from + runSessions) });
      }
      if (failure) throw failure;
      const run = runs.get(nextYield)!;
      if (run.bytes === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      runs.delete(nextYield);
      if (plan.counter) {
        const { from } = runOf(nextYield);
        plan.counter.items += Math.min(plan.count, from + runSessions) - from;
        plan.counter.events += run.events!;
      }
      nextYield++;
      yield new Uint8Array(run.bytes);
    }
    writer.state = planState;
    yield Buffer.from(writer.tail(), 'utf8');
  } finally {
    finished = true;
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
