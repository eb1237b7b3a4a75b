import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { serialize } from 'node:v8';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { resolveDomain, type CompiledDomain, type DomainInput, type GeneratorOptions } from '../core/index.js';
import { createSessionExportWriter, initialExportState, type SessionExportOptions } from '../formats/index.js';
import { assembleSqlRun, fillPositions, positionChars, type SqlAssembly } from './positionHoles.js';
import type { ExportWorkerData, FromWorker, ToWorker } from './exportWorkerProtocol.js';
import { createRunStager, isDeferred, type DeferredRun, type RunStager, type StagedRun } from './runStager.js';

/**
 * Sessions per run (~640 events, ~450 KB of text). Nothing holds a run's sessions once it is
 * staged (text with marks for the positions), so runs can be long: fewer messages.
 */
export const RUN_SESSIONS = 64;
/** Runs staged ahead of the writer per generating thread: bounds memory, keeps every thread busy. */
const RUNS_AHEAD = 6;
/** Runs queued on one worker: enough to keep it busy while this thread stages a run of its own. */
const WORKER_QUEUE = 4;

/** A run of consecutive sessions of one partition, as the export goes through it. */
interface Run {
  /** The worker staging it; undefined when this thread did. */
  worker?: Worker;
  staged?: Pick<StagedRun, 'events' | 'length' | 'holes' | 'rowEnds' | 'rowChars'> & { bytes: ArrayBuffer };
  /** Deferred by a worker (it keeps the sessions) or by this thread (`local`). */
  deferred?: { events: number; rowChars?: Int32Array; local?: DeferredRun };
  /** A deferred run's text once written. */
  text?: Uint8Array;
  requested?: boolean;
}

