import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createGenerator } from '../../../src/index.js';
import { loadSchemaFile, parseSchemaText } from '../../../src/schemaFiles/index.js';
import { compileDomain } from '../../../src/core/domain/compileDomain.js';
import { BUILT_IN_DOMAINS } from '../../../src/core/domains/index.js';
import type { DomainDefinition } from '../../../src/core/domain/domainDefinition.js';
// @ts-expect-error: a build script in plain JS, without type declarations
import { FILE_DOMAINS, generatedPath, renderFileDomain } from '../../../scripts/generateFileDomains.mjs';
import { HOTEL_DIR } from './hotelInvariants.js';

/**
 * Loads a domain file the way a user's would be loaded: YAML parsed, each payload
 * `$ref: "file#Name"` read with the Node schema loader (src/schemaFiles) and handed to
 * compileDomain as `{ document, ref }`. Lane dcli's loadDomainFile (src/schemaFiles/
 * loadDomainFile.ts) is the public form of this; when it lands, this test should call it.
 */
async function loadDomainForTest(path: string): Promise<DomainDefinition> {
  const def = parseSchemaText(readFileSync(path, 'utf8')) as DomainDefinition & { events: Record<string, { payload?: Record<string, unknown> }> };
  for (const ev of Object.values(def.events)) {
    const ref = ev.payload?.$ref;
    if (typeof ref !== 'string') continue;
    const [file, name] = ref.split('#') as [string, string];
    const { $ref: _, ...rest } = ev.payload!;
    ev.payload = { ...rest, document: await loadSchemaFile(resolve(dirname(path), file)), ref: name };
  }
  return def;
}

const bytes = (domain: unknown, seed: string, n: number): string => {
  const g = createGenerator({ domain: domain as never, seed });
  let out = '';
  for (let k = 0; k < n; k++) out += JSON.stringify(g.session('vu-3', k)) + '\n';
  return out;
};

describe('domains shipped as files (hotel)', () => {
  it('the generated built-in module is what the build makes from the YAML today (no drift)', async () => {
    for (const name of Object.keys(FILE_DOMAINS)) {
      // A failure here means domains/<name>/ changed without `node scripts/generateFileDomains.mjs` (or a build).
      assert.equal(readFileSync(generatedPath(name), 'utf8'), await renderFileDomain(name), `${generatedPath(name)} is stale`);
    }
  });

  it('loaded from its files in Node, it generates the same bytes as the built-in name', async () => {
    const fromFile = await loadDomainForTest(resolve(HOTEL_DIR, 'hotel.domain.yaml'));
    assert.deepEqual(JSON.parse(JSON.stringify(fromFile)), JSON.parse(JSON.stringify(BUILT_IN_DOMAINS.hotel)));
    const compiled = compileDomain(fromFile);
    // Every payload schema came from the OpenAPI file, by name.
    assert.deepEqual(compiled.events.map((e) => e.payload?.ref), ['VisitStarted', 'RoomsSearched', 'RoomHeld', 'HoldReleased', 'BookingConfirmed', 'BookingCancelled', 'VisitEnded']);
    assert.deepEqual(compiled.events.find((e) => e.name === 'room_held')!.payload!.properties,
      ['booking_id', 'guest_id', 'city', 'room_type', 'check_in', 'nights', 'guests', 'nightly_rate_cents', 'total_cents', 'currency', 'hold_minutes']);
    assert.equal(bytes(compiled, 'files', 200), bytes('hotel', 'files', 200));
  });

  it('an unresolved $ref is refused with the path and how to load it', () => {
    const def = parseSchemaText(readFileSync(resolve(HOTEL_DIR, 'hotel.domain.yaml'), 'utf8'));
    assert.throws(() => compileDomain(def), /domain\.events\.visit_started\.payload\.\$ref: "\.\/hotel\.openapi\.yaml#VisitStarted" was not resolved; load the domain from its file/);
  });

  it('a field bound to a name the OpenAPI schema lacks is refused with the nearest property', async () => {
    const def = await loadDomainForTest(resolve(HOTEL_DIR, 'hotel.domain.yaml'));
    const events = def.events as Record<string, { payload: { fields: Record<string, string> } }>;
    events.booking_confirmed!.payload.fields = { ...events.booking_confirmed!.payload.fields, amount_cent: '1' };
    assert.throws(() => compileDomain(def), /domain\.events\.booking_confirmed\.payload\.fields\.amount_cent: "amount_cent" is not a property of the payload schema; did you mean "amount_cents"\?/);
  });
});
