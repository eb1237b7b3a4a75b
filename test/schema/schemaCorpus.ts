// The schema corpus every realistic-mode test draws from, and an ajv validator for each entry.
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { loadSchemaFile, readSchemaDocument, locateSchema } from '../../src/index.js';

const addFormats = addFormatsModule as unknown as (ajv: object) => void;

export const SCHEMA_DIR = fileURLToPath(new URL('../fixtures/schemas/', import.meta.url));

/** One corpus schema: its file (under test/fixtures/schemas) and the `ref` to generate. */
export interface CorpusEntry {
  file: string;
  ref?: string;
}

export const CORPUS: readonly CorpusEntry[] = [
  { file: 'iatk-my-event.json', ref: 'MyEvent' },
  { file: 'eventbridge-ec2-instance-state-change.json' },
  { file: 'eventbridge-jsonschema-draft4.json' },
  { file: 'cloudevents-envelope.json' },
  { file: 'asyncapi2-user-signedup.yaml', ref: 'UserSignedUp' },
  { file: 'asyncapi2-user-signedup.yaml', ref: 'UserDeleted' },
  { file: 'asyncapi3-order-placed.json', ref: 'OrderPlaced' },
  { file: 'openapi-order/order-event.yaml', ref: 'OrderCreated' },
  { file: 'openapi31-payment.json', ref: 'PaymentCaptured' },
  { file: 'nullable-openapi30.json', ref: 'Shipment' },
  { file: 'formats.json' },
  { file: 'numbers.json' },
  { file: 'strings-lengths.json' },
  { file: 'patterns.json' },
  { file: 'arrays-2020-12.json' },
  { file: 'arrays-draft07-tuple.json' },
  { file: 'objects-optional.json' },
  { file: 'additional-false.json' },
  { file: 'allof.json' },
  { file: 'oneof-discriminated.json' },
  { file: 'anyof.json' },
  { file: 'type-arrays-2019-09.json' },
  { file: 'defaults-examples.json' },
  { file: 'const-enum.json' },
  { file: 'recursive-tree.json' },
  { file: 'x-mockjutsu.json' },
  { file: 'heuristics.json' },
  { file: 'not.json' },
  { file: 'boolean-schemas-2020-12.json' },
  { file: 'large-event.json' },
];

/** The loaded (cross-file refs bundled) document of an entry. */
export async function loadEntry(entry: CorpusEntry): Promise<object> {
  return loadSchemaFile(SCHEMA_DIR + entry.file);
}

// OpenAPI 3.0 and draft-04 write exclusive bounds as booleans; ajv's drafts want numbers.
function modernizeBounds(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const o = node as Record<string, any>;
  if (o.exclusiveMinimum === true && typeof o.minimum === 'number') { o.exclusiveMinimum = o.minimum; delete o.minimum; }
  if (o.exclusiveMaximum === true && typeof o.maximum === 'number') { o.exclusiveMaximum = o.maximum; delete o.maximum; }
  if (o.exclusiveMinimum === false) delete o.exclusiveMinimum;
  if (o.exclusiveMaximum === false) delete o.exclusiveMaximum;
  for (const v of Object.values(o)) modernizeBounds(v);
}

/** An ajv validator (with ajv-formats) for the schema an entry generates, in the document's dialect. */
export function validatorFor(document: object, ref?: string): ValidateFunction {
  const doc = JSON.parse(JSON.stringify(readSchemaDocument(document)));
  const located = locateSchema(doc, ref);
  const d = doc as Record<string, any>;
  const schemaUri = typeof d.$schema === 'string' ? d.$schema : '';
  const dialect = schemaUri.includes('2020-12') || (typeof d.openapi === 'string' && d.openapi.startsWith('3.1')) ? '2020'
    : schemaUri.includes('2019-09') ? '2019' : '07';
  modernizeBounds(doc);
  delete d.$schema;
  const options = { strict: false, allErrors: true, validateFormats: true };
  const ajv = dialect === '2020' ? new Ajv2020(options) : dialect === '2019' ? new Ajv2019(options) : new Ajv(options);
  addFormats(ajv);
  ajv.addSchema(doc, 'doc');
  return ajv.compile({ $ref: 'doc' + (located.pointer === '#' ? '#' : located.pointer) });
}
