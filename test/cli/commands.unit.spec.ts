import assert from 'node:assert/strict';
import { jutsu, serializeSession } from '../../src/core/index.js';
import { findCommand, listCommands } from '../../src/cli/commands.js';
import { parseCommandArgs, parseIntegerFlag } from '../../src/cli/commandArgs.js';
import { UsageError } from '../../src/cli/cliCommand.js';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from './inProcessCli.js';

describe('CLI commands (unit)', () => {
  describe('the registry', () => {
    it('lists every command exactly once, in a static list, and loads each by name', async () => {
      assert.deepEqual(listCommands().map((c) => c.name), ['generate', 'bulk', 'export', 'domain', 'mock-event', 'model', 'records', 'serve', 'verify']);
      for (const c of listCommands()) assert.equal((await findCommand(c.name))!.name, c.name);
      assert.equal(await findCommand('nope'), undefined);
    });
  });

  describe('parseCommandArgs (node:util parseArgs, strict)', () => {
    const flags = { count: { type: 'string', short: 'n' }, pretty: { type: 'boolean' } } as const;
    it('parses flags and positionals', () => {
      const { values, positionals } = parseCommandArgs(['event_stream', '-n', '5', '--pretty'], flags, 1);
      assert.deepEqual({ ...values }, { count: '5', pretty: true });
      assert.deepEqual(positionals, ['event_stream']);
    });
    it('turns parse errors into usage errors naming the flag', () => {
      assert.throws(() => parseCommandArgs(['--colour'], flags, 1), (e: Error) => e instanceof UsageError && e.message === 'unknown option --colour; allowed: --count, --pretty');
      assert.throws(() => parseCommandArgs(['--count'], flags, 1), /^UsageError: --count needs a value$/);
      assert.throws(() => parseCommandArgs(['--pretty=yes'], flags, 1), /^UsageError: --pretty takes no value$/);
      assert.throws(() => parseCommandArgs(['a', 'b'], flags, 1), /unexpected argument "b"/);
    });
    it('accepts digits only for integers', () => {
      assert.equal(parseIntegerFlag('007', '--count', 1, 10), 7);
      for (const bad of ['', '1e3', '0x10', ' 5', '5 ', '+5', '11']) assert.throws(() => parseIntegerFlag(bad, '--count', 1, 10), UsageError);
    });
  });

  describe('runCli in process', () => {
    it('writes to the injected streams and resolves to the exit code', async () => {
      const c = captureIo();
      assert.equal(await runCli(['generate', 'event_stream', '--seed', '5'], c.io), 0);
      assert.equal(c.out(), serializeSession(jutsu.generate('event_stream', { seed: 5 })) + '\n');
      assert.equal(c.err(), '');
    });
    it('maps usage errors and MockjutsuErrors to 2, other errors to 1', async () => {
      const usage = captureIo();
      assert.equal(await runCli(['export', 'event_stream', '--count', 'x'], usage.io), 2);
      assert.match(usage.err(), /^mockjutsu export: --count is "x"/);
      const core = captureIo();
      assert.equal(await runCli(['generate', 'event_stream', '--seed', '1', '--session', '9007199254740992'], core.io), 2);
      const runtime = captureIo();
      assert.equal(await runCli(['export', 'event_stream', '--count', '1', '--out', '/nonexistent-dir/x'], runtime.io), 1);
      assert.match(runtime.err(), /^mockjutsu export: error: cannot write --out/);
    });
    it('takes every generator option as a flag: the same session as the library with those options', async () => {
      const options = { seed: 3, sessionIntervalMs: 60_000, spreadMs: 86_400_000, activity: 'flat', catalogSize: 20, currency: 'EUR', siteUrl: 'http://shop.test:8080' } as const;
      const c = captureIo();
      const args = ['generate', 'event_stream', '--seed', '3', '--session-interval', '60000', '--spread', '86400000', '--activity', 'flat', '--catalog-size', '20', '--currency', 'EUR', '--site-url', 'http://shop.test:8080'];
      assert.equal(await runCli(args, c.io), 0, c.err());
      assert.equal(c.out(), serializeSession(jutsu.generate('event_stream', options)) + '\n');
      assert.match(c.out(), /"currency":"EUR"/);
      for (const [flag, value, message] of [['--activity', 'hourly', /^mockjutsu generate: --activity is "hourly"; allowed: "daily-weekly" or "flat"/], ['--currency', 'euro', /^mockjutsu generate: --currency is "euro"; allowed: a three-letter ISO 4217 code/], ['--catalog-size', '5', /--catalog-size is "5"; allowed: an integer from 10 to 100000/]] as const) {
        const bad = captureIo();
        assert.equal(await runCli(['generate', 'event_stream', flag, value], bad.io), 2);
        assert.match(bad.err(), message);
      }
    });
    it('names a negative count and an unknown --out extension instead of guessing', async () => {
      for (const args of [['--count', '-5'], ['-n', '-5'], ['--count=-5']]) {
        const c = captureIo();
        assert.equal(await runCli(['export', 'event_stream', ...args], c.io), 2);
        assert.match(c.err(), /^mockjutsu export: --count is "-5"; allowed: an integer from 1 to /);
      }
      const parquet = captureIo();
      assert.equal(await runCli(['export', 'event_stream', '--count', '1', '--out', 'x.parquet'], parquet.io), 2);
      assert.match(parquet.err(), /^mockjutsu export: --out "x.parquet": the extension .parquet names no export format; use .json .ndjson .jsonl .csv .sql or give --format json\|ndjson\|csv\|sql/);
      assert.equal(parquet.out(), '');
    });
  });
});
