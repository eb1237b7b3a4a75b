import type { FastifyInstance } from 'fastify';
import { JSON_TYPE, sendBody, sendJson } from './responseWriter.js';
import { jsonResponse, ref } from './sidecarSchemas.js';

/** `GET /health`, `GET /types`, `GET /openapi.json` (the document @fastify/swagger builds from every route's schema). */
export function registerServiceRoutes(app: FastifyInstance): void {
  const sidecar = app.sidecar;
  app.get('/health', {
    config: { public: true },
    schema: {
      summary: 'Liveness and version (no token needed; no seed, so nobody can replay the /sessions streams from it)',
      security: [],
      response: { 200: jsonResponse('Up', ref('Health')) },
    },
    handler(_req, reply) {
      sendJson(reply, 200, { status: 'ok', uptime_s: Math.round((Date.now() - sidecar.startedAt) / 100) / 10, version: sidecar.version }, { 'Cache-Control': 'no-store' });
    },
  });
  app.get('/types', {
    schema: { summary: 'The types served (the core\'s and one per served domain), with a description of each', response: { 200: jsonResponse('The types', ref('Types')) } },
    handler(_req, reply) {
      sendJson(reply, 200, { status: 'ok', types: sidecar.types.names(), domains: sidecar.types.domainNames(), descriptions: sidecar.types.descriptions() });
    },
  });
  let openapi: string | undefined;
  app.get('/openapi.json', {
    schema: { summary: 'This OpenAPI 3.1 document', response: { 200: jsonResponse('The document', { type: 'object' }) } },
    handler(_req, reply) {
      // built on first use, when every plugin has registered its routes
      openapi ??= JSON.stringify(app.swagger());
      sendBody(reply, 200, openapi, JSON_TYPE);
    },
  });
}
