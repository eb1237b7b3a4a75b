// The goja runner (test/k6/goja/, a small Go program): runs k6 jobs in sobek, the goja fork k6
// runs, with the same stand-ins as the node:vm harness (standIns.js). `go build` makes it into
// node_modules/.cache/mockjutsu-k6goja/ (Go's own build and module caches make a rebuild cheap).
//
// Without `go`, or when the Go module proxy cannot be reached, the goja tests skip locally with
// a message and fail when CI=true.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { STAND_INS_PATH, type K6Job, type K6RunReport } from './k6Harness.js';

export const GOJA_RUNNER_DIR = fileURLToPath(new URL('./goja/', import.meta.url));
export const GOJA_RUNNER_BINARY = fileURLToPath(new URL('../../node_modules/.cache/mockjutsu-k6goja/k6goja', import.meta.url));

/** A job for the goja runner: a K6Job, plus how the script itself is loaded. */
export interface GojaJob extends K6Job {
  /** "esm" (default): the script is an ES module; "cjs": a CommonJS file (module.exports). */
  format?: 'esm' | 'cjs';
}

export interface GojaRunReport extends K6RunReport {
  engine: string;
}

export interface GojaBenchJob {
  bundle: string;
  format: 'esm' | 'cjs';
  vus: number;
  iterations: number;
  events: number;
  rounds: number;
  /**
   * When given, only these are measured: each an ES module placed in `dir` (its imports and
   * open() resolve there) that defines `makeStream(partition)` (test/k6/goja/cases.go).
   */
  cases?: Array<{ name: string; dir: string; source: string }>;
}

/** A bench case's figures: heap and init per VU (the stream made in init), then speed in one VU. */
export interface GojaCaseReport {
  name: string;
  heap: GojaHeapRow;
  speed: { events: number; nextNs: number; stringifyNs: number; meanEventBytes: number; nextOverStringify: number };
}

export interface GojaHeapRow {
  script: string;
  vus: number;
  iterations: number;
  initMsPerVu: number;
  heapKbPerVu: number;
  heapKbPerVuAfterIterations: number;
}

export interface GojaBenchReport {
  engine: string;
  format: string;
  rows: GojaHeapRow[];
  /** Nanoseconds per event of each loop, over the same events. */
  speed: { events: number; nextNs: number; stringifyNs: number; serializeNs: number; nextSerializeNs: number; meanEventBytes: number; nextOverStringify: number };
  cases?: GojaCaseReport[];
}

/** Built, or why not (`skip`, only outside CI). */
export type GojaRunnerBuild = { binary: string; skip?: undefined } | { skip: string; binary?: undefined };

const inCI = () => process.env.CI === 'true';

function unavailable(why: string): GojaRunnerBuild {
  if (inCI()) throw new Error(`goja runner: ${why} (CI=true: the goja tests must run)`);
  return { skip: `goja runner unavailable, skipping: ${why}` };
}

let building: GojaRunnerBuild | undefined;

/** Builds the runner once per process (downloads its Go modules first, if not cached). */
export function ensureGojaRunner(): GojaRunnerBuild {
  if (building) return building;
  const env = { ...process.env, GOFLAGS: '-mod=mod' };
  const version = spawnSync('go', ['version'], { encoding: 'utf8', env });
  if (version.error || version.status !== 0) return (building = unavailable(`\`go version\` failed: ${version.error?.message ?? version.stderr}`));
  const download = spawnSync('go', ['mod', 'download'], { cwd: GOJA_RUNNER_DIR, encoding: 'utf8', env });
  if (download.status !== 0) return (building = unavailable(`\`go mod download\` failed (is the Go module proxy reachable?): ${download.stderr}`));
  mkdirSync(dirname(GOJA_RUNNER_BINARY), { recursive: true });
  const build = spawnSync('go', ['build', '-o', GOJA_RUNNER_BINARY, '.'], { cwd: GOJA_RUNNER_DIR, encoding: 'utf8', env });
  // A compile error is a bug of the runner: it fails everywhere.
  if (build.status !== 0) throw new Error(`goja runner: go build failed:\n${build.stderr}`);
  return (building = { binary: GOJA_RUNNER_BINARY });
}

export interface GojaRunnerProcess {
  run(job: GojaJob): Promise<GojaRunReport>;
  bench(job: GojaBenchJob): Promise<GojaBenchReport>;
  close(): Promise<void>;
}

/**
 * The runner for a mocha test or hook: built and started, or the test skipped (saying why) when
 * it cannot be built; with CI=true ensureGojaRunner throws instead.
 */
export function startGojaRunnerFor(ctx: Mocha.Context): GojaRunnerProcess {
  const built = ensureGojaRunner();
  if (built.skip !== undefined) {
    console.log(`      ${built.skip}`);
    return ctx.skip();
  }
  return startGojaRunner(built.binary);
}

/** Starts the runner; it answers requests one at a time, in order. */
export function startGojaRunner(binary: string): GojaRunnerProcess {
  const child: ChildProcess = spawn(binary, ['-standins', STAND_INS_PATH], { stdio: ['pipe', 'pipe', 'inherit'] });
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: any) => void; reject: (e: Error) => void }>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const msg = JSON.parse(line) as { id: number; report?: GojaRunReport; bench?: GojaBenchReport; error?: string };
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error !== undefined) p.reject(new Error(`goja runner: ${msg.error}`));
    else p.resolve(msg.report ?? msg.bench);
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`goja runner exited with code ${code}`));
    pending.clear();
  });
  const send = <T>(body: object): Promise<T> => {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.stdin!.write(JSON.stringify({ id, ...body }) + '\n');
    });
  };
  return {
    run: (job) => send<GojaRunReport>({ job }),
    bench: (job) => send<GojaBenchReport>({ bench: job }),
    close() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      });
    },
  };
}
