// A strict stand-in for k6's JavaScript runtime, to test the built bundle and the example
// scripts without the k6 binary (not installable here). Each VU gets a fresh node:vm context
// with only ECMAScript built-ins (no Intl, no require/process/Buffer/crypto/TextEncoder, no
// eval or new Function), the way k6 gives each VU its own goja/sobek VM; `k6`, `k6/http`,
// `k6/execution`, `k6/metrics` and `k6/data` resolve to small stand-ins, and `exec.vu` throws
// (and is recorded) when read in the init context, as in real k6.
//
// vm.SourceTextModule needs `node --experimental-vm-modules`; mocha does not run with it, so
// tests call `startK6Harness()`, which runs the jobs in a child process (k6HarnessChild.ts).
import vm from 'node:vm';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Globals the harness removes from a fresh context: k6 has none of them. */
export const REMOVED_GLOBALS = ['Intl', 'WebAssembly', 'SharedArrayBuffer', 'Atomics'];

/** Globals that must not exist in a VU context (checked by the tests). */
export const FORBIDDEN_GLOBALS = ['Intl', 'require', 'process', 'Buffer', 'crypto', 'TextEncoder', 'TextDecoder', 'setImmediate', 'global', 'module', 'exports'];

/** Locale methods backed by ICU even without the Intl global; they throw in the harness. */
const LOCALE_METHODS: Array<[string, string]> = [
  ['Number', 'toLocaleString'], ['BigInt', 'toLocaleString'], ['Array', 'toLocaleString'],
  ['Date', 'toLocaleString'], ['Date', 'toLocaleDateString'], ['Date', 'toLocaleTimeString'],
  ['String', 'localeCompare'], ['String', 'toLocaleUpperCase'], ['String', 'toLocaleLowerCase'],
];

/** One run of a script by one k6 instance: init every VU, then iterate each VU in turn. */
export interface K6Job {
  /** Absolute path of the script (relative imports resolve from it). */
  script: string;
  /** Source to use instead of the file's content (imports still resolve from `script`). */
  source?: string;
  /** `-e NAME=value` variables (`__ENV`). */
  env?: Record<string, string>;
  /** `exec.vu.idInTest` of each VU this instance runs; `__VU` is 1..n in this order. */
  vus: number[];
  /** Iterations per VU. */
  iterations: number;
  /** Exported function each iteration calls (default: the default export). */
  exec?: string;
  /** `exec.scenario.name` (default "default"). */
  scenario?: string;
  /**
   * `exec.scenario.iterationInTest` of this instance's iterations, in the order they run
   * (default 0, 1, 2 ...); an execution segment gets striped numbers, as VU ids (segmentVuIds).
   */
  iterationIdsInTest?: number[];
}

/** An exception as seen from the host. */
export interface ErrorReport {
  name: string;
  message: string;
  code?: string;
}

/** What `http.*` was asked to send, and what the stand-in event store answered. */
export interface RequestRecord {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
  tags: Record<string, string>;
  status: number;
  response: string;
}

export interface CheckRecord { name: string; ok: boolean; }
export interface MetricRecord { name: string; type: string; value: number; tags: Record<string, string>; }

/** Everything one VU did. */
export interface K6VuReport {
  vu: number;
  idInTest: number;
  /** `exec.*` properties read while the VU was in the init context (must stay empty). */
  execReadInInit: string[];
  initError?: ErrorReport;
  /** Per iteration: the function's return value as JSON text (read by tests), or its error. */
  iterations: Array<{ result?: string; error?: ErrorReport }>;
  requests: RequestRecord[];
  checks: CheckRecord[];
  metrics: MetricRecord[];
  logs: string[];
  /** Names of the context's global object properties after init. */
  globals: string[];
}

export interface K6RunReport {
  /** The script's exported `options` as JSON, from the extra init k6 runs to read them. */
  options: string | null;
  /** Error of that options-reading init (k6 would stop here). */
  optionsError?: ErrorReport;
  optionsExecReadInInit: string[];
  setupError?: ErrorReport;
  vus: K6VuReport[];
}

type Phase = 'init' | 'setup' | 'vu';

/** The host side of one VU: what its stand-in modules call into. */
class VuHost {
  phase: Phase = 'init';
  iterationInInstance = 0;
  iterationInTest = 0;
  readonly execReadInInit: string[] = [];
  readonly requests: RequestRecord[] = [];
  readonly checks: CheckRecord[] = [];
  readonly metrics: MetricRecord[] = [];
  readonly logs: string[] = [];

