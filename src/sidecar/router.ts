import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './httpError.js';
import type { QueryParams } from './queryParams.js';
import type { SidecarContext } from './sidecarContext.js';
import type { OpenApiOperation } from './openapiDocument.js';

/** Methods a route can answer (HEAD is served by GET routes, OPTIONS by the server). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** What a handler gets for one request. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Path parameters, percent-decoded (`/sessions/a%2Fb/next` gives `key` = `a/b`). */
  readonly params: Readonly<Record<string, string>>;
  /** The query string without `?`, as received. */
  readonly rawQuery: string;
  /** The query, checked against the route's `query` list (400 for unknown or repeated names). */
  query(): QueryParams;
  /** The JSON body (415 / 413 / 400 as appropriate). */
  readJson(): Promise<unknown>;
  /** Server-wide state: default seed, limits, caches, session registry, logger. */
  readonly sidecar: SidecarContext;
}

/**
 * One endpoint. Other modules (e.g. the event store's `/streams/:id`) hand arrays of these to
 * `startSidecar({ routes })`; the OpenAPI document is built from the same list.
 */
export interface SidecarRoute {
  method: HttpMethod;
  /** `/literal/:param/...`; a parameter matches one non-empty path segment. */
  path: string;
  /** Query parameter names allowed (others get a 400, checked before the handler runs); omit to accept any. */
  query?: readonly string[];
  /**
   * The handler checks the query itself, through `ctx.query()`, wherever it uses it (so that a
   * cached answer for an already validated query string skips parsing).
   */
  lazyQuery?: boolean;
  /** Answered without the bearer token (only `/health` by default). */
  public?: boolean;
  handler(ctx: RouteContext): void | Promise<void>;
  /** OpenAPI operation object; a minimal one is derived when absent. */
  openapi?: OpenApiOperation;
}

type Segment = string | { param: string };

interface Pattern {
  path: string;
  segments: Segment[];
  byMethod: Map<string, SidecarRoute>;
}

/** A route found for a request. */
export interface RouteMatch {
  route: SidecarRoute;
  params: Record<string, string>;
}

/** No route for the method, but some for the path: the methods the path allows. */
export interface MethodMismatch {
  allow: string[];
}

function parsePattern(path: string): Segment[] {
  if (!path.startsWith('/')) throw new Error(`route path ${JSON.stringify(path)} must start with "/"`);
  return path.split('/').slice(1).map((s) => {
    if (s.startsWith(':')) {
      if (!/^:[A-Za-z_]\w*$/.test(s)) throw new Error(`route path ${JSON.stringify(path)} has a bad parameter ${JSON.stringify(s)}`);
      return { param: s.slice(1) };
    }
    return s;
  });
}

function decodeSegment(segment: string, name: string): string {
  if (segment.indexOf('%') < 0) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', `path parameter ${name} is ${JSON.stringify(segment.slice(0, 80))}, which is not valid percent-encoding (UTF-8)`);
  }
}

function allowed(p: Pattern): string[] {
  const m = [...p.byMethod.keys()];
  if (m.includes('GET')) m.push('HEAD');
  m.push('OPTIONS');
  return m;
}

/** Maps (method, path) to routes: literal paths by hash lookup, patterns segment by segment. */
export class Router {
  private readonly literal = new Map<string, Pattern>();
  private readonly patterns: Pattern[] = [];
  private readonly all: SidecarRoute[] = [];

  /** Adds routes; throws if a method and path pair is already taken. */
  add(...routes: SidecarRoute[]): this {
    for (const route of routes) {
      if (!METHODS.includes(route.method)) throw new Error(`route ${route.path}: method ${JSON.stringify(route.method)} is not one of ${METHODS.join(', ')}`);
      const segments = parsePattern(route.path);
      const isLiteral = segments.every((s) => typeof s === 'string');
      let p = isLiteral ? this.literal.get(route.path) : this.patterns.find((x) => x.path === route.path);
      if (p === undefined) {
        p = { path: route.path, segments, byMethod: new Map() };
        if (isLiteral) this.literal.set(route.path, p);
        else this.patterns.push(p);
      }
      if (p.byMethod.has(route.method)) throw new Error(`route ${route.method} ${route.path} is registered twice`);
      p.byMethod.set(route.method, route);
      this.all.push(route);
    }
    return this;
  }

  /** Every route, in registration order. */
  routes(): readonly SidecarRoute[] {
    return this.all;
  }

  /**
   * The route for a request (HEAD falls back to GET), a {@link MethodMismatch} when the path
   * exists with other methods, or undefined when no route has that path.
   */
  match(method: string, path: string): RouteMatch | MethodMismatch | undefined {
    const want = method === 'HEAD' ? 'GET' : method;
    let allow: string[] | undefined;
    const lit = this.literal.get(path);
    if (lit !== undefined) {
      const route = lit.byMethod.get(want);
      if (route !== undefined) return { route, params: {} };
      allow = allowed(lit);
    }
    let parts: string[] | undefined;
    for (const p of this.patterns) {
      parts ??= path.split('/');
      if (parts.length !== p.segments.length + 1) continue;
      let ok = true;
      for (let i = 0; i < p.segments.length; i++) {
        const s = p.segments[i]!;
        const part = parts[i + 1]!;
        if (typeof s === 'string' ? s !== part : part.length === 0) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const route = p.byMethod.get(want);
      if (route === undefined) {
        allow = [...new Set([...(allow ?? []), ...allowed(p)])];
        continue;
      }
      const params: Record<string, string> = {};
      for (let i = 0; i < p.segments.length; i++) {
        const s = p.segments[i]!;
        if (typeof s !== 'string') params[s.param] = decodeSegment(parts[i + 1]!, s.param);
      }
      return { route, params };
    }
    return allow === undefined ? undefined : { allow };
  }

  /** `METHOD path` of every route, for messages listing what exists. */
  describe(): string {
    return this.all.map((r) => `${r.method} ${r.path}`).join(', ');
  }
}
