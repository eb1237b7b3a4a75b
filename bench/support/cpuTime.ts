// Shared measuring helpers of the benches.

/**
 * CPU time of this process (user + system) of `fn`, best of `runs`: steadier than wall time
 * when other work shares the machine's two cores.
 */
export function bestCpuSeconds(runs: number, fn: () => unknown): number {
  let bestS = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    bestS = Math.min(bestS, (d.user + d.system) / 1e6);
  }
  return bestS;
}

/**
 * Runs a bench file "on one core": V8's parallel GC and compiler threads would otherwise lend a
 * second core (and bill their time to the process), so the file is run again in a child with
 * --single-threaded and `--run` (the file runs its tables when it sees `--run`). Returns false
 * in the parent, which then does nothing more, and true in the child.
 */
export async function inSingleThreadedProcess(fileUrl: string): Promise<boolean> {
  if (process.execArgv.includes('--single-threaded')) return true;
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  spawnSync(process.execPath, ['--single-threaded', '--import', 'tsx', fileURLToPath(fileUrl), '--run'], { stdio: 'inherit' });
  return false;
}
