// One contract for the SQL export, run against every real database (PostgreSQL, MariaDB,
// SQLite): the CLI's script loads through the database's own client, and SQL queries check
// what landed (row count, stream versions, money) against the library's output.
import assert from 'node:assert/strict';
import { eventStream, jutsu, type PaymentPayload, type SessionEvent, type UserProfile } from '../../src/core/index.js';
import { eventSqlChunks, quoteIdentifier, type SqlDialect } from '../../src/formats/sqlSerializer.js';
import { runCli } from '../cli/cliHarness.js';
import { craftedEvents } from '../formats/craftedEvents.js';

/** A database under test, in a namespace (schema, database or file) fresh for this run. */
export interface SqlTarget {
  dialect: SqlDialect;
  /** The --table value for table `name` of this run's namespace. */
  table(name: string): string;
  /** Runs a script through the database's command-line client; rejects on any error. */
  load(script: string): Promise<void>;
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** SQL text of a JSON payload field of table alias `alias`. */
  jsonText(alias: string, key: string): string;
  /** A decimal-string money expression as integer cents. */
  cents(expr: string): string;
  /** The timestamp column as ISO-8601 UTC text with milliseconds. */
  isoTimestamp(column: string): string;
}

export const SEED = 'mockjutsu-export-db';
export const SESSIONS = 300;
export const USERS = 1500;
export const USER_COUNT = 2000;

/** What the library generates for the CLI export below. */
export function expected(): { events: SessionEvent[]; successes: number; paidCents: number } {
  const events = [...eventStream({ seed: SEED, sessions: SESSIONS })];
  const paid = events.filter((e) => e.event_type === 'payment' && (e.payload as PaymentPayload).status === 'success');
  const paidCents = paid.reduce((s, e) => s + Number((e.payload as PaymentPayload).amount.replace('.', '')), 0);
  return { events, successes: paid.length, paidCents };
}

export function num(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : Number(v as string);
}

