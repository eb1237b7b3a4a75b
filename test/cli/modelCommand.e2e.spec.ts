import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModel, parseModel } from '../../src/core/index.js';
import { builtInDomain } from '../../src/core/domains/index.js';
import { domainStatistics } from '../../src/core/domain/domainStatistics.js';
import { runCli } from './cliHarness.js';
import { requirePart } from '../support/realParts.js';

const MODEL_FILE = fileURLToPath(new URL('../fixtures/supportDesk.model.json', import.meta.url));
const hasDot = spawnSync('dot', ['-V'], { stdio: 'ignore' }).error === undefined;

/** Edges `"a" -> "b" [label="..."]` of dot text. */
function dotEdges(dot: string): Array<{ from: string; to: string; label: string }> {
  return [...dot.matchAll(/^ {2}"([^"]+)" -> "([^"]+)"(?: \[label="([^"]*)"\])?;$/gm)].map((m) => ({ from: m[1]!, to: m[2]!, label: m[3] ?? '' }));
}

// `mockjutsu model` is `mockjutsu domain` for a model file: the shop with the file's chain.
describe('mockjutsu model (e2e)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mj-model-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('--check', () => {
    it('accepts the built-in shop and a valid model file (the shop with its chain)', async () => {
      const builtIn = await runCli(['model', '--check']);
      assert.equal(builtIn.code, 0);
      assert.equal(builtIn.stdout.toString(), 'the built-in shop: domain "shop" is valid: 8 event types, 1 aggregate (ShoppingSession), start login, terminal logout, max_steps 200\n' +
        'every event type occurred in 2000 simulated sessions (seed "mockjutsu-check")\n');
      const custom = await runCli(['model', '--check', '--model', MODEL_FILE]);
      assert.equal(custom.code, 0);
      assert.match(custom.stdout.toString(), /^".*supportDesk\.model\.json" \(model "support-desk": the shop with its chain\): domain "shop" is valid: 5 event types, 1 aggregate \(Ticket\), start open, terminal close, max_steps 30\n/);
    });

    it('rejects an invalid model with exit 2, naming the bad field', async () => {
      const file = join(dir, 'dead-end.json');
      writeFileSync(file, JSON.stringify({ start: 'a', terminal: 'z', states: { a: { transitions: { b: 1, z: 1 } }, b: { transitions: { b: 1 } }, z: {} } }));
      const r = await runCli(['model', '--check', '--model', file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--model ".*dead-end\.json": model\.states\.b: state "b" has no way to the terminal state "z"; add a transition that leads there/);
      assert.match(r.stderr, /Usage: mockjutsu model/);
    });

    it('refuses two actions at once', async () => {
      const r = await runCli(['model', '--check', '--format', 'dot']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /give one of --check, --stats, --format \(got --check and --format\)/);
    });
  });

  describe('--stats', () => {
    it('--json gives the shop\'s domain statistics exactly (simulated: its guards), with payment outcomes', async () => {
      const r = await runCli(['model', '--stats', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout.toString());
      const stats = domainStatistics(builtInDomain('shop'));
      assert.deepEqual(report, JSON.parse(JSON.stringify(stats)));
      assert.equal(report.method, 'simulated');
      assert.equal(report.domain, 'shop');
      const payment = report.eventTypes.find((e: { name: string }) => e.name === 'payment');
      assert.ok(Math.abs(payment.outcomes.success + payment.outcomes.failed - payment.expectedVisits.value) < 1e-12);
    });

    it('prints a readable table (the default action) that says the figures are simulated', async () => {
      const r = await runCli(['model', '--sessions', '4000']);
      assert.equal(r.code, 0, r.stderr);
      const text = r.stdout.toString();
      const stats = domainStatistics(builtInDomain('shop'), { sessions: 4000 });
      assert.match(text, /^statistics: simulated, 95% CI in brackets \(4000 sessions, seed "mockjutsu-stats"/m);
      const e = stats.expectedEventsPerSession;
      assert.match(text, new RegExp(`^expected events per session +${e.value.toFixed(4)} \\[${e.ci95![0].toFixed(4)}, ${e.ci95![1].toFixed(4)}\\]$`, 'm'));
      assert.match(text, /^payment outcomes per session +success 0\.\d{4}, failed 0\.\d{4}$/m);
    });

    it('is exact on a custom model whose states the shop has no guarded event for, with its own outcomes', async () => {
      const r = await runCli(['model', '--stats', '--model', MODEL_FILE]);
      assert.equal(r.code, 0, r.stderr);
      const custom = domainStatistics(compileModel(parseModel(readFileSync(MODEL_FILE, 'utf8'))));
      assert.equal(custom.method, 'exact');
      assert.equal(custom.expectedEventsPerSession.value.toFixed(4), '4.3750'); // 1 + 1 + 1/4 + 9/8 + 1
      assert.match(r.stdout.toString(), /^statistics: exact/m);
      assert.match(r.stdout.toString(), /^expected events per session +4\.3750$/m);
      assert.match(r.stdout.toString(), /^triage outcomes per session +urgent 0\.2500, normal 0\.7500$/m);
      assert.match(r.stdout.toString(), /^reply +1\.1250 +25\.71% +75\.00%$/m);
    });

    it('--json applies to --stats only', async () => {
      const r = await runCli(['model', '--check', '--json']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--json applies to --stats only/);
    });
  });

  describe('--format', () => {
    it('mermaid: a stateDiagram-v2 with start, end, probabilities and outcome edges', async () => {
      const r = await runCli(['model', '--format', 'mermaid']);
      assert.equal(r.code, 0, r.stderr);
      const text = r.stdout.toString();
      assert.match(text, /^stateDiagram-v2$/m);
      assert.match(text, /^ {2}\[\*\] --> login$/m);
      assert.match(text, /^ {2}login --> page_view: 0\.619$/m);
      assert.match(text, /^ {2}state payment__success <<choice>>$/m);
      assert.match(text, /^ {2}payment --> payment__success: success 0\.850$/m);
      assert.match(text, /^ {2}payment --> payment__failed: failed 0\.150$/m);
      assert.match(text, /^ {2}payment__failed --> payment: 0\.650$/m);
      assert.match(text, /^ {2}logout --> \[\*\]$/m);
    });

    for (const [name, file] of [['the built-in shop', undefined], ['a custom model', MODEL_FILE]] as const) {
      it(`dot (${name}): edge labels are transition probabilities, summing to 1 out of each node`, async () => {
        const r = await runCli(['model', '--format', 'dot', ...(file ? ['--model', file] : [])]);
        assert.equal(r.code, 0, r.stderr);
        const text = r.stdout.toString();
        assert.match(text, /^digraph "[a-z-]+" \{$/m);
        const sums = new Map<string, number>();
        for (const e of dotEdges(text)) {
          if (e.from === '__start__') continue;
          const p = Number(/([0-9.]+)$/.exec(e.label)![1]);
          sums.set(e.from, (sums.get(e.from) ?? 0) + p);
        }
        assert.ok(sums.size >= 4);
        for (const [from, sum] of sums) assert.ok(Math.abs(sum - 1) < 0.003, `${from}: ${sum}`);
      });
    }

    it('dot: payment outcomes are labelled edges into diamonds', async () => {
      const text = (await runCli(['model', '-f', 'dot'])).stdout.toString();
      const edges = dotEdges(text);
      assert.deepEqual(edges.filter((e) => e.from === 'payment'), [
        { from: 'payment', to: 'payment::success', label: 'success 0.850' },
        { from: 'payment', to: 'payment::failed', label: 'failed 0.150' },
      ]);
      assert.match(text, /^ {2}"payment::success" \[shape=diamond/m);
      assert.match(text, /^ {2}"logout" \[shape=doublecircle/m);
    });

    it('svg: renders through Graphviz when installed', async function () {
      requirePart(this, hasDot, 'Graphviz dot (apt-get install graphviz)');
      const r = await runCli(['model', '--format', 'svg']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.toString(), /<svg[\s\S]*payment[\s\S]*<\/svg>\s*$/);
    });

    it('svg: without Graphviz, a clear message and exit 1', async () => {
      const r = await runCli(['model', '--format', 'svg'], { env: { ...process.env, PATH: join(dir, 'empty-path') } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /--format svg needs Graphviz, but "dot" was not found on PATH; install it/);
      assert.equal(r.stdout.length, 0);
    });

    it('a bad --format lists the allowed ones (exit 2)', async () => {
      const r = await runCli(['model', '--format', 'png']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--format is "png"; allowed: mermaid, dot, svg/);
    });

    it('--out writes the diagram to a file', async () => {
      const out = join(dir, 'model.mmd');
      const r = await runCli(['model', '--format', 'mermaid', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(readFileSync(out, 'utf8'), /stateDiagram-v2/);
    });
  });
});
