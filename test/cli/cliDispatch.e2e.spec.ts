import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, runCli } from './cliHarness.js';

const USAGE_EXPORT = 'Usage: mockjutsu export <type> --count N';

/** A usage error: exit 2, the message on stderr, then the command's usage line; nothing on stdout. */
function assertUsageError(r: { code: number | null; stdout: Buffer; stderr: string }, message: RegExp, usage = USAGE_EXPORT): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.ok(r.stderr.includes(usage), `usage line in ${JSON.stringify(r.stderr)}`);
  assert.equal(r.stdout.length, 0);
}

describe('mockjutsu dispatcher (e2e, node dist/cli.js)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mj-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is an executable with a node shebang', () => {
    assert.ok(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('--version prints the package.json version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout.toString(), version + '\n');
    }
  });

  it('--help lists every command', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    const text = r.stdout.toString();
    for (const c of ['generate', 'bulk', 'export', 'model', 'serve', 'verify']) assert.match(text, new RegExp(`^  ${c} +\\S`, 'm'));
  });

  for (const command of ['generate', 'bulk', 'export', 'model']) {
    it(`${command} --help prints its usage and exits 0`, async () => {
      const r = await runCli([command, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout.toString(), new RegExp(`^Usage: mockjutsu ${command}`));
      assert.deepEqual(await runCli(['help', command]).then((x) => x.stdout.toString()), r.stdout.toString());
    });
  }

  it('without arguments prints the help on stderr and exits 2', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage: mockjutsu <command>/);
  });

  it('an unknown command lists the commands (exit 2)', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "frobnicate"; commands: generate, bulk, export, domain, mock-event, model, records, serve, verify\n/);
  });

  describe('usage errors: exit 2, a message naming the bad flag or value and what is allowed, the usage line', () => {
    const cases: Array<[string, string[], RegExp, string?]> = [
      ['an unknown type lists the known ones', ['export', 'nope', '--count', '1'], /unknown type "nope"; known types: event_stream, user, cdc_event/],
      ['a domain\'s name as the type says how to name a domain (the sidecar\'s /generate/bank is the CLI\'s event_stream --domain bank)', ['generate', 'bank'],
        /unknown type "bank"; known types: event_stream, user, cdc_event \(a domain's sessions are the type event_stream with --domain: event_stream --domain bank\)/, 'Usage: mockjutsu generate'],
      ['a domain file\'s name as the type', ['export', 'library', '--count', '1'], /unknown type "library"; .*\(a domain's sessions are the type event_stream with --domain: event_stream --domain NAME\|FILE\)/],
      ['a missing type', ['generate'], /missing <type>; known types: event_stream, user, cdc_event/, 'Usage: mockjutsu generate'],
      ['a non-numeric --count', ['export', 'event_stream', '--count', 'ten'], /--count is "ten"; allowed: an integer from 1 to 1000000000000/],
      ['--count 0', ['export', 'event_stream', '--count', '0'], /--count is "0"; allowed: an integer from 1/],
      ['a fractional --count', ['bulk', 'event_stream', '--count', '1.5'], /--count is "1.5"; allowed/, 'Usage: mockjutsu bulk'],
      ['a negative --count', ['export', 'event_stream', '--count=-3'], /--count is "-3"; allowed/],
      ['a missing --count', ['export', 'event_stream'], /missing --count/],
      ['--count without a value', ['export', 'event_stream', '--count'], /--count needs a value/],
      ['an empty --seed', ['export', 'event_stream', '--count', '1', '--seed='], /--seed is ""; allowed: a safe integer or a non-empty string of at most 256 characters/],
      ['a --seed over 256 characters', ['generate', 'event_stream', `--seed=${'x'.repeat(300)}`], /--seed is "x+\.\.\."; allowed/, 'Usage: mockjutsu generate'],
      ['an unknown flag', ['export', 'event_stream', '--count', '1', '--colour'], /unknown option --colour; allowed: --domain, --param, --seed, .*--count, --format/],
      ['a bad --format', ['export', 'event_stream', '--count', '1', '--format', 'xml'], /--format is "xml"; allowed: json, ndjson, csv, sql/],
      ['a bad --dialect', ['export', 'event_stream', '--count', '1', '--format', 'sql', '--dialect', 'oracle'], /--dialect is "oracle"; allowed: postgres, sqlite, mysql/],
      ['--dialect without --format sql', ['export', 'event_stream', '--count', '1', '--format', 'csv', '--dialect', 'mysql'], /--dialect applies to --format sql only/],
      ['a bad --table', ['export', 'event_stream', '--count', '1', '--format', 'sql', '--table', 'drop table;'], /--table is "drop table;"; allowed: a name of 1-63 letters/],
      ['--pretty with ndjson', ['export', 'event_stream', '--count', '1', '--format', 'ndjson', '--pretty'], /--pretty applies to --format json only/],
      ['--users 0', ['export', 'event_stream', '--count', '1', '--users', '0'], /--users is "0"; allowed: an integer from 1 to 10000000/],
      ['a bad --start', ['export', 'event_stream', '--count', '1', '--start', 'yesterday'], /--start is "yesterday"; allowed: "now", an ISO-8601 instant/],
      ['an extra argument', ['generate', 'event_stream', 'user'], /unexpected argument "user"/, 'Usage: mockjutsu generate'],
      ['a missing model file', ['export', 'event_stream', '--count', '1', '--model', '/nonexistent/model.json'], /--model "\/nonexistent\/model.json": cannot read the file: no such file/],
    ];
    // The runs are independent: start them together, check them one by one.
    let results: Array<Promise<Awaited<ReturnType<typeof runCli>>>> = [];
    before(() => {
      results = cases.map(([, args]) => runCli(args));
    });
    cases.forEach(([what, , message, usage], i) => {
      it(what, async () => assertUsageError(await results[i]!, message, usage));
    });

    it('a model file that is not JSON', async () => {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '{ "start": ');
      assertUsageError(await runCli(['export', 'event_stream', '--count', '1', '--model', file]), /--model ".*broken.json": model is not valid JSON/);
    });

    it('an invalid model names the bad field', async () => {
      const file = join(dir, 'invalid.json');
      writeFileSync(file, JSON.stringify({ start: 'a', terminal: 'z', states: { a: { transitions: { b: 1 } }, z: {} } }));
      assertUsageError(await runCli(['generate', 'event_stream', '--model', file]), /model\.states\.a\.transitions\.b: unknown state "b"; did you mean "a"\?; known states: "a", "z"/, 'Usage: mockjutsu generate');
    });
  });

  it('a runtime error exits 1 with its reason (--out into a missing directory)', async () => {
    const r = await runCli(['export', 'event_stream', '--count', '1', '--seed', '1', '--out', join(dir, 'no', 'such', 'dir.ndjson')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^mockjutsu export: error: cannot write --out ".*dir.ndjson": ENOENT/);
  });
});
