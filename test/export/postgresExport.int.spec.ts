import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { jutsu, type UserProfile } from '../../src/core/index.js';
import { eventCsvChunks } from '../../src/formats/csvSerializer.js';
import { eventTableSql, quoteIdentifier, userTableSql } from '../../src/formats/sqlSerializer.js';
import { runCli } from '../cli/cliHarness.js';
import { hasCommand, postgresServer, type PostgresServer } from './databaseServers.js';
import { requirePart } from '../support/realParts.js';
import { describeSqlExport, eventTableChecks, SEED, SESSIONS, type SqlTarget } from './sqlExportContract.js';
import { craftedEvents } from '../formats/craftedEvents.js';

/** Runs psql with `input` on stdin; stops at the first error. */
function psql(server: PostgresServer, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], { env: server.env, maxBuffer: 64 << 20 }, (err, _out, stderr) => {
      if (err) reject(new Error(`psql failed: ${stderr || err.message}`));
      else resolve();
    });
    child.stdin!.end(input);
  });
}

async function connectPostgres(): Promise<{ target: SqlTarget; teardown(): Promise<void>; server: PostgresServer; schema: string }> {
  const server = await postgresServer();
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.database });
  await client.connect();
  const schema = `mj_export_${randomBytes(5).toString('hex')}`;
  await client.query(`CREATE SCHEMA ${schema}`);
  const target: SqlTarget = {
    dialect: 'postgres',
    table: (name) => `${schema}.${name}`,
    load: (script) => psql(server, [], script),
    query: async (sql) => (await client.query(sql)).rows,
    jsonText: (alias, key) => `${alias}.payload->>'${key}'`,
    cents: (expr) => `((${expr})::numeric * 100)::bigint`,
    isoTimestamp: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  };
  return {
    target, server, schema,
    async teardown() {
      await client.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await client.end();
      await server.stop();
    },
  };
}

const available = hasCommand('psql');

if (!available) {
  describe('SQL/CSV export into PostgreSQL (int)', () => {
    it('needs the psql client (apt-get install postgresql-client)', function () {
      requirePart(this, false, 'the psql client (apt-get install postgresql-client)');
    });
  });
} else {
  describeSqlExport('PostgreSQL', connectPostgres);

  describe('CSV export into PostgreSQL with COPY ... FROM STDIN (FORMAT csv, HEADER) (int)', function () {
    this.timeout(120_000);
    let c: Awaited<ReturnType<typeof connectPostgres>>;
    const copy = (table: string, csv: string) =>
      psql(c.server, ['-c', `COPY ${quoteIdentifier(table, 'postgres')} FROM STDIN WITH (FORMAT csv, HEADER)`], csv);

    before(async () => {
      c = await connectPostgres();
    });
    after(async () => {
      await c?.teardown();
    });

    describe(`given the CLI's CSV of ${SESSIONS} sessions`, () => {
      before(async () => {
        const table = c.target.table('events_csv');
        await c.target.load(eventTableSql({ table }));
        const r = await runCli(['export', 'event_stream', '--count', String(SESSIONS), '--seed', SEED, '--format', 'csv']);
        assert.equal(r.code, 0, r.stderr);
        await copy(table, r.stdout.toString('utf8'));
      });
      eventTableChecks(() => c.target, () => c.target.table('events_csv'));
    });

    it('round-trips crafted events (quotes, commas, CR/LF inside fields, backslashes, non-ASCII, "" vs NULL)', async () => {
      const table = c.target.table('crafted_csv');
      await c.target.load(eventTableSql({ table }));
      const crafted = craftedEvents();
      await copy(table, [...eventCsvChunks(crafted)].join(''));
      const rows = await c.target.query(`SELECT event_type, causation_id, payload FROM ${quoteIdentifier(table, 'postgres')} ORDER BY stream_version`);
      assert.deepEqual(rows.map((r) => r['event_type']), crafted.map((e) => e.event_type));
      assert.deepEqual(rows.map((r) => r['causation_id']), crafted.map((e) => e.causation_id));
      assert.deepEqual(rows.map((r) => r['payload']), crafted.map((e) => e.payload));
    });

    it('round-trips the CLI\'s user CSV ("Côte d\'Ivoire", "Bonaire, Sint Eustatius and Saba")', async () => {
      const table = c.target.table('users_csv');
      await c.target.load(userTableSql({ table }));
      const r = await runCli(['export', 'user', '--count', '1200', '--users', '1200', '--seed', SEED, '--format', 'csv']);
      assert.equal(r.code, 0, r.stderr);
      await copy(table, r.stdout.toString('utf8'));
      const users = jutsu.bulk('user', { seed: SEED, count: 1200, users: 1200 }) as UserProfile[];
      const rows = await c.target.query(`SELECT * FROM ${quoteIdentifier(table, 'postgres')}`);
      const byId = new Map(users.map((u) => [u.user_id, u]));
      assert.equal(rows.length, 1200);
      for (const row of rows) assert.deepEqual(row, byId.get(row['user_id'] as string));
    });
  });
}
