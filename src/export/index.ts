// Session exports written off the main thread: runs of sessions generated and serialised by worker
// threads into transferred Buffers, their global positions put in by the writer (Node only).
// Shared by the CLI's `export --workers` and the sidecar's NDJSON bulk streams.
export {
  parallelSessionExport, RUN_SESSIONS,
  type OutputWritten, type ParallelExportOptions, type SessionExportJob,
} from './parallelSessionExport.js';
export { ChunkEncoder } from './chunkEncoder.js';
