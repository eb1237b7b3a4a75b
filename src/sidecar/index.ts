// The HTTP sidecar on fastify: a Node-only adapter over the pure core. Plugins (the replay
// target) get `app.sidecar`, HttpError for their 4xx and the response helpers.
export { startSidecar, DEFAULT_TIMEOUTS, type SidecarOptions, type SidecarTimeouts, type RunningSidecar, type SidecarPlugin } from './sidecarServer.js';
export { HttpError, errorBody, toHttpError, type HttpErrorCode } from './httpError.js';
export { describeValue } from './safeText.js';
export { sendJson, sendBody, streamChunks, chunked, JSON_TYPE, NDJSON_TYPE } from './responseWriter.js';
export { SessionRegistry, type SessionRegistryOptions, type SessionUnit, type BatchRequest } from './sessionRegistry.js';
export { GeneratorCache } from './generatorCache.js';
export { DEFAULT_LIMITS, type SidecarContext, type SidecarLimits } from './sidecarContext.js';
export { SIDECAR_SCHEMAS, ERROR_RESPONSES, jsonResponse, ref } from './sidecarSchemas.js';
export { validatorCompiler, type ObjectSchema, type PropertySchema } from './schemaValidator.js';
export { openSidecarData, sidecarDataPlugin, type SidecarData, type SidecarDataOptions } from './sidecarData.js';
export { registerMockEventRoutes, loadMockEventSchemas, parseSchemaSpec, checkPostedSchema, POSTED_SCHEMA_LIMITS, SCHEMA_NAME, type MockEventSchemaSource, type RegisteredSchema } from './mockEventRoutes.js';
export { ServedTypes, eventSerializer, type ServedType } from './servedTypes.js';
export { domainEventSchema, domainSchemas, eventSchemaName, sessionSchemaName, payloadSchema } from './domainSchemas.js';
