// The event store's routes for `mockjutsu serve` (src/sidecar/routeModules.ts loads this module when it exists).
export { sidecarRoutes, sidecarOpenapiSchemas } from '../sidecar/store/routeModule.js';
