// --domain NAME|FILE and --param NAME=VALUE on every generating command (in process).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator, loadDomainFile } from '../../src/index.js';
import { cliInProcess } from './inProcessCli.js';
import { tempDir } from '../support/tempDirs.js';

const LIBRARY = fileURLToPath(new URL('../fixtures/domains/library.domain.yaml', import.meta.url));

describe('--domain and --param (int, in process)', () => {
  it('generate writes JSON.stringify of the library session the library gives for the same seed', async () => {
    const r = await cliInProcess('generate', 'event_stream', '--domain', LIBRARY, '--seed', '11', '--session', '4');
    assert.equal(r.code, 0, r.err);
    const g = createGenerator({ domain: await loadDomainFile(LIBRARY), seed: 11 });
    assert.equal(r.out, JSON.stringify(g.session('0', 4)) + '\n');
    const events = JSON.parse(r.out) as Array<{ event_type: string; aggregate_type: string }>;
    assert.equal(events[0]!.event_type, 'joined');
    assert.equal(events.at(-1)!.event_type, 'left');
    assert.ok(events.every((e) => e.aggregate_type === 'Member'));
  });

  it('export ndjson and bulk carry the domain\'s events; --param changes what the guards allow', async () => {
    const nd = await cliInProcess('export', 'event_stream', '--domain', LIBRARY, '--seed', '5', '--count', '150', '--param', 'max_loans=1', '--param', 'branch=north');
    assert.equal(nd.code, 0, nd.err);
    const g = createGenerator({ domain: await loadDomainFile(LIBRARY), seed: 5, params: { max_loans: 1, branch: 'north' } });
    const stream = g.stream(0);
    let expected = '';
    for (let k = 0; k < 150; k++) for (const e of stream.nextSession()) expected += JSON.stringify(e) + '\n';
    assert.equal(nd.out, expected);
    const events = nd.out.trim().split('\n').map((l) => JSON.parse(l) as { event_type: string; payload: Record<string, unknown> });
    const borrowed = events.filter((e) => e.event_type === 'borrowed');
    assert.ok(borrowed.length > 20, `only ${borrowed.length} borrowed events`);
    assert.ok(borrowed.every((e) => e.payload.loans_after === 1), 'with max_loans=1 nobody holds two loans');
    assert.ok(events.filter((e) => e.event_type === 'joined').every((e) => e.payload.branch === 'north'));

    const bulk = await cliInProcess('bulk', 'event_stream', '--domain', LIBRARY, '--seed', '5', '--count', '3');
    assert.equal(bulk.code, 0, bulk.err);
    const g2 = createGenerator({ domain: await loadDomainFile(LIBRARY), seed: 5 }).stream(0);
    assert.equal(bulk.out, JSON.stringify([g2.nextSession(), g2.nextSession(), g2.nextSession()]) + "\n");
  });

  it('--domain shop is the default; a built-in name needs no file', async () => {
    const a = await cliInProcess('generate', 'event_stream', '--domain', 'shop', '--seed', '2');
    const b = await cliInProcess('generate', 'event_stream', '--seed', '2');
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out, b.out);
    assert.equal(JSON.parse(a.out)[0].event_type, 'login');
    const eur = await cliInProcess('generate', 'event_stream', '--param', 'currency=EUR', '--seed', '2', '--session', '3');
    assert.equal(eur.code, 0, eur.err);
    assert.ok(!eur.out.includes('"USD"'));
  });

  it('verify --domain regenerates the domain\'s run: its own export checks out, an altered event does not', async () => {
    const dir = tempDir('dcli-verify-');
    const file = join(dir, 'events.ndjson');
    const exp = await cliInProcess('export', 'event_stream', '--domain', LIBRARY, '--seed', '9', '--count', '20', '--out', file);
    assert.equal(exp.code, 0, exp.err);
    const ok = await cliInProcess('verify', '--domain', LIBRARY, '--seed', '9', '--partitions', '0', '--sessions', '20', '--against', file);
    assert.equal(ok.code, 0, ok.out + ok.err);
    const shop = await cliInProcess('verify', '--seed', '9', '--partitions', '0', '--sessions', '20', '--against', file);
    assert.equal(shop.code, 1, 'the shop regenerated is not the library run');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/"timestamp":"[^"]+"/, '"timestamp":"2030-01-01T00:00:00.000Z"');
    writeFileSync(file, lines.join('\n'));
    const bad = await cliInProcess('verify', '--domain', LIBRARY, '--seed', '9', '--partitions', '0', '--sessions', '20', '--against', file);
    assert.equal(bad.code, 1, bad.out);
  });

  it('names the bad value: unknown domain, missing file, unknown param (nearest), bad value, other types', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['generate', 'event_stream', '--domain', 'shp'], /--domain "shp" is neither a built-in domain \(did you mean "shop"\?\) nor a file; built-in domains: shop/],
      [['generate', 'event_stream', '--domain', 'nope.yaml'], /domain file "nope\.yaml": cannot read it: no such file/],
      [['generate', 'event_stream', '--domain', LIBRARY, '--param', 'max_loan=2'], /--param "max_loan=2": domain library has no param "max_loan"; did you mean "max_loans"\? its params: max_loans, branch/],
      [['generate', 'event_stream', '--domain', LIBRARY, '--param', 'max_loans=two'], /--param max_loans is "two"; allowed: a number, like the domain's 3/],
      [['generate', 'event_stream', '--domain', LIBRARY, '--param', 'max_loans'], /--param "max_loans": expected NAME=VALUE/],
      [['generate', 'event_stream', '--domain', LIBRARY, '--param', 'branch=a', '--param', 'branch=b'], /--param branch is given twice/],
      [['generate', 'event_stream', '--param', 'constructor=1'], /domain shop has no param "constructor"/],
      [['generate', 'event_stream', '--param', '__proto__=1'], /domain shop has no param "__proto__"/],
      [['generate', 'user', '--domain', LIBRARY], /--domain applies to event_stream \(a domain's sessions\), not to user/],
      [['export', 'user', '--count', '1', '--param', 'a=1'], /--param applies to event_stream/],
      [['verify', '--domain', 'shpo', '--seed', '1', '--partitions', '0', '--sessions', '1', '--against', 'x.ndjson'], /--domain "shpo" is neither a built-in domain/],
      [['generate', 'event_stream', '--domain', LIBRARY, '--model', 'test/fixtures/supportDesk.model.json'], /model replaces the shop's chain/],
    ];
    for (const [args, re] of cases) {
      const r = await cliInProcess(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re, args.join(' '));
      assert.equal(r.out, '');
    }
  });
});
