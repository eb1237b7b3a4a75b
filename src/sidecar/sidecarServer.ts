import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { resolveSeed, type Seed } from '../core/index.js';
import { GeneratorCache } from './generatorCache.js';
import { generateRoutes } from './generateRoutes.js';
import { HttpError, errorBody, sendError, toHttpError } from './httpError.js';
import { LruCache } from './lruCache.js';
import { QueryParams } from './queryParams.js';
import { readJsonBody } from './requestBody.js';
import { Router, type RouteContext, type SidecarRoute } from './router.js';
import { serviceRoutes } from './serviceRoutes.js';
import { SessionRegistry, type SessionRegistryOptions } from './sessionRegistry.js';
import { sessionRoutes } from './sessionRoutes.js';
import { DEFAULT_LIMITS, type CachedResponse, type SidecarContext, type SidecarLimits } from './sidecarContext.js';

/** Timeouts of a sidecar, milliseconds. */
export interface SidecarTimeouts {
  /** Time to receive a request's headers (408 past it). Default 10 s. */
  headersMs: number;
  /** Time to receive a whole request, body included (408 past it). Default 30 s. */
  requestMs: number;
  /** Idle keep-alive connections are closed after this. Default 5 s. */
  keepAliveMs: number;
  /** A socket with no traffic either way is closed after this (a stalled stream reader). Default 120 s. */
  idleSocketMs: number;
  /** `close()` waits this long for in-flight requests (long NDJSON streams included), then cuts them. Default 10 s. */
  shutdownGraceMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<SidecarTimeouts> = Object.freeze({
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  idleSocketMs: 120_000,
  shutdownGraceMs: 10_000,
});

/** Options of {@link startSidecar}. */
export interface SidecarOptions {
  /** TCP port; 0 picks a free one. Default 8099. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1 (local only). */
  host?: string;
  /** Default seed of `/sessions` requests without one; default: a random seed, reported by `/health`. */
  seed?: Seed;
  /** When set, every route but `/health` requires `Authorization: Bearer <token>`. */
  token?: string;
  /** More routes (e.g. the event store's), added after the built-in ones. */
  routes?: readonly SidecarRoute[];
  /** Called with the router once the built-in routes are in, to add more. */
  registerRoutes?: (router: Router) => void;
  /** Schemas the extra routes' OpenAPI operations reference (`#/components/schemas/<name>`). */
  openapiSchemas?: Readonly<Record<string, unknown>>;
  limits?: Partial<SidecarLimits>;
  timeouts?: Partial<SidecarTimeouts>;
  /** Bounds of the per-key session streams. */
  sessions?: SessionRegistryOptions;
  /** Generators kept, by (seed, users, start). Default 256. */
  maxGenerators?: number;
  /** Deterministic `/generate` answers kept. Default 4,096 entries and 64 MiB. */
  responseCache?: { maxEntries?: number; maxBytes?: number };
  /** Where log lines go; default stderr. */
  log?: (line: string) => void;
}

/** A listening sidecar. */
export interface RunningSidecar {
  /** `http://host:port`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The default seed (canonical string). */
  readonly seed: string;
  readonly server: Server;
  readonly context: SidecarContext;
  /** Requests being answered right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to `graceMs`, default the
   * `shutdownGraceMs` timeout), then cuts what is left. Resolves when every connection is closed.
   */
  close(graceMs?: number): Promise<void>;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function show(text: string): string {
  return JSON.stringify(text.length > 100 ? text.slice(0, 97) + '...' : text);
}

class RequestContext implements RouteContext {
  private parsed: QueryParams | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly params: Readonly<Record<string, string>>,
    readonly rawQuery: string,
    private readonly allowedQuery: readonly string[] | undefined,
    readonly sidecar: SidecarContext,
  ) {}

  query(): QueryParams {
    return (this.parsed ??= new QueryParams(this.rawQuery, this.allowedQuery));
  }

