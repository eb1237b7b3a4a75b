// mockjutsu domain: --print, --check (with its probe), --stats, --draw (in process).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { BUILT_IN_DOMAINS } from '../../src/core/domains/index.js';
import { DOMAIN_LIMITS } from '../../src/core/domain/domainChecks.js';
import { cliInProcess } from './inProcessCli.js';
import { bigDomain } from '../core/domain/bigDomains.js';
import { tempDir } from '../support/tempDirs.js';

const LIBRARY = fileURLToPath(new URL('../fixtures/domains/library.domain.yaml', import.meta.url));
const tmp = () => tempDir('dcli-domaincmd-');

describe('mockjutsu domain (int, in process)', () => {
  it('--print shop writes the built-in definition (JSON, YAML); the printed file generates the same bytes', async () => {
    const json = await cliInProcess('domain', '--print', 'shop');
    assert.equal(json.code, 0, json.err);
    assert.deepEqual(JSON.parse(json.out), JSON.parse(JSON.stringify(BUILT_IN_DOMAINS.shop)));
    const yaml = await cliInProcess('domain', '--print', 'shop', '--format', 'yaml');
    assert.equal(yaml.code, 0, yaml.err);
    assert.match(yaml.out, /^# mockjutsu domain shop/);
    assert.deepEqual(parseYaml(yaml.out), JSON.parse(json.out));
    const dir = tmp();
    writeFileSync(join(dir, 'my-shop.yaml'), yaml.out);
    const fromFile = await cliInProcess('export', 'event_stream', '--domain', join(dir, 'my-shop.yaml'), '--seed', '4', '--count', '20');
    const builtIn = await cliInProcess('export', 'event_stream', '--seed', '4', '--count', '20');
    assert.equal(fromFile.code, 0, fromFile.err);
    assert.equal(fromFile.out, builtIn.out);
  });

  it('--check: valid (exit 0, with the outline), invalid (exit 2, JSON path and did-you-mean)', async () => {
    const ok = await cliInProcess('domain', '--check', LIBRARY);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /domain "library" is valid: 4 event types, 1 aggregate \(Member\), start joined, terminal left, max_steps 40\nevery event type occurred in 2000 simulated sessions/);
    const dir = tmp();
    writeFileSync(join(dir, 'bad.yaml'), readFileSync(LIBRARY, 'utf8').replace('joined: { transitions', 'joined: { transitons'));
    for (const f of ['library.openapi.yaml', 'library.schemas.json']) writeFileSync(join(dir, f), readFileSync(join(LIBRARY, '..', f)));
    const bad = await cliInProcess('domain', '--check', join(dir, 'bad.yaml'));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /bad\.yaml": domain\.chain\.states\.joined\.transitons: unknown key "transitons"; did you mean "transitions"\?/);
  });

  it('--check warns, by name, about an event type only a guard that never holds leads to', async () => {
    const dir = tmp();
    const text = readFileSync(LIBRARY, 'utf8')
      .replace('    returned: { transitions: { borrowed: 3, left: 2 } }', '    returned: { transitions: { borrowed: 3, left: 2, fined: 1 } }\n    fined: { transitions: { left: 1 } }')
      .replace('  left:\n', '  fined:\n    guard: "self.loans > 1000"\n  left:\n');
    writeFileSync(join(dir, 'fines.yaml'), text);
    for (const f of ['library.openapi.yaml', 'library.schemas.json']) writeFileSync(join(dir, f), readFileSync(join(LIBRARY, '..', f)));
    const r = await cliInProcess('domain', '--check', join(dir, 'fines.yaml'), '--probe', '500');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /is valid: 5 event types/);
    assert.match(r.out, /warning: no session reached 1 event type in 500 simulated sessions \(seed "mockjutsu-check"\): fined; a guard that never holds/);
  });

  it('--stats: exact for a guard-free domain (hand-computed), simulated with 95% CI for a guarded one', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'tiny.json'), JSON.stringify({
      domain: 'tiny', aggregates: { A: {} },
      chain: { start: 's', terminal: 'e', states: { s: { transitions: { a: 1 } }, a: { transitions: { a: 1, e: 1 } }, e: {} } },
    }));
    const text = await cliInProcess('domain', '--stats', join(dir, 'tiny.json'));
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /statistics: exact \(absorbing Markov chain/);
    assert.match(text.out, /expected events per session\s+4\.0000\n/);
    const json = await cliInProcess('domain', '--stats', join(dir, 'tiny.json'), '--json');
    const s = JSON.parse(json.out);
    assert.equal(s.method, 'exact');
    assert.ok(Math.abs(s.uncappedExpectedEventsPerSession - 4) < 1e-12);
    assert.ok(Math.abs(s.eventTypes[1].expectedVisits.value - 2) < 1e-9);

    const lib = await cliInProcess('domain', '--stats', LIBRARY, '--sessions', '4000', '--seed', '3');
    assert.equal(lib.code, 0, lib.err);
    assert.match(lib.out, /statistics: simulated, 95% CI in brackets \(4000 sessions, seed "3"/);
    assert.match(lib.out, /not exact: events\.borrowed has a guard\n  not exact: events\.returned has a guard/);
    assert.match(lib.out, /\nborrowed\s+\d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\]/);
    const strict = JSON.parse((await cliInProcess('domain', '--stats', LIBRARY, '--sessions', '4000', '--seed', '3', '--param', 'max_loans=1', '--json')).out);
    const loose = JSON.parse((await cliInProcess('domain', '--stats', LIBRARY, '--sessions', '4000', '--seed', '3', '--json')).out);
    const borrowed = (x: { eventTypes: Array<{ name: string; expectedVisits: { value: number } }> }) => x.eventTypes.find((e) => e.name === 'borrowed')!.expectedVisits.value;
    assert.ok(borrowed(strict) < borrowed(loose), 'max_loans=1 bars borrowing more');
  });

  it('--draw and NAME --format: mermaid and dot of a domain, guarded types named, probabilities summing to 1', async () => {
    const m = await cliInProcess('domain', '--draw', LIBRARY, '--format', 'mermaid');
    assert.equal(m.code, 0, m.err);
    assert.match(m.out, /^%% mockjutsu domain "library"/);
    assert.match(m.out, /%% guarded .*: borrowed, returned\n/);
    assert.match(m.out, /joined --> borrowed: 0\.750\n/);
    const d = await cliInProcess('domain', 'shop', '--format', 'dot');
    assert.equal(d.code, 0, d.err);
    const sums = new Map<string, number>();
    for (const [, from, p] of d.out.matchAll(/^ {2}("[^"]+") -> "[^"]+" \[label="(?:[a-z]+ )?([0-9.]+)"\];$/gm)) {
      if (from === '"__start__"') continue;
      sums.set(from!, (sums.get(from!) ?? 0) + Number(p));
    }
    assert.ok(sums.size >= 7);
    for (const [from, sum] of sums) assert.ok(Math.abs(sum - 1) < 0.004, `${from}: ${sum}`);
  });

  it('refuses bad usage, naming what is allowed', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['domain'], /give an action: --print, --check, --stats, --draw, --compile/],
      [['domain', '--print', 'shop', '--check', 'shop'], /give one of --print, --check, --stats, --draw, --compile \(got --print and --check\)/],
      [['domain', '--print', 'bnk'], /--print "bnk": not a built-in domain; built-in domains: shop/],
      [['domain', '--print', 'shop', '--format', 'toml'], /--format is "toml"; allowed: json, yaml/],
      [['domain', '--check', 'shop', '--json'], /--json applies to --stats only/],
      [['domain', '--draw', 'shop'], /--draw needs --format mermaid\|dot\|svg/],
      [['domain', '--stats', 'shop', '--sessions', '0'], /--sessions is "0"; allowed: an integer from 1 to 1000000/],
      [['domain', '--stats', 'shop', '--param', 'nope=1'], /domain shop has no param "nope"/],
      [['domain', '--compile', LIBRARY, '--target', 'jmeter', '--out', '/tmp/x'], /--target is "jmeter"; allowed: k6/],
      [['domain', '--compile', LIBRARY, '--target', 'k6'], /--compile needs --out FILE/],
    ];
    for (const [args, re] of cases) {
      const r = await cliInProcess(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re, args.join(' '));
    }
  });

  it('a domain file at the 2,000-state limit checks and measures; one state over is refused clearly', async function () {
    this.timeout(60_000);
    const dir = tmp();
    writeFileSync(join(dir, 'big.json'), JSON.stringify(bigDomain(DOMAIN_LIMITS.states, 20)));
    const check = await cliInProcess('domain', '--check', join(dir, 'big.json'));
    assert.equal(check.code, 0, check.err);
    assert.match(check.out, /is valid: 2000 event types/);
    const stats = await cliInProcess('domain', '--stats', join(dir, 'big.json'), '--json');
    assert.equal(stats.code, 0, stats.err);
    assert.equal(JSON.parse(stats.out).eventTypes.length, 2000);
    writeFileSync(join(dir, 'over.json'), JSON.stringify(bigDomain(DOMAIN_LIMITS.states + 1, 0)));
    const over = await cliInProcess('domain', '--check', join(dir, 'over.json'));
    assert.equal(over.code, 2);
    assert.match(over.err, /over\.json": domain\.chain\.states: 2001 states; allowed: at most 2000\n/);
  });
});
