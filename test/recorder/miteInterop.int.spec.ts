// With Python's msgpack installed (pip install msgpack), check both directions against the
// real library mite uses: the committed fixture is what write_mite_records.py writes, and
// Python reads what this recorder writes. Skipped where Python's msgpack is missing (fails in CI).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRecorder } from '../../src/recorder/index.js';
import { requirePart } from '../support/realParts.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const hasPythonMsgpack = spawnSync('python3', ['-c', 'import msgpack'], { stdio: 'ignore' }).status === 0;

describe("recorder and mite's Python msgpack", function () {
  let dir: string;
  beforeEach(function () {
    requirePart(this, hasPythonMsgpack, "Python's msgpack (pip install msgpack)");
    dir = mkdtempSync(join(tmpdir(), 'mockjutsu-mite-'));
  });
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('write_mite_records.py writes the committed fixture byte for byte', () => {
    cpSync(join(FIXTURES, 'write_mite_records.py'), join(dir, 'write_mite_records.py'));
    execFileSync('python3', ['write_mite_records.py'], { cwd: dir });
    const names = readdirSync(join(FIXTURES, 'mite-recorder-data')).sort();
    assert.deepEqual(readdirSync(join(dir, 'mite-recorder-data')).sort(), names);
    for (const n of names) assert.ok(readFileSync(join(dir, 'mite-recorder-data', n)).equals(readFileSync(join(FIXTURES, 'mite-recorder-data', n))), n);
  });

  it("Python's msgpack.Unpacker (as mite's file data pools read) reads what the recorder wrote", () => {
    const recorder = createRecorder(dir);
    const items = [{ id: 1, email: 'a@x.io', tags: ['a', 'b'], balance: 10.25 }, { id: 2, note: null, active: true, big: 2 ** 40 }];
    recorder.recordMany('users', items);
    recorder.close();
    const script = 'import json, msgpack, sys\nprint(json.dumps(list(msgpack.Unpacker(open(sys.argv[1], "rb"), raw=False))))';
    const out = execFileSync('python3', ['-c', script, recorder.fileOf('users')], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), items);
  });
});