  constructor(readonly vu: number, readonly idInTest: number, readonly scenario: string, readonly store: EventStoreStandIn, readonly scriptPath: string) {}

  getPhase(): Phase { return this.phase; }
  noteExecRead(what: string): void { if (this.phase === 'init') this.execReadInInit.push(what); }
  vuInfo(): string {
    return JSON.stringify({ idInTest: this.idInTest, idInInstance: this.vu, iterationInInstance: this.iterationInInstance, iterationInScenario: this.iterationInInstance });
  }
  scenarioInfo(): string {
    return JSON.stringify({ name: this.scenario, executor: 'harness', startTime: 0, progress: 0, iterationInInstance: this.iterationInTest, iterationInTest: this.iterationInTest });
  }
  request(method: string, url: string, body: string | null, paramsJson: string): string {
    const params = JSON.parse(paramsJson) as { headers?: Record<string, unknown>; tags?: Record<string, unknown> };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(params.headers ?? {})) headers[k] = String(v);
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(params.tags ?? {})) tags[k] = String(v);
    const { status, response } = this.store.handle(method, url, body, headers);
    this.requests.push({ method, url, body, headers, tags, status, response });
    return JSON.stringify({ status, body: response, headers: { 'Content-Type': 'application/json' } });
  }
  check(name: string, ok: boolean): void { this.checks.push({ name, ok }); }
  metric(name: string, type: string, value: number, tagsJson: string): void {
    this.metrics.push({ name, type, value, tags: JSON.parse(tagsJson) as Record<string, string> });
  }
  log(level: string, text: string): void { this.logs.push(level + ': ' + text); }
  open(path: string): string {
    return readFileSync(fileURLToPath(new URL(path, pathToFileURL(this.scriptPath))), 'utf8');
  }
}

/**
 * The event-store endpoint the examples target: `POST /streams/:id` with one event, an array,
 * `{ event }` or `{ events }`; the expected version comes from `If-Match` (or
 * `expected_version` in the body). 201 with the new version, 409 on conflict.
 */
export class EventStoreStandIn {
  readonly versions = new Map<string, number>();

