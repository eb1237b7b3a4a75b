import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { hasCommand, mariadbServer, type MariadbServer } from './databaseServers.js';
import { requirePart } from '../support/realParts.js';
import { describeSqlExport, type SqlTarget } from './sqlExportContract.js';

const client = ['mariadb', 'mysql'].find(hasCommand);

/** Runs the mariadb (or mysql) client with `script` on stdin; rejects on the first error. */
function mariadbClient(server: MariadbServer, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ['--protocol=TCP', '-h', server.host, '-P', String(server.port), '-u', server.user, '--default-character-set=utf8mb4', '--batch'];
    const child = execFile(client!, args, { env: { ...process.env, MYSQL_PWD: '' }, maxBuffer: 64 << 20 }, (err, _out, stderr) => {
      if (err) reject(new Error(`${client} failed: ${stderr || err.message}`));
      else resolve();
    });
    child.stdin!.end(script);
  });
}

if (client === undefined) {
  describe('SQL export into MariaDB (int)', () => {
    it('needs the mariadb or mysql client (apt-get install mariadb-client)', function () {
      requirePart(this, false, 'the mariadb or mysql client (apt-get install mariadb-client)');
    });
  });
} else {
  describeSqlExport('MariaDB (--dialect mysql)', async () => {
    const server = await mariadbServer();
    const conn = await mysql.createConnection({ host: server.host, port: server.port, user: server.user, password: '', charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: true });
    const db = `mj_export_${randomBytes(5).toString('hex')}`;
    await conn.query(`CREATE DATABASE ${db} CHARACTER SET utf8mb4`);
    const target: SqlTarget = {
      dialect: 'mysql',
      table: (name) => `${db}.${name}`,
      load: (script) => mariadbClient(server, script),
      query: async (sql) => (await conn.query(sql))[0] as Array<Record<string, unknown>>,
      jsonText: (alias, key) => `JSON_UNQUOTE(JSON_EXTRACT(${alias}.payload, '$.${key}'))`,
      cents: (expr) => `CAST(CAST(${expr} AS DECIMAL(14,2)) * 100 AS SIGNED)`,
      isoTimestamp: (column) => `CONCAT(DATE_FORMAT(${column}, '%Y-%m-%dT%H:%i:%s.'), LPAD(FLOOR(MICROSECOND(${column}) / 1000), 3, '0'), 'Z')`,
    };
    return {
      target,
      async teardown() {
        await conn.query(`DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
        await conn.end();
        await server.stop();
      },
    };
  });
}
