// The pure core: no Node and no k6 imports, so the library, CLI, sidecar and k6 bundle all
// run this same code and the same seed gives the same bytes everywhere.
export { MockjutsuError, describeValue, type MockjutsuErrorCode } from './mockjutsuError.js';
export {
  type Seed, type PartitionKey, type GeneratorOptions, type GeneratorConfig,
  resolveGeneratorConfig, resolveSeed, GENERATOR_OPTION_NAMES, normalizeSeed, normalizePartition, randomSeed, checkInteger,
} from './generatorOptions.js';
export type { MarkovModelDefinition, StateDefinition, OutcomeDefinition, ThinkTimeDefinition } from './markovModel.js';
export { compileModel, parseModel, checkModel, defaultModelDefinition } from './domain/modelDomain.js';
export * from './sessionEvent.js';
export { serializeEvent, serializeSession } from './eventSerializer.js';
export {
  compileEventSerializer, eventSerializerSource, serializerFor, sessionSerializerFor,
  type EventSerializer, type SessionSerializer,
} from './domain/eventSerializer.js';
export { resolveDomain, type DomainInput } from './domain/resolveDomain.js';
export {
  domainStatistics, type DomainStatistics, type DomainStatisticsOptions, type EventTypeStatistics, type Estimate,
} from './domain/domainStatistics.js';
export type { EnvelopeColumn } from './domain/linkDomain.js';
export { ENVELOPE_FIELDS, type EnvelopeField } from './domain/domainDefinition.js';
export {
  createGenerator, createSessionStream,
  type SessionGenerator, type SessionStream, type SessionStreamOptions, type SessionStreamState,
} from './sessionGenerator.js';
export { eventStream, sessionIterator, type EventStreamOptions, type EventIterator } from './eventStream.js';
export { jutsu, MAX_IN_MEMORY_COUNT, type GenerateOptions, type BulkOptions, type TypeMap, type TypeName } from './jutsu.js';
export { DATA_TYPES, getDataType, typeNames, type DataType } from './dataTypes.js';
export { buildUserProfile, type UserProfile } from './userPool.js';
export { userProfileFromRecord, type UserRecord } from './userRecords.js';
export { buildCatalog, ProductCatalog, type Product } from './productCatalog.js';
export { formatCents, parseCents } from './money.js';
export { derivePrng, type Prng } from './prng.js';
export { textChunks, DEFAULT_CHUNK_CHARS, type TextChunksOptions } from './textChunks.js';
export { positionedItems } from './positionedItems.js';
export { parsePartitions, resolvePartitions, MAX_PARTITIONS } from './partitionList.js';
export * from './pool/index.js';
export * from './schema/index.js';
export { wrapSessionEvent, envelopeItem } from './sessionEnvelope.js';
export { jsonDepth } from './jsonDepth.js';
export { compileDomain } from './domain/compileDomain.js';
export { linkDomain, type CompiledDomain, type DomainProgram, type DomainProgramFactory } from './domain/linkDomain.js';
export { compileDomainModule, type CompileDomainModuleOptions } from './domain/compileDomainModule.js';
export { isDomainModule, DOMAIN_MODULE_FORMAT, type DomainModule } from './domain/domainModule.js';
export { BUILT_IN_DOMAINS } from './domains/index.js';
export type { DomainDefinition } from './domain/domainDefinition.js';
