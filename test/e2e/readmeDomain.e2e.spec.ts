// Issue #14: a domain written only from the docs works on every surface the README shows, and
// the same seed gives the same bytes on the library, the CLI, the sidecar, k6 and JMeter.
//
// The `library` domain is the YAML block of docs/domains.md itself (extracted here, so the guide
// cannot drift from what is tested), loaded as README.md shows it (`loadDomainFile`). The built-in
// `bank` and `hotel` go through the same five surfaces with the same helper:
//   library  createSessionStream({ domain, seed, partition }) (the reference)
//   CLI      `mockjutsu generate event_stream --domain D --seed S` and `export ... --format ndjson`
//   sidecar  `mockjutsu serve --domain FILE --domain bank --domain hotel` on 127.0.0.1:
//            /generate/NAME and /sessions/:key/next?type=NAME
//   k6       in goja (sobek, k6's engine): the module `mockjutsu domain --compile` wrote (the
//            library) or the built-in's module dist/k6/domains/NAME.k6.js, beside dist/k6/mockjutsu.js
//   JMeter   ${__mockjutsu_event_sourcing(NAME,event,ev)} and ${__mockjutsu_event_sourcing(NAME)}
//            on the real 5.6.3 engine, drawing from that sidecar
// With CI=true a missing goja runner or JMeter fails the run (test/support/realParts.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSessionStream, jutsu, loadDomainFile, type DomainInput } from '../../src/index.js';
import { runCli } from '../cli/cliHarness.js';
import { ensureK6Bundle } from '../k6/k6Bundle.js';
import { ensureGojaRunner, startGojaRunner, type GojaRunnerProcess } from '../k6/gojaRunner.js';
import { assertNoExecInInit, results } from '../k6/k6Results.js';
import { buildJars, freePort, jmeterMissing, killChildren, runCodePlan, Sidecar } from '../jmeter/jmeterHarness.ts';
import { requirePart } from '../support/realParts.js';

