// Mock events from schemas inside the k6 bundle: the same bytes as the library, in the node:vm
// harness and in goja (both shipped files).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jutsu, mockEvents, wrapSessionEvent, createSessionStream } from '../../src/core/index.js';
import { startK6Harness } from './k6Harness.js';
import { results } from './k6Results.js';
import { ensureK6Bundle } from './k6Bundle.js';
import { startGojaRunnerFor } from './gojaRunner.js';

const SCRIPT = fileURLToPath(new URL('./inline-script.js', import.meta.url));
const SCHEMA = JSON.parse(readFileSync(new URL('../fixtures/schemas/iatk-my-event.json', import.meta.url), 'utf8')) as object;
const NAMES = 'mockEvents, generate, sessionStream, wrapSessionEvent';
const BODY = `
const schema = ${JSON.stringify(SCHEMA)}; // a k6 script would JSON.parse(open('./schema.json'))
export default function () {
  const events = [...mockEvents({ schema, ref: 'MyEvent', seed: 42, partition: 'vu-3', count: 25, envelope: 'eventbridge' })];
  const cdc = [0, 1, 2, 3, 4].map((k) => generate('cdc_event', { seed: 42, session: k }));
  const stream = sessionStream({ seed: 42, partition: 'p' });
  const wrapped = stream.nextSession().map((e) => wrapSessionEvent(e, 'cloudevents', '42', 'p'));
  return [JSON.stringify(events), JSON.stringify(cdc), JSON.stringify(wrapped)];
}`;

function expected(): string[] {
  const events = [...mockEvents({ schema: SCHEMA, ref: 'MyEvent', seed: 42, partition: 'vu-3', count: 25, envelope: 'eventbridge' })];
  const cdc = [0, 1, 2, 3, 4].map((k) => jutsu.generate('cdc_event', { seed: 42, session: k }));
  const wrapped = createSessionStream({ seed: 42, partition: 'p' }).nextSession().map((e) => wrapSessionEvent(e, 'cloudevents', '42', 'p'));
  return [JSON.stringify(events), JSON.stringify(cdc), JSON.stringify(wrapped)];
}

describe('k6 bundle: mock events from a schema, cdc_event and envelopes equal the library', function () {
  this.timeout(300_000);
  before(async () => {
    await ensureK6Bundle();
  });

  it('in the node:vm harness (ECMAScript built-ins only)', async () => {
    const harness = startK6Harness();
    try {
      const report = await harness.run({ script: SCRIPT, source: `import { ${NAMES} } from '../../dist/k6/mockjutsu.js';\n${BODY}`, vus: [1], iterations: 1 });
      assert.deepEqual(results<string[]>(report)[0], expected());
    } finally {
      harness.close();
    }
  });

  for (const format of ['esm', 'cjs'] as const) {
    it(`in goja (sobek), ${format === 'esm' ? 'mockjutsu.js through import' : 'mockjutsu.cjs.js through require'}`, async function () {
      const runner = startGojaRunnerFor(this);
      try {
        const load = format === 'esm' ? `import { ${NAMES} } from '../../dist/k6/mockjutsu.js';\n` : `const { ${NAMES} } = require('../../dist/k6/mockjutsu.cjs.js');\n`;
        const report = await runner.run({ script: SCRIPT, source: load + BODY, vus: [1], iterations: 1 });
        assert.deepEqual(results<string[]>(report)[0], expected());
      } finally {
        runner.close();
      }
    });
  }
});
