// A worker thread of `export --workers N`: simulates runs of sessions (phase 1: their event
// counts, and for SQL their row lengths), then, told where the export stands before them (phase
// 2: first global position and writer state), writes their text into a Buffer it transfers.
import { parentPort, workerData } from 'node:worker_threads';
import { createGenerator, type Session } from '../core/index.js';
import { createSessionExportWriter } from '../formats/index.js';
import type { ExportWorkerData, FromWorker, ToWorker } from './exportWorkerProtocol.js';

const data = workerData as ExportWorkerData;
const generator = createGenerator(data.options);
const writer = createSessionExportWriter({ ...data.format, domain: generator.config.domain });
const held = new Map<number, Session[]>();
const port = parentPort!;

function send(message: FromWorker, transfer?: ArrayBuffer[]): void {
  port.postMessage(message, transfer);
}

function simulate(id: number, partition: string, from: number, to: number): void {
  const sessions: Session[] = [];
  let position = 1; // relative to the run; phase 2 shifts it
  let events = 0;
  for (let k = from; k < to; k++) {
    const s = generator.session(partition, k, position);
    position += s.length;
    events += s.length;
    sessions.push(s);
  }
  held.set(id, sessions);
  send({ type: 'counted', id, events, rowLengths: writer.rowLengths?.(sessions) });
}

function write(id: number, firstPosition: number, state: ToWorkerWrite['state']): void {
  const sessions = held.get(id)!;
  held.delete(id);
  const shift = firstPosition - 1;
  let text = '';
  writer.state = state;
  for (const s of sessions) {
    if (shift !== 0) for (const e of s) (e as { global_position: number }).global_position += shift;
    text = writer.append(text, s);
  }
  // A buffer of its own (not a slice of Buffer's shared pool), so it can be transferred.
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  bytes.write(text, 0, 'utf8');
  send({ type: 'written', id, bytes: bytes.buffer as ArrayBuffer }, [bytes.buffer as ArrayBuffer]);
}

type ToWorkerWrite = Extract<ToWorker, { type: 'write' }>;

// Writes go before simulations: a run waiting to be written holds its sessions, and sessions
// held across many other runs outlive V8's young generation (they cost a major GC each).
const writes: Array<Extract<ToWorker, { type: 'write' }>> = [];
const simulations: Array<Extract<ToWorker, { type: 'simulate' }>> = [];
let scheduled = false;

function work(): void {
  scheduled = false;
  const m = writes.shift() ?? simulations.shift();
  if (m === undefined) return;
  try {
    if (m.type === 'simulate') simulate(m.id, m.partition, m.from, m.to);
    else write(m.id, m.firstPosition, m.state);
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
  if (m.type === 'write') writes.push(m);
  else simulations.push(m);
  schedule();
});
