// `mockjutsu serve --domain ... --param [DOMAIN.]NAME=VALUE`: a served domain's params apply to
// every request of that domain (/generate, /bulk, /sessions), the bytes of the library given
// the same params; the other domains and the shop keep theirs; bad params stop serve (exit 2).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createGenerator, createSessionStream, eventStream, serializerFor } from '../../src/core/index.js';
import { builtInDomain } from '../../src/core/domains/index.js';
import { loadDomainFile } from '../../src/index.js';
import { CLI, call, repoRoot, spawnServe, type ChildSidecar } from './sidecarTestKit.js';

const LIBRARY = fileURLToPath(new URL('../fixtures/domains/library.domain.yaml', import.meta.url));

describe('mockjutsu serve --param (child process)', function () {
  this.timeout(30_000);
  let c: ChildSidecar | undefined;
  after(async () => {
    if (c !== undefined && c.child.exitCode === null) {
      c.child.kill('SIGTERM');
      await c.exited;
    }
  });

  it('the params apply to every request of their domain; the others keep their own', async () => {
    c = await spawnServe(['--port', '0', '--seed', '5', '--domain', LIBRARY, '--domain', 'bank',
      '--param', 'max_loans=1', '--param', 'library.branch=north', '--param', 'bank.currency=EUR']);
    assert.match(c.stderr(), /domain library: 4 event types at .*, params max_loans=1 branch="north"\n/);
    assert.match(c.stderr(), /domain bank: 8 event types at .*, params currency="EUR" last_transfer_step=57\n/);
    const library = await loadDomainFile(LIBRARY);
    const params = { max_loans: 1, branch: 'north' };

    // /generate: session k of the library given the params, not the file's defaults
    const g = createGenerator({ seed: 5, domain: library, params });
    for (const k of [0, 7]) {
      const r = await call(c.url, `/generate/library?seed=5&session=${k}&raw=1`);
      assert.equal(r.status, 200, r.body);
      assert.equal(r.body, JSON.stringify(g.session('0', k)));
    }
    assert.notEqual((await call(c.url, '/generate/library?seed=5&session=7&raw=1')).body,
      JSON.stringify(createGenerator({ seed: 5, domain: library }).session('0', 7)), 'the params change the bytes');

    // /bulk: the CLI's pipeline given the params
    const bulk = await call(c.url, '/bulk/library?count=40&seed=5&format=ndjson');
    const serialize = serializerFor(library);
    let expected = '';
    for (const e of eventStream({ seed: 5, sessions: 40, domain: library, params })) expected += serialize(e) + '\n';
    assert.equal(bulk.body, expected);
    const events = bulk.body.trim().split('\n').map((l) => JSON.parse(l) as { event_type: string; payload: Record<string, unknown> });
    const borrowed = events.filter((e) => e.event_type === 'borrowed');
    assert.ok(borrowed.length >= 10, `only ${borrowed.length} borrowed events`);
    assert.ok(borrowed.every((e) => e.payload['loans_after'] === 1), 'max_loans=1: nobody holds two loans');
    const joined = events.filter((e) => e.event_type === 'joined');
    assert.equal(joined.length, 40);
    assert.ok(joined.every((e) => e.payload['branch'] === 'north'));

    // /sessions/:key/next?type=library: the key's stream given the params
    const stream = createSessionStream({ seed: 5, domain: library, partition: 'vu-1', params });
    for (let i = 0; i < 12; i++) {
      assert.equal((await call(c.url, '/sessions/vu-1/next?type=library')).body, JSON.stringify(stream.next()), `event ${i}`);
    }

    // bank: its own param; the shop untouched
    const bank = createSessionStream({ seed: 5, domain: 'bank', partition: 'b', params: { currency: 'EUR' } });
    const bankBatch = await call(c.url, '/sessions/b/batch?type=bank&n=30&format=ndjson');
    assert.equal(bankBatch.body, bank.take(30).map((e) => JSON.stringify(e) + '\n').join(''));
    assert.match(bankBatch.body, /"currency":"EUR"/);
    assert.doesNotMatch(bankBatch.body, /"USD"/);
    assert.equal((await call(c.url, '/generate/event_stream?seed=5&raw=1')).body, JSON.stringify(createGenerator({ seed: 5, domain: builtInDomain('shop') }).session('0', 0)));
  });

  it('names the bad param and what is allowed (exit 2, nothing bound)', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--param', 'max_loans=1'], /--param "max_loans=1": --param sets the params of the domains served with --domain, and none is given/],
      [['--domain', LIBRARY, '--domain', 'bank', '--param', 'max_loan=1'], /--param "max_loan=1": no served domain has a param "max_loan"; their params: library: max_loans, branch; bank: currency, last_transfer_step/],
      [['--domain', LIBRARY, '--domain', 'bank', '--param', 'bank.max_loans=1'], /--param "bank.max_loans=1": domain bank has no param "max_loans"; its params: currency, last_transfer_step/],
      [['--domain', LIBRARY, '--param', 'library.max_loan=1'], /--param "library.max_loan=1": domain library has no param "max_loan"; did you mean "max_loans"\? its params: max_loans, branch/],
      [['--domain', LIBRARY, '--param', 'lib.max_loans=1'], /--param "lib.max_loans=1": no served domain is named "lib"; served with --domain: library/],
      [['--domain', LIBRARY, '--param', 'max_loans=two'], /--param max_loans is "two"; allowed: a number, like the domain's 3/],
      [['--domain', LIBRARY, '--param', 'max_loans'], /--param "max_loans": expected NAME=VALUE or DOMAIN.NAME=VALUE; the served domains' params: library: max_loans, branch/],
      [['--domain', LIBRARY, '--param', 'max_loans=1', '--param', 'library.max_loans=2'], /--param max_loans is given twice/],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 15_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', 'never listened');
    }
  });
});
