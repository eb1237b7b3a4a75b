import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from '@msgpack/msgpack';
import { DataPoolRegistry, loadPoolItems, openDataPool, parsePoolSpec } from '../../src/pool/index.js';
import { createRecorder } from '../../src/recorder/index.js';

const MITE_USERS = fileURLToPath(new URL('../recorder/fixtures/mite-recorder-data/users.msgpack', import.meta.url));
const USERS = [{ id: 1, email: 'a@x.io' }, { id: 2, email: 'b@x.io' }, { id: 3, email: 'c@x.io' }];

describe('data pools over files (Node)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mockjutsu-pool-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, content: string | Uint8Array): string {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  }

  it('the same items from a recorder file (msgpack, ndjson), NDJSON, JSON; CSV rows as objects of strings', () => {
    const rec = createRecorder(dir);
    rec.recordMany('users', USERS);
    rec.close();
    const nd = createRecorder(join(dir, 'nd'), { format: 'ndjson' });
    nd.recordMany('users', USERS);
    nd.close();
    assert.deepEqual(loadPoolItems(rec.fileOf('users')).items, USERS);
    assert.deepEqual(loadPoolItems(nd.fileOf('users')).items, USERS);
    assert.deepEqual(loadPoolItems(write('u.jsonl', USERS.map((u) => JSON.stringify(u)).join('\n'))).items, USERS); // no final newline: fine for a hand-made file
    assert.deepEqual(loadPoolItems(write('u.json', JSON.stringify(USERS))).items, USERS);
    const csv = loadPoolItems(write('u.csv', '\ufeffid,email,name\n1,a@x.io,"Doe, Jane"\n2,b@x.io,"say ""hi"""\n\n'));
    assert.deepEqual(csv.items, [{ id: '1', email: 'a@x.io', name: 'Doe, Jane' }, { id: '2', email: 'b@x.io', name: 'say "hi"' }]);
  });

  it("mite's recorder file makes a non-recyclable pool: each user once, then exhausted", () => {
    const pool = openDataPool<{ id: number }>(MITE_USERS);
    assert.equal(pool.name, 'users');
    assert.deepEqual([pool.next().id, pool.next().id, pool.next().id], [1, 2, 3]);
    assert.throws(() => pool.next(), (e: any) => e.code === 'POOL_EXHAUSTED' && /pool "users" is exhausted: all 3 items/.test(e.message));
    const cycle = openDataPool<{ id: number }>(MITE_USERS, { recyclable: true, name: 'u' });
    assert.deepEqual(cycle.take(5).items.map((u) => u.id), [1, 2, 3, 1, 2]);
  });

  it('a msgpack file with a torn tail: the complete items, and the ignored bytes reported', () => {
    const file = write('users.msgpack', Buffer.concat([encode(USERS[0]), encode(USERS[1]), encode(USERS[2]).subarray(0, 4)]));
    assert.deepEqual(loadPoolItems(file), { file, items: USERS.slice(0, 2), ignoredBytes: 4 });
  });

  it('files that are not what their extension says, empty files, malformed records: errors naming the file and what is allowed', () => {
    const cases: Array<[string, string | Uint8Array, RegExp]> = [
      ['ndjson.json', '{"id":1}\n{"id":2}\n', /"[^"]*ndjson\.json" is not JSON: .*; it looks like one value per line: name it \.ndjson/],
      ['object.json', '{"id":1}', /"[^"]*object\.json" holds an object; a \.json pool file holds one array of items/],
      ['json.csv', '[{"id":1}]', /"[^"]*json\.csv" holds JSON, not CSV; name it \.json/],
      ['json.msgpack', '{"id":1}\n{"id":2}\n', /"[^"]*json\.msgpack" holds JSON text, not MessagePack; name it \.json .* or \.ndjson/],
      ['binary.ndjson', Buffer.concat([encode(USERS), Buffer.from('\n')]), /"[^"]*binary\.ndjson" is not NDJSON text \(it holds binary bytes: MessagePack records belong in a \.msgpack file\)/],
      ['bad.ndjson', '{"id":1}\n{"id":\n', /"[^"]*bad\.ndjson": line 2 is not JSON/],
      ['ragged.csv', 'id,email\n1,a@x.io\n2\n', /"[^"]*ragged\.csv" is not valid CSV/],
      ['empty.json', '[]', /"[^"]*empty\.json" holds no items; a pool needs at least one/],
      ['header.csv', 'id,email\n', /"[^"]*header\.csv" holds no items/],
      ['empty.msgpack', '', /"[^"]*empty\.msgpack" holds no items/],
      ['users.txt', 'a\nb\n', /"[^"]*users\.txt": a pool file ends in \.msgpack, \.ndjson, \.jsonl, \.json, \.csv, not "\.txt"/],
    ];
    for (const [name, content, message] of cases) {
      const file = write(name, content);
      assert.throws(() => loadPoolItems(file), (e: any) => /^INVALID_(POOL|RECORD)$/.test(e.code) && message.test(e.message), name);
    }
    assert.throws(() => loadPoolItems(join(dir, 'missing.json')), /missing\.json": cannot read the pool file: no such file/);
    mkdirSync(join(dir, 'adir.json'));
    assert.throws(() => loadPoolItems(join(dir, 'adir.json')), /adir\.json": cannot read the pool file: is a directory/);
  });

  it('registry: named pools from specs and a recorder directory; unknown pool names the known ones', () => {
    assert.deepEqual(parsePoolSpec('users=data/users.msgpack:recyclable'), { name: 'users', file: 'data/users.msgpack', recyclable: true });
    assert.deepEqual(parsePoolSpec('users=C:/data/u.csv'), { name: 'users', file: 'C:/data/u.csv', recyclable: false });
    assert.throws(() => parsePoolSpec('users'), /expected NAME=FILE or NAME=FILE:recyclable/);
    assert.throws(() => parsePoolSpec('../x=f.json'), /record name "\.\.\/x" is not allowed/);

    const rec = createRecorder(join(dir, 'rec'));
    rec.recordMany('users', USERS);
    rec.recordMany('accounts', [{ n: 1 }]);
    rec.close();
    const pools = new DataPoolRegistry();
    pools.addRecorderDir(join(dir, 'rec'));
    pools.addFile(`products=${write('p.json', '[{"sku":"A"},{"sku":"B"}]')}:recyclable`);
    assert.deepEqual(pools.names(), ['accounts', 'users', 'products']);
    assert.deepEqual(pools.take('users', 2), { items: USERS.slice(0, 2), exhausted: false });
    assert.deepEqual(pools.take('users', 2), { items: USERS.slice(2), exhausted: true });
    assert.deepEqual(pools.take('products', 3).items, [{ sku: 'A' }, { sku: 'B' }, { sku: 'A' }]);
    assert.deepEqual(pools.status().find((s) => s.name === 'users'), { name: 'users', size: 3, recyclable: false, position: 3, remaining: 0 });
    assert.throws(() => pools.take('orders', 1), (e: any) => e.code === 'INVALID_POOL' && e.message === 'unknown pool "orders"; known: accounts, users, products');
    assert.throws(() => pools.addItems('users', [1]), /pool "users" is already defined/);
  });

  it('registry: a live pool filled as items are recorded hands each out once', () => {
    const pools = new DataPoolRegistry();
    const live = pools.addLive<{ id: number }>('users');
    assert.deepEqual(pools.take('users', 1), { items: [], exhausted: true });
    live.items.push({ id: 1 }, { id: 2 });
    assert.deepEqual(pools.take('users', 5), { items: [{ id: 1 }, { id: 2 }], exhausted: true });
    live.items.push({ id: 3 });
    assert.deepEqual(pools.take('users', 5).items, [{ id: 3 }]);
  });

  it('a pool file appended to after it was loaded does not change the loaded pool', () => {
    const file = write('u.ndjson', '{"id":1}\n');
    const pool = openDataPool(file);
    appendFileSync(file, '{"id":2}\n');
    assert.equal(pool.size, 1);
  });
});
