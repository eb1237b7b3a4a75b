import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SidecarRoute } from './router.js';

/**
 * A module that adds routes to `mockjutsu serve` when it exists, so that e.g. the event store
 * plugs its `/streams/:id` routes in without the sidecar importing it. The module exports
 * `sidecarRoutes(): SidecarRoute[] | Promise<SidecarRoute[]>` and, optionally,
 * `sidecarOpenapiSchemas` (schemas its OpenAPI operations reference).
 */
export interface RouteModule {
  /** Module path relative to this file, as in an import. */
  module: string;
}

/** Route modules `serve` looks for (left out while they do not exist). */
export const OPTIONAL_ROUTE_MODULES: readonly RouteModule[] = [{ module: '../replay/routeModule.js' }];

/** Routes and schemas contributed by route modules. */
export interface LoadedRoutes {
  routes: SidecarRoute[];
  schemas: Record<string, unknown>;
}

/**
 * Loads every route module that exists (as .js, or as .ts under tsx). A module that exists
 * but fails to load, or exports no `sidecarRoutes` function, is an error worth seeing.
 */
export async function loadRouteModules(modules: readonly RouteModule[] = OPTIONAL_ROUTE_MODULES): Promise<LoadedRoutes> {
  const out: LoadedRoutes = { routes: [], schemas: {} };
  for (const m of modules) {
    const url = new URL(m.module, import.meta.url);
    const file = fileURLToPath(url);
    if (!existsSync(file) && !existsSync(file.replace(/\.js$/, '.ts'))) continue;
    const specifier: string = url.href; // a variable: tsc must not resolve a module that may not exist yet
    const mod = (await import(specifier)) as { sidecarRoutes?: unknown; sidecarOpenapiSchemas?: unknown };
    if (typeof mod.sidecarRoutes !== 'function') throw new Error(`${m.module} does not export a function sidecarRoutes()`);
    const routes = (await (mod.sidecarRoutes as () => SidecarRoute[] | Promise<SidecarRoute[]>)()) ?? [];
    out.routes.push(...routes);
    if (typeof mod.sidecarOpenapiSchemas === 'object' && mod.sidecarOpenapiSchemas !== null) Object.assign(out.schemas, mod.sidecarOpenapiSchemas);
  }
  return out;
}