export function json(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

/** Shared checks of an event table that holds `expected().events`. */
export function eventTableChecks(getTarget: () => SqlTarget, getTable: () => string): void {
  const want = expected();
  const q = (sql: string) => getTarget().query(sql);
  const t = () => quoteIdentifier(getTable(), getTarget().dialect);

  it('has one row per generated event', async () => {
    const [row] = await q(`SELECT count(*) AS n FROM ${t()}`);
    assert.equal(num(row!['n']), want.events.length);
  });

  it('has every stream_version run 1..n in each of the sessions', async () => {
    const [row] = await q(`SELECT count(*) AS streams, sum(CASE WHEN mn = 1 AND mx = n AND d = n THEN 1 ELSE 0 END) AS good
      FROM (SELECT stream_id, count(*) AS n, min(stream_version) AS mn, max(stream_version) AS mx, count(DISTINCT stream_version) AS d
            FROM ${t()} GROUP BY stream_id) s`);
    assert.equal(num(row!['streams']), SESSIONS);
    assert.equal(num(row!['good']), SESSIONS);
  });

  it('sums successful payment amounts to their checkouts\' totals (join on order_id)', async () => {
    const db = getTarget();
    const [row] = await q(`SELECT count(*) AS n, sum(${db.cents(db.jsonText('p', 'amount'))}) AS paid, sum(${db.cents(db.jsonText('c', 'total'))}) AS total
      FROM ${t()} p JOIN ${t()} c ON c.event_type = 'checkout' AND ${db.jsonText('c', 'order_id')} = ${db.jsonText('p', 'order_id')}
      WHERE p.event_type = 'payment' AND ${db.jsonText('p', 'status')} = 'success'`);
    assert.ok(want.successes > 20, `only ${want.successes} successful payments`);
    assert.equal(num(row!['n']), want.successes);
    assert.equal(num(row!['paid']), num(row!['total']));
    assert.equal(num(row!['paid']), want.paidCents);
  });

  it('reads every envelope and payload back as generated', async () => {
    const db = getTarget();
    const rows = await q(`SELECT event_id, event_type, stream_id, aggregate_type, aggregate_id, stream_version, global_position, correlation_id,
      causation_id, session_id, user_id, ${db.isoTimestamp(quoteIdentifier('timestamp', db.dialect))} AS ts, schema_version, payload
      FROM ${t()} ORDER BY global_position`);
    assert.equal(rows.length, want.events.length);
    rows.forEach((r, i) => {
      const e = want.events[i]!;
      const { timestamp, payload, ...envelope } = e;
      const { ts, payload: p, ...got } = r;
      assert.deepEqual({ ...got, stream_version: num(got['stream_version']), global_position: num(got['global_position']), schema_version: num(got['schema_version']) }, envelope);
      assert.equal(ts, timestamp);
      assert.deepEqual(json(p), payload);
    });
  });
}

/** The whole contract for one database. */
export function describeSqlExport(name: string, connect: () => Promise<{ target: SqlTarget; teardown(): Promise<void> }>): void {
  describe(`SQL export into ${name} (int)`, function () {
    this.timeout(120_000);
    let target: SqlTarget;
    let teardown: (() => Promise<void>) | undefined;
    const want = expected();

    before(async function () {
      const c = await connect();
      target = c.target;
      teardown = c.teardown;
    });
    after(async () => {
      await teardown?.();
    });

    describe(`given the CLI export of ${SESSIONS} sessions (--seed ${SEED})`, () => {
      before(async () => {
        const r = await runCli(['export', 'event_stream', '--count', String(SESSIONS), '--seed', SEED, '--format', 'sql', '--dialect', target.dialect, '--table', target.table('events')]);
        assert.equal(r.code, 0, r.stderr);
        await target.load(r.stdout.toString('utf8'));
      });
      eventTableChecks(() => target, () => target.table('events'));
    });

    it('round-trips crafted events full of quotes, backslashes, line breaks and non-ASCII text', async () => {
      const crafted = craftedEvents();
      await target.load([...eventSqlChunks(crafted, { dialect: target.dialect, table: target.table('crafted') })].join(''));
      const table = quoteIdentifier(target.table('crafted'), target.dialect);
      const rows = await target.query(`SELECT event_type, causation_id, payload FROM ${table} ORDER BY stream_version`);
      assert.deepEqual(rows.map((r) => r['event_type']), crafted.map((e) => e.event_type));
      assert.deepEqual(rows.map((r) => r['causation_id']), crafted.map((e) => e.causation_id));
      assert.deepEqual(rows.map((r) => json(r['payload'])), crafted.map((e) => e.payload));
    });

    it(`round-trips user profiles ("Côte d'Ivoire", commas) and skips the repeats past --users`, async () => {
      const r = await runCli(['export', 'user', '--count', String(USER_COUNT), '--users', String(USERS), '--seed', SEED, '--format', 'sql', '--dialect', target.dialect, '--table', target.table('users')]);
      assert.equal(r.code, 0, r.stderr);
      await target.load(r.stdout.toString('utf8'));
      const users = jutsu.bulk('user', { seed: SEED, count: USERS, users: USERS }) as UserProfile[];
      const rows = await target.query(`SELECT * FROM ${quoteIdentifier(target.table('users'), target.dialect)}`);
      const byId = new Map(users.map((u) => [u.user_id, u]));
      assert.equal(rows.length, byId.size);
      for (const row of rows) assert.deepEqual({ ...row }, byId.get(row['user_id'] as string));
      assert.ok(users.some((u) => u.country.includes("'")) && users.some((u) => /[^\x00-\x7f]/.test(u.country)));
    });

    it('loads nothing from a script cut before its COMMIT (one transaction)', async () => {
      const sql = [...eventSqlChunks(want.events.slice(0, 1200), { dialect: target.dialect, table: target.table('cut') })].join('');
      const cut = sql.slice(0, sql.lastIndexOf('COMMIT;'));
      await target.load(cut);
      const rows = await target.query(`SELECT count(*) AS n FROM ${quoteIdentifier(target.table('cut'), target.dialect)}`);
      assert.equal(num(rows[0]!['n']), 0);
    });
  });
}
