import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator, ndjsonChunks, eventStream } from '../../src/index.js';
import { tinyModel } from '../fixtures/tinyModel.js';

// Golden files pin the exact bytes of a few seeds. A change that moves them changes what every
// surface emits: a breaking change, to be made on purpose (UPDATE_GOLDEN=1 npx mocha ...) and
// announced with a schema_version bump or a note in the README.
// Last moved on purpose in 0.3.0 (CHANGELOG: domains as data): the shop became a domain file
// run by the generic simulator, so its draws, payloads (page_view url, checkout item_count,
// payment attempt...) and bytes changed; the bank and hotel files were added then, and moved
// again before release when a domain other than the shop began to draw its partition base from
// (seed, partition + its name), so its ids no longer coincide with the shop's.
const dir = new URL('../golden/', import.meta.url);

const tiny = tinyModel;

const cases: Array<{ file: string; produce: () => string }> = [
  { file: 'seed-42.ndjson', produce: () => [...ndjsonChunks(eventStream({ seed: 42, sessions: 5 }))].join('') },
  { file: 'seed-alpha-vu-3.ndjson', produce: () => [...ndjsonChunks(createGenerator({ seed: 'alpha', users: 10 }).stream('vu-3').take(40))].join('') },
  { file: 'bank-seed-42.ndjson', produce: () => [...ndjsonChunks(eventStream({ domain: 'bank', seed: 42, sessions: 5 }))].join('') },
  { file: 'hotel-seed-42-vu-2.ndjson', produce: () => [...ndjsonChunks(createGenerator({ domain: 'hotel', seed: 42 }).stream('vu-2').take(30))].join('') },
  { file: 'seed-7-spread-tiny.ndjson', produce: () => [...ndjsonChunks(eventStream({ seed: 7, sessions: 4, model: tiny, spreadMs: 7 * 86_400_000, start: '2026-03-02T00:00:00Z' }))].join('') },
];

describe('core: golden files', () => {
  for (const c of cases) {
    it(`${c.file} is unchanged`, () => {
      const path = fileURLToPath(new URL(c.file, dir));
      const actual = c.produce();
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
      // A missing golden file fails: writing it here would compare the output with itself.
      assert.ok(existsSync(path), `golden file ${c.file} is missing; create it on purpose with UPDATE_GOLDEN=1`);
      assert.equal(actual, readFileSync(path, 'utf8'));
    });
  }
});
