import type { SidecarRoute } from '../sidecar/router.js';
import { openReplayTarget } from './replayTarget.js';
import { STORE_SCHEMAS } from './storeRoutes.js';

/**
 * The routes a plain `mockjutsu serve` gets from its route modules (src/sidecar/routeModules.ts
 * finds them through src/store/sidecarRoutes.ts): a replay target on an in-memory store, so
 * `POST /streams/:id` works without `--store` (nothing survives the process; `--store FILE`
 * replaces it with a store kept in FILE).
 */
export function sidecarRoutes(): SidecarRoute[] {
  return [...openReplayTarget().routes];
}

/** Schemas the routes' OpenAPI operations reference. */
export const sidecarOpenapiSchemas: Readonly<Record<string, unknown>> = STORE_SCHEMAS;