  readJson(): Promise<unknown> {
    return readJsonBody(this.req, this.sidecar.limits.bodyBytes);
  }
}

/** The reply to a request Node's HTTP parser rejected (the request never reached a route). */
function clientErrorReply(err: NodeJS.ErrnoException, timeouts: SidecarTimeouts): string {
  const [status, reason, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'request headers are too large; allowed: at most 16 KiB in total']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'REQUEST_TIMEOUT', `the request was not received in time; send the headers within ${timeouts.headersMs / 1000} s and the whole request within ${timeouts.requestMs / 1000} s`]
        : [400, 'Bad Request', 'BAD_REQUEST', `malformed HTTP request (${err.code ?? 'parse error'}: ${err.message.slice(0, 120)}); send HTTP/1.1`];
  const body = errorBody(code, message);
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Starts the HTTP sidecar (plain `node:http`): the generator's REST API, per-key session
 * streams for the JMeter bridge, and any extra routes. Resolves once it listens.
 */
export async function startSidecar(options: SidecarOptions = {}): Promise<RunningSidecar> {
  const timeouts: SidecarTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const limits: SidecarLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? ((line: string) => void process.stderr.write(line + '\n'));
  const defaultSeed = resolveSeed(options.seed);
  const router = new Router();
  router.add(...serviceRoutes({ openapiSchemas: options.openapiSchemas }), ...generateRoutes(), ...sessionRoutes());
  if (options.routes !== undefined) router.add(...options.routes);
  options.registerRoutes?.(router);

  let closing = false;
  let inFlight = 0;
  const responses = new LruCache<string, CachedResponse>(
    options.responseCache?.maxEntries ?? 4096,
    options.responseCache?.maxBytes ?? 64 * 1024 * 1024,
    (r) => r.body.length,
  );
  const context: SidecarContext = {
    defaultSeed,
    version: packageVersion(),
    startedAt: Date.now(),
    limits,
    generators: new GeneratorCache(options.maxGenerators ?? 256),
    sessions: new SessionRegistry(options.sessions),
    responses,
    router,
    get closing() {
      return closing;
    },
    log,
  };

  const expectedAuth = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`);
  const authorized = (req: IncomingMessage): boolean => {
    if (expectedAuth === undefined) return true;
    const given = req.headers.authorization;
    if (given === undefined) return false;
    const b = Buffer.from(given);
    return b.length === expectedAuth.length && timingSafeEqual(b, expectedAuth);
  };
  const unauthorized = (req: IncomingMessage): HttpError => new HttpError(401, 'UNAUTHORIZED',
    req.headers.authorization === undefined
      ? 'missing Authorization header; this sidecar requires "Authorization: Bearer <token>" (the token given to mockjutsu serve --token)'
      : 'wrong bearer token; send "Authorization: Bearer <token>" with the token given to mockjutsu serve --token',
    { 'WWW-Authenticate': 'Bearer realm="mockjutsu"' });

  const route = (req: IncomingMessage, res: ServerResponse): void | Promise<void> => {
    const url = req.url ?? '';
    const method = req.method ?? '';
    if (url.charCodeAt(0) !== 47) throw new HttpError(400, 'BAD_REQUEST', `request target ${show(url)} is not a path; send one such as /health`, { Connection: 'close' });
    if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) {
      throw new HttpError(400, 'BAD_REQUEST', 'the Host header is missing; HTTP/1.1 requires it', { Connection: 'close' });
    }
    const qi = url.indexOf('?');
    const path = qi < 0 ? url : url.slice(0, qi);
    const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
    let m: ReturnType<Router['match']>;
    try {
      m = router.match(method, path);
    } catch (err) {
      // without the token, a malformed path says no more than any other path
      if (!authorized(req)) throw unauthorized(req);
      throw err;
    }
    if (m === undefined) {
      if (!authorized(req)) throw unauthorized(req);
      throw new HttpError(404, 'NOT_FOUND', `no route for ${show(path)}; routes: ${router.describe()}`);
    }
    if ('allow' in m) {
      const allow = m.allow.join(', ');
      if (method === 'OPTIONS') {
        res.writeHead(204, { Allow: allow });
        res.end();
        return;
      }
      if (!authorized(req)) throw unauthorized(req);
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `method ${show(method)} is not allowed on ${show(path)}; allowed: ${allow}`, { Allow: allow });
    }
    if (m.route.public !== true && !authorized(req)) throw unauthorized(req);
    const ctx = new RequestContext(req, res, m.params, rawQuery, m.route.query, context);
    if (m.route.query !== undefined && m.route.lazyQuery !== true && rawQuery.length > 0) ctx.query();
    return m.route.handler(ctx);
  };

  const fail = (req: IncomingMessage, res: ServerResponse, err: unknown): void => {
    const e = toHttpError(err);
    if (e.status >= 500) {
      log(`mockjutsu sidecar: internal error on ${req.method} ${show(req.url ?? '')}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
    try {
      sendError(res, e);
    } catch {
      res.destroy();
    }
  };

  const server = createServer({
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
    maxHeaderSize: 16 * 1024,
    requireHostHeader: false, // checked in route() so that the answer has the JSON error body
    noDelay: true,
  });
  server.keepAliveTimeout = timeouts.keepAliveMs;
  server.timeout = timeouts.idleSocketMs;

  const requestDone = (): void => {
    inFlight--;
    // a response begun before shutdown kept its connection alive: close it once idle
    if (closing) setImmediate(() => server.closeIdleConnections());
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    res.once('close', requestDone);
    if (closing) res.shouldKeepAlive = false;
    try {
      const pending = route(req, res);
      if (pending !== undefined) pending.then(undefined, (err: unknown) => fail(req, res, err));
    } catch (err) {
      fail(req, res, err);
    }
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    socket.on('error', () => {}); // a late EPIPE must not become an uncaught exception
    const busy = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable || (busy != null && busy.headersSent)) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorReply(err, timeouts));
    setTimeout(() => socket.destroy(), 1000).unref();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(options.port ?? 8099, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // after listening, an accept error (e.g. EMFILE) is logged, never fatal
  server.on('error', (err) => log(`mockjutsu sidecar: server error: ${err.message}`));

  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    host,
    port,
    seed: defaultSeed,
    server,
    context,
    inFlight: () => inFlight,
    close(graceMs = timeouts.shutdownGraceMs) {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        deadline.unref();
        server.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