function startWorker(data: ExportWorkerData, limits: ResourceLimits): Worker {
  const js = new URL('./exportWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: data, resourceLimits: limits });
  // Under tsx (tests of the source) the worker is the .ts file next to this one.
  // A worker does not inherit the tsx loader: load the .ts entry through tsx's API.
  const ts = new URL('./exportWorker.ts', import.meta.url).href;
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(ts)}, ${JSON.stringify(ts)}))`;
  return new Worker(code, { eval: true, workerData: data, resourceLimits: limits });
}

// A cap on each worker's heap: a bug that held runs would fail the export, not the machine.
// A small young generation: a worker's sessions die young (RSS 113 vs 130-135 MB with 16-32 MB
// at --workers 2, the same CPU).
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 };

/**
 * A worker's limits: {@link WORKER_LIMITS}, plus room for its copy of the user records
 * (`--users FILE`), about their serialised size twice (the records, and what the generator
 * keeps of them). 200,000 users (~68 MB) did not fit in 96 MB: the worker died.
 */
function workerLimits(data: ExportWorkerData): ResourceLimits {
  const users = data.options.users;
  if (typeof users !== 'object' || users === null || users.length === 0) return WORKER_LIMITS;
  // Measured on up to 1,000 records spread over them: serialising 200,000 took 0.25 s.
  const step = Math.max(1, Math.floor(users.length / 1000));
  const sample = Array.from({ length: Math.ceil(users.length / step) }, (_, i) => users[i * step]);
  const mb = (serialize(sample).byteLength * (users.length / sample.length)) / 2 ** 20;
  return { ...WORKER_LIMITS, maxOldGenerationSizeMb: WORKER_LIMITS.maxOldGenerationSizeMb + Math.ceil(2 * mb) };
}

/** What {@link parallelSessionExport} writes: sessions 0..count-1 of each partition in turn. */
export interface SessionExportJob {
  /** Generator options as plain data (they cross to the worker threads; a domain as its name or definition). */
  options: GeneratorOptions;
  /** In order; each numbered from global position 1, as its own stream is. */
  partitions: readonly string[];
  count: number;
  /** The format (its domain: `options.domain`). */
  format: Omit<SessionExportOptions, 'domain'>;
  /** Updated as runs are written, for a progress bar. */
  counter?: { items: number; events: number };
}

/** How {@link parallelSessionExport} runs. */
export interface ParallelExportOptions {
  /** Generating threads, this one included unless `stageHere` is false. */
  threads: number;
  /** Sessions per run (default {@link RUN_SESSIONS}). */
  runSessions?: number;
  output?: OutputWritten;
  /**
   * Whether this thread stages runs itself when it has nothing to write (default true: the
   * CLI's writer). False: `threads` worker threads generate, this thread only puts the
   * positions in (a server keeps its event loop free: the sidecar's bulk streams).
   */
  stageHere?: boolean;
}

/**
 * Set by the writer once its output is open (see `writeOutput`): `written()` resolves once every
 * chunk handed to the output so far has left its Buffer. Then the Buffers of written runs are
 * filled again (sent back to their worker); without it every run gets a new one.
 */
export interface OutputWritten {
  written?: () => Promise<void>;
}

/**
 * An event_stream export made by `threads` generating threads: `threads - 1` worker threads and
 * this one, which stages a run itself whenever it has nothing to write. A run is
 * {@link RUN_SESSIONS} sessions simulated and written at once into a Buffer (workers transfer
 * it: never strings, never sessions held), a mark in place of every global_position, which
 * depends on all sessions before the run. Taking the runs in order, this thread knows where each
 * starts and puts the digits in (for SQL also the INSERT statements' ends and starts), so the
 * bytes equal the single-thread export's whatever the thread count. At most RUNS_AHEAD runs
 * per thread are staged ahead of the output: memory stays flat for any count.
 */
export async function* parallelSessionExport(plan: SessionExportJob, how: ParallelExportOptions): AsyncGenerator<Uint8Array> {
  const { threads, runSessions = RUN_SESSIONS, output, stageHere = true } = how;
  const partitions = plan.partitions;
  const format: SessionExportOptions = { ...plan.format };
  // validates the options before any thread starts; the domain gives the csv/sql columns
  const domain = resolveDomain(plan.options.domain, plan.options.model);
  const writer = createSessionExportWriter({ ...format, domain });
  const hasPosition = domain.envelope.some((c) => c.field === 'global_position');
  const sql: SqlAssembly | undefined = writer.sql && {
    insert: Buffer.from(writer.sql.insert, 'utf8'),
    end: Buffer.from(writer.sql.end, 'utf8'),
    step: writer.sql.step,
  };
  const runsPerPartition = Math.ceil(plan.count / runSessions);
  const total = partitions.length * runsPerPartition;
  // "now" is read here, once: a thread that read its own clock started its runs' sessions later.
  const start = plan.options.start === 'now' ? Date.now() : plan.options.start;
  // A compiled domain holds functions, which do not cross to a worker: it goes as its name or definition.
  const data: ExportWorkerData = { options: { ...plan.options, start, domain: plan.options.domain === undefined ? undefined : portableDomain(domain) }, format };
  const threadCount = Math.max(1, Math.min(threads, total));
  const workers = stageHere ? threadCount - 1 : threadCount;
  const limits = workers > 0 ? workerLimits(data) : WORKER_LIMITS;
  const pool = Array.from({ length: workers }, () => startWorker(data, limits));
  const queued = new Map<Worker, number>(pool.map((w) => [w, 0]));
  let local: RunStager | undefined;
  const runs = new Map<number, Run>();
  const state = initialExportState();
  let nextPosition = 1;
  let failure: Error | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const runOf = (id: number) => {
    const from = (id % runsPerPartition) * runSessions;
    return { partition: partitions[Math.floor(id / runsPerPartition)]!, from, to: Math.min(plan.count, from + runSessions) };
  };
  const send = (worker: Worker, m: ToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(m, transfer);
  // This thread's Buffers (SQL runs are assembled here), filled again once written.
  const spare: ArrayBuffer[] = [];
  const takeSpare = (size: number): Buffer => {
    const i = spare.findIndex((b) => b.byteLength >= size);
    return i === -1 ? Buffer.allocUnsafeSlow(Math.ceil(size * 1.25)) : Buffer.from(spare.splice(i, 1)[0]!);
  };

  for (const worker of pool) {
    worker.on('message', (m: FromWorker) => {
      const run = runs.get(m.id);
      if (m.type === 'failed') failure ??= new Error(`export worker failed on run ${m.id}: ${m.message}`);
      else if (run !== undefined) {
        if (m.type === 'staged') run.staged = m;
        else if (m.type === 'deferred') run.deferred = m;
        else run.text = new Uint8Array(m.bytes);
        if (m.type !== 'written') queued.set(worker, queued.get(worker)! - 1);
      }
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

  /** Moves the SQL state past a run's rows (their positions from `first`). */
  const stepSql = (rowChars: Int32Array, first: number): void => {
    for (let i = 0; i < rowChars.length; i++) sql!.step(state.sql, rowChars[i]! + (hasPosition ? positionChars(first + i) : 0));
  };

  try {
    yield Buffer.from(writer.head, 'utf8');
    let nextDispatch = 0;
    const maxAhead = threadCount * RUNS_AHEAD;
    for (let nextYield = 0; nextYield < total; ) {
      // Runs to the workers with room in their queue.
      for (const worker of pool) {
        while (nextDispatch < total && nextDispatch - nextYield < maxAhead && queued.get(worker)! < WORKER_QUEUE) {
          runs.set(nextDispatch, { worker });
          queued.set(worker, queued.get(worker)! + 1);
          send(worker, { type: 'simulate', id: nextDispatch, ...runOf(nextDispatch) });
          nextDispatch++;
        }
      }
      if (failure) throw failure;
      // Undefined when no worker took it yet (this thread stages it below).
      const run: Run = runs.get(nextYield) ?? {};
      if (nextYield % runsPerPartition === 0) nextPosition = 1;
      let out: Uint8Array;
      let events: number;
      /** Gives `out`'s Buffer back to be filled again, once it is written. */
      let reuse: (() => void) | undefined;
      if (run.staged !== undefined) {
        const m = run.staged;
        events = m.events;
        const bytes = Buffer.from(m.bytes, 0, m.length);
        const owner = run.worker;
        if (sql !== undefined) {
          out = assembleSqlRun(bytes, m.length, m.holes, m.rowEnds!, m.rowChars!, nextPosition, state.sql, sql, takeSpare);
          giveBack(owner, m.bytes);
          const assembled = out.buffer as ArrayBuffer;
          reuse = () => {
            if (spare.length < RUNS_AHEAD) spare.push(assembled);
          };
        } else {
          // json: each session came after a separator; the export's first one has none.
          const skip = writer.format === 'json' && !state.written ? 1 : 0;
          out = m.holes === undefined ? bytes.subarray(skip, m.length) : fillPositions(bytes, m.length, m.holes, nextPosition, skip);
          reuse = () => giveBack(owner, m.bytes);
        }
      } else if (run.deferred !== undefined && run.text !== undefined) {
        events = run.deferred.events;
        out = run.text;
      } else if (run.deferred !== undefined && !run.requested) {
        run.requested = true;
        const at = { written: state.written, sql: { ...state.sql } };
        if (run.deferred.local !== undefined) run.text = Buffer.from(local!.write(run.deferred.local, nextPosition, at), 'utf8');
        else send(run.worker!, { type: 'write', id: nextYield, firstPosition: nextPosition, state: at });
        // The state moves past the run now; its text comes (came) back in 'written'.
        if (sql !== undefined) stepSql(run.deferred.rowChars!, nextPosition);
        continue;
      } else if (stageHere && nextDispatch < total && nextDispatch - nextYield < maxAhead) {
        // Nothing to write yet: stage the next run here.
        const id = nextDispatch++;
        const { partition, from, to } = runOf(id);
        local ??= createRunStager(data.options, format);
        const r = local.stage(partition, from, to);
        runs.set(id, isDeferred(r) ? { deferred: { events: r.events, rowChars: r.rowChars, local: r } } : { staged: { ...r, bytes: r.bytes.buffer as ArrayBuffer } });
        // Lets the workers' messages in: their queues refill only once their runs are counted back.
        await nextMacrotask();
        continue;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      state.written = true;
      nextPosition += events;
      runs.delete(nextYield);
      if (plan.counter) {
        const { from, to } = runOf(nextYield);
        plan.counter.items += to - from;
        plan.counter.events += events;
      }
      nextYield++;
      yield out;
      // The output has taken `out`; once written, its Buffer goes back to be filled again.
      const written = output?.written;
      if (reuse !== undefined && written !== undefined && !failure) void written().then(reuse, () => undefined);
    }
    writer.state = state;
    yield Buffer.from(writer.tail(), 'utf8');
  } finally {
    finished = true;
    await Promise.all(pool.map((w) => w.terminate()));
  }

  function giveBack(owner: Worker | undefined, buffer: ArrayBuffer): void {
    if (owner === undefined) {
      if (local !== undefined) local.recycle(buffer);
    } else if (!finished) send(owner, { type: 'recycle', buffer }, [buffer]);
  }
}

/**
 * A domain as it crosses to a worker thread: a built-in by name (its program is built in),
 * another by its definition (the worker compiles it again: the same program).
 */
function portableDomain(domain: CompiledDomain): DomainInput {
  try {
    if (resolveDomain(domain.name) === domain) return domain.name;
  } catch {
    // not a built-in name
  }
  return domain.definition;
}
