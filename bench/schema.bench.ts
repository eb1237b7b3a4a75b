// Schema mocking: realistic events/s of mockjutsu's compiled schema against json-schema-faker on
// the same schemas in the same run, and the fraction of each tool's output that validates (ajv
// + ajv-formats). Figures for the README's performance table.
import { createGeneratorSync } from 'json-schema-faker';
import { compileSchema, loadSchemaFile } from '../src/index.js';
import { validatorFor, SCHEMA_DIR } from '../test/schema/schemaCorpus.js';
import { bestCpuSeconds } from './support/cpuTime.js';

interface Case { label: string; file: string; ref?: string }

const CASES: Case[] = [
  { label: 'IATK MyEvent (5 fields)', file: 'iatk-my-event.json', ref: 'MyEvent' },
  { label: 'large event (72 fields, nested arrays, formats, patterns)', file: 'large-event.json' },
];

// json-schema-faker takes one JSON Schema: give it the entry schema with the document's
// components beside it so that its "#/components/..." refs resolve.
function jsfSchema(doc: Record<string, any>, ref?: string): Record<string, unknown> {
  if (ref === undefined) return doc;
  return { ...doc.components.schemas[ref], components: doc.components };
}

export default async function run(): Promise<void> {
  console.log('schema          tool                 events/s    valid (of 2000)   ratio');
  for (const c of CASES) {
    const doc = (await loadSchemaFile(SCHEMA_DIR + c.file)) as Record<string, any>;
    const validate = validatorFor(doc, c.ref);

    const g = compileSchema(doc, { ref: c.ref, seed: 'bench' });
    const N = 40_000;
    let sink = 0;
    const ours = bestCpuSeconds(3, () => {
      const s = g.stream(0);
      for (let i = 0; i < N; i++) sink += (s.next() as object) === null ? 0 : 1;
    });
    const jsf = createGeneratorSync({ seed: 1 });
    const schema = jsfSchema(doc, c.ref);
    const M = 2_000;
    const theirs = bestCpuSeconds(2, () => {
      for (let i = 0; i < M; i++) sink += jsf.generate(schema) === null ? 0 : 1;
    });
    let validOurs = 0, validTheirs = 0;
    const s = g.stream(1);
    for (let i = 0; i < 2000; i++) {
      if (validate(s.next())) validOurs++;
      if (validate(jsf.generate(schema))) validTheirs++;
    }
    const ourRate = N / ours, theirRate = M / theirs;
    console.log(`${c.label}`);
    console.log(`                mockjutsu      ${ourRate.toFixed(0).padStart(14)}   ${(validOurs / 20).toFixed(1).padStart(10)} %   ${(ourRate / theirRate).toFixed(1)}x`);
    console.log(`                json-schema-faker ${theirRate.toFixed(0).padStart(11)}   ${(validTheirs / 20).toFixed(1).padStart(10)} %   1.0x`);
    if (sink < 0) console.log(sink);
  }
}
