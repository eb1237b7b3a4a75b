// Verification of a load test's event store against the run regenerated from its seed. The
// comparison (compareStreams, expectedStreams, partitions) is pure; storeReaders and
// verifyStreams add the file and HTTP reading.
export { compareStreams, differingFields, type CompareStreamsOptions } from './compareStreams.js';
export { expectedStreams, MAX_EXPECTED_SESSIONS, type ExpectedStream, type ExpectedStreamsOptions } from './expectedStreams.js';
export { StoreReadError, toFoundRecord, type FoundRecord } from './foundRecord.js';
export { readStoreFile, readStoreUrl, PAGE_SIZE, type StoreContents, type ReadStoreUrlOptions } from './storeReaders.js';
export { verifyStreams, type VerifyStreamsOptions } from './verifyStreams.js';
export {
  formatVerifySummary,
  type AlteredEvent, type DuplicatedEvent, type LostEvent, type MisplacedEvent, type ReorderedEvent, type StoredPlace,
  type StreamDifferences, type UnexpectedEvent, type VerifyReport, type VerifySummary,
} from './verifyReport.js';
