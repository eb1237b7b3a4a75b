import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecorder } from '../../src/recorder/index.js';
import { cliInProcess } from '../cli/inProcessCli.js';

const cli = cliInProcess;

describe('--users FILE: sessions of recorded users on the CLI, and verify regenerates them', () => {
  let dir: string;
  let usersFile: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mockjutsu-users-'));
    const rec = createRecorder(dir);
    rec.recordMany('users', Array.from({ length: 5 }, (_, i) => ({ user_id: `sut-user-${i}`, email: `u${i}@shop.test` })));
    rec.close();
    usersFile = rec.fileOf('users');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generate and export draw every session user from the file; verify passes with the file and fails without it', async () => {
    const one = await cli('generate', 'event_stream', '--seed', '42', '--users', usersFile);
    assert.equal(one.code, 0, one.err);
    assert.match(JSON.parse(one.out)[0].user_id, /^sut-user-[0-4]$/);

    const events = join(dir, 'events.ndjson');
    const exp = await cli('export', 'event_stream', '--count', '30', '--format', 'ndjson', '--seed', '42', '--users', usersFile, '--partition', '3', '--out', events);
    assert.equal(exp.code, 0, exp.err);
    const users = new Set(readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l).user_id));
    assert.deepEqual([...users].sort(), [0, 1, 2, 3, 4].map((i) => `sut-user-${i}`));

    const ok = await cli('verify', '--seed', '42', '--partitions', '3', '--sessions', '30', '--against', events, '--users', usersFile);
    assert.equal(ok.code, 0, ok.out + ok.err);
    const differs = await cli('verify', '--seed', '42', '--partitions', '3', '--sessions', '30', '--against', events, '--users', '5');
    assert.equal(differs.code, 1);
  });

  it('a --users value that is neither a count nor a pool file: a usage error naming both', async () => {
    const r = await cli('generate', 'event_stream', '--seed', '1', '--users', join(dir, 'nope.csv'));
    assert.equal(r.code, 2);
    assert.match(r.err, /--users ".*nope\.csv": not a count \(1\.\.10000000\) and cannot read the pool file: no such file/);
  });
});
