// Data pools: the pure allocation every surface shares (library, sidecar, k6).
export {
  RecyclableDataPool, IterableDataPool, createDataPool, checkPoolItems, poolExhaustedMessage,
  type DataPool, type DataPoolOptions, type PoolDraw, type IndexedPoolDraw,
} from './dataPool.js';
export { iterationItemIndex, vuItemIndex } from './testWideIndex.js';
export { parseNdjsonRecords } from './ndjsonRecords.js';