  handle(method: string, url: string, body: string | null, headers: Record<string, string>): { status: number; response: string } {
    const m = /^https?:\/\/[^/]+\/streams\/([^/?#]+)$/.exec(url);
    if (method !== 'POST' || m === null) return { status: 404, response: JSON.stringify({ error: 'not_found' }) };
    const streamId = decodeURIComponent(m[1]!);
    let parsed: any;
    try {
      parsed = JSON.parse(body ?? '');
    } catch {
      return { status: 400, response: JSON.stringify({ error: 'invalid_json' }) };
    }
    const events: any[] = Array.isArray(parsed) ? parsed : parsed && Array.isArray(parsed.events) ? parsed.events : parsed && parsed.event ? [parsed.event] : [parsed];
    const ifMatch = Object.entries(headers).find(([k]) => k.toLowerCase() === 'if-match')?.[1];
    const expected = ifMatch !== undefined ? Number(ifMatch.replace(/"/g, '')) : parsed && !Array.isArray(parsed) && typeof parsed.expected_version === 'number' ? parsed.expected_version : undefined;
    if (events.length === 0 || events.some((e) => typeof e !== 'object' || e === null || e.stream_id !== streamId)) {
      return { status: 400, response: JSON.stringify({ error: 'events_must_belong_to_the_stream' }) };
    }
    const actual = this.versions.get(streamId) ?? 0;
    if (expected !== undefined && expected !== actual) {
      return { status: 409, response: JSON.stringify({ error: 'conflict', stream_id: streamId, expected_version: expected, actual_version: actual }) };
    }
    const version = actual + events.length;
    this.versions.set(streamId, version);
    return { status: 201, response: JSON.stringify({ stream_id: streamId, version }) };
  }
}

// Evaluated inside each VU context (the goja runner evaluates the same file): builds the
// stand-ins from context-realm objects, so the script never holds a host object. `host` is the
// VuHost (only its methods are called).
export const STAND_INS_PATH = fileURLToPath(new URL('./standIns.js', import.meta.url));
const STAND_INS = readFileSync(STAND_INS_PATH, 'utf8');

/** A fresh context with ECMAScript built-ins only (see the file comment). */
export function createK6Context(name: string): vm.Context {
  const context = vm.createContext({}, { name, codeGeneration: { strings: false, wasm: false } });
  vm.runInContext(
    REMOVED_GLOBALS.map((g) => `delete globalThis.${g};`).join('') +
      LOCALE_METHODS.map(([c, m]) => `Object.defineProperty(${c}.prototype, '${m}', { value: function () { throw new TypeError('${c}.prototype.${m} uses Intl, which k6 does not have'); }, writable: true, configurable: true });`).join(''),
    context,
  );
  return context;
}

function errorReport(e: unknown): ErrorReport {
  if (typeof e === 'object' && e !== null) {
    const o = e as { name?: unknown; message?: unknown; code?: unknown };
    return { name: String(o.name ?? 'Error'), message: String(o.message ?? e), ...(typeof o.code === 'string' ? { code: o.code } : {}) };
  }
  return { name: 'Thrown', message: String(e) };
}

function requireVmModules(): void {
  if (typeof (vm as any).SourceTextModule !== 'function') {
    throw new Error('the k6 harness needs `node --experimental-vm-modules`; use startK6Harness(), which starts such a child process');
  }
}

/** One VU: a context, its module graph, and the host recording what it does. */
export class K6Vu {
  readonly context: vm.Context;
  readonly host: VuHost;
  namespace: Record<string, unknown> | undefined;
  private readonly standIns: { globals: Record<string, unknown>; modules: Record<string, Record<string, unknown>> };
  private readonly modules = new Map<string, vm.Module>();

  constructor(readonly script: string, private readonly source: string | undefined, env: Record<string, string>, vu: number, idInTest: number, scenario: string, store: EventStoreStandIn) {
    requireVmModules();
    this.context = createK6Context(`k6 VU ${vu} (idInTest ${idInTest})`);
    this.host = new VuHost(vu, idInTest, scenario, store, script);
    this.standIns = vm.runInContext(STAND_INS, this.context)(this.host);
    const g = vm.runInContext('globalThis', this.context) as Record<string, unknown>;
    g.console = this.standIns.globals.console;
    g.open = this.standIns.globals.open;
    g.__ENV = vm.runInContext(`(${JSON.stringify(env)})`, this.context);
    g.__VU = 0;
    g.__ITER = 0;
  }

  /** Runs the init context: loads and evaluates the script and what it imports. */
  async init(): Promise<void> {
    const main = this.load(pathToFileURL(this.script).href, this.source);
    await main.link((specifier, referencing) => this.resolve(specifier, referencing));
    await main.evaluate();
    this.namespace = main.namespace as Record<string, unknown>;
  }

  /** Calls the iteration function once (as k6 would, with `data` from setup). */
  iterate(fnName = 'default', data?: unknown): unknown {
    const g = vm.runInContext('globalThis', this.context) as Record<string, unknown>;
    this.host.phase = 'vu';
    g.__VU = this.host.vu;
    g.__ITER = this.host.iterationInInstance;
    const fn = this.namespace?.[fnName];
    if (typeof fn !== 'function') throw new Error(`the script exports no function ${JSON.stringify(fnName)}`);
    try {
      return fn(data);
    } finally {
      this.host.iterationInInstance++;
    }
  }

  globalNames(): string[] {
    return vm.runInContext('Object.getOwnPropertyNames(globalThis)', this.context) as string[];
  }

  toJson(value: unknown): string | undefined {
    return (vm.runInContext('JSON.stringify', this.context) as (v: unknown) => string | undefined)(value);
  }

  private load(url: string, source?: string): vm.Module {
    let m = this.modules.get(url);
    if (m === undefined) {
      const text = source ?? readFileSync(fileURLToPath(url), 'utf8');
      m = new (vm as any).SourceTextModule(text, { identifier: url, context: this.context }) as vm.Module;
      this.modules.set(url, m);
    }
    return m;
  }

  private resolve(specifier: string, referencing: vm.Module): vm.Module {
    const standIn = this.standIns.modules[specifier];
    if (standIn !== undefined) {
      let m = this.modules.get(specifier);
      if (m === undefined) {
        const names = Object.keys(standIn);
        m = new (vm as any).SyntheticModule(names, function (this: any) {
          for (const n of names) this.setExport(n, standIn[n]);
        }, { identifier: specifier, context: this.context }) as vm.Module;
        this.modules.set(specifier, m);
      }
      return m;
    }
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('file:')) {
      return this.load(new URL(specifier, referencing.identifier).href);
    }
    throw new Error(`module ${JSON.stringify(specifier)} (imported by ${referencing.identifier}) is not available in k6`);
  }
}

/** Runs a job in this process (needs --experimental-vm-modules). */
export async function runK6Job(job: K6Job): Promise<K6RunReport> {
  const env = job.env ?? {};
  const scenario = job.scenario ?? 'default';
  const store = new EventStoreStandIn();
  const report: K6RunReport = { options: null, optionsExecReadInInit: [], vus: [] };

  // k6 first runs the init context once just to read `options`.
  const probe = new K6Vu(job.script, job.source, env, 0, 0, scenario, store);
  try {
    await probe.init();
    const options = probe.namespace?.options;
    report.options = options === undefined ? null : probe.toJson(options) ?? null;
  } catch (e) {
    report.optionsError = errorReport(e);
  }
  report.optionsExecReadInInit = probe.host.execReadInInit;
  if (report.optionsError) return report;

  let data: unknown;
  if (typeof probe.namespace?.setup === 'function') {
    const setupVu = new K6Vu(job.script, job.source, env, 0, 0, scenario, store);
    try {
      await setupVu.init();
      setupVu.host.phase = 'setup';
      data = JSON.parse(setupVu.toJson((setupVu.namespace!.setup as () => unknown)()) ?? 'null');
    } catch (e) {
      report.setupError = errorReport(e);
      return report;
    }
  }

  const vus = job.vus.map((idInTest, i) => new K6Vu(job.script, job.source, env, i + 1, idInTest, scenario, store));
  const initErrors = new Map<K6Vu, ErrorReport>();
  for (const vu of vus) {
    try {
      await vu.init();
    } catch (e) {
      initErrors.set(vu, errorReport(e));
    }
  }
  let iterationInTest = 0;
  for (const vu of vus) {
    const iterations: K6VuReport['iterations'] = [];
    const globals = vu.globalNames();
    if (!initErrors.has(vu)) {
      for (let i = 0; i < job.iterations; i++) {
        vu.host.iterationInTest = job.iterationIdsInTest === undefined ? iterationInTest++ : job.iterationIdsInTest[iterationInTest++]!;
        try {
          const result = vu.iterate(job.exec, data);
          iterations.push(result === undefined ? {} : { result: vu.toJson(result) });
        } catch (e) {
          iterations.push({ error: errorReport(e) });
        }
      }
    }
    const h = vu.host;
    report.vus.push({
      vu: h.vu, idInTest: h.idInTest, execReadInInit: h.execReadInInit, ...(initErrors.has(vu) ? { initError: initErrors.get(vu)! } : {}),
      iterations, requests: h.requests, checks: h.checks, metrics: h.metrics, logs: h.logs, globals,
    });
  }
  return report;
}

/**
 * `exec.vu.idInTest` values one instance owns under `--execution-segment`, following k6's
 * SegmentedIndex: the first id is start + 1, then the striped offsets repeat. For the sequence
 * `0,1/2,1`, segment `0:1/2` is { start: 0, offsets: [2] } and `1/2:1` is { start: 1, offsets: [2] }.
 */
export function segmentVuIds(start: number, offsets: number[], count: number): number[] {
  const ids: number[] = [];
  let unscaled = 0;
  for (let scaled = 0; scaled < count; scaled++) {
    unscaled += scaled === 0 ? start + 1 : offsets[(scaled - 1) % offsets.length]!;
    ids.push(unscaled);
  }
  return ids;
}

/** A child process with --experimental-vm-modules that runs jobs sent to it. */
export interface K6HarnessProcess {
  run(job: K6Job): Promise<K6RunReport>;
  close(): Promise<void>;
}

/** Node flags the harness child runs with. */
export const HARNESS_EXEC_ARGV = ['--import', 'tsx', '--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];

export function startK6Harness(extraExecArgv: string[] = []): K6HarnessProcess {
  const child: ChildProcess = fork(fileURLToPath(new URL('./k6HarnessChild.ts', import.meta.url)), [], {
    execArgv: [...HARNESS_EXEC_ARGV, ...extraExecArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: K6RunReport) => void; reject: (e: Error) => void }>();
  child.on('message', (msg: { id: number; report?: K6RunReport; error?: string }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error !== undefined) p.reject(new Error(msg.error));
    else p.resolve(msg.report!);
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`k6 harness child exited with code ${code}`));
    pending.clear();
  });
  return {
    run(job) {
      const id = nextId++;
      return new Promise<K6RunReport>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, job });
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      });
    },
  };
}
