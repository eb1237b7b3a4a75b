import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSidecar, type RunningSidecar } from '../../src/sidecar/index.js';
import { openSidecarData, sidecarDataPlugin } from '../../src/sidecar/sidecarData.js';
import { call } from './sidecarTestKit.js';

// schemathesis over the record and pool routes only (the other routes have their own run in
// schemathesis.e2e.spec.ts): positive and negative requests from /openapi.json, no 5xx allowed.
const SEED = process.env.MOCKJUTSU_SCHEMATHESIS_SEED ?? '20251115';
const EXAMPLES_PER_OPERATION = Number(process.env.MOCKJUTSU_SCHEMATHESIS_EXAMPLES ?? 80);
const BIN = process.env.SCHEMATHESIS ?? 'schemathesis';

function installed(): boolean {
  return spawnSync(BIN, ['--version'], { encoding: 'utf8' }).status === 0;
}

describe('record and pool routes under schemathesis', function () {
  this.timeout(120_000);
  let s: RunningSidecar;
  const logged: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'mockjutsu-pools-schemathesis-'));

  before(async function () {
    if (!installed()) {
      const why = `${BIN} is not installed: run scripts/ci/install-schemathesis.sh`;
      if (process.env.CI === 'true') throw new Error(`${why} (CI=true: a missing tool fails the run)`);
      console.log(`      skipped: ${why}`);
      this.skip();
    }
    writeFileSync(join(dir, 'few.json'), JSON.stringify([1, 2, 3]));
    writeFileSync(join(dir, 'loop.json'), JSON.stringify(['a', 'b']));
    const data = openSidecarData({ recordsDir: join(dir, 'records'), pools: ['few=' + join(dir, 'few.json'), 'loop=' + join(dir, 'loop.json') + ':recyclable'] });
    s = await startSidecar({ port: 0, seed: 1, log: (l) => logged.push(l), limits: { maxBatch: 200 }, plugins: [sidecarDataPlugin(data)] });
  });
  after(async () => {
    await s?.close(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`gives no 5xx on the six record and pool operations (return included) (${EXAMPLES_PER_OPERATION} examples each, seed ${SEED})`, async () => {
    const report = join(dir, 'report.json');
    const args = ['run', `${s.url}/openapi.json`, '--include-path-regex', '^/(pools|records?)(/|$)', '--checks', 'not_a_server_error',
      '--phases', 'examples,coverage,fuzzing', '--max-examples', String(EXAMPLES_PER_OPERATION), '--seed', SEED, '--workers', '2',
      '--request-timeout', '10', '--report', 'json', '--report-json-path', report, '--no-color'];
    const child = spawn(BIN, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const r = JSON.parse(readFileSync(report, 'utf8')) as { operations: { tested: number }; test_cases: { generated: number }; failures: unknown[]; errors: unknown[] };
    console.log(`      schemathesis: ${r.test_cases.generated} requests over ${r.operations.tested} operations`);
    assert.deepEqual({ code, failures: r.failures, errors: r.errors }, { code: 0, failures: [], errors: [] }, output.slice(-4000));
    assert.equal(r.operations.tested, 6);
    assert.deepEqual(logged.filter((l) => l.includes('internal error')), []);
    assert.equal((await call(s.url, '/health')).status, 200);
  });
});
