// Cost of ${__mockjutsu_event_sourcing(event_stream,event)} on the real JMeter engine (JMeter
// 5.6.3 from scripts/ci/install-jmeter.sh, or JMETER_HOME; a code-built plan) against the real
// sidecar, next to JMeter's in-JVM ${__UUID()} in the same run and the same samples; the ratio
// mockjutsu/__UUID is the figure to quote (goal <= 1.2x).
//
//   node --import tsx bench/jmeterBench.ts [--threads 8,32] [--batch 64] [--sync] [--jvm "-Dx=y"]
//
// Two scenarios per thread count, both timed with System.nanoTime() around the calls inside the
// JVM (engine overhead excluded):
//   paced      each sample makes one call of each function then sleeps 1 ms, as a sampler that
//              does real work between calls would: the amortized cost a plan pays per call
//              (queue hits + the occasional wait for a batch)
//   saturated  each sample makes 500 calls of each function back to back: the sidecar is the
//              bottleneck; reported as sidecar-bound throughput (events/s) and wall µs per event
// The first 10% of each thread's samples are JIT/connection warm-up and left out.
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import {
  buildJars, ensureSidecarBuilt, freePort, JMETER_HOME, jmeterMissing, killChildren, removeDir, runCodePlan, Sidecar, tempDir,
  type CodePlanResult,
} from '../test/jmeter/jmeterHarness.ts';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '8,32' },
    batch: { type: 'string', default: '64' },
    sync: { type: 'boolean', default: false },
    jvm: { type: 'string', default: '' },
    'paced-loops': { type: 'string', default: '2000' },
    'saturated-calls': { type: 'string', default: '20000' },
  },
});
const threadCounts = values.threads!.split(',').map(Number);
const batch = Number(values.batch);
const pacedLoops = Number(values['paced-loops']);
const K = 500;
const saturatedLoops = Math.max(2, Math.round(Number(values['saturated-calls']) / K));

const missing = jmeterMissing();
if (missing) {
  console.log(`jmeterBench skipped: ${missing}`);
  process.exit(0);
}

const EXPRS = ['${__mockjutsu_event_sourcing(event_stream,event)}', '${__UUID()}'];
const NAMES = ['__mockjutsu_event_sourcing (event)', '__UUID'];

interface Stat {
  calls: number;
  meanUs: number;
  p99Us: number;
  /** Share of the calls that took over 1 ms (paced: a call that waited for a batch). */
  slowShare: number;
  /** Share of the total time spent in those calls. */
  slowTimeShare: number;
}

/** Per-call statistics of function `index` over the samples after warm-up. */
function stat(run: CodePlanResult, index: number, callsPerSample: number, loops: number): Stat {
  const samples = run.samples.filter((s) => s.label === `bench ${index}`);
  if (index === 0) {
    const bad = samples.find((s) => !s.value?.startsWith('{'));
    if (bad) throw new Error(`a mockjutsu call failed during the benchmark: ${JSON.stringify(bad)}`);
  }
  const ns = samples.filter((s) => s.iteration > Math.ceil(loops / 10)).map((s) => Number(s.message) / callsPerSample).sort((a, b) => a - b);
  const total = ns.reduce((a, b) => a + b, 0);
  const mean = total / ns.length;
  const slow = ns.filter((x) => x > 1e6);
  return {
    calls: samples.length * callsPerSample, meanUs: mean / 1000, p99Us: ns[Math.min(ns.length - 1, Math.floor(ns.length * 0.99))]! / 1000,
    slowShare: slow.length / ns.length, slowTimeShare: slow.reduce((a, b) => a + b, 0) / total,
  };
}

await buildJars();
ensureSidecarBuilt();
const dir = tempDir();
const sidecar = await new Sidecar({ port: await freePort(), seed: 'bench' }).start();
const lines: string[] = [];
try {
  const props = {
    'mockjutsu.url': sidecar.url, 'mockjutsu.seed': 'bench', 'mockjutsu.batch': batch, 'mockjutsu.engine': 'bench',
    'mockjutsu.async_prefetch': String(!values.sync),
  };
  const jvmArgs = ['-Xms512m', '-Xmx1g', ...(values.jvm ? values.jvm.split(' ') : [])];
  for (const threads of threadCounts) {
    const paced = await runCodePlan({
      dir, name: `paced-${threads}`, threads, loops: pacedLoops, bench: 1, sleepMs: 1, exprs: EXPRS, props, jvmArgs, timeoutMs: 900000,
    });
    const pacedStats = [0, 1].map((i) => stat(paced, i, 1, pacedLoops));
    for (const i of [0, 1]) {
      const s = pacedStats[i]!;
      const ratio = `   ${i === 0 ? `${(s.meanUs / pacedStats[1]!.meanUs).toFixed(2)}x __UUID; ` : ''}` +
        `${(s.slowShare * 100).toFixed(2)}% of calls > 1 ms = ${(s.slowTimeShare * 100).toFixed(0)}% of the time`;
      lines.push(`${String(threads).padStart(7)}  paced      ${NAMES[i]!.padEnd(34)} ${String(s.calls).padStart(8)} ${s.meanUs.toFixed(2).padStart(10)} ${s.p99Us.toFixed(1).padStart(10)}${ratio}`);
    }
    const sat = await runCodePlan({
      dir, name: `saturated-${threads}`, threads, loops: saturatedLoops, bench: K, exprs: EXPRS, props, jvmArgs, timeoutMs: 900000,
    });
    const satStats = [0, 1].map((i) => stat(sat, i, K, saturatedLoops));
    for (const i of [0, 1]) {
      const s = satStats[i]!;
      let extra = '';
      if (i === 0) {
        extra += `   ${(s.meanUs / satStats[1]!.meanUs).toFixed(2)}x __UUID`;
        // time spent in mockjutsu calls across threads / events = wall µs per event at saturation
        const perThreadNs = (s.meanUs * 1000) * (s.calls / threads);
        const eventsPerSecond = s.calls / (perThreadNs / 1e9);
        extra += `; sidecar-bound: ${Math.round(eventsPerSecond)} events/s = ${(1e6 / eventsPerSecond).toFixed(2)} µs/event`;
      }
      lines.push(`${String(threads).padStart(7)}  saturated  ${NAMES[i]!.padEnd(34)} ${String(s.calls).padStart(8)} ${s.meanUs.toFixed(2).padStart(10)} ${s.p99Us.toFixed(1).padStart(10)}${extra}`);
    }
  }
} finally {
  await sidecar.stop();
  await killChildren();
  removeDir(dir);
}

console.log(`\nJMeter function cost: real engine (JMeter at ${JMETER_HOME}), real sidecar, batch ${batch}, ` +
  `${values.sync ? 'synchronous' : 'background'} prefetch; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the end`);
console.log('threads  scenario   function                              calls    µs/call  p99 µs/call*');
for (const l of lines) console.log(l);
console.log('* p99 over samples (paced: single calls; saturated: the mean of 500 calls)');
