// The JMeter function on the real engine (JMeter 5.6.3, assembled by scripts/ci/install-jmeter.sh)
// against the real sidecar (`node dist/cli.js serve`): plans built in code, the example .jmx run
// by plain `jmeter -n -t`, two `jmeter-server` engines driven by a controller (`-R`), 4+ threads,
// several iterations, a sidecar crash mid-run, bad arguments, auth. Skips when JMeter is not
// installed, except under CI=true, where that fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
// The library as built (dist/, what the sidecar runs): loaded in before(), after the build check.
import type { SessionEvent } from '../../dist/index.js';
type Library = typeof import('../../dist/index.js');
let createSessionStream: Library['createSessionStream'];
let serializeEvent: Library['serializeEvent'];
let serializeSession: Library['serializeSession'];
let wrapSessionEvent: Library['wrapSessionEvent'];
import {
  freePort, killChildren, removeDir, requireJars, requireJmeter, ROOT, runCodePlan, runJmx,
  PLUGIN_JAR, Sidecar, startCodePlan, startEngine, tempDir,
} from './jmeterHarness.ts';

const SEED = '20240607';
const ENGINE = 'test-engine';
const EVENT = '${__mockjutsu_event_sourcing(event_stream,event,ev)}';
const SESSION_SHORT = '${__mockjutsu(event_stream)}';

/** The sidecar's session-stream key of a thread: the Java side's MockjutsuEventSourcing.threadKey. */
const threadKey = (group: string, threadNumber: number) => `${ENGINE}/${group}/${threadNumber}`;

function assertExpanded(value: string, where: string): void {
  assert.ok(!value.includes('${__mockjutsu'), `${where}: the function was not found or not expanded: ${value.slice(0, 120)}`);
}

function byThread<T>(items: T[], num: (t: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const it of items) {
    const k = num(it);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(it);
  }
  return m;
}

/** One thread's events form whole sessions in order: login first, versions 1..n, one correlation id, logout last (the last session may be cut by the end of the run). */
function assertSessionsInOrder(events: SessionEvent[], who: string): number {
  let sessions = 0;
  let i = 0;
  while (i < events.length) {
    const first = events[i]!;
    assert.equal(first.event_type, 'login', `${who}: session ${sessions + 1} starts with ${first.event_type}`);
    sessions++;
    let version = 1;
    let previous: SessionEvent | undefined;
    for (; i < events.length; i++) {
      const e = events[i]!;
      if (version > 1 && e.event_type === 'login') break;
      assert.equal(e.stream_version, version, `${who}: stream_version ${e.stream_version}, expected ${version}`);
      assert.equal(e.correlation_id, first.correlation_id, `${who}: two correlation ids in one session`);
      assert.equal(e.stream_id, first.stream_id, `${who}: two stream ids in one session`);
      assert.equal(e.causation_id, previous ? previous.event_id : null, `${who}: causation chain broken`);
      previous = e;
      version++;
      if (e.event_type === 'logout') {
        i++;
        break;
      }
    }
  }
  return sessions;
}

