import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyPluginCallback, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { LRUCache } from 'lru-cache';
import { createGenerator, resolveSeed, type DomainInput, type Seed, type UserRecord } from '../core/index.js';
import { GeneratorCache } from './generatorCache.js';
import { ServedTypes } from './servedTypes.js';
import { cachedGenerateAnswer, registerGenerateRoutes, workerBulks } from './generateRoutes.js';
import { HttpError, errorBody, toHttpError } from './httpError.js';
import { parseJsonBody } from './jsonBodyParser.js';
import { describeValue } from './safeText.js';
import { validatorCompiler } from './schemaValidator.js';
import { registerServiceRoutes } from './serviceRoutes.js';
import { SessionRegistry, type SessionRegistryOptions } from './sessionRegistry.js';
import { registerSessionRoutes } from './sessionRoutes.js';
import { registerMockEventRoutes, type RegisteredSchema } from './mockEventRoutes.js';
import { DEFAULT_LIMITS, LIMIT_RANGES, type CachedResponse, type SidecarContext, type SidecarLimits } from './sidecarContext.js';
import { checkedSettings, type SettingRanges } from './sidecarSettings.js';
import { ERROR_RESPONSES, SIDECAR_SCHEMAS } from './sidecarSchemas.js';
import { domainSchemas } from './domainSchemas.js';

/** Timeouts of a sidecar, milliseconds. */
export interface SidecarTimeouts {
  /** Time to receive a request's headers (408 past it). Default 10 s. */
  headersMs: number;
  /** Time to receive a whole request, body included (408 past it). Default 30 s; 0: no limit (Node's meaning). */
  requestMs: number;
  /** Idle keep-alive connections are closed after this. Default 5 s; 0: no limit (Node's meaning). */
  keepAliveMs: number;
  /** A socket with no traffic either way is closed after this (a stalled stream reader). Default 120 s; 0: no limit (Node's meaning). */
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

/** Longest timer Node keeps (setTimeout's 2^31 - 1 ms, ~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const TIMEOUT_RANGES: SettingRanges<SidecarTimeouts> = {
  headersMs: [1, MAX_TIMER_MS],
  // 0: no limit, as Node's server takes it
  requestMs: [0, MAX_TIMER_MS], keepAliveMs: [0, MAX_TIMER_MS], idleSocketMs: [0, MAX_TIMER_MS],
  // 0: cut the in-flight requests at once (serve --shutdown-timeout 0)
  shutdownGraceMs: [0, MAX_TIMER_MS],
};

/** A fastify plugin that adds routes to the sidecar (e.g. the replay target's); it sees `app.sidecar`. */
export type SidecarPlugin = FastifyPluginAsync | FastifyPluginCallback;

/** Options of {@link startSidecar}. */
export interface SidecarOptions {
  /** TCP port; 0 picks a free one. Default 8099. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1 (local only). */
  host?: string;
  /** Default seed of `/sessions` requests without one; default: a random seed (`RunningSidecar.seed`). */
  seed?: Seed;
  /** When set, every route but `GET /health` requires `Authorization: Bearer <token>`. */
  token?: string;
  /** Plugins registered after the built-in routes (e.g. `replayTargetPlugin(target)` from `mockjutsu/replay`). */
  plugins?: readonly SidecarPlugin[];
  limits?: Partial<SidecarLimits>;
  timeouts?: Partial<SidecarTimeouts>;
  /** Bounds of the per-key session streams. */
  sessions?: SessionRegistryOptions;
  /** Generators kept, by (seed, users, start). Default 256. */
  maxGenerators?: number;
  /**
   * Users of every request that names none (`?users=`): a count (1..10,000,000), or the records
   * of users that exist in the system under test (`serve --users FILE`: a recorder file or pool
   * file), so that `/sessions`, `/generate` and `/bulk` sessions belong to them. Checked at start.
   */
  users?: number | ArrayLike<UserRecord>;
  /** Deterministic `/generate` answers kept. Default 4,096 entries and 64 MiB. */
  responseCache?: { maxEntries?: number; maxBytes?: number };
  /** Where log lines go; default stderr. */
  log?: (line: string) => void;
  /**
   * Domains served besides the shop (built-in names, definitions or compiled domains, e.g. from
   * `loadDomainFile`): each one's sessions by its name (`/generate/bank`, `/sessions/:key/next?type=bank`).
   */
  domains?: readonly DomainInput[];
  /** Schemas served at `GET /mock-event/NAME` (from `loadMockEventSchemas`, i.e. `serve --schema NAME=FILE`). */
  schemas?: readonly RegisteredSchema[];
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
  readonly app: FastifyInstance;
  readonly context: SidecarContext;
  /** Requests being answered right now. */
  inFlight(): number;
  /** NDJSON bulks made by worker threads (`limits.bulkWorkers`): being made now, and started so far. */
  workerBulks(): { active: number; started: number };
  /**
   * Stops accepting connections, lets in-flight requests finish (up to `graceMs`, default the
   * `shutdownGraceMs` timeout), then cuts what is left; then closes the plugins (a store's
   * file). Resolves when every connection is closed.
   */
  close(graceMs?: number): Promise<void>;
}

/** Past this many bytes of a refused (413) body, the connection is closed instead of drained. */
const DISCARD_CAP_BYTES = 64 * 1024 * 1024;

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The reply to a request Node's HTTP parser rejected (the request never reached a route). */
function clientErrorReply(err: NodeJS.ErrnoException, timeouts: SidecarTimeouts): string {
  const [status, reason, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'request headers are too large; allowed: at most 16 KiB in total']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'REQUEST_TIMEOUT', `the request was not received in time; send the headers within ${timeouts.headersMs / 1000} s${timeouts.requestMs > 0 ? ` and the whole request within ${timeouts.requestMs / 1000} s` : ''}`]
        : [400, 'Bad Request', 'BAD_REQUEST', `malformed HTTP request (${err.code ?? 'parse error'}: ${String(err.message).slice(0, 120)}); send HTTP/1.1`];
  return rawResponse(status, reason, errorBody(code, message));
}

