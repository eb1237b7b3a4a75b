import assert from 'node:assert/strict';
import { formatIsoMs, activityAt } from '../../src/core/timeModel.js';
import { formatIsoMs as formatIsoMsNoJit } from '../../src/core/isoTimeNoJit.js';
import { createGenerator, derivePrng } from '../../src/index.js';

describe('core: time model', () => {
  it('formats like Date.prototype.toISOString', () => {
    const r = derivePrng('iso');
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(r() * 253_402_300_799_999);
      assert.equal(formatIsoMs(ms), new Date(ms).toISOString());
      assert.equal(formatIsoMsNoJit(ms), new Date(ms).toISOString());
    }
    // Events a few seconds apart, as in a session (the no-JIT variant caches by minute).
    for (let ms = 1_735_689_540_000, i = 0; i < 5_000; i++, ms += 1 + ((i * 7919) % 9000)) {
      assert.equal(formatIsoMsNoJit(ms), new Date(ms).toISOString());
    }
  });

  it('without spread, session k of a partition starts in [k, k+1) intervals after start', () => {
    const g = createGenerator({ seed: 't', start: '2026-05-01T00:00:00Z', sessionIntervalMs: 60_000 });
    const t0 = Date.parse('2026-05-01T00:00:00Z');
    for (let k = 0; k < 50; k++) {
      const at = Date.parse(g.session(0, k)[0]!.timestamp);
      assert.ok(at >= t0 + k * 60_000 && at < t0 + (k + 1) * 60_000);
    }
  });

  it('spreads session starts along the daily and weekly activity curve', () => {
    const start = Date.parse('2026-06-01T00:00:00Z'); // a Monday
    const g = createGenerator({ seed: 'spread', start, spreadMs: 28 * 86_400_000 });
    const byHour = new Array(24).fill(0);
    const byDay = new Array(7).fill(0);
    for (let k = 0; k < 20_000; k++) {
      const t = Date.parse(g.session(0, k)[0]!.timestamp);
      assert.ok(t >= start && t < start + 28 * 86_400_000);
      byHour[new Date(t).getUTCHours()]++;
      byDay[new Date(t).getUTCDay()]++;
    }
    // Evening peak (18-19h, weight 1.0) vs night trough (3-4h, weight 0.09): about 11x.
    const ratio = (byHour[18] + byHour[19]) / (byHour[3] + byHour[4]);
    assert.ok(ratio > 7 && ratio < 16, `evening/night ratio ${ratio}`);
    assert.ok(byDay[0] > byDay[2], 'Sundays are busier than Tuesdays');
    assert.equal(activityAt(Date.parse('2026-06-07T18:30:00Z')), 1); // Sunday 18h is the peak
  });
});
