// The replay target: an event store behind POST /streams/:id, its reads and a live orders
// projection, mounted on the sidecar as a fastify plugin.
export { openReplayTarget, replayTargetPlugin, type ReplayTarget, type ReplayTargetOptions } from './replayTarget.js';
export { startReplaySidecar, type ReplaySidecarOptions, type RunningReplaySidecar } from './startReplaySidecar.js';
export { registerStoreRoutes, STORE_SCHEMAS, MAX_READ_LIMIT, DEFAULT_READ_LIMIT, type StoreRouteDeps } from './storeRoutes.js';
export { parseAppendRequest, parseExpectedVersion, expectedVersionName, EXPECTED_VERSION_NAMES, type AppendRequest } from './appendRequest.js';
export { createOrdersProjection, type OrderView, type OrdersState } from './ordersProjection.js';
