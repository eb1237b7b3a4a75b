// A domain on the real JMeter engine: `mockjutsu serve --domain FILE`, and a plan whose threads
// draw that domain's sessions with ${__mockjutsu_event_sourcing(ledger,...)} get, byte for byte,
// the library's stream of their thread key for the seed (users and start set by -J properties).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createSessionStream } from '../../src/core/index.js';
import { LEDGER_FILE, ledgerDomain } from '../fixtures/domains/ledger.js';
import { freePort, killChildren, removeDir, requireJars, requireJmeter, runCodePlan, Sidecar, tempDir } from './jmeterHarness.ts';

const SEED = 'jmeter-ledger';
const ENGINE = 'domain-engine';
const START = '2024-03-01T08:00:00Z';

describe('JMeter function for any domain (${__mockjutsu_event_sourcing(ledger)}) on the real engine', function () {
  this.timeout(90_000);
  let dir: string | undefined;
  let sidecar: Sidecar | undefined;
  const ledger = ledgerDomain();

  before(async function () {
    requireJmeter(this);
    this.timeout(180_000);
    await requireJars(this);
    dir = tempDir();
    sidecar = await new Sidecar({ port: await freePort(), seed: '1', args: ['--domain', fileURLToPath(LEDGER_FILE)] }).start();
  });
  after(async () => {
    await sidecar?.stop();
    await killChildren();
    removeDir(dir);
  });

  it('event and session modes: each thread\'s ledger stream equals createSessionStream({ seed, domain, partition: thread key, users, start })', async () => {
    const threads = 3;
    const loops = 40;
    const run = await runCodePlan({
      dir: dir!, name: 'ledger', threads, loops,
      exprs: ['${__mockjutsu_event_sourcing(ledger,event,ev)}', '${__mockjutsu_event_sourcing(ledger)}'],
      vars: ['ev', 'mockjutsu_error'],
      props: { 'mockjutsu.url': sidecar!.url, 'mockjutsu.seed': SEED, 'mockjutsu.engine': ENGINE, 'mockjutsu.batch': 16, 'mockjutsu.users': 4, 'mockjutsu.start': START },
    });
    assert.equal(run.samples.length, threads * loops * 2);
    const nums = new Set(run.samples.map((s) => s.num));
    assert.equal(nums.size, threads);
    for (const num of nums) {
      const key = `${ENGINE}/Thread Group/${num}`;
      const samples = run.samples.filter((s) => s.num === num);
      const events = createSessionStream({ seed: SEED, domain: ledger, partition: key, users: 4, start: START });
      const sessions = createSessionStream({ seed: SEED, domain: ledger, partition: key, users: 4, start: START });
      const users = new Set<unknown>();
      samples.forEach((s, i) => {
        assert.equal(s.vars.mockjutsu_error, '', `thread ${key}: ${s.vars.mockjutsu_error}`);
        if (i % 2 === 0) {
          assert.equal(s.label, JSON.stringify(events.next()), `thread ${key}: event ${i / 2} differs from the library's`);
          assert.equal(s.vars.ev, s.label);
          const e = JSON.parse(s.label) as Record<string, unknown>;
          assert.ok('eventType' in e && 'streamId' in e && !('event_type' in e), 'the domain\'s field names');
          users.add(e['user_id']);
        } else {
          assert.equal(s.label, JSON.stringify(sessions.nextSession()), `thread ${key}: session differs from the library's`);
        }
      });
      assert.ok(users.size <= 4, 'users=4 reached the sidecar');
    }
  });

  it('a domain the sidecar does not serve: "" and mockjutsu_error naming it and the served types', async () => {
    const run = await runCodePlan({
      dir: dir!, name: 'unknown-domain', threads: 1, loops: 2,
      exprs: ['${__mockjutsu_event_sourcing(bank,event)}'], vars: ['mockjutsu_error'],
      props: { 'mockjutsu.url': sidecar!.url, 'mockjutsu.seed': SEED, 'mockjutsu.engine': ENGINE },
    });
    for (const s of run.samples) {
      assert.equal(s.label, '');
      assert.match(String(s.vars.mockjutsu_error), /unknown type 'bank'; it serves: .*event_stream.*ledger/);
    }
  });
});