function rawResponse(status: number, reason: string, body: string, extra = ''): string {
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;
}

/** Writes the JSON error body on a raw response, or cuts the connection when an answer has already begun. */
function writeError(res: ServerResponse, e: HttpError): void {
  if (res.headersSent) {
    // the status line is gone: cutting the connection is the only honest signal left
    res.destroy();
    return;
  }
  const body = errorBody(e.code, e.message, e.extra);
  res.writeHead(e.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...e.headers,
  });
  res.end(body);
}

/** One route pattern, for the 405 / OPTIONS answers fastify does not give. */
interface Pattern {
  path: string;
  test: RegExp;
  methods: string[];
}

function patternOf(path: string): RegExp {
  const source = path.split('/').map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return new RegExp(`^${source}$`);
}

/** A constant-time check of `Authorization: Bearer <token>` (the scheme in any case). */
function bearerCheck(token: string | undefined): (header: string | undefined) => boolean {
  if (token === undefined) return () => true;
  const want = createHash('sha256').update(token).digest();
  return (header) => {
    if (header === undefined) return false;
    const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
    if (m === null) return false;
    return timingSafeEqual(createHash('sha256').update(m[1]!).digest(), want);
  };
}

/**
 * Starts the HTTP sidecar on fastify: the generator's REST API, per-key session streams for
 * the JMeter bridge, and the plugins given (the replay target). Route schemas drive query and
 * body validation and `/openapi.json`. Resolves once it listens.
 */
