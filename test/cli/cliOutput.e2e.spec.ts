import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  eventStream, jutsu, parseModel, serializeSession, type Session, type UserProfile,
} from '../../src/core/index.js';
import { eventCsvChunks, userCsvChunks } from '../../src/formats/csvSerializer.js';
import { eventSqlChunks, userSqlChunks } from '../../src/formats/sqlSerializer.js';
import { ndjsonChunks } from '../../src/formats/index.js';
import { runCli, type CliResult } from './cliHarness.js';

const MODEL_FILE = fileURLToPath(new URL('../fixtures/supportDesk.model.json', import.meta.url));
const supportDesk = parseModel(readFileSync(MODEL_FILE, 'utf8'));

/** Exit 0, nothing on stderr, and exactly `expected` on stdout. */
function assertOutput(r: CliResult, expected: string): void {
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(r.stdout.equals(Buffer.from(expected, 'utf8')), `stdout differs (${r.stdout.length} bytes, expected ${Buffer.byteLength(expected)})`);
}

describe('mockjutsu output = the library\'s output, byte for byte (e2e)', function () {
  this.timeout(60_000);

  describe('generate', () => {
    it('prints one session: serializeSession(jutsu.generate(...)) and a newline', async () => {
      assertOutput(await runCli(['generate', 'event_stream', '--seed', '42']), serializeSession(jutsu.generate('event_stream', { seed: 42 })) + '\n');
    });
    it('--pretty indents it like JSON.stringify(x, null, 2)', async () => {
      assertOutput(await runCli(['generate', 'event_stream', '--seed', '42', '--pretty']), JSON.stringify(jutsu.generate('event_stream', { seed: 42 }), null, 2) + '\n');
    });
    it('--partition, --session, --users and --start replay any one session', async () => {
      const options = { seed: 'replay', partition: 'vu-7', session: 12, users: 5, start: '2024-06-01T08:00:00Z' };
      assertOutput(
        await runCli(['generate', 'event_stream', '--seed', 'replay', '--partition', 'vu-7', '--session', '12', '--users', '5', '--start', '2024-06-01T08:00:00Z']),
        serializeSession(jutsu.generate('event_stream', options)) + '\n',
      );
    });
    it('generate user prints one profile', async () => {
      assertOutput(await runCli(['generate', 'user', '--seed', '9']), JSON.stringify(jutsu.generate('user', { seed: 9 })) + '\n');
    });
  });

  describe('without --seed', () => {
    it('reports the random seed on stderr, and replaying it gives the same bytes', async () => {
      const first = await runCli(['export', 'event_stream', '--count', '3']);
      assert.equal(first.code, 0);
      const m = /^mockjutsu: seed (\d+) \(replay with --seed (\d+)\)\n$/.exec(first.stderr);
      assert.ok(m && m[1] === m[2], first.stderr);
      const replay = await runCli(['export', 'event_stream', '--count', '3', '--seed', m![1]!]);
      assert.ok(replay.stdout.equals(first.stdout));
      assert.equal(replay.stderr, '');
    });
  });

  describe('bulk', () => {
    it('prints a JSON array equal to JSON.stringify(jutsu.bulk(...))', async () => {
      assertOutput(await runCli(['bulk', 'event_stream', '--count', '10', '--seed', '7']), JSON.stringify(jutsu.bulk('event_stream', { count: 10, seed: 7 })) + '\n');
    });
    it('--pretty equals JSON.stringify(bulk, null, 2)', async () => {
      assertOutput(await runCli(['bulk', 'event_stream', '--count', '4', '--seed', '7', '--pretty']), JSON.stringify(jutsu.bulk('event_stream', { count: 4, seed: 7 }), null, 2) + '\n');
    });
    it('bulk user', async () => {
      assertOutput(await runCli(['bulk', 'user', '--count', '25', '--seed', '7', '--users', '10']), JSON.stringify(jutsu.bulk('user', { count: 25, seed: 7, users: 10 })) + '\n');
    });
  });

  describe('export (count = sessions)', () => {
    const base = { seed: 'export-e2e', sessions: 400 };
    const args = ['export', 'event_stream', '--count', '400', '--seed', 'export-e2e'];

    it('--format ndjson equals ndjsonChunks(eventStream(...)) joined (several 64 KB chunks)', async () => {
      const expected = [...ndjsonChunks(eventStream(base))].join('');
      assert.ok(expected.length > 1_000_000);
      assertOutput(await runCli([...args, '--format', 'ndjson']), expected);
    });

    it('--format json equals JSON.stringify(jutsu.bulk(...))', async () => {
      assertOutput(await runCli([...args, '--format', 'json']), JSON.stringify(jutsu.bulk('event_stream', { count: 400, seed: 'export-e2e' })) + '\n');
    });

    it('--format json --pretty equals JSON.stringify(bulk, null, 2)', async () => {
      assertOutput(await runCli([...args, '--format', 'json', '--pretty']), JSON.stringify(jutsu.bulk('event_stream', { count: 400, seed: 'export-e2e' }), null, 2) + '\n');
    });

    it('--format csv equals eventCsvChunks(eventStream(...))', async () => {
      assertOutput(await runCli([...args, '--format', 'csv']), [...eventCsvChunks(eventStream(base))].join(''));
    });

    for (const dialect of ['postgres', 'sqlite', 'mysql'] as const) {
      it(`--format sql --dialect ${dialect} --table s.ev equals eventSqlChunks(...)`, async () => {
        assertOutput(
          await runCli([...args, '--format', 'sql', '--dialect', dialect, '--table', 's.ev']),
          [...eventSqlChunks(eventStream(base), { dialect, table: 's.ev' })].join(''),
        );
      });
    }

    it('--format sql defaults to postgres and table "events"', async () => {
      assertOutput(await runCli(['export', 'event_stream', '--count', '5', '--seed', '1', '--format', 'sql']), [...eventSqlChunks(eventStream({ seed: 1, sessions: 5 }))].join(''));
    });

    it('--model, --partition, --users and --start reach the generator', async () => {
      const options = { seed: 'custom', sessions: 300, model: supportDesk, partition: '3', users: 7, start: 1717228800000 };
      assertOutput(
        await runCli(['export', 'event_stream', '--count', '300', '--seed', 'custom', '--model', MODEL_FILE, '--partition', '3', '--users', '7', '--start', '1717228800000', '--format', 'ndjson']),
        [...ndjsonChunks(eventStream(options))].join(''),
      );
    });

    it('user: ndjson, csv and sql', async () => {
      const users = jutsu.bulk('user', { count: 300, seed: 'u', users: 200 }) as UserProfile[];
      const common = ['export', 'user', '--count', '300', '--seed', 'u', '--users', '200'];
      assertOutput(await runCli([...common, '--format', 'ndjson']), users.map((u) => JSON.stringify(u) + '\n').join(''));
      assertOutput(await runCli([...common, '--format', 'csv']), [...userCsvChunks(users)].join(''));
      assertOutput(await runCli([...common, '--format', 'sql', '--dialect', 'mysql']), [...userSqlChunks(users, { dialect: 'mysql' })].join(''));
    });

    it('the same seed gives the same bytes on every run', async () => {
      const [a, b] = await Promise.all([runCli([...args, '--format', 'csv']), runCli([...args, '--format', 'csv'])]);
      assert.ok(a.stdout.equals(b.stdout));
    });

    it('sessions of the JSON export are the sessions of the NDJSON export', async () => {
      const [json, ndjson] = await Promise.all([runCli([...args, '--format', 'json']), runCli([...args, '--format', 'ndjson'])]);
      const sessions = JSON.parse(json.stdout.toString()) as Session[];
      assert.equal(sessions.length, 400);
      assert.deepEqual(sessions.flat(), ndjson.stdout.toString().trimEnd().split('\n').map((l) => JSON.parse(l)));
    });
  });
});
