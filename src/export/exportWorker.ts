// A worker thread of `export --workers N` and of the sidecar's NDJSON bulks: stages runs of sessions (runStager.ts: simulated and
// written at once, a mark in place of each global_position) and transfers their Buffers; it
// holds no sessions, so they die young. parallelSessionExport.ts puts the positions in.
import { parentPort, workerData } from 'node:worker_threads';
import type { ExportWorkerData, FromWorker, ToWorker } from './exportWorkerProtocol.js';
import { createRunStager, isDeferred, type DeferredRun } from './runStager.js';

const data = workerData as ExportWorkerData;
const stager = createRunStager(data.options, data.format);
const deferred = new Map<number, DeferredRun>();
const port = parentPort!;

function send(message: FromWorker, transfer?: ArrayBuffer[]): void {
  port.postMessage(message, transfer);
}

function simulate(id: number, partition: string, from: number, to: number): void {
  const run = stager.stage(partition, from, to);
  if (isDeferred(run)) {
    deferred.set(id, run);
    send({ type: 'deferred', id, events: run.events, rowChars: run.rowChars });
    return;
  }
  const { events, bytes, length, holes, rowEnds, rowChars } = run;
  const transfer = [bytes.buffer as ArrayBuffer];
  for (const a of [holes, rowEnds, rowChars]) if (a !== undefined) transfer.push(a.buffer as ArrayBuffer);
  send({ type: 'staged', id, events, bytes: bytes.buffer as ArrayBuffer, length, holes, rowEnds, rowChars }, transfer);
}

function write(m: ToWorkerWrite): void {
  const run = deferred.get(m.id)!;
  deferred.delete(m.id);
  const text = stager.write(run, m.firstPosition, m.state);
  const bytes = Buffer.allocUnsafeSlow(Math.max(1, Buffer.byteLength(text, 'utf8')));
  bytes.write(text, 0, 'utf8');
  send({ type: 'written', id: m.id, bytes: bytes.buffer as ArrayBuffer }, [bytes.buffer as ArrayBuffer]);
}

type ToWorkerWrite = Extract<ToWorker, { type: 'write' }>;

// A deferred run's write goes before simulations: the writer waits for it.
const writes: ToWorkerWrite[] = [];
const simulations: Array<Extract<ToWorker, { type: 'simulate' }>> = [];
let scheduled = false;

function work(): void {
  scheduled = false;
  const m = writes.shift() ?? simulations.shift();
  if (m === undefined) return;
  try {
    if (m.type === 'simulate') simulate(m.id, m.partition, m.from, m.to);
    else write(m);
  } catch (e) {
    send({ type: 'failed', id: m.id, message: (e as Error).stack ?? String(e) });
  }
  schedule();
}

function schedule(): void {
  if (scheduled || (writes.length === 0 && simulations.length === 0)) return;
  scheduled = true;
  setImmediate(work); // lets the next message in first: a write that arrives jumps the queue
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'recycle') stager.recycle(m.buffer);
  else if (m.type === 'write') writes.push(m);
  else simulations.push(m);
  schedule();
});