export async function startSidecar(options: SidecarOptions = {}): Promise<RunningSidecar> {
  const timeouts = checkedSettings('timeouts', options.timeouts, DEFAULT_TIMEOUTS, TIMEOUT_RANGES);
  if (timeouts.requestMs > 0 && timeouts.headersMs > timeouts.requestMs) {
    // Name the one that was given: requestMs alone under the headers' default (10 s) is the usual case.
    if (options.timeouts?.headersMs === undefined) {
      throw new RangeError(`timeouts.requestMs is ${timeouts.requestMs}; allowed: at least timeouts.headersMs (${timeouts.headersMs}, its default; give a smaller headersMs too), the time to receive the headers`);
    }
    const byDefault = options.timeouts?.requestMs === undefined ? ', its default; give a larger requestMs too' : '';
    throw new RangeError(`timeouts.headersMs is ${timeouts.headersMs}; allowed: at most timeouts.requestMs (${timeouts.requestMs}${byDefault}), the time of the whole request`);
  }
  const limits = checkedSettings('limits', options.limits, DEFAULT_LIMITS, LIMIT_RANGES);
  const log = options.log ?? ((line: string) => void process.stderr.write(line + '\n'));
  const defaultSeed = resolveSeed(options.seed);
  const types = new ServedTypes(options.domains);
  // bad users (a count out of range, records without user_id...) stop the start, not a request;
  // every served domain draws its sessions from them
  if (options.users !== undefined) for (const domain of types.domains) createGenerator({ seed: defaultSeed, users: options.users, domain });

  let closing = false;
  let inFlight = 0;
  const failures = new Map<string, { windowStart: number; inWindow: number; suppressed: number }>();
  const context: SidecarContext = {
    defaultSeed,
    version: packageVersion(),
    startedAt: Date.now(),
    limits,
    generators: new GeneratorCache(options.maxGenerators ?? 256, options.users),
    types,
    sessions: new SessionRegistry(options.sessions),
    responses: new LRUCache<string, CachedResponse>({
      max: options.responseCache?.maxEntries ?? 4096,
      maxSize: options.responseCache?.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (r) => Math.max(1, r.body.length),
    }),
    get closing() {
      return closing;
    },
    log,
    logFailure(kind, line) {
      const now = Date.now();
      let f = failures.get(kind);
      if (f === undefined || now - f.windowStart >= 1000) {
        const suppressed = f?.suppressed ?? 0;
        f = { windowStart: now, inWindow: 0, suppressed: 0 };
        failures.set(kind, f);
        if (suppressed > 0) line += ` (${suppressed} more like it in the last second not shown)`;
      }
      if (f.inWindow >= 1) {
        f.suppressed++;
        return;
      }
      f.inWindow++;
      log(line.replace(/\s*\n[\s\S]*$/, ''));
    },
  };

  const authorized = bearerCheck(options.token);
  const unauthorized = (header: string | undefined): HttpError => new HttpError(401, 'UNAUTHORIZED',
    header === undefined
      ? 'missing Authorization header; this sidecar requires "Authorization: Bearer <token>" (the token given to mockjutsu serve)'
      : 'wrong bearer token; send "Authorization: Bearer <token>" with the token given to mockjutsu serve',
    { 'WWW-Authenticate': 'Bearer realm="mockjutsu"' });

  let server!: Server;
  const requestDone = (): void => {
    inFlight--;
    // a response begun before shutdown kept its connection alive: close it once idle
    if (closing) setImmediate(() => server.closeIdleConnections());
  };

  const app = Fastify({
    serverFactory: (handler) => {
      server = createServer({
        headersTimeout: timeouts.headersMs,
        requestTimeout: timeouts.requestMs,
        connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
        maxHeaderSize: 16 * 1024,
        requireHostHeader: false, // checked in a hook, so that the answer has the JSON error body
        noDelay: true,
      }, (req: IncomingMessage, res: ServerResponse) => {
        inFlight++;
        res.once('close', requestDone);
        if (closing) res.shouldKeepAlive = false;
        // Fast path: a deterministic /generate answer already computed (its query validated
        // then) is written from the cache before fastify parses anything; the rest, and every
        // miss, go through fastify's routing, hooks and schemas.
        if (req.method === 'GET' && req.url !== undefined && req.url.startsWith('/generate/') && req.headers.host !== undefined &&
          authorized(req.headers.authorization)) {
          const hit = cachedGenerateAnswer(context, req.url, req.headers.accept);
          if (hit !== undefined) {
            res.writeHead(200, hit.headers);
            res.end(hit.body);
            return;
          }
        }
        handler(req, res);
      });
      server.keepAliveTimeout = timeouts.keepAliveMs;
      server.timeout = timeouts.idleSocketMs;
      return server;
    },
    bodyLimit: limits.bodyBytes,
    logger: false,
    // requests already on a connection when shutdown begins are answered normally (with
    // Connection: close); new connections are refused, as a closing server does
    return503OnClosing: false,
    exposeHeadRoutes: true,
    routerOptions: {
      maxParamLength: 8192,
      ignoreTrailingSlash: false,
      caseSensitive: true,
      querystringParser: (text: string) => {
      // URLSearchParams semantics ('+' is a space, lenient percent-decoding); a repeated
      // name becomes an array, which the schema check refuses by name
      const out: Record<string, string | string[]> = Object.create(null);
      for (const [k, v] of new URLSearchParams(text)) {
        const had = out[k];
        out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
      }
      return out;
      },
    },
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Duplex) => {
      socket.on('error', () => {}); // a late EPIPE must not become an uncaught exception
      const busy = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable || (busy != null && busy.headersSent)) {
        socket.destroy();
        return;
      }
      socket.end(clientErrorReply(err, timeouts));
      setTimeout(() => socket.destroy(), 1000).unref();
    },
    frameworkErrors: (error, req, reply) => {
      const e = !authorized(req.headers.authorization) ? unauthorized(req.headers.authorization)
        : error.code === 'FST_ERR_BAD_URL' ? new HttpError(400, 'BAD_REQUEST', `the path ${describeValue((req.raw.url ?? '').split('?')[0], 100)} is not valid percent-encoding (UTF-8)`)
          : toHttpError(error);
      reply.hijack();
      writeError(reply.raw, e);
    },
  });
  app.decorate('sidecar', context);
  app.setValidatorCompiler(validatorCompiler);
  // Answers are written as text by the handlers; response schemas only document them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.bodyBytes }, (req, body, done) => {
    // a request for no route (405, 404) is not asked about its body
    if (req.routeOptions.url === undefined) return done(null, undefined);
    try {
      done(null, parseJsonBody(req, body as Buffer, limits.bodyDepth));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  const patterns: Pattern[] = [];
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    if (methods.length === 0) return;
    let p = patterns.find((x) => x.path === route.url);
    if (p === undefined) patterns.push((p = { path: route.url!, test: patternOf(route.url!), methods: [] }));
    p.methods.push(...methods);
    if (route.schema !== undefined) route.schema.response = { ...ERROR_RESPONSES, ...(route.schema.response as object | undefined) };
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'mockjutsu sidecar',
        version: context.version,
        description: 'Deterministic Markov-chain session traffic over HTTP. The same seed gives the same bytes as the library. ' +
          'Every bad input is a 4xx with the Error body.',
      },
      servers: [{ url: 'http://127.0.0.1:8099' }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Required on every route but GET /health when the sidecar runs with a token' } },
      },
      security: [{ bearer: [] }, {}],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String((json as { $id?: unknown }).$id ?? `def-${i}`) },
  });
  for (const [name, schema] of Object.entries(SIDECAR_SCHEMAS)) app.addSchema({ $id: name, ...schema });
  // the events' schemas, derived from each served domain (one source of truth)
  for (const [name, schema] of Object.entries(domainSchemas(types.domains))) app.addSchema({ $id: name, ...schema });

  // Checks every request passes before its route, in this order: a real path, a Host, the token.
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done) => {
    const url = req.raw.url ?? '';
    if (url.charCodeAt(0) !== 47) return done(new HttpError(400, 'BAD_REQUEST', `request target ${describeValue(url, 100)} is not a path; send one such as /health`, { Connection: 'close' }));
    if (req.headers.host === undefined && req.raw.httpVersionMajor === 1 && req.raw.httpVersionMinor === 1) {
      return done(new HttpError(400, 'BAD_REQUEST', 'the Host header is missing; HTTP/1.1 requires it', { Connection: 'close' }));
    }
    const isPublic = req.routeOptions.config.public === true && (req.method === 'GET' || req.method === 'HEAD');
    if (!isPublic && !authorized(req.headers.authorization)) return done(unauthorized(req.headers.authorization));
    void reply;
    done();
  });

  app.setNotFoundHandler((req, reply) => {
    const path = (req.raw.url ?? '').split('?')[0]!;
    const matching = patterns.filter((p) => p.test.test(path));
    if (matching.length > 0) {
      const methods = [...new Set(matching.flatMap((p) => p.methods))];
      const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
      reply.hijack();
      if (req.method === 'OPTIONS') {
        reply.raw.writeHead(204, { Allow: allow });
        reply.raw.end();
        return;
      }
      writeError(reply.raw, new HttpError(405, 'METHOD_NOT_ALLOWED', `method ${describeValue(req.method, 40)} is not allowed on ${describeValue(path, 100)}; allowed: ${allow}`, { Allow: allow }));
      return;
    }
    const routes = patterns.flatMap((p) => p.methods.map((m) => `${m} ${p.path}`)).join(', ');
    reply.hijack();
    writeError(reply.raw, new HttpError(404, 'NOT_FOUND', `no route for ${describeValue(path, 100)}; routes: ${routes}`));
  });

  app.setErrorHandler((err, req, reply) => {
    const e = toHttpError(err, limits.bodyBytes);
    // a bug: worth its stack (a 503 a plugin answered on purpose has logged its own line)
    if (e.code === 'INTERNAL_ERROR') {
      log(`mockjutsu sidecar: internal error on ${req.method} ${describeValue(req.raw.url ?? '', 100)}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
    if (e.status === 413) {
      // Read and discard the rest of the body (up to a cap) so that a client that writes its
      // whole body before reading gets this 413 instead of a reset connection.
      let discarded = 0;
      req.raw.on('data', (chunk: Buffer) => {
        discarded += chunk.length;
        if (discarded > DISCARD_CAP_BYTES) req.raw.socket?.destroy();
      });
      req.raw.resume();
    }
    if (!reply.sent) reply.hijack();
    writeError(reply.raw, e);
  });

  registerServiceRoutes(app);
  registerGenerateRoutes(app);
  registerSessionRoutes(app);
  registerMockEventRoutes(app, options.schemas);
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  await app.ready();

  // CONNECT never reaches a route (Node hands the socket over): answer it like any other method.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    socket.end(rawResponse(405, 'Method Not Allowed', errorBody('METHOD_NOT_ALLOWED', 'method "CONNECT" is not allowed; this is not a proxy'), 'Allow: GET, HEAD, POST, OPTIONS\r\n'));
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
    app,
    context,
    inFlight: () => inFlight,
    workerBulks: () => ({ ...workerBulks(context) }),
    close(graceMs = timeouts.shutdownGraceMs) {
      closed ??= (async () => {
        closing = true;
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        deadline.unref();
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await serverClosed;
        clearTimeout(deadline);
        await app.close();
      })();
      return closed;
    },
  };
}
