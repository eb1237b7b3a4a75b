// The Node domain loader: a JSON or YAML domain file whose payloads `$ref` OpenAPI and JSON
// Schema files next to it; errors name the file, the JSON path and what is allowed.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDomainFile, readDomainFile, createGenerator, MockjutsuError } from '../../src/index.js';
import { tempDir } from '../support/tempDirs.js';

const DIR = fileURLToPath(new URL('../fixtures/domains/', import.meta.url));
const LIBRARY = join(DIR, 'library.domain.yaml');

function rejectsWith(p: Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof MockjutsuError, String(e));
    assert.equal(e.code, 'INVALID_DOMAIN');
    for (const re of patterns) assert.match(e.message, re);
    return true;
  });
}

/** A temp dir holding the library fixtures and `domain.yaml` = the library file edited by `edit`. */
function variant(edit: (text: string) => string, name = 'domain.yaml'): string {
  const dir = tempDir('dcli-domain-');
  for (const f of ['library.openapi.yaml', 'library.schemas.json']) copyFileSync(join(DIR, f), join(dir, f));
  const text = edit(readFileSync(LIBRARY, 'utf8'));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('loadDomainFile (Node)', () => {
  it('resolves $refs by name, by pointer and inline, relative to the domain file, into { document, ref }', async () => {
    const def = await readDomainFile(LIBRARY);
    const joined = def.events!.joined!.payload!;
    assert.equal(joined.ref, 'MemberJoined');
    assert.equal((joined.document as { openapi: string }).openapi, '3.0.3');
    assert.equal(Object.hasOwn(joined, '$ref'), false);
    assert.equal(def.events!.borrowed!.payload!.ref, '#/$defs/Loan');
    assert.equal(def.events!.returned!.payload!.ref, '#/components/schemas/Returned');
    assert.deepEqual(def.events!.left!.payload!.fields, { loans_open: 'self.loans' });
    // Plain data: it survives a JSON round trip (workers, --print).
    assert.deepEqual(JSON.parse(JSON.stringify(def)), def);
  });

  it('generates payloads drawn from the referenced schemas, with the bindings and effects of the file', async () => {
    const domain = await loadDomainFile(LIBRARY);
    assert.equal(domain.name, 'library');
    const g = createGenerator({ domain, seed: 7 });
    const seen = new Set<string>();
    for (let k = 0; k < 300; k++) {
      let loans = 0;
      for (const e of g.session('0', k)) {
        const p = e.payload as Record<string, unknown>;
        seen.add(e.event_type);
        assert.equal(e.aggregate_type, 'Member');
        assert.equal(e.stream_id, `Member-${e.aggregate_id}`);
        assert.match(String(e.aggregate_id), /^M-\d{5}$/);
        switch (e.event_type) {
          case 'joined':
            assert.deepEqual(Object.keys(p), ['member_name', 'branch']);
            assert.ok(['Ada', 'Grace', 'Edsger'].includes(p.member_name as string));
            assert.equal(p.branch, 'central');
            break;
          case 'borrowed':
            loans++;
            assert.match(p.isbn as string, /^97[89]-[0-9]{10}$/);
            assert.ok(Number.isInteger(p.days) && (p.days as number) >= 7 && (p.days as number) <= 28, String(p.days));
            assert.equal(p.loans_after, loans);
            assert.ok(loans <= 3, 'the guard keeps loans <= max_loans');
            break;
          case 'returned':
            loans--;
            assert.ok(loans >= 0, 'the guard keeps loans >= 0');
            assert.match(p.isbn as string, /^97[89]-[0-9]{10}$/);
            assert.equal(typeof p.late, 'boolean');
            break;
          case 'left':
            assert.deepEqual(p, { loans_open: loans });
            break;
        }
      }
    }
    assert.deepEqual([...seen].sort(), ['borrowed', 'joined', 'left', 'returned']);
  });

  it('reads a JSON domain file too', async () => {
    const def = await readDomainFile(LIBRARY);
    const dir = tempDir('dcli-domain-');
    const { events, ...rest } = def;
    const plain = { ...rest, events: { ...events, joined: { payload: { $ref: 'library.openapi.yaml#MemberJoined', fields: { branch: 'params.branch' } } } } };
    for (const f of ['library.openapi.yaml', 'library.schemas.json']) copyFileSync(join(DIR, f), join(dir, f));
    writeFileSync(join(dir, 'lib.json'), JSON.stringify(plain));
    const d = await loadDomainFile(join(dir, 'lib.json'));
    assert.equal(d.events[d.chain.stateIndex.get('joined')!]!.payload!.ref, 'MemberJoined');
  });

  it('a missing file, a directory, bad YAML (with its line) and bad JSON name the file', async () => {
    await rejectsWith(loadDomainFile(join(DIR, 'nope.yaml')), /domain file ".*nope\.yaml": cannot read it: no such file/);
    await rejectsWith(loadDomainFile(DIR), /is a directory, not a domain file/);
    const yaml = variant((t) => t.replace('  start: joined', '  start: [joined'));
    await rejectsWith(loadDomainFile(yaml), /domain file ".*domain\.yaml": is not valid YAML \(line \d+, column \d+\)/);
    const dir = tempDir('dcli-domain-');
    writeFileSync(join(dir, 'd.json'), '{"domain": "x",}');
    await rejectsWith(loadDomainFile(join(dir, 'd.json')), /d\.json": is not valid JSON: /);
    writeFileSync(join(dir, 'list.yaml'), '- a\n- b\n');
    await rejectsWith(loadDomainFile(join(dir, 'list.yaml')), /holds an array of 2; expected a domain object/);
  });

  it('an unknown ref name lists the known ones, with the JSON path of the $ref', async () => {
    const f = variant((t) => t.replace('#MemberJoined', '#MemberJoind'));
    await rejectsWith(loadDomainFile(f), /domain\.events\.joined\.payload\.\$ref: "\.\/library\.openapi\.yaml#MemberJoind": unknown ref "MemberJoind".*known: MemberJoined, Returned, Isbn/);
    const p = variant((t) => t.replace('#/$defs/Loan', '#/$defs/Lone'));
    await rejectsWith(loadDomainFile(p), /domain\.events\.borrowed\.payload\.\$ref: "library\.schemas\.json#\/\$defs\/Lone"/);
  });

  it('a missing referenced file, a URL, an empty $ref and $ref beside schema are refused', async () => {
    await rejectsWith(loadDomainFile(variant((t) => t.replace('./library.openapi.yaml#MemberJoined', './missing.yaml#MemberJoined'))),
      /domain\.events\.joined\.payload\.\$ref: "\.\/missing\.yaml#MemberJoined": cannot read schema file/);
    await rejectsWith(loadDomainFile(variant((t) => t.replace('./library.openapi.yaml#MemberJoined', 'https://example.com/x.yaml#A'))),
      /is a URL; allowed: a path relative to the domain file/);
    await rejectsWith(loadDomainFile(variant((t) => t.replace('"./library.openapi.yaml#MemberJoined"', '""'))),
      /domain\.events\.joined\.payload\.\$ref: is ""; allowed: "file\.yaml#Name"/);
    await rejectsWith(loadDomainFile(variant((t) => t.replace('      $ref: "./library.openapi.yaml#MemberJoined"', '      $ref: "./library.openapi.yaml#MemberJoined"\n      schema: { type: object }'))),
      /\$ref or schema, not both/);
  });

  it('validation errors of the domain name the file and the JSON path', async () => {
    await rejectsWith(loadDomainFile(variant((t) => t.replace('    joined: { transitions', '    joined: { transitons'))),
      /domain file ".*domain\.yaml": domain\.chain\.states\.joined\.transitons: unknown key "transitons"; did you mean "transitions"\?/);
    await rejectsWith(loadDomainFile(variant((t) => t.replace('fields: { loans_after: "self.loans + 1" }', 'fields: { loans_afterr: "self.loans + 1" }'))),
      /domain\.events\.borrowed\.payload\.fields\.loans_afterr: "loans_afterr" is not a property of the payload schema; did you mean "loans_after"\?/);
  });
});
