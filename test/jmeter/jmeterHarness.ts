// Runs the real things for the JMeter bridge tests and benchmark: the sidecar (`node dist/cli.js
// serve`), the code-built plan runner, `jmeter -n -t` and `jmeter-server` engines, all on JMeter
// 5.6.3 (JMETER_HOME, default the home scripts/ci/install-jmeter.sh assembles).
// Every child process is tracked, bounded by a timeout and killed by killChildren(); only
// 127.0.0.1 is used.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildJmeterJar, jmeterHome, JMETER_VERSION, PLUGIN_JAR, LAUNCHER_JAR } from '../../scripts/buildJmeterJar.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const JMETER_HOME: string = jmeterHome();
export const CLI = join(ROOT, 'dist', 'cli.js');
export { JMETER_VERSION, PLUGIN_JAR, LAUNCHER_JAR };
const JMETER = join(JMETER_HOME, 'bin', 'jmeter');
const JMETER_SERVER = join(JMETER_HOME, 'bin', 'jmeter-server');
/** Heap of every JMeter JVM the tests start (JMeter's own default is 1 GB each). */
const TEST_HEAP = '-Xms128m -Xmx512m -XX:MaxMetaspaceSize=256m';

/** Why JMeter 5.6.3 cannot be run here, or null. */
export function jmeterMissing(): string | null {
  const needed = [join(JMETER_HOME, 'bin', 'ApacheJMeter.jar'), join(JMETER_HOME, 'lib', 'ext', 'ApacheJMeter_core.jar'), JMETER, JMETER_SERVER];
  const missing = needed.filter((p) => !existsSync(p));
  if (missing.length) {
    return `JMeter ${JMETER_VERSION} is not installed (missing ${missing.join(', ')}): run scripts/ci/install-jmeter.sh, or set JMETER_HOME to a JMeter ${JMETER_VERSION} home`;
  }
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) return 'JMeter is not usable: no `java` on the PATH';
  return null;
}

/**
 * In a before() hook: skips the suite when JMeter is missing, except under CI=true, where a
 * missing engine is a failure (CI installs it with scripts/ci/install-jmeter.sh).
 */
export function requireJmeter(ctx: Mocha.Context): void {
  const missing = jmeterMissing();
  if (!missing) return;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${missing}`);
  console.log(`      skipped: ${missing}`);
  ctx.skip();
}

/**
 * In a before() hook: builds the jars (see buildJars); when Maven or a JDK is missing, skips the
 * suite, except under CI=true, where that fails. A build that fails (javac, JUnit) always fails.
 */
export async function requireJars(ctx: Mocha.Context): Promise<void> {
  try {
    await buildJars();
  } catch (err) {
    const message = (err as Error).message;
    if (process.env.CI === 'true' || !message.startsWith('cannot build the mockjutsu JMeter plugin jar')) throw err;
    console.log(`      skipped: ${message}`);
    ctx.skip();
  }
}

let built: Promise<unknown> | undefined;
/** Builds the plugin and launcher jars once per process (required: a missing JDK fails loudly). */
export function buildJars(): Promise<unknown> {
  built ??= buildJmeterJar({ required: true });
  return built;
}

// ------------------------------------------------------------------ processes

const children = new Set<ChildProcess>();
/** Children started as the leader of their own process group (killed with the whole group). */
const groupLeaders = new WeakSet<ChildProcess>();

function track(child: ChildProcess, group = false): ChildProcess {
  children.add(child);
  if (group) groupLeaders.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  if (groupLeaders.has(child) && child.pid) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // the group is gone already
    }
  }
  child.kill(signal);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => child.once('exit', () => res()));
}

/** Kills every child process still running (after hooks). */
export async function killChildren(): Promise<void> {
  const all = [...children];
  for (const c of all) kill(c, 'SIGKILL');
  await Promise.all(all.map(exited));
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mockjutsu-jmeter-'));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ sidecar

export interface SidecarOptions {
  port: number;
  seed?: string;
  token?: string;
  /** More `serve` arguments (e.g. `--pool NAME=FILE`, `--schema NAME=FILE`). */
  args?: string[];
}

/** The real sidecar, `node dist/cli.js serve --port P --host 127.0.0.1 [--seed S] [--token T]`. */
export class Sidecar {
  private child: ChildProcess | undefined;
  private output = '';
  constructor(readonly options: SidecarOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** What the sidecar wrote (stdout and stderr), for failure messages. */
  get log(): string {
    return this.output;
  }

  async start(timeoutMs = 15000): Promise<this> {
    const args = [CLI, 'serve', '--port', String(this.options.port), '--host', '127.0.0.1'];
    if (this.options.seed !== undefined) args.push('--seed', this.options.seed);
    if (this.options.token !== undefined) args.push('--token', this.options.token);
    args.push(...(this.options.args ?? []));
    const child = track(spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
    this.child = child;
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`the sidecar exited (${child.exitCode}) at start: node ${args.join(' ')}\n${this.output}`);
      }
      try {
        const headers: Record<string, string> = {};
        if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
        const r = await fetch(`${this.url}/health`, { headers });
        if (r.ok) return this;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the sidecar did not answer /health within ${timeoutMs} ms\n${this.output}`);
      await sleep(50);
    }
  }

  /** Freezes the process (SIGSTOP): connections are still accepted, nothing is answered. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a frozen process go on (SIGCONT). */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops the process (SIGKILL = a crash) and waits for it to be gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGCONT'); // a frozen process would hold a SIGTERM until thawed
    child.kill(signal);
    const gone = exited(child);
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
    this.child = undefined;
  }
}