describe('JMeter function __mockjutsu_event_sourcing on the real engine', function () {
  this.timeout(60000);
  let dir: string | undefined;
  let sidecar: Sidecar | undefined;

  before(async function () {
    requireJmeter(this);
    this.timeout(180000);
    await requireJars(this);
    ({ createSessionStream, serializeEvent, serializeSession, wrapSessionEvent } = await import('../../dist/index.js'));
    dir = tempDir();
    sidecar = await new Sidecar({ port: await freePort(), seed: SEED }).start();
  });

  after(async () => {
    await sidecar?.stop();
    await killChildren();
    removeDir(dir);
  });

  const props = (extra: Record<string, string | number> = {}) => ({
    'mockjutsu.url': sidecar!.url,
    'mockjutsu.seed': SEED,
    'mockjutsu.engine': ENGINE,
    ...extra,
  });

  it('code-built plan: found and expanded; event mode gives each thread its own sessions, equal to createSessionStream({ seed, partition: thread key })', async () => {
    const threads = 4;
    const loops = 60;
    const run = await runCodePlan({
      dir: dir!, name: 'event-and-session', threads, loops,
      exprs: [EVENT, SESSION_SHORT], vars: ['ev', 'mockjutsu_error'],
      // synchronous prefetch here; the other runs use the default background prefetch
      props: props({ 'mockjutsu.batch': 16, 'mockjutsu.async_prefetch': 'false' }),
    });
    assert.equal(run.samples.length, threads * loops * 2, 'one sample per thread, iteration and sampler');
    const eventIds = new Map<string, number>();
    for (const [num, samples] of byThread(run.samples, (s) => s.num)) {
      const key = threadKey('Thread Group', num);
      const eventSamples = samples.filter((_, i) => i % 2 === 0);
      const sessionSamples = samples.filter((_, i) => i % 2 === 1);
      const events = new Array<SessionEvent>();
      const expectedEvents = createSessionStream({ seed: SEED, partition: key });
      for (const s of eventSamples) {
        assertExpanded(s.label, `thread ${key}`);
        assert.equal(s.vars.mockjutsu_error, '', `thread ${key}: mockjutsu_error set: ${s.vars.mockjutsu_error}`);
        assert.equal(s.vars.ev, s.label, 'the variable argument receives the same value');
        assert.equal(s.label, serializeEvent(expectedEvents.next()), `thread ${key}: event differs from the library's stream`);
        const e = JSON.parse(s.label) as SessionEvent;
        assert.ok(!eventIds.has(e.event_id) || eventIds.get(e.event_id) === num, `event ${e.event_id} served to two threads`);
        eventIds.set(e.event_id, num);
        events.push(e);
      }
      assert.ok(assertSessionsInOrder(events, `thread ${key}`) >= 2, 'several sessions per thread');
      // __mockjutsu (short name), session mode: whole sessions, the key's session stream
      const expectedSessions = createSessionStream({ seed: SEED, partition: key });
      for (const s of sessionSamples) {
        assertExpanded(s.label, `thread ${key} (__mockjutsu)`);
        assert.equal(s.label, serializeSession(expectedSessions.nextSession()), `thread ${key}: session differs`);
        const session = JSON.parse(s.label) as SessionEvent[];
        assert.equal(session[0]!.event_type, 'login');
        assert.equal(session.at(-1)!.event_type, 'logout');
      }
    }
    assert.equal(eventIds.size, threads * loops, 'distinct threads never share an event id');
  });

  it('-Jmockjutsu.envelope=cloudevents: each thread\'s events in CloudEvents envelopes, equal to wrapSessionEvent of the library\'s stream', async () => {
    const threads = 2;
    const loops = 25;
    const run = await runCodePlan({ dir: dir!, name: 'envelope', threads, loops, exprs: [EVENT], vars: ['mockjutsu_error'], props: props({ 'mockjutsu.envelope': 'cloudevents', 'mockjutsu.batch': 8 }) });
    assert.equal(run.samples.length, threads * loops);
    for (const [num, samples] of byThread(run.samples, (s) => s.num)) {
      const key = threadKey('Thread Group', num);
      const expected = createSessionStream({ seed: SEED, partition: key });
      for (const s of samples) {
        assert.equal(s.vars.mockjutsu_error, '', `thread ${key}: ${s.vars.mockjutsu_error}`);
        assert.equal(s.label, JSON.stringify(wrapSessionEvent(expected.next(), 'cloudevents', SEED, key)), `thread ${key}: envelope differs`);
      }
    }
  });

  it('example .jmx by plain `jmeter -n -t`: each thread posts its next event to ${TARGET_URL}/streams/${stream_id}, 201/200', async () => {
    const threads = 4;
    const loops = 12;
    const run = await runJmx({
      dir: dir!, name: 'example', plan: join(ROOT, 'jmeter-bridge', 'examples', 'event-sourcing.jmx'),
      props: { ...props(), THREADS: threads, LOOPS: loops, TARGET_URL: sidecar!.url },
      sampleVariables: ['event', 'stream_id', 'mockjutsu_error'],
    });
    const next = run.rows.filter((r) => r.label === 'mockjutsu: next event');
    const posts = run.rows.filter((r) => r.label === 'POST event to its stream');
    assert.equal(next.length, threads * loops, `one "next event" sample per iteration\n${run.log.slice(-3000)}`);
    assert.equal(posts.length, threads * loops, 'one POST per iteration');
    for (const p of posts) {
      assert.equal(p.success, 'true', `POST failed: ${p.responseCode} ${p.responseMessage}`);
      assert.match(p.responseCode!, /^20[01]$/);
    }
    const seen = new Set<string>();
    const posted = new Map<string, string[]>();
    for (const [num, rows] of byThread(next, (r) => Number(/-(\d+)$/.exec(r.threadName!)![1]))) {
      const key = threadKey('Event producers', num);
      const expected = createSessionStream({ seed: SEED, partition: key });
      const events: SessionEvent[] = [];
      // a thread's rows are in its own order (timeStamp ties are possible: keep file order)
      for (const r of rows) {
        assertExpanded(r.event!, `thread ${key}`);
        assert.equal(r.success, 'true', `thread ${key}: next event failed: ${r.mockjutsu_error}`);
        assert.equal(r.mockjutsu_error, '');
        assert.equal(r.event, serializeEvent(expected.next()), `thread ${key}: event differs from the library's stream`);
        const e = JSON.parse(r.event!) as SessionEvent;
        assert.equal(r.stream_id, e.stream_id);
        assert.ok(!seen.has(e.event_id), 'an event id served twice');
        seen.add(e.event_id);
        events.push(e);
      }
      assertSessionsInOrder(events, `thread ${key}`);
      for (const e of events) {
        if (!posted.has(e.stream_id)) posted.set(e.stream_id, []);
        posted.get(e.stream_id)!.push(e.event_id);
      }
    }
    assert.equal(seen.size, threads * loops);
    // the sidecar's event store holds every stream exactly as posted, in order
    for (const [streamId, ids] of posted) {
      const r = await fetch(`${sidecar!.url}/streams/${encodeURIComponent(streamId)}`);
      assert.equal(r.status, 200, `GET /streams/${streamId}`);
      const body = (await r.json()) as { events: { data: SessionEvent }[] };
      assert.deepEqual(body.events.map((x) => x.data.event_id), ids, `stream ${streamId} as stored`);
    }
  });

  it('example .jmx with no sidecar: "next event" fails with mockjutsu_error, nothing is posted', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const run = await runJmx({
      dir: dir!, name: 'example-no-sidecar', plan: join(ROOT, 'jmeter-bridge', 'examples', 'event-sourcing.jmx'),
      props: { ...props(), 'mockjutsu.url': dead, THREADS: 2, LOOPS: 3, TARGET_URL: sidecar!.url },
      sampleVariables: ['event', 'stream_id', 'mockjutsu_error'],
    });
    assert.equal(run.rows.filter((r) => r.label === 'POST event to its stream').length, 0, 'no POST without an event');
    const next = run.rows.filter((r) => r.label === 'mockjutsu: next event');
    assert.equal(next.length, 6);
    for (const r of next) {
      assert.equal(r.success, 'false', 'the "mockjutsu_error is empty" assertion fails the sample');
      assert.equal(r.event, '');
      assert.ok(r.mockjutsu_error!.startsWith(`mockjutsu sidecar ${dead}: cannot connect`), r.mockjutsu_error);
    }
    assert.equal(run.log.split('\n').filter((l) => l.includes(' ERROR ') && l.includes(dead)).length, 2, 'one ERROR line per thread');
  });

  it('sidecar killed mid-run: one ERROR line per thread naming the URL and cause, mockjutsu_error set, recovery after restart, no event lost or repeated', async function () {
    const threads = 4;
    const loops = 500; // 10 ms each: the run outlasts the outage and the restart
    const port = await freePort();
    let flaky = await new Sidecar({ port, seed: SEED }).start();
    try {
      const running = startCodePlan({
        dir: dir!, name: 'outage', threads, loops, sleepMs: 10,
        exprs: [EVENT], vars: ['ev', 'mockjutsu_error'],
        props: { ...props({ 'mockjutsu.batch': 3, 'mockjutsu.backoff_max_ms': 100, 'mockjutsu.timeout_ms': 2000 }), 'mockjutsu.url': flaky.url },
      });
      const until = async (cond: () => boolean, what: string) => {
        const deadline = Date.now() + 30000;
        while (!cond()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      await until(() => running.samplesSoFar() >= threads * 20, 'the run to get going');
      await flaky.stop('SIGKILL');
      const downAt = running.samplesSoFar();
      await until(() => running.samplesSoFar() >= downAt + threads * 30, 'calls during the outage');
      flaky = await new Sidecar({ port, seed: SEED }).start();
      const run = await running.done;
      assert.equal(run.samples.length, threads * loops);

      for (const [num, samples] of byThread(run.samples, (s) => s.num)) {
        const key = threadKey('Thread Group', num);
        const failed = samples.filter((s) => s.vars.mockjutsu_error !== '');
        assert.ok(failed.length > 0, `thread ${key} saw no failure`);
        for (const f of failed) {
          assert.equal(f.label, '', 'a failed call returns ""');
          assert.equal(f.vars.ev, '', 'and stores "" in the variable');
          assert.ok(f.vars.mockjutsu_error!.includes(flaky.url), `mockjutsu_error names the URL: ${f.vars.mockjutsu_error}`);
        }
        const lastFailure = samples.lastIndexOf(failed.at(-1)!);
        assert.ok(lastFailure < samples.length - 1, `thread ${key} never recovered`);
        assert.ok(samples.slice(lastFailure + 1).every((s) => s.vars.mockjutsu_error === '' && s.label.startsWith('{')),
          `thread ${key}: failures after recovery`);
        // the successful values, in order, are the stream itself: nothing skipped, nothing twice
        const expected = createSessionStream({ seed: SEED, partition: key });
        for (const s of samples.filter((x) => x.vars.mockjutsu_error === '')) {
          assert.equal(s.label, serializeEvent(expected.next()), `thread ${key}: an event was lost or repeated across the outage`);
        }
        const errorLines = run.log.split('\n').filter((l) => l.includes(' ERROR ') && l.includes(`thread ${key} `));
        assert.equal(errorLines.length, 1, `one ERROR line per thread per outage, got:\n${errorLines.join('\n')}`);
        assert.ok(errorLines[0]!.includes(flaky.url), 'the log line names the URL');
        assert.match(errorLines[0]!, /cannot connect|Connection refused|Unexpected end of file|Connection reset|no answer within/);
        assert.ok(run.log.split('\n').some((l) => l.includes('answers again') && l.includes(`thread ${key} `)), `thread ${key}: no recovery line`);
      }
    } finally {
      await flaky.stop();
    }
  });

  it('sidecar frozen mid-run (no answer): the timeout is the error, back-off spares the other calls, a timed-out batch skips nothing', async () => {
    const threads = 4;
    const loops = 300;
    const slow = await new Sidecar({ port: await freePort(), seed: SEED }).start();
    try {
      const running = startCodePlan({
        dir: dir!, name: 'frozen', threads, loops, sleepMs: 10,
        exprs: [EVENT], vars: ['mockjutsu_error'],
        props: { ...props({ 'mockjutsu.batch': 2, 'mockjutsu.timeout_ms': 300, 'mockjutsu.backoff_max_ms': 400 }), 'mockjutsu.url': slow.url },
      });
      const deadline = Date.now() + 30000;
      while (running.samplesSoFar() < threads * 20) {
        if (Date.now() > deadline) throw new Error('the run did not get going');
        await new Promise((r) => setTimeout(r, 10));
      }
      slow.freeze();
      await new Promise((r) => setTimeout(r, 1500));
      slow.thaw();
      const run = await running.done;
      for (const [num, samples] of byThread(run.samples, (s) => s.num)) {
        const key = threadKey('Thread Group', num);
        const failed = samples.filter((s) => s.vars.mockjutsu_error !== '');
        assert.ok(failed.length > 0, `thread ${key} saw no failure`);
        assert.ok(failed.every((f) => f.vars.mockjutsu_error === `mockjutsu sidecar ${slow.url}: no answer within 300 ms (mockjutsu.timeout_ms) [GET /sessions/${encodeURIComponent(key)}/batch]`),
          failed.map((f) => f.vars.mockjutsu_error).join('\n'));
        // back-off: most failed calls answer at once instead of costing a 300 ms timeout each
        const gap = (i: number) => (i === 0 ? 0 : samples[i]!.t! - samples[i - 1]!.t!);
        const waited = samples.filter((s, i) => s.vars.mockjutsu_error !== '' && gap(i) >= 250).length;
        const fast = samples.filter((s, i) => s.vars.mockjutsu_error !== '' && gap(i) < 100).length;
        assert.ok(fast > waited, `thread ${key}: ${waited} failed calls waited for a timeout, only ${fast} failed fast`);
        const expected = createSessionStream({ seed: SEED, partition: key });
        for (const s of samples.filter((x) => x.vars.mockjutsu_error === '')) {
          assert.equal(s.label, serializeEvent(expected.next()), `thread ${key}: an event was lost or repeated across the timeouts`);
        }
        assert.equal(run.log.split('\n').filter((l) => l.includes(' ERROR ') && l.includes(`thread ${key} `)).length, 1, 'one ERROR line per outage');
        assert.equal(samples.at(-1)!.vars.mockjutsu_error, '', `thread ${key} did not recover`);
      }
    } finally {
      await slow.stop();
    }
  });

  it('distributed: two jmeter-server engines (own RMI ports, own mockjutsu.engine) under a controller with -R; their threads never share a session and equal the library for their keys', async function () {
    this.timeout(120000);
    const threads = 3;
    const loops = 8;
    const ids = ['engine-a', 'engine-b'];
    // the engines start in parallel: two JVMs at once
    const engines = await Promise.all(ids.map(async (engineId) => startEngine({ dir: dir!, engineId, port: await freePort() })));
    const byAddress = new Map(engines.map((e) => [e.address, e]));
    const run = await runJmx({
      dir: dir!, name: 'distributed', plan: join(ROOT, 'jmeter-bridge', 'examples', 'event-sourcing.jmx'),
      remotes: engines.map((e) => e.address),
      // shared settings with -G; each engine has its own -Jmockjutsu.engine (startEngine)
      globalProps: { 'mockjutsu.url': sidecar!.url, 'mockjutsu.seed': SEED, TARGET_URL: sidecar!.url, THREADS: threads, LOOPS: loops },
      sampleVariables: ['event', 'stream_id', 'mockjutsu_error'],
      timeoutMs: 90000,
    }).catch((e: Error) => {
      throw new Error(`${e.message}\n${engines.map((x) => `--- ${x.engineId}\n${x.log().slice(-3000)}`).join('\n')}`);
    });
    const next = run.rows.filter((r) => r.label === 'mockjutsu: next event');
    assert.equal(next.length, ids.length * threads * loops, `every engine ran every thread and iteration\n${run.log.slice(-3000)}`);
    assert.equal(run.rows.filter((r) => r.label === 'POST event to its stream' && r.success === 'true').length, ids.length * threads * loops);

    // remote thread names are "<engine host:port>-<group> 1-<n>"
    const streams = new Map<string, string[]>();
    for (const r of next) {
      const m = /^(127\.0\.0\.1:\d+)-Event producers 1-(\d+)$/.exec(r.threadName!);
      assert.ok(m, `thread name ${r.threadName}`);
      const engine = byAddress.get(m[1]!);
      assert.ok(engine, `a sample from an unknown engine ${m[1]}`);
      assert.equal(r.success, 'true', `${r.threadName}: ${r.mockjutsu_error}`);
      const key = `${engine.engineId}/Event producers/${m[2]}`;
      if (!streams.has(key)) streams.set(key, []);
      streams.get(key)!.push(r.event!);
    }
    const expectedKeys = ids.flatMap((id) => Array.from({ length: threads }, (_, i) => `${id}/Event producers/${i + 1}`));
    assert.deepEqual([...streams.keys()].sort(), expectedKeys.sort(), 'one stream per engine and thread');

    const owner = new Map<string, string>();
    for (const [key, values] of streams) {
      // together the engines' values are exactly the library's streams for their thread keys
      assert.equal(values.length, loops);
      const expected = createSessionStream({ seed: SEED, partition: key });
      assert.deepEqual(values, values.map(() => serializeEvent(expected.next())), `${key}: differs from createSessionStream`);
      const events = values.map((v) => JSON.parse(v) as SessionEvent);
      assertSessionsInOrder(events, key);
      for (const e of events) {
        const other = owner.get(e.session_id);
        assert.ok(other === undefined || other === key, `session ${e.session_id} served to ${other} and ${key}`);
        owner.set(e.session_id, key);
      }
    }
    assert.ok(new Set(owner.values()).size === expectedKeys.length, 'every thread has sessions of its own');
  });

  it('bad arguments: JMeter 5.6 does not start the plan; its log names the InvalidVariableException and our message', async () => {
    const bad: [string, string][] = [
      ['${__mockjutsu_event_sourcing(event_stream,sometimes)}', "__mockjutsu_event_sourcing: unknown mode 'sometimes'; use session (the next whole session, the default) or event (the next event)"],
      ['${__mockjutsu_event_sourcing()}', '__mockjutsu_event_sourcing needs a type as its first argument, e.g. ${__mockjutsu_event_sourcing(event_stream)}'],
      ['${__mockjutsu(event_stream,event,v,extra)}', '__mockjutsu takes 1 to 3 arguments (type[,mode][,variable]) but got 4: ${__mockjutsu(event_stream,event,v,extra)}'],
    ];
    for (const [i, [expr, message]] of bad.entries()) {
      // a valid call first: the plan as a whole is refused, not just the bad call
      const run = await runCodePlan({ dir: dir!, name: `bad-arguments-${i}`, threads: 1, loops: 1, exprs: [EVENT, expr], props: props() });
      assert.deepEqual(run.samples, [], `${expr}: no sample runs`);
      const lines = run.log.split('\n');
      assert.ok(lines.some((l) => l.includes(' ERROR ') && l.includes('Error occurred compiling the tree')), `${expr}:\n${run.log.slice(-3000)}`);
      assert.ok(lines.some((l) => l.startsWith(`Caused by: org.apache.jmeter.functions.InvalidVariableException: ${message}`)), `${expr}: our message\n${run.log.slice(-3000)}`);
    }
  });

  it('token and type: 401 without -Jmockjutsu.token, served with it; an unknown type is a clear error', async () => {
    const token = 's3cret-token';
    const secured = await new Sidecar({ port: await freePort(), seed: SEED, token }).start();
    try {
      const base = { ...props(), 'mockjutsu.url': secured.url };
      const denied = await runCodePlan({ dir: dir!, name: 'no-token', threads: 1, loops: 2, exprs: [EVENT], vars: ['mockjutsu_error'], props: base });
      for (const s of denied.samples) {
        assert.equal(s.label, '');
        assert.match(s.vars.mockjutsu_error!, /HTTP 401/);
        assert.ok(s.vars.mockjutsu_error!.includes(secured.url));
      }
      assert.equal(denied.log.split('\n').filter((l) => l.includes(' ERROR ') && l.includes('HTTP 401')).length, 1, 'logged once');

      const allowed = await runCodePlan({
        dir: dir!, name: 'token', threads: 1, loops: 2,
        exprs: [EVENT, '${__mockjutsu(no_such_type,event)}'], vars: ['mockjutsu_error'],
        props: { ...base, 'mockjutsu.token': token },
      });
      const [first, unknown] = allowed.samples;
      assert.equal(first!.label, serializeEvent(createSessionStream({ seed: SEED, partition: threadKey('Thread Group', 1) }).next()));
      assert.equal(unknown!.label, '');
      assert.match(unknown!.vars.mockjutsu_error!, /no_such_type/);
    } finally {
      await secured.stop();
    }
  });
});

describe('JMeter plugin jar (dist/jmeter/mockjutsu-jmeter.jar, built by Maven)', function () {
  this.timeout(180000);
  let dir: string | undefined;
  before(async function () {
    await requireJars(this);
    dir = tempDir();
    const r = spawnSync('jar', ['xf', PLUGIN_JAR], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, `jar xf: ${r.stderr}`);
  });
  after(() => removeDir(dir));

  it('holds only the function classes and META-INF: Java 8 bytecode, SLF4J logging, no logkit, no dependency inside', () => {
    const files = filesUnder(dir!).map((f) => relative(dir!, f)).sort();
    const classes = files.filter((f) => f.endsWith('.class'));
    assert.deepEqual(files.filter((f) => !f.endsWith('.class') && !f.startsWith('META-INF/maven/')),
      ['META-INF/MANIFEST.MF', 'META-INF/services/org.apache.jmeter.functions.Function']);
    assert.ok(classes.length >= 8 && classes.every((f) => f.startsWith('io/mockjutsu/jmeter/functions/')), classes.join('\n'));
    assert.deepEqual(readFileSync(join(dir!, 'META-INF/services/org.apache.jmeter.functions.Function'), 'utf8').trim().split('\n'),
      ['io.mockjutsu.jmeter.functions.MockjutsuEventSourcing', 'io.mockjutsu.jmeter.functions.Mockjutsu', 'io.mockjutsu.jmeter.functions.MockjutsuPool']);
    let slf4j = 0;
    for (const f of classes) {
      const bytes = readFileSync(join(dir!, f));
      assert.equal(bytes.readUInt32BE(0), 0xcafebabe, f);
      assert.equal(bytes.readUInt16BE(6), 52, `${f}: class file version (52 = Java 8)`);
      const text = bytes.toString('latin1');
      assert.ok(!text.includes('org/apache/log/') && !text.includes('LoggingManager'), `${f} uses JMeter's deprecated logkit API`);
      if (text.includes('org/slf4j/Logger')) slf4j++;
    }
    assert.ok(slf4j >= 1, 'logs through SLF4J');
  });
});

function filesUnder(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(d, e.name)) : [join(d, e.name)]));
}
