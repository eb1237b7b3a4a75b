// Reading a k6 run's report in tests (node:vm harness and goja runner alike).
import assert from 'node:assert/strict';
import type { K6RunReport } from './k6Harness.js';

/** The VU's iteration results, parsed, after checking that nothing failed. */
export function results<T = unknown>(report: K6RunReport, vuIndex = 0): T[] {
  assert.equal(report.optionsError, undefined, JSON.stringify(report.optionsError));
  const vu = report.vus[vuIndex]!;
  assert.equal(vu.initError, undefined, JSON.stringify(vu.initError));
  for (const it of vu.iterations) assert.equal(it.error, undefined, JSON.stringify(it.error));
  return vu.iterations.map((it) => JSON.parse(it.result!) as T);
}

/** The VU's iteration results as the JSON text the script returned. */
export function rawResults(report: K6RunReport, vuIndex = 0): string[] {
  results(report, vuIndex);
  return report.vus[vuIndex]!.iterations.map((it) => it.result!);
}

/** No VU (nor the options pass) read `exec.*` in the init context, where real k6 throws. */
export function assertNoExecInInit(report: K6RunReport): void {
  assert.deepEqual(report.optionsExecReadInInit, []);
  for (const vu of report.vus) assert.deepEqual(vu.execReadInInit, [], `VU ${vu.idInTest} read exec.${vu.execReadInInit[0]} in init`);
}