// ------------------------------------------------------------------ JMeter runs

/** Class path of the code-built plan runner: absolute paths (JMeter's ClassFinder compares them to search_paths). */
function runnerClassPath(): string {
  return [LAUNCHER_JAR, PLUGIN_JAR, join(JMETER_HOME, 'lib', 'ext', '*'), join(JMETER_HOME, 'lib', '*')].join(delimiter);
}

export interface CodePlanOptions {
  dir: string;
  name: string;
  threads: number;
  loops: number;
  exprs: string[];
  vars?: string[];
  props?: Record<string, string | number>;
  group?: string;
  sleepMs?: number;
  /** Bench mode: each sample evaluates its expression this many times, timed in the JVM. */
  bench?: number;
  timeoutMs?: number;
  jvmArgs?: string[];
}

export interface SampleLine {
  thread: string;
  group: string;
  num: number;
  iteration: number;
  label: string;
  message: string;
  value?: string;
  t?: number;
  vars: Record<string, string | null>;
}

export interface CodePlanResult {
  samples: SampleLine[];
  wallNs: number;
  log: string;
  stderr: string;
}

export interface RunningPlan {
  /** Samples written so far. */
  samplesSoFar(): number;
  done: Promise<CodePlanResult>;
}

function readIfExists(p: string): string {
  return existsSync(p) ? readFileSync(p, 'utf8') : '';
}

