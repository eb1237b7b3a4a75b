import assert from 'node:assert/strict';
import { AUTO_THREADS_MAX, AUTO_THREADS_MIN_SESSIONS, exportThreads } from '../../src/cli/exportThreads.js';

describe('exportThreads: the threads of an event_stream export (unit)', () => {
  it('--workers N: N, at most the cores', () => {
    assert.equal(exportThreads(1, 10_000_000, 8), 1);
    assert.equal(exportThreads(6, 10, 8), 6);
    assert.equal(exportThreads(6, 10, 2), 2);
    assert.equal(exportThreads(64, 1, 1), 1);
  });

  it('the default: one thread below the threshold, every core up to the cap from it', () => {
    assert.equal(AUTO_THREADS_MIN_SESSIONS, 50_000);
    assert.equal(AUTO_THREADS_MAX, 2);
    assert.equal(exportThreads(undefined, AUTO_THREADS_MIN_SESSIONS - 1, 8), 1);
    assert.equal(exportThreads(undefined, AUTO_THREADS_MIN_SESSIONS, 8), 2);
    assert.equal(exportThreads(undefined, AUTO_THREADS_MIN_SESSIONS, 2), 2);
    assert.equal(exportThreads(undefined, 10 * AUTO_THREADS_MIN_SESSIONS, 1), 1);
  });
});
