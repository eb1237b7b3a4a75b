// Cost of ${__mockjutsu_pool(users)} (a non-recyclable pool served by the real sidecar) on the
// real JMeter engine (5.6.3, a code-built plan), next to JMeter's in-JVM ${__UUID()} in the same
// run and samples: 8 threads, one call of each per sample then 1 ms of sleep, timed with
// System.nanoTime() inside the JVM, first 10% of each thread's samples left out. One line per
// mockjutsu.pool.prefetch value (items the engine fetches ahead, in the background, for all its
// threads; default 64; goal <= 1.2x __UUID).
//
//   node --import tsx bench/jmeterPoolBench.ts [1,16,64,256]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJars, freePort, jmeterMissing, killChildren, removeDir, runCodePlan, Sidecar, tempDir, type CodePlanResult } from '../test/jmeter/jmeterHarness.ts';
function mean(run: CodePlanResult, i: number, loops: number): number {
  const ns = run.samples.filter((s) => s.label === `bench ${i}` && s.iteration > loops / 10).map((s) => Number(s.message));
  if (i === 0 && run.samples.some((s) => s.label === 'bench 0' && !s.value?.startsWith('{'))) throw new Error('pool call failed: ' + JSON.stringify(run.samples.find((s) => s.label === 'bench 0' && !s.value?.startsWith('{'))));
  return ns.reduce((a, b) => a + b, 0) / ns.length / 1000;
}
const missing = jmeterMissing();
if (missing) {
  console.log(`jmeterPoolBench skipped: ${missing}`);
  process.exit(0);
}
await buildJars();
const dir = tempDir();
writeFileSync(join(dir, 'users.ndjson'), Array.from({ length: 200_000 }, (_, i) => JSON.stringify({ user_id: `u-${i}` }) + '\n').join(''));
const sidecar = await new Sidecar({ port: await freePort(), args: ['--pool', `users=${join(dir, 'users.ndjson')}`] }).start();
try {
  const loops = 1500;
  for (const prefetch of (process.argv[2] ?? '1,16,64,256').split(',').map(Number)) {
    const run = await runCodePlan({ dir, name: `pool-${prefetch}`, threads: 8, loops, bench: 1, sleepMs: 1, exprs: ['${__mockjutsu_pool(users)}', '${__UUID()}'],
      props: { 'mockjutsu.url': sidecar.url, 'mockjutsu.pool.prefetch': prefetch }, jvmArgs: ['-Xms256m', '-Xmx512m'], timeoutMs: 300000 });
    const p = mean(run, 0, loops), u = mean(run, 1, loops);
    console.log(`prefetch ${prefetch}: pool ${p.toFixed(2)} µs/call, __UUID ${u.toFixed(2)} µs/call, ratio ${(p / u).toFixed(2)}x`);
  }
} finally { await sidecar.stop(); await killChildren(); removeDir(dir); }