const DOCS = fileURLToPath(new URL('../../docs/domains.md', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const K6_RUNTIME = fileURLToPath(new URL('../../dist/k6/mockjutsu.js', import.meta.url));
// The runtime bundle carries only the shop; the other built-ins ship beside it, compiled ahead.
const K6_BUILT_IN = (name: string): string => fileURLToPath(new URL(`../../dist/k6/domains/${name}.k6.js`, import.meta.url));
const SEED = '7';
const ENGINE = 'readme-engine';

/** The YAML block under "## A complete small domain" in docs/domains.md. */
function docsDomainYaml(): string {
  const text = readFileSync(DOCS, 'utf8');
  const section = text.indexOf('\n## A complete small domain\n');
  assert.ok(section >= 0, 'docs/domains.md has its "A complete small domain" section');
  const m = /```yaml\n([\s\S]*?)```/.exec(text.slice(section));
  assert.ok(m !== null, 'the section holds a ```yaml block');
  return m[1]!;
}

interface Event { event_id: string; causation_id: string | null; event_type: string; session_id: string; stream_id: string; stream_version: number; payload: Record<string, unknown> }

/** One domain as each surface names it. */
interface DomainCase {
  name: string;
  /** --domain value of the CLI and serve: the file, or the built-in's name. */
  flag: () => string;
  /** What the library takes (README: `await loadDomainFile('library.yaml')`, or a built-in's name). */
  library: () => Promise<DomainInput>;
  /** k6 script lines that import what the VU passes as `domain` (expression `domain`). */
  k6Import: () => string;
  /** The event types the domain has, every one of which a few sessions reach. */
  types: string[];
  /** Invariants of the domain's own rules on a run of sessions. */
  check?: (events: Event[]) => void;
}

describe('README domain: the library of docs/domains.md, bank and hotel give the same bytes for the same seed on library, CLI, sidecar, k6 and JMeter', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'rdm-readme-domain-'));
  const libraryFile = join(dir, 'library.yaml');
  const libraryModule = join(dir, 'library.k6.js');
  let sidecar: Sidecar;
  let runner: GojaRunnerProcess | undefined;

  before(async function () {
    writeFileSync(libraryFile, docsDomainYaml());
    sidecar = await new Sidecar({ port: await freePort(), seed: '1', args: ['--domain', libraryFile, '--domain', 'bank', '--domain', 'hotel'] }).start();
  });
  after(async () => {
    runner?.close();
    await sidecar?.stop();
    await killChildren();
    rmSync(dir, { recursive: true, force: true });
  });

  it('README.md points at the docs/domains.md example as library.yaml and shows each command this test runs', () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf('## Domains'), readme.indexOf('## The event contract'));
    for (const shown of ['mockjutsu generate event_stream --domain library.yaml --seed 7', 'mockjutsu serve --domain library.yaml',
      '/generate/library', '/sessions/:key/next?type=bank', 'mockjutsu domain --compile library.yaml --target k6 --out library.k6.js',
      "loadDomainFile('library.yaml')", 'createSessionStream({ domain: library, seed: 7, partition: 0 })', '${__mockjutsu_event_sourcing(bank)}',
      "import library from './library.k6.js'", 'sessionStream({ seed: __ENV.SEED, domain: library })']) {
      assert.ok(section.includes(shown), `README's Domains section shows ${shown}`);
    }
    assert.match(docsDomainYaml(), /^domain: library\b/);
  });

  it('mockjutsu domain --check, --stats, --draw and --compile take the docs\' file', async () => {
    const check = await runCli(['domain', '--check', libraryFile]);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout.toString() + check.stderr, /domain "library" is valid: 4 event types, 1 aggregate \(Visit\), start signed_in, terminal signed_out, max_steps 200/);
    assert.doesNotMatch(check.stdout.toString() + check.stderr, /warning/, 'every event type is reached');
    const stats = await runCli(['domain', '--stats', libraryFile, '--json', '--sessions', '2000']);
    assert.equal(stats.code, 0, stats.stderr);
    assert.match(stats.stdout.toString(), /"signed_in"/);
    const draw = await runCli(['domain', '--draw', libraryFile, '--format', 'mermaid']);
    assert.equal(draw.code, 0, draw.stderr);
    assert.match(draw.stdout.toString(), /\[\*\] --> signed_in\n[\s\S]*signed_in --> borrowed: 0\.857\n/);
    const compiled = await runCli(['domain', '--compile', libraryFile, '--target', 'k6', '--out', libraryModule]);
    assert.equal(compiled.code, 0, compiled.stderr);
    assert.match(readFileSync(libraryModule, 'utf8'), /export default \{ format: "mockjutsu-domain-module\/2", name: "library"/);
  });

  const cases: DomainCase[] = [
    {
      name: 'library',
      flag: () => libraryFile,
      library: () => loadDomainFile(libraryFile),
      k6Import: () => `import domain from '${libraryModule}';`,
      types: ['borrowed', 'returned', 'signed_in', 'signed_out'],
      check: (events) => {
        // the docs' rules: at most params.max_loans (3) loans, a book returned was borrowed and is still out
        const loans = new Map<string, string[]>();
        for (const e of events) {
          const held = loans.get(e.session_id) ?? [];
          loans.set(e.session_id, held);
          if (e.event_type === 'borrowed') {
            assert.match(String(e.payload['isbn']), /^97[89][0-9]{10}$/);
            assert.ok([14, 21, 28].includes(e.payload['due_days'] as number), `due_days ${String(e.payload['due_days'])}`);
            held.push(e.payload['isbn'] as string);
            assert.ok(held.length <= 3, `${e.session_id}: ${held.length} loans`);
          } else if (e.event_type === 'returned') {
            const i = held.indexOf(e.payload['isbn'] as string);
            assert.ok(i >= 0, `${e.session_id} returned ${String(e.payload['isbn'])}, which it does not hold`);
            held.splice(i, 1);
          }
          assert.equal(e.stream_id, `Visit-${e.session_id}`);
        }
      },
    },
    { name: 'bank', flag: () => 'bank', library: async () => 'bank', k6Import: () => `import domain from '${K6_BUILT_IN('bank')}';`,
      types: ['session_started', 'account_opened', 'deposited', 'withdrawn', 'transfer_sent', 'transfer_received', 'session_ended'] },
    { name: 'hotel', flag: () => 'hotel', library: async () => 'hotel', k6Import: () => `import domain from '${K6_BUILT_IN('hotel')}';`,
      types: ['visit_started', 'rooms_searched', 'room_held', 'hold_released', 'booking_confirmed', 'visit_ended'] },
  ];

  for (const c of cases) fiveSurfaces(c);

  /** The five surfaces of one domain, each against the library's stream for the same seed. */
  function fiveSurfaces(c: DomainCase): void {
    describe(c.name, () => {
      let domain: DomainInput;
      /** Session k of partition 0, as the library gives it. */
      const sessions = (n: number): Event[][] => {
        const s = createSessionStream({ domain, seed: SEED, partition: 0 });
        return Array.from({ length: n }, () => s.nextSession() as unknown as Event[]);
      };
      const eventsOf = (partition: string | number, n: number): string[] =>
        createSessionStream({ domain, seed: SEED, partition }).take(n).map((e) => JSON.stringify(e));
      before(async () => {
        domain = await c.library();
      });

      it('library: the same seed gives the same bytes twice; the domain\'s rules hold', () => {
        const a = sessions(60);
        assert.equal(JSON.stringify(sessions(60)), JSON.stringify(a));
        const events = a.flat();
        const seen = new Set(events.map((e) => e.event_type));
        for (const t of c.types) assert.ok(seen.has(t), `60 sessions reach ${t}: ${[...seen].join(', ')}`);
        // the envelope: one causation chain per session, each stream's versions 1..n in order
        const versions = new Map<string, number>();
        for (const s of a) {
          s.forEach((e, i) => {
            assert.equal(e.causation_id, i === 0 ? null : s[i - 1]!.event_id);
            assert.equal(e.session_id, s[0]!.session_id);
            const v = (versions.get(e.stream_id) ?? 0) + 1;
            assert.equal(e.stream_version, v, `${e.stream_id}`);
            versions.set(e.stream_id, v);
          });
        }
        c.check?.(events);
      });

      it('CLI: generate event_stream --domain and export --format ndjson', async () => {
        const expected = sessions(4);
        const gen = await runCli(['generate', 'event_stream', '--domain', c.flag(), '--seed', SEED]);
        assert.equal(gen.code, 0, gen.stderr);
        assert.equal(gen.stdout.toString(), JSON.stringify(expected[0]) + '\n');
        assert.equal(gen.stdout.toString(), JSON.stringify(jutsu.generate('event_stream', { domain, seed: SEED })) + '\n');
        const exp = await runCli(['export', 'event_stream', '--domain', c.flag(), '--seed', SEED, '--count', '4', '--format', 'ndjson']);
        assert.equal(exp.code, 0, exp.stderr);
        assert.equal(exp.stdout.toString(), expected.flat().map((e) => JSON.stringify(e) + '\n').join(''));
      });

      it(`sidecar: /generate/${c.name} and /sessions/:key/next?type=${c.name}`, async () => {
        // session k alone (positions from 1), as jutsu.generate gives it
        for (const k of [0, 1, 5]) {
          const r = await fetch(`${sidecar.url}/generate/${c.name}?seed=${SEED}&session=${k}&raw=1`);
          assert.equal(r.status, 200);
          assert.equal(await r.text(), JSON.stringify(jutsu.generate('event_stream', { domain, seed: SEED, session: k })), `session ${k}`);
        }
        const key = 'readme/vu 1';
        const want = eventsOf(key, 25);
        for (const [i, text] of want.entries()) {
          const r = await fetch(`${sidecar.url}/sessions/${encodeURIComponent(key)}/next?type=${c.name}&seed=${SEED}`);
          assert.equal(await r.text(), text, `event ${i} of key ${key}`);
        }
      });

      it('k6 (goja): each VU\'s stream equals the library\'s for its VU id', async function () {
        if (runner === undefined) {
          await ensureK6Bundle();
          const built = ensureGojaRunner(); // throws with CI=true when Go is missing
          requirePart(this, built.skip === undefined, built.skip ?? 'goja runner');
          runner = startGojaRunner(built.binary!);
        }
        const vus = [1, 4];
        const report = await runner.run({
          script: join(dir, 'script.js'), vus, iterations: 30, env: { SEED },
          source: `${c.k6Import()}\nimport { sessionStream } from '${K6_RUNTIME}';\n` +
            'const stream = sessionStream({ seed: __ENV.SEED, domain: domain });\nexport default function () { return JSON.stringify(stream.next()); }',
        });
        assertNoExecInInit(report);
        vus.forEach((vu, i) => assert.deepEqual(results<string>(report, i), eventsOf(vu, 30), `VU ${vu}`));
      });

      it(`JMeter 5.6.3: \${__mockjutsu_event_sourcing(${c.name},event,ev)} and \${__mockjutsu_event_sourcing(${c.name})}`, async function () {
        const missing = jmeterMissing();
        requirePart(this, missing === null, missing ?? 'JMeter');
        await buildJars();
        const threads = 2;
        const loops = 12;
        const run = await runCodePlan({
          dir, name: `readme-${c.name}`, threads, loops,
          exprs: [`\${__mockjutsu_event_sourcing(${c.name},event,ev)}`, `\${__mockjutsu_event_sourcing(${c.name})}`],
          vars: ['ev', 'mockjutsu_error'],
          props: { 'mockjutsu.url': sidecar.url, 'mockjutsu.seed': SEED, 'mockjutsu.engine': ENGINE, 'mockjutsu.batch': 8 },
        });
        assert.equal(run.samples.length, threads * loops * 2, sidecar.log);
        const nums = [...new Set(run.samples.map((s) => s.num))];
        assert.equal(nums.length, threads);
        for (const num of nums) {
          const key = `${ENGINE}/Thread Group/${num}`;
          const events = createSessionStream({ domain, seed: SEED, partition: key });
          const whole = createSessionStream({ domain, seed: SEED, partition: key });
          run.samples.filter((s) => s.num === num).forEach((s, i) => {
            assert.equal(s.vars['mockjutsu_error'], '', `${key}: ${String(s.vars['mockjutsu_error'])}`);
            const want = i % 2 === 0 ? JSON.stringify(events.next()) : JSON.stringify(whole.nextSession());
            assert.equal(s.label, want, `${key}: sample ${i} (${i % 2 === 0 ? 'event' : 'session'} mode)`);
          });
        }
      });
    });
  }
});
