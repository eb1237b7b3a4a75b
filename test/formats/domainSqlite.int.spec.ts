import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGenerator } from '../../src/core/index.js';
import { eventSqlChunks } from '../../src/formats/index.js';
import { hasCommand } from '../export/databaseServers.js';
import { requirePart } from '../support/realParts.js';
import { weirdDomain } from './weirdDomain.js';

const g = createGenerator({ seed: 'columns', domain: weirdDomain });
const events = Array.from({ length: 60 }, (_, k) => g.session(0, k)).flat();

describe('a domain\'s SQL export in SQLite (int)', () => {
  it('SQL: a domain\'s script loads into SQLite and gives back every event ', function () {
    if (!hasCommand('sqlite3')) return requirePart(this, false, 'the sqlite3 command-line shell (apt-get install sqlite3)');
    const dir = mkdtempSync(join(tmpdir(), 'mj-fmt-sqlite-'));
    try {
      const file = join(dir, 'weird.db');
      execFileSync('sqlite3', ['-bail', file], { input: [...eventSqlChunks(events, { dialect: 'sqlite', domain: weirdDomain, batchRows: 50 })].join('') });
      const rows = JSON.parse(execFileSync('sqlite3', ['-json', file, 'SELECT * FROM events ORDER BY rowid'], { maxBuffer: 64 << 20 }).toString()) as Array<Record<string, unknown>>;
      assert.equal(rows.length, events.length);
      rows.forEach((r, i) => assert.deepEqual({ ...r, payload: JSON.parse(r.payload as string) }, JSON.parse(JSON.stringify(events[i]))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
