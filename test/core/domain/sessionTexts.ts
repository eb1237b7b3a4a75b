import assert from 'node:assert/strict';
import type { DomainSimulator } from '../../../src/core/domain/domainSimulator.js';

/**
 * Every session's JSON text, one per line, of `sessions` sessions of partitions 0 and 7;
 * session k's positions start at `firstPosition(k)` (default 1).
 */
export function sessionsText(sim: DomainSimulator, sessions: number, firstPosition: (k: number) => number = () => 1): string {
  let out = '';
  for (const p of ['0', '7']) for (let k = 0; k < sessions; k++) out += JSON.stringify(sim.simulate(p, k, firstPosition(k))) + '\n';
  return out;
}

/** Equal texts, or the first session that differs (not megabytes of diff). */
export function assertSameSessions(actual: string, expected: string): void {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((line, j) => line !== e[j]);
  assert.equal(a.length, e.length, 'session count');
  assert.equal(i, -1, `session line ${i} differs:\n${a[i]?.slice(0, 600)}\n${e[i]?.slice(0, 600)}`);
}
