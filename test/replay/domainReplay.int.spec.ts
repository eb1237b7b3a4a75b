// The replay target and verify read any domain's envelope through the domain: a domain whose
// fields are renamed (eventType, streamId, version, occurredAt) is stored, checked and verified
// on a real server on 127.0.0.1, and verify names exactly what was lost or altered.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createGenerator } from '../../src/core/index.js';
import { startReplaySidecar, type RunningReplaySidecar } from '../../src/replay/index.js';
import { verifyStreams } from '../../src/verify/index.js';
import { cliInProcess } from '../cli/inProcessCli.js';
import { ledgerDomain, LEDGER_FILE } from '../fixtures/domains/ledger.js';
import { call, killChildren, readAll, spawnReplayServer, tempDir } from './replayKit.js';

type Ev = Record<string, any>;

function post(base: string, e: Ev | Ev[], ifMatch?: string): Promise<{ status: number; body: any; text: string }> {
  const first = Array.isArray(e) ? e[0]! : e;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (ifMatch !== undefined) headers['If-Match'] = ifMatch;
  return call(`${base}/streams/${encodeURIComponent(first.streamId)}`, { method: 'POST', headers, body: JSON.stringify(e) });
}

describe('replay target and verify for any domain (renamed envelope fields)', function () {
  this.timeout(60_000);
  const ledger = ledgerDomain();
  const seed = 'ledger-replay';
  const partitions = ['1', '2', 'vu-3'];
  const sessions = 3;
  const generator = createGenerator({ seed, domain: ledger });
  const all: Ev[][] = partitions.flatMap((p) => {
    const st = generator.stream(p);
    return Array.from({ length: sessions }, () => st.nextSession() as Ev[]);
  });
  const tmp = tempDir('side-ledger');
  let s: RunningReplaySidecar;
  let lostId = '';
  let alteredId = '';

  before(async () => {
    s = await startReplaySidecar({ port: 0, log: () => {}, domains: [ledger], store: join(tmp.dir, 'ledger.jsonl') });
    // one fault of each kind: the first withdrawal is never sent, the first deposit is altered
    const events = all.flat();
    const withdrawal = events.find((e) => e.eventType === 'withdrawn')!;
    const deposit = events.find((e) => e.eventType === 'deposited')!;
    assert.ok(withdrawal && deposit, 'the seed has a withdrawal and a deposit');
    lostId = withdrawal.event_id;
    alteredId = deposit.event_id;
    for (const e of events) {
      if (e.event_id === lostId) continue;
      const sent = e.event_id === alteredId ? { ...e, payload: { ...e.payload, amount: e.payload.amount + 1 } } : e;
      // If-Match: the expected version, read from the domain's "version" field (after the lost one: any)
      const a = await post(s.url, sent, e.streamId === withdrawal.streamId ? undefined : String(e.version - 1));
      assert.equal(a.status, 201, a.text);
    }
  });
  after(async () => {
    await s.close();
    await killChildren();
    tmp.remove();
  });

  it('stores each event with type = its eventType and the event_id as idempotency key; checks streamId', async () => {
    const first = all[0]![0]!;
    const stream = await call(`${s.url}/streams/${encodeURIComponent(first.streamId)}`);
    assert.equal(stream.status, 200);
    assert.equal(stream.body.events[0].type, first.eventType);
    assert.deepEqual(stream.body.events[0].data, first);
    assert.equal(stream.body.events[0].idempotency_key, first.event_id);
    const again = await post(s.url, first);
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    const wrong = await call(`${s.url}/streams/elsewhere`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(first) });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, 'STREAM_ID_MISMATCH');
    assert.match(wrong.body.error.message, /^the event\.streamId is "Customer-[0-9a-f-]+" but it was posted to stream "elsewhere"; post each event to \/streams\/<its streamId>/);
    const none = await call(`${s.url}/streams/x`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ event_id: 'e1' }) });
    assert.equal(none.status, 400);
    assert.match(none.body.error.message, /^the event has no event_type or eventType \(by domain: shop event_type, ledger eventType\); expected a generated event of a served domain \(shop, ledger\)/);
    // a batch in the request envelope: told apart from an event by the domains' event type fields
    const batch = await call(`${s.url}/streams/${encodeURIComponent(first.streamId)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ expected_version: 'any', events: [first] }) });
    assert.equal(batch.status, 200, batch.text);
    assert.equal(batch.body.duplicate, true);
  });

  it('verify (library, against the URL) regenerates the domain and names exactly the lost and the altered event', async () => {
    const report = await verifyStreams({ seed, partitions, sessions, against: s.url, generator: { domain: ledger } });
    assert.equal(report.ok, false);
    assert.equal(report.run!.domain, 'ledger');
    assert.equal(report.expected_events, all.flat().length);
    assert.equal(report.found_events, all.flat().length - 1);
    // sessions write two kinds of streams (Customer-..., Account-ACC-...): each is its own expected stream
    assert.equal(report.expected_streams, new Set(all.flat().map((e) => e.streamId)).size);
    assert.ok(report.expected_streams > all.length);
    const faulty = new Set(all.flat().filter((e) => e.event_id === lostId || e.event_id === alteredId).map((e) => e.streamId));
    assert.deepEqual({ ...report.summary }, { lost: 1, duplicated: 0, reordered: 0, altered: 1, misplaced: 0, unexpected: 0, unexpected_streams: 0, streams_with_differences: faulty.size });
    assert.deepEqual(Object.keys(report.streams).sort(), [...faulty].sort());
    const diffs = Object.values(report.streams);
    const lost = diffs.flatMap((d) => d.lost);
    const altered = diffs.flatMap((d) => d.altered);
    const w = all.flat().find((e) => e.event_id === lostId)!;
    assert.deepEqual(lost, [{ event_id: lostId, event_type: 'withdrawn', expected_version: w.version }]);
    assert.equal(altered.length, 1);
    assert.equal(altered[0]!.event_id, alteredId);
    assert.deepEqual(altered[0]!.fields, ['payload.amount']);
  });

  it('verify of the shop\'s run against this store: every shop event lost, none misplaced (the domains\' ids never coincide)', async () => {
    const report = await verifyStreams({ seed, partitions, sessions, against: await readAll(s.url) });
    assert.equal(report.ok, false);
    // Session k of partition p draws its ids from (seed, p + the domain's name, k) for any domain
    // but the shop, so a shop session and a ledger session of the same seed, partition and k
    // share no session id and no event id: two domains replayed into one store never collide.
    const ledgerIds = new Set(all.flat().map((e) => e.event_id));
    const ledgerSessions = new Set(all.flat().map((e) => e.session_id));
    const shop = partitions.flatMap((p) => { const st = createGenerator({ seed }).stream(p); return Array.from({ length: sessions }, () => st.nextSession()); }).flat();
    assert.deepEqual(shop.filter((e) => ledgerIds.has(e.event_id)), []);
    assert.deepEqual(shop.filter((e) => ledgerSessions.has(e.session_id)), []);
    assert.equal(report.expected_events, shop.length);
    // every stored ledger event (all but the lost withdrawal) is unexpected, in its own streams
    const stored = all.flat().length - 1;
    const ledgerStreams = new Set(all.flat().map((e) => e.streamId)).size;
    const shopStreams = new Set(shop.map((e) => e.stream_id)).size;
    assert.equal(report.found_events, stored);
    assert.deepEqual({ ...report.summary }, {
      lost: shop.length, duplicated: 0, reordered: 0, altered: 0, misplaced: 0, unexpected: stored,
      unexpected_streams: ledgerStreams, streams_with_differences: shopStreams + ledgerStreams,
    });
  });

  it('mockjutsu serve --domain FILE and mockjutsu verify --domain FILE, end to end', async () => {
    const file = fileURLToPath(LEDGER_FILE);
    const server = await spawnReplayServer(['--domain', file, '--seed', '1']);
    assert.match(server.stderr(), /mockjutsu sidecar: domain ledger: 5 event types at GET \/generate\/ledger/);
    const events = all.flat();
    // a clean replay: every event, as the library made it
    for (const e of events) assert.equal((await post(server.url, e, String(e.version - 1))).status, 201);
    const gen = await call(`${server.url}/generate/ledger?seed=${seed}&partition=1&raw=1`);
    assert.equal(gen.text, JSON.stringify(all[0]));
    const ok = await cliInProcess('verify', '--domain', file, '--seed', seed, '--partitions', '1,2,vu-3', '--sessions', String(sessions), '--against', server.url);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /^mockjutsu verify: domain ledger, seed ledger-replay, partitions 1,2,vu-3, sessions 0\.\.2 against http/);
    assert.match(ok.out, /^OK: /m);
    // the store of the faulty run: exit 1, one lost
    const bad = await cliInProcess('verify', '--domain', file, '--seed', seed, '--partitions', '1,2,vu-3', '--sessions', String(sessions), '--against', join(tmp.dir, 'ledger.jsonl'), '--report', '-');
    assert.equal(bad.code, 1);
    const report = JSON.parse(bad.out) as { summary: { lost: number; altered: number } };
    assert.equal(report.summary.lost, 1);
    assert.equal(report.summary.altered, 1);
    const unknown = await cliInProcess('verify', '--domain', 'bnak', '--seed', seed, '--partitions', '1', '--sessions', '1', '--against', server.url);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--domain "bnak" is neither a built-in domain nor a file; built-in domains: shop, bank, hotel/);
  });

  it('serve --domain with a name that clashes, or a bad file, exits 2 naming it', async () => {
    const a = await cliInProcess('serve', '--port', '0', '--domain', 'nope');
    assert.equal(a.code, 2);
    assert.match(a.err, /--domain "nope" is neither a built-in domain/);
    const b = await cliInProcess('serve', '--port', '0', '--domain', join(tmp.dir, 'missing.yaml'));
    assert.equal(b.code, 2);
    assert.match(b.err, /^mockjutsu serve: domain file ".*missing\.yaml": cannot read it: no such file/);
    const c = await cliInProcess('serve', '--port', '0', '--domain', fileURLToPath(LEDGER_FILE), '--domain', fileURLToPath(LEDGER_FILE));
    assert.equal(c.code, 2);
    assert.match(c.err, /--domain: domain "ledger" clashes with another served domain named "ledger"/);
  });
});
