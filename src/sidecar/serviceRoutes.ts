import { DATA_TYPES, typeNames } from '../core/index.js';
import { buildOpenApiDocument, jsonResponse, ref } from './openapiDocument.js';
import { JSON_TYPE, sendBody, sendJson } from './responseWriter.js';
import type { RouteContext, SidecarRoute } from './router.js';

/** Options of {@link serviceRoutes}. */
export interface ServiceRoutesOptions {
  /** Schemas that other route modules reference, added to the OpenAPI document. */
  openapiSchemas?: Readonly<Record<string, unknown>>;
}

/** `GET /health`, `GET /types`, `GET /openapi.json`. */
export function serviceRoutes(options: ServiceRoutesOptions = {}): SidecarRoute[] {
  let openapi: string | undefined;
  return [
    {
      method: 'GET',
      path: '/health',
      public: true,
      handler(ctx: RouteContext) {
        const s = ctx.sidecar;
        sendJson(ctx.res, 200, { status: 'ok', seed: s.defaultSeed, uptime_s: Math.round((Date.now() - s.startedAt) / 100) / 10, version: s.version }, { 'Cache-Control': 'no-store' });
      },
      openapi: {
        summary: 'Liveness, default seed and version (no token needed)',
        responses: { '200': jsonResponse('Up', ref('Health')) },
      },
    },
    {
      method: 'GET',
      path: '/types',
      handler(ctx: RouteContext) {
        const descriptions: Record<string, string> = {};
        for (const [name, t] of DATA_TYPES) descriptions[name] = t.description;
        sendJson(ctx.res, 200, { status: 'ok', types: typeNames(), descriptions });
      },
      openapi: {
        summary: 'The types served, with a description of each',
        responses: { '200': jsonResponse('The types', ref('Types')) },
      },
    },
    {
      method: 'GET',
      path: '/openapi.json',
      handler(ctx: RouteContext) {
        // built on first use, when every module has registered its routes
        openapi ??= JSON.stringify(buildOpenApiDocument(ctx.sidecar.router, { version: ctx.sidecar.version, schemas: options.openapiSchemas }));
        sendBody(ctx.res, 200, openapi, JSON_TYPE);
      },
      openapi: {
        summary: 'This OpenAPI 3.1 document',
        responses: { '200': jsonResponse('The document', { type: 'object' }) },
      },
    },
  ];
}
