// Data pools for Node: the pure pools of the core plus file loading and a registry of named
// pools that a server (the sidecar) can hand out from.
export {
  RecyclableDataPool, IterableDataPool, createDataPool, poolExhaustedMessage, parseNdjsonRecords,
  type DataPool, type DataPoolOptions, type PoolDraw, type IndexedPoolDraw,
} from '../core/pool/index.js';
export { loadPoolItems, openDataPool, POOL_FILE_EXTENSIONS, type PoolItems, type OpenDataPoolOptions } from './poolFile.js';
export { DataPoolRegistry, parsePoolSpec, HOLDER_PATTERN, type PoolSpec, type HeldPoolDraw } from './dataPoolRegistry.js';
