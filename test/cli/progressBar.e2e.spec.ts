import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressBar, progressBarFor } from '../../src/cli/progressBar.js';
import { CLI } from './cliHarness.js';
import { requirePart } from '../support/realParts.js';

function fakeTerminal(columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { isTTY: true, columns, write: (s: string) => writes.push(s) } };
}

describe('ProgressBar (unit)', () => {
  it('is only drawn on a terminal', () => {
    assert.equal(progressBarFor({ write: () => true }, 10, 'sessions'), undefined);
    assert.equal(progressBarFor({ isTTY: false, write: () => true }, 10, 'sessions'), undefined);
    assert.ok(progressBarFor(fakeTerminal().stream, 10, 'sessions') instanceof ProgressBar);
  });

  it('shows count, percentage, rate and ETA', () => {
    let now = 1_000_000;
    const t = fakeTerminal();
    const bar = new ProgressBar(t.stream, 1_000_000, 'sessions', { items: 0, events: 0 }, () => now);
    now += 10_000;
    bar.counter.items = 250_000;
    bar.counter.events = 2_500_000;
    assert.equal(bar.line(), '[#####---------------] 25.0% 250,000/1,000,000 sessions  25,000 sessions/s  250,000 events/s  ETA 0:30');
    now += 3_600_000;
    bar.counter.items = 260_000;
    assert.match(bar.line(), / 72 sessions\/s  693 events\/s  ETA 2:51:15$/);
  });

  it('redraws at most every 100 ms, in place, and clears its line', () => {
    let now = 0;
    const t = fakeTerminal();
    const bar = new ProgressBar(t.stream, 100, 'items', { items: 0, events: 0 }, () => now);
    bar.update();
    bar.update();
    now += 99;
    bar.update();
    assert.equal(t.writes.length, 1);
    now += 1;
    bar.update();
    assert.equal(t.writes.length, 2);
    assert.ok(t.writes.every((w) => w.startsWith('\r\x1b[K')));
    bar.clear();
    assert.equal(t.writes.at(-1), '\r\x1b[K');
  });

  it('fits a narrow terminal', () => {
    const t = fakeTerminal(40);
    const bar = new ProgressBar(t.stream, 100, 'sessions');
    assert.ok(bar.line().length < 40);
  });

  describe('in the CLI, on a pseudo-terminal (script)', function () {
    this.timeout(60_000);
    const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).error === undefined;
    let dir: string;
    before(function () {
      requirePart(this, hasScript, 'script from util-linux (a pseudo-terminal)');
      dir = mkdtempSync(join(tmpdir(), 'mj-tty-'));
    });
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    it('draws the bar on stderr and removes it at the end', () => {
      const out = join(dir, 'x.ndjson');
      const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} export event_stream --count 20000 --seed tty --out ${JSON.stringify(out)}`;
      const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 50_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /\r\x1b\[K\[[#-]{20}\] \d+\.\d% [\d,]+\/20,000 sessions {2}[\d,]+ sessions\/s {2}[\d,]+ events\/s {2}ETA \d+:\d\d/);
      assert.ok(r.stdout.trimEnd().endsWith('\x1b[K'), 'the last thing drawn clears the line');
    });
  });
});
