import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRecorder } from '../../src/recorder/index.js';
import { cliInProcess } from '../cli/inProcessCli.js';

const MITE_DIR = fileURLToPath(new URL('./fixtures/mite-recorder-data', import.meta.url));

const cli = cliInProcess;

describe('mockjutsu records (CLI, in process)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mockjutsu-records-'));
    cpSync(MITE_DIR, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--list: every name with its format, item count and size; a torn tail is mentioned', async () => {
    const nd = createRecorder(dir, { format: 'ndjson' });
    nd.recordMany('orders', [{ o: 1 }, { o: 2 }]);
    nd.close();
    appendFileSync(join(dir, 'orders.ndjson'), '{"o":');
    const r = await cli('records', '--list', '--dir', dir);
    assert.equal(r.code, 0);
    assert.equal(r.out, [
      'name      format   items  bytes',
      'accounts  msgpack      2    625',
      'orders    ndjson       2     21  5 bytes of a torn last item ignored',
      'users     msgpack      3    165',
      '',
    ].join('\n'));
  });

  it('NAME prints the items as NDJSON (default), a JSON array or CSV', async () => {
    const users = [1, 2, 3].map((i) => ({ id: i, email: `user${i}@example.com`, name: `User Nr${i}`, token: `tok-${i}` }));
    const nd = await cli('records', 'users', '--dir', dir);
    assert.equal(nd.code, 0);
    assert.equal(nd.out, users.map((u) => JSON.stringify(u) + '\n').join(''));
    assert.equal((await cli('records', 'users', '-d', dir, '--format', 'json')).out, JSON.stringify(users) + '\n');
    const csv = await cli('records', 'users', '-d', dir, '-f', 'csv');
    assert.equal(csv.out, 'id,email,name,token\r\n1,user1@example.com,User Nr1,tok-1\r\n2,user2@example.com,User Nr2,tok-2\r\n3,user3@example.com,User Nr3,tok-3\r\n');
    const acc = JSON.parse((await cli('records', 'accounts', '-d', dir, '-f', 'json')).out);
    assert.equal(acc[0].secret, 'AAH/'); // MessagePack bin [0, 1, 255] as base64
  });

  it('a torn last item is not printed; stderr says how many bytes were ignored', async () => {
    appendFileSync(join(dir, 'users.msgpack'), Buffer.from([0x84, 0xa2, 0x69]));
    const r = await cli('records', 'users', '--dir', dir);
    assert.equal(r.code, 0);
    assert.equal(r.out.trim().split('\n').length, 3);
    assert.match(r.err, /users\.msgpack: ignored the last 3 bytes, an item a crash cut short/);
  });

  it('usage errors and unknown names exit 2 with a message saying what exists', async () => {
    const unknown = await cli('records', 'orders', '--dir', dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no records named "orders" in .*; known: accounts, users/);
    const badFormat = await cli('records', 'users', '--dir', dir, '--format', 'xml');
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.err, /--format is "xml"; allowed: ndjson, json, csv/);
    assert.equal((await cli('records', '--dir', dir)).code, 2);
    assert.match((await cli('records', '../etc', '--dir', dir)).err, /record name "\.\.\/etc" is not allowed/);
    assert.match((await cli('records', '--list', '--dir', join(dir, 'nope'))).err, /no such directory/);
  });
});
