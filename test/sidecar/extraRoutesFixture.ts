// A route module as the event store would write one (see src/sidecar/routeModules.ts).
import { sendJson, type SidecarRoute } from '../../src/sidecar/index.js';

export function sidecarRoutes(): SidecarRoute[] {
  return [{
    method: 'POST',
    path: '/streams/:id',
    handler: async (ctx) => sendJson(ctx.res, 201, { id: ctx.params.id, body: await ctx.readJson() }),
    openapi: { summary: 'Append to a stream', responses: { '201': { description: 'Appended', content: { 'application/json': { schema: { $ref: '#/components/schemas/Appended' } } } } } },
  }];
}

export const sidecarOpenapiSchemas = { Appended: { type: 'object' } };