/** Starts the code-built plan (TestPlan -> ThreadGroup + LoopController -> one sampler per expression). */
export function startCodePlan(o: CodePlanOptions): RunningPlan {
  const out = join(o.dir, `${o.name}.ndjson`);
  const log = join(o.dir, `${o.name}.log`);
  const args = [...(o.jvmArgs ?? []), '-cp', runnerClassPath(), 'io.mockjutsu.jmeter.launcher.CodePlanRunner',
    '--jmeter-home', JMETER_HOME, '--plugin', PLUGIN_JAR,
    '--threads', String(o.threads), '--loops', String(o.loops), '--out', out, '--log', log];
  if (o.group) args.push('--group', o.group);
  if (o.sleepMs) args.push('--sleep-ms', String(o.sleepMs));
  if (o.bench) args.push('--bench', String(o.bench));
  for (const e of o.exprs) args.push('--expr', e);
  for (const v of o.vars ?? []) args.push('--var', v);
  for (const [k, v] of Object.entries(o.props ?? {})) args.push(`-J${k}=${v}`);
  const child = track(spawn('java', args, { cwd: o.dir, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stderr = '';
  child.stdout!.on('data', (d) => (stderr += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timeoutMs = o.timeoutMs ?? 60000;
  const done = new Promise<CodePlanResult>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`code-built plan ${o.name} did not end within ${timeoutMs} ms\n${stderr}\n${readIfExists(log).slice(-4000)}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lines = readIfExists(out).split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const end = lines.find((l) => l.end);
      if (code !== 0 || !end) {
        rej(new Error(`code-built plan ${o.name} failed (exit ${code})\n${stderr}\n${readIfExists(log).slice(-4000)}`));
        return;
      }
      res({ samples: lines.filter((l) => !l.end), wallNs: end.wall_ns, log: readIfExists(log), stderr });
    });
  });
  return {
    samplesSoFar: () => readIfExists(out).split('\n').filter((l) => l.startsWith('{"thread"')).length,
    done,
  };
}

export function runCodePlan(o: CodePlanOptions): Promise<CodePlanResult> {
  return startCodePlan(o).done;
}

export interface JmxResult {
  rows: Record<string, string>[];
  log: string;
  stdout: string;
}

/** Environment of a `bin/jmeter` process: a smaller heap, RMI on 127.0.0.1. */
function jmeterEnv(): NodeJS.ProcessEnv {
  return { ...process.env, HEAP: TEST_HEAP, JVM_ARGS: '-Djava.rmi.server.hostname=127.0.0.1', JMETER_HOME };
}

export interface JmxOptions {
  dir: string;
  name: string;
  plan: string;
  /** -J properties (this JVM). */
  props?: Record<string, string | number>;
  /** -G properties (sent to every remote engine). */
  globalProps?: Record<string, string | number>;
  /** Remote engines (`-R host:port,...`): a distributed run. */
  remotes?: string[];
  sampleVariables?: string[];
  timeoutMs?: number;
}

/**
 * Runs a .jmx in non-GUI mode with plain `jmeter -n -t plan.jmx` (JMeter 5.x opens any plan),
 * the plugin jar on `search_paths`; with `remotes`, as the controller of a distributed run.
 */
export function runJmx(o: JmxOptions): Promise<JmxResult> {
  const jtl = join(o.dir, `${o.name}.jtl`);
  const log = join(o.dir, `${o.name}.log`);
  const args = ['-n', '-t', o.plan, '-l', jtl, '-j', log,
    `-Jsearch_paths=${PLUGIN_JAR}`,
    '-Jjmeter.save.saveservice.output_format=csv',
    '-Jjmeter.save.saveservice.print_field_names=true',
    // no UDP listener for shutdown messages (4445 on every interface by default)
    '-Jjmeterengine.nongui.port=0'];
  if (o.sampleVariables?.length) args.push(`-Jsample_variables=${o.sampleVariables.join(',')}`);
  if (o.remotes?.length) {
    // Standard mode: every sample comes back as it happens; the engines record the sample
    // variables themselves, so they get the list too.
    args.push('-R', o.remotes.join(','), '-Jserver.rmi.ssl.disable=true', '-Jmode=Standard');
    if (o.sampleVariables?.length) args.push(`-Gsample_variables=${o.sampleVariables.join(',')}`);
  }
  for (const [k, v] of Object.entries(o.props ?? {})) args.push(`-J${k}=${v}`);
  for (const [k, v] of Object.entries(o.globalProps ?? {})) args.push(`-G${k}=${v}`);
  const child = track(spawn(JMETER, args, { cwd: o.dir, env: jmeterEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stdout += d));
  const timeoutMs = o.timeoutMs ?? 60000;
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`jmeter -n -t ${o.plan} did not end within ${timeoutMs} ms\n${stdout}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      // JMeter's exit code says little (it can exit 0 on a plan it could not load): the JTL decides.
      const text = readIfExists(jtl);
      if (code !== 0 || !text) {
        rej(new Error(`jmeter -n -t ${o.plan} wrote no results (exit ${code})\n${stdout}\n${readIfExists(log).slice(-4000)}`));
        return;
      }
      res({ rows: parseCsvWithHeader(text), log: readIfExists(log), stdout });
    });
  });
}

export interface RemoteEngine {
  /** host:port of its RMI registry, for `-R`. */
  address: string;
  engineId: string;
  log: () => string;
}

/**
 * A remote engine: `jmeter-server` on 127.0.0.1 with its own RMI registry port, RMI over plain
 * TCP (`server.rmi.ssl.disable=true`), its own `-Jmockjutsu.engine` and the plugin jar on
 * `search_paths`; runs in its own folder (its jmeter-server.log). Resolves once it listens.
 */
export async function startEngine(o: { dir: string; engineId: string; port: number; timeoutMs?: number }): Promise<RemoteEngine> {
  const cwd = join(o.dir, o.engineId);
  mkdirSync(cwd, { recursive: true });
  const args = ['-Jserver.rmi.ssl.disable=true', `-Jserver.rmi.localport=${await freePort()}`,
    `-Jmockjutsu.engine=${o.engineId}`, `-Jsearch_paths=${PLUGIN_JAR}`];
  // its own process group, under `timeout`: killChildren() ends the group, and an engine outlives
  // a crashed test run by 5 minutes at most
  const child = track(spawn('timeout', ['-k', '5', '300', JMETER_SERVER, ...args], {
    cwd, env: { ...jmeterEnv(), SERVER_PORT: String(o.port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  }), true);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const engine = { address: `127.0.0.1:${o.port}`, engineId: o.engineId, log: () => `${out}\n${readIfExists(join(cwd, 'jmeter-server.log'))}` };
  const deadline = Date.now() + (o.timeoutMs ?? 60000);
  while (!out.includes('Created remote object')) {
    if (child.exitCode !== null) throw new Error(`jmeter-server ${o.engineId} exited (${child.exitCode}) at start\n${engine.log()}`);
    if (Date.now() > deadline) throw new Error(`jmeter-server ${o.engineId} did not listen on ${engine.address} in time\n${engine.log()}`);
    await sleep(100);
  }
  return engine;
}

/** RFC 4180 CSV (JMeter quotes fields holding the delimiter, quotes or newlines), first row = names. */
export function parseCsvWithHeader(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      records.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    records.push(row);
  }
  const [header, ...rest] = records;
  if (!header) return [];
  return rest.filter((r) => r.length > 1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
