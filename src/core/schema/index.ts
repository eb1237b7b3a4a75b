// Mock events from schemas: a schema is compiled once into a generator, then makes values per
// (seed, partition, index). Pure: runs unchanged in Node and in k6.
export { compileSchema, type CompileSchemaOptions, type SchemaGenerator, type SchemaInfo, type SchemaStreamState, type SchemaValueStream } from './schemaGenerator.js';
export type { SchemaMode } from './schemaCompiler.js';
export { readSchemaDocument, locateSchema, type SchemaInput, type SchemaDocumentKind, type LocatedSchema } from './schemaDocument.js';
export { mockEvent, mockEvents, createEventMocker, type MockEventOptions, type EventMocker } from './mockEvent.js';
export { eventBridgeContext, cloudEventsContext, type EventContextFunction, type MockEventContext } from './eventContexts.js';
export { wrapEnvelope, envelopeContext, seededAccount, ENVELOPE_KINDS, type EnvelopeKind, type EnvelopeContext, type EnvelopeFields } from './eventEnvelope.js';
export { REALISTIC_VALUES, type RealisticValue } from './realisticValues.js';
export { cdcEventDataType } from './cdcDataType.js';
export { createCdcGenerator, type CdcEvent, type CdcRow, type CdcSource, type CdcOptions, type CdcStream, type CdcGenerator } from './cdcEventStream.js';
export { DEFAULT_CDC_TABLES, type CdcTableDefinition } from './cdcTables.js';
