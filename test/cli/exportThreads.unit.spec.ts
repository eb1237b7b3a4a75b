import assert from 'node:assert/strict';
import { AUTO_THREADS_MAX, AUTO_THREADS_MIN_PER_PARTITION, AUTO_THREADS_MIN_SESSIONS, exportThreads, type ExportShape } from '../../src/cli/exportThreads.js';

const shape = (sessions: number, more: Partial<ExportShape> = {}): ExportShape => ({ sessions, perPartition: sessions, userRecords: false, ...more });

describe('exportThreads: the threads of an event_stream export (unit)', () => {
  it('--workers N: N, at most the cores', () => {
    assert.equal(exportThreads(1, shape(10_000_000), 8), 1);
    assert.equal(exportThreads(6, shape(10), 8), 6);
    assert.equal(exportThreads(6, shape(10), 2), 2);
    assert.equal(exportThreads(64, shape(1), 1), 1);
    assert.equal(exportThreads(2, shape(100_000, { perPartition: 1, userRecords: true }), 8), 2);
  });

  it('the default: one thread below the threshold, every core up to the cap from it', () => {
    assert.equal(AUTO_THREADS_MIN_SESSIONS, 50_000);
    assert.equal(AUTO_THREADS_MAX, 2);
    assert.equal(exportThreads(undefined, shape(AUTO_THREADS_MIN_SESSIONS - 1), 8), 1);
    assert.equal(exportThreads(undefined, shape(AUTO_THREADS_MIN_SESSIONS), 8), 2);
    assert.equal(exportThreads(undefined, shape(AUTO_THREADS_MIN_SESSIONS), 2), 2);
    assert.equal(exportThreads(undefined, shape(10 * AUTO_THREADS_MIN_SESSIONS), 1), 1);
  });

  it('the default keeps one thread for many small partitions and for user records', () => {
    assert.equal(AUTO_THREADS_MIN_PER_PARTITION, 32);
    assert.equal(exportThreads(undefined, shape(100_000, { perPartition: 31 }), 8), 1);
    assert.equal(exportThreads(undefined, shape(100_000, { perPartition: 32 }), 8), 2);
    assert.equal(exportThreads(undefined, shape(100_000, { userRecords: true }), 8), 1);
  });
});
