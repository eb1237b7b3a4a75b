import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand } from './databaseServers.js';
import { requirePart } from '../support/realParts.js';
import { describeSqlExport, type SqlTarget } from './sqlExportContract.js';

function sqlite3(args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('sqlite3', args, { maxBuffer: 256 << 20 }, (err, out, stderr) => {
      if (err || stderr) reject(new Error(`sqlite3 failed: ${stderr || err?.message}`));
      else resolve(out);
    });
    child.stdin!.end(input);
  });
}

if (!hasCommand('sqlite3')) {
  describe('SQL export into SQLite (int)', () => {
    it('needs the sqlite3 command-line shell (apt-get install sqlite3)', function () {
      requirePart(this, false, 'the sqlite3 command-line shell (apt-get install sqlite3)');
    });
  });
} else {
  describeSqlExport('SQLite (sqlite3 shell, temp file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mj-sqlite-'));
    const file = join(dir, 'export.db');
    const target: SqlTarget = {
      dialect: 'sqlite',
      table: (name) => name,
      load: async (script) => {
        await sqlite3(['-bail', file], script);
      },
      query: async (sql) => {
        const out = await sqlite3(['-json', file], sql);
        return out.trim() === '' ? [] : (JSON.parse(out) as Array<Record<string, unknown>>);
      },
      jsonText: (alias, key) => `json_extract(${alias}.payload, '$.${key}')`,
      // Amounts always have two decimals: dropping the point gives exact integer cents.
      cents: (expr) => `CAST(replace(${expr}, '.', '') AS INTEGER)`,
      isoTimestamp: (column) => column,
    };
    return { target, teardown: async () => rmSync(dir, { recursive: true, force: true }) };
  });
}
