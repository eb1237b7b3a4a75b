import assert from 'node:assert/strict';
import { MockjutsuError, eventStream, jutsu, type UserProfile } from '../../src/core/index.js';
import {
  SQL_DIALECTS, checkSqlDialect, checkTableName, eventSqlChunks, eventSqlScript, eventTableSql, quoteIdentifier, sqlString,
  userSqlChunks, userTableSql,
} from '../../src/formats/sqlSerializer.js';
import { craftedEvents } from './craftedEvents.js';

const events = [...eventStream({ seed: 'sql-unit', sessions: 130 })];

function statements(sql: string, prefix: string): number {
  return sql.split('\n').filter((l) => l.startsWith(prefix)).length;
}

describe('sqlSerializer (unit)', () => {
  describe('sqlString', () => {
    it('doubles single quotes for PostgreSQL and SQLite, and leaves backslashes alone', () => {
      for (const d of ['postgres', 'sqlite'] as const) {
        assert.equal(sqlString("Côte d'Ivoire", d), "'Côte d''Ivoire'");
        assert.equal(sqlString('a\\b\nc', d), "'a\\b\nc'");
      }
    });
    it('splices CR and NUL into SQLite literals with char(), which the sqlite3 shell would drop', () => {
      assert.equal(sqlString("a\r\nb'\0", 'sqlite'), "('a' || char(13) || '\nb''' || char(0) || '')");
      assert.equal(sqlString('a\r\nb', 'postgres'), "'a\r\nb'");
    });
    it('escapes backslashes, quotes and control characters for MySQL', () => {
      assert.equal(sqlString("it's", 'mysql'), "'it''s'");
      assert.equal(sqlString('a\\b', 'mysql'), "'a\\\\b'");
      assert.equal(sqlString('l1\nl2\r\0\x1a', 'mysql'), "'l1\\nl2\\r\\0\\Z'");
      assert.equal(sqlString('{"a":"x\\"y"}', 'mysql'), "'{\"a\":\"x\\\\\"y\"}'");
    });
  });

  describe('identifiers', () => {
    it('accepts names and schema.table, and quotes them per dialect', () => {
      assert.deepEqual(checkTableName('events'), ['events']);
      assert.deepEqual(checkTableName('mj_1.Events'), ['mj_1', 'Events']);
      assert.equal(quoteIdentifier('s.order', 'postgres'), '"s"."order"');
      assert.equal(quoteIdentifier('s.order', 'mysql'), '`s`.`order`');
      assert.equal(quoteIdentifier('order', 'sqlite'), '"order"');
    });
    for (const bad of ['', '1events', 'my table', 'a.b.c', 'ev"ts', 'ev`ts', 'x'.repeat(64), 'a;drop']) {
      it(`rejects ${JSON.stringify(bad)} with INVALID_OPTION`, () => {
        assert.throws(() => checkTableName(bad), (e: MockjutsuError) => e.code === 'INVALID_OPTION' && /allowed:/.test(e.message));
      });
    }
    it('rejects an unknown dialect, listing the known ones', () => {
      assert.throws(() => checkSqlDialect('oracle'), /dialect is "oracle"; allowed: postgres, sqlite, mysql/);
      assert.deepEqual(SQL_DIALECTS, ['postgres', 'sqlite', 'mysql']);
    });
  });

  describe('the event table', () => {
    it('uses each dialect\'s types, primary key event_id and unique (stream_id, stream_version)', () => {
      const pg = eventTableSql({ dialect: 'postgres' });
      assert.match(pg, /^CREATE TABLE IF NOT EXISTS "events" \(/);
      assert.match(pg, /"event_id" uuid NOT NULL/);
      assert.match(pg, /"timestamp" timestamptz NOT NULL/);
      assert.match(pg, /"payload" jsonb NOT NULL/);
      assert.match(pg, /PRIMARY KEY \("event_id"\)/);
      assert.match(pg, /UNIQUE \("stream_id", "stream_version"\)/);
      const my = eventTableSql({ dialect: 'mysql', table: 'db.ev' });
      assert.match(my, /^CREATE TABLE IF NOT EXISTS `db`.`ev` \(/);
      assert.match(my, /`event_id` CHAR\(36\) NOT NULL/);
      assert.match(my, /`timestamp` DATETIME\(3\) NOT NULL/);
      assert.match(my, /`payload` JSON NOT NULL/);
      assert.match(my, /ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;/);
      const lite = eventTableSql({ dialect: 'sqlite' });
      assert.match(lite, /"stream_version" INTEGER NOT NULL/);
      assert.match(lite, /"payload" TEXT NOT NULL/);
    });
  });

  describe('the script', () => {
    it('is: settings, CREATE TABLE, BEGIN, INSERTs of 500 rows, COMMIT', () => {
      const sql = [...eventSqlChunks(events)].join('');
      assert.ok(events.length > 1000 && events.length < 1500, `${events.length} events`);
      assert.match(sql, /^SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\nCREATE TABLE IF NOT EXISTS/);
      assert.match(sql, /\);\nBEGIN;\nINSERT INTO "events" \("event_id", /);
      assert.equal(statements(sql, 'INSERT INTO'), Math.ceil(events.length / 500));
      assert.ok(sql.endsWith(';\nCOMMIT;\n'));
      assert.equal(sql.split('\n').filter((l) => l.startsWith("('")).length, events.length);
    });

    it('MySQL: switches NO_BACKSLASH_ESCAPES off, START TRANSACTION, DATETIME literals without T and Z', () => {
      const sql = [...eventSqlChunks(events.slice(0, 3), { dialect: 'mysql' })].join('');
      assert.match(sql, /^SET NAMES utf8mb4;\nSET SESSION sql_mode = .*NO_BACKSLASH_ESCAPES/);
      assert.match(sql, /\nSTART TRANSACTION;\n/);
      assert.ok(sql.includes(`'${events[0]!.timestamp.slice(0, 10)} ${events[0]!.timestamp.slice(11, 23)}'`));
      assert.ok(!sql.includes(events[0]!.timestamp));
    });

    it('honours batchRows and keeps the same bytes whatever the chunk size', () => {
      const whole = [...eventSqlChunks(events, { dialect: 'sqlite', batchRows: 100 })].join('');
      assert.equal(statements(whole, 'INSERT INTO'), Math.ceil(events.length / 100));
      const chunks = [...eventSqlChunks(events, { dialect: 'sqlite', batchRows: 100, chunkChars: 2000 })];
      assert.ok(chunks.length > 20);
      assert.equal(chunks.join(''), whole);
    });

    it('writes NULL for a null causation_id and the payload as JSON text', () => {
      const crafted = craftedEvents();
      const sql = [...eventSqlChunks(crafted.slice(0, 1), { dialect: 'postgres' })].join('');
      assert.ok(sql.includes(`'${crafted[0]!.correlation_id}',NULL,`));
      assert.ok(sql.includes(sqlString(JSON.stringify(crafted[0]!.payload), 'postgres')));
    });

    it('users: skips repeated profiles (ON CONFLICT / ON DUPLICATE KEY)', () => {
      const users = jutsu.bulk('user', { seed: 1, count: 3, users: 2 }) as UserProfile[];
      assert.match([...userSqlChunks(users)].join(''), /\nON CONFLICT \("user_id"\) DO NOTHING;\n/);
      assert.match([...userSqlChunks(users, { dialect: 'sqlite' })].join(''), /\nON CONFLICT \("user_id"\) DO NOTHING;\n/);
      assert.match([...userSqlChunks(users, { dialect: 'mysql' })].join(''), /\nON DUPLICATE KEY UPDATE `user_id` = `user_id`;\n/);
      assert.match(userTableSql({ table: 'people' }), /^CREATE TABLE IF NOT EXISTS "people" \(\n {2}"user_id" uuid NOT NULL,/);
    });

    it('validates its options', () => {
      assert.throws(() => [...eventSqlChunks([], { dialect: 'oracle' as never })], /allowed: postgres, sqlite, mysql/);
      assert.throws(() => [...eventSqlChunks([], { table: 'a b' })], /table is "a b"/);
      assert.throws(() => [...eventSqlChunks([], { batchRows: 0 })], /batchRows is 0/);
    });
  });

  it('a session\'s and a stream\'s columns are written once per run of events sharing them, per dialect: scripts of two dialects interleaved write what each writes alone', () => {
    // A backslash in a shared id: PostgreSQL keeps it, MySQL doubles it.
    const varied = events.slice(0, 200).map((e, i) => (i % 4 === 1 ? { ...e, session_id: 'back\\slash' } : e));
    const alone = (dialect: 'postgres' | 'mysql') => [...eventSqlChunks(varied, { dialect })].join('');
    const pg = alone('postgres');
    const my = alone('mysql');
    assert.ok(pg.includes("'back\\slash'") && my.includes("'back\\\\slash'"));
    // One event at a time to each, in turn: the shared row writer sees the dialects alternate.
    const a = eventSqlScript({ dialect: 'postgres' });
    const b = eventSqlScript({ dialect: 'mysql' });
    let x = a.head;
    let y = b.head;
    for (const e of varied) {
      x = a.append(x, e);
      y = b.append(y, e);
    }
    assert.equal(x + a.tail(), pg);
    assert.equal(y + b.tail(), my);
  });
});

