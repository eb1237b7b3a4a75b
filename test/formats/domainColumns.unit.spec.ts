import assert from 'node:assert/strict';
import { createGenerator, resolveDomain } from '../../src/core/index.js';
import {
  EVENT_CSV_COLUMNS, createSessionExportWriter, eventCsvChunks, eventCsvColumns, eventSqlChunks, eventTableSql,
} from '../../src/formats/index.js';
import { parseCsv } from './csvParser.js';
import { weirdDomain } from './weirdDomain.js';

const WEIRD_COLUMNS = ['event_id', 'eventType', 'streamId', 'aggregate_type', 'aggregate_id', 'version', 'global_position', 'causation_id', 'session_id', 'user_id', 'occurredAt', 'payload'];
const g = createGenerator({ seed: 'columns', domain: weirdDomain });
const sessions = Array.from({ length: 60 }, (_, k) => g.session(0, k));
const events = sessions.flat() as unknown as Array<Record<string, unknown>>;
/** The weird domain without event_id (no primary key) and with the stream fields renamed away. */
const noIds = resolveDomain({ ...weirdDomain, domain: 'noids', envelope: { fields: { event_id: false, stream_id: 'sid', stream_version: false } } });

describe('columns from the domain\'s envelope (unit)', () => {
  it('CSV: renamed fields are the column names, dropped fields have none, the payload is last', () => {
    assert.deepEqual(eventCsvColumns(weirdDomain), WEIRD_COLUMNS);
    assert.deepEqual(eventCsvColumns(), EVENT_CSV_COLUMNS);
    assert.deepEqual(eventCsvColumns(noIds), ['event_type', 'sid', 'aggregate_type', 'aggregate_id', 'global_position', 'correlation_id', 'causation_id', 'session_id', 'user_id', 'timestamp', 'schema_version', 'payload']);
  });

  it('CSV: every event reads back exactly (csv-parse), nasty strings and all', () => {
    const text = [...eventCsvChunks(events, { domain: weirdDomain, chunkChars: 500 })].join('');
    const rows = parseCsv(text);
    assert.deepEqual(rows[0]!.map((f) => f.value), WEIRD_COLUMNS);
    assert.equal(rows.length, events.length + 1);
    rows.slice(1).forEach((row, i) => {
      const e = events[i]!;
      const back: Record<string, unknown> = {};
      WEIRD_COLUMNS.forEach((c, j) => {
        const f = row[j]!;
        back[c] = c === 'payload' ? JSON.parse(f.value) : c === 'version' || c === 'global_position' ? Number(f.value) : f.value === '' && !f.quoted ? null : f.value;
      });
      assert.deepEqual(back, JSON.parse(JSON.stringify(e)));
    });
    assert.ok(text.includes('"Thing ""T-0001"" \\ é"'), 'the stream id with quotes is quoted and doubled');
  });

  it('the export writer uses the domain: csv header, ndjson and json through its serializer', () => {
    const csv = createSessionExportWriter({ format: 'csv', domain: weirdDomain });
    assert.equal(csv.head, WEIRD_COLUMNS.join(',') + '\r\n');
    const nd = createSessionExportWriter({ format: 'ndjson', domain: g.config.domain });
    assert.equal(sessions.reduce((c, s) => nd.append(c, s), ''), events.map((e) => JSON.stringify(e) + '\n').join(''));
    const json = createSessionExportWriter({ format: 'json', domain: weirdDomain });
    assert.equal(json.head + sessions.reduce((c, s) => json.append(c, s), '') + json.tail(), JSON.stringify(sessions) + '\n');
  });

  it('SQL: DDL per dialect with the domain\'s column names; keys only for the fields it keeps', () => {
    const pg = eventTableSql({ dialect: 'postgres', domain: weirdDomain });
    assert.equal(pg, 'CREATE TABLE IF NOT EXISTS "events" (\n' +
      '  "event_id" uuid NOT NULL,\n  "eventType" text NOT NULL,\n  "streamId" text NOT NULL,\n  "aggregate_type" text NOT NULL,\n' +
      '  "aggregate_id" text NOT NULL,\n  "version" integer NOT NULL,\n  "global_position" bigint NOT NULL,\n  "causation_id" uuid,\n' +
      '  "session_id" uuid NOT NULL,\n  "user_id" uuid NOT NULL,\n  "occurredAt" timestamptz NOT NULL,\n  "payload" jsonb NOT NULL,\n' +
      '  PRIMARY KEY ("event_id"),\n  UNIQUE ("streamId", "version")\n);\n');
    const my = eventTableSql({ dialect: 'mysql', domain: weirdDomain });
    assert.match(my, /`occurredAt` DATETIME\(3\) NOT NULL,\n {2}`payload` JSON NOT NULL,\n {2}PRIMARY KEY \(`event_id`\),\n {2}UNIQUE \(`streamId`, `version`\)\n\) ENGINE=InnoDB/);
    const lite = eventTableSql({ dialect: 'sqlite', domain: noIds });
    assert.ok(!lite.includes('PRIMARY KEY') && !lite.includes('UNIQUE') && !lite.includes('event_id'), lite);
    assert.match(lite, /"sid" TEXT NOT NULL,/);
    const insert = [...eventSqlChunks(events.slice(0, 3), { dialect: 'sqlite', domain: weirdDomain })].join('');
    assert.match(insert, /INSERT INTO "events" \("event_id", "eventType", "streamId", "aggregate_type", "aggregate_id", "version", "global_position", "causation_id", "session_id", "user_id", "occurredAt", "payload"\) VALUES\n\('/);
  });
});
