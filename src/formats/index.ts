// Output formats over the core's events: pure text (no Node, no k6), in ~64 KiB chunks of whole
// records, shared by the CLI's export and the sidecar's bulk streams.
export { ndjsonChunks, jsonLineChunks, jsonArrayChunks } from './ndjsonSerializer.js';
export * from './csvSerializer.js';
export * from './sqlSerializer.js';
export {
  createSessionExportWriter, initialExportState, SESSION_EXPORT_FORMATS,
  type SessionExportFormat, type SessionExportOptions, type SessionExportState, type SessionExportWriter, type SqlRunParts,
} from './sessionExportWriter.js';
