// Domains as data (issue #14): NDJSON of the shop's events through its compiled serializer vs
// JSON.stringify of the same events, and the same for the shipped bank and hotel domains. One process, same run.
// (The shop as a compiled domain vs the old hand-written simulator: handWrittenShop.bench.ts.)
import { openSync, writeSync, closeSync } from 'node:fs';
import { createGenerator, serializerFor, type DomainInput } from '../src/core/index.js';
import { bestCpuSeconds, inSingleThreadedProcess } from './support/cpuTime.js';

function ndjsonTable(label: string, domain: DomainInput, sessions: number): void {
  const g = createGenerator({ seed: 'bench', domain });
  const events: object[] = [];
  for (let k = 0; k < sessions; k++) for (const e of g.session(0, k)) events.push(e);
  const serialize = serializerFor(g.config.domain);
  const fd = openSync('/dev/null', 'w');
  const write = (f: (e: object) => string): number => {
    let chunk = '';
    for (let i = 0; i < events.length; i++) {
      chunk += f(events[i]!) + '\n';
      if (chunk.length >= 65536) { writeSync(fd, chunk); chunk = ''; }
    }
    writeSync(fd, chunk);
    return events.length;
  };
  const stringify = (e: object): string => JSON.stringify(e);
  // Paired rounds (JSON.stringify, then ours): each pair saw the same load; the median pair's
  // ratio is the figure (the machine moves single rounds by 20% and more).
  const ROUNDS = 9;
  const ratios: number[] = [];
  let tJson = Infinity;
  let tOurs = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const a = bestCpuSeconds(1, () => write(stringify));
    const c = bestCpuSeconds(1, () => write(serialize));
    tJson = Math.min(tJson, a);
    tOurs = Math.min(tOurs, c);
    ratios.push(a / c);
  }
  closeSync(fd);
  ratios.sort((x, y) => x - y);
  const b = events.length / tJson;
  const o = events.length / tOurs;
  console.log(`NDJSON, ${label}, ${events.length} prebuilt events to /dev/null`.padEnd(75) + `M events/s   ratio (median of ${ROUNDS} paired rounds; range)`);
  console.log(`JSON.stringify (baseline)                                                  ${(b / 1e6).toFixed(2).padStart(10)}    1.00`);
  console.log(`the domain's compiled serializer                                           ${(o / 1e6).toFixed(2).padStart(10)}    ${ratios[ROUNDS >> 1]!.toFixed(2)} (${ratios[0]!.toFixed(2)}-${ratios[ROUNDS - 1]!.toFixed(2)})`);
}

function all(): void {
  ndjsonTable('shop', 'shop', 20_000);
  ndjsonTable('bank (the shipped domain)', 'bank', 20_000);
  ndjsonTable('hotel (the shipped domain)', 'hotel', 20_000);
}

export default async function (): Promise<void> {
  // One core: V8's helper threads would otherwise lend a second one (see inSingleThreadedProcess).
  if (!(await inSingleThreadedProcess(import.meta.url))) return;
  all();
}

if (process.argv.includes('--run')) all();
