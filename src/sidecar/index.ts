// The HTTP sidecar: Node-only adapter over the pure core (plain node:http, no framework).
export { startSidecar, DEFAULT_TIMEOUTS, type SidecarOptions, type SidecarTimeouts, type RunningSidecar } from './sidecarServer.js';
export { loadRouteModules, OPTIONAL_ROUTE_MODULES, type RouteModule, type LoadedRoutes } from './routeModules.js';
export { Router, type SidecarRoute, type RouteContext, type RouteMatch, type MethodMismatch, type HttpMethod } from './router.js';
export { HttpError, errorBody, sendError, toHttpError, type HttpErrorCode } from './httpError.js';
export { QueryParams } from './queryParams.js';
export { readJsonBody, DEFAULT_BODY_LIMIT } from './requestBody.js';
export { sendJson, sendBody, streamChunks, chunked, JSON_TYPE, NDJSON_TYPE } from './responseWriter.js';
export { SessionRegistry, type SessionRegistryOptions, type SessionUnit, type BatchRequest } from './sessionRegistry.js';
export { GeneratorCache } from './generatorCache.js';
export { LruCache } from './lruCache.js';
export { DEFAULT_LIMITS, type SidecarContext, type SidecarLimits } from './sidecarContext.js';
export {
  buildOpenApiDocument, openApiPath, queryParam, pathParam, jsonResponse, ref, SIDECAR_SCHEMAS, ERROR_RESPONSES,
  type OpenApiOperation, type OpenApiParameter,
} from './openapiDocument.js';
