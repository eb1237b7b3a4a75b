// Real database servers for the export tests. The usual local servers are used when they
// answer (PostgreSQL 127.0.0.1:5432, MariaDB 127.0.0.1:3306); otherwise a throwaway server is
// started from Debian's packages on a temp data directory and a free port, and removed after.
// MOCKJUTSU_TEST_OWN_DB=1 forces the throwaway servers (to test this file itself).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';

const HOST = '127.0.0.1';
const forceOwn = process.env['MOCKJUTSU_TEST_OWN_DB'] === '1';
const isRoot = process.getuid?.() === 0;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** True when `command` can be run (found on PATH or as a path). */
export function hasCommand(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).error === undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- PostgreSQL

/** Where the tests' PostgreSQL listens; `stop` also removes a throwaway server. */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  database: string;
  /** Environment for psql (PGHOST, PGPORT, PGUSER, PGDATABASE). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function pgAnswers(port: number, user: string, database: string): Promise<boolean> {
  const client = new pg.Client({ host: HOST, port, user, database, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error('no PostgreSQL on 127.0.0.1:5432 and no /usr/lib/postgresql/*/bin/initdb to start one (apt-get install postgresql)');
  return join(base, versions[0]!, 'bin');
}

/** initdb and postgres refuse to run as root: run them as the postgres user then. */
function runAsPostgres(command: string, args: string[]): void {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function startThrowawayPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'mj-pg-'));
  const data = join(dir, 'data');
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  try {
    runAsPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    runAsPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o',
      `-p ${port} -k ${dir} -c listen_addresses=${HOST} -c fsync=off -c full_page_writes=off`, 'start']);
    const admin = new pg.Client({ host: HOST, port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query('CREATE DATABASE test');
    await admin.end();
  } catch (e) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a throwaway PostgreSQL: ${(e as Error).message}\n${log}`);
  }
  return {
    host: HOST, port, user: 'postgres', database: 'test',
    env: { ...process.env, PGHOST: HOST, PGPORT: String(port), PGUSER: 'postgres', PGDATABASE: 'test' },
    async stop() {
      try {
        runAsPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The local PostgreSQL (user postgres or root, database test), or a throwaway one. */
export async function postgresServer(): Promise<PostgresServer> {
  if (!forceOwn) {
    for (const user of ['postgres', 'root']) {
      if (await pgAnswers(5432, user, 'test')) {
        return {
          host: HOST, port: 5432, user, database: 'test',
          env: { ...process.env, PGHOST: HOST, PGPORT: '5432', PGUSER: user, PGDATABASE: 'test' },
          stop: async () => undefined,
        };
      }
    }
  }
  return startThrowawayPostgres();
}

// ---------------------------------------------------------------- MariaDB / MySQL

/** Where the tests' MariaDB listens (user root, empty password). */
export interface MariadbServer {
  host: string;
  port: number;
  user: string;
  stop(): Promise<void>;
}

async function mariadbAnswers(port: number): Promise<boolean> {
  try {
    const c = await mysql.createConnection({ host: HOST, port, user: 'root', password: '', connectTimeout: 3000 });
    await c.end();
    return true;
  } catch {
    return false;
  }
}

function firstExisting(candidates: string[], what: string): string {
  const found = candidates.find((c) => (c.includes('/') ? existsSync(c) : hasCommand(c)));
  if (found === undefined) throw new Error(`no MariaDB on 127.0.0.1:3306 and no ${what} to start one (apt-get install mariadb-server)`);
  return found;
}

async function startThrowawayMariadb(): Promise<MariadbServer> {
  const installDb = firstExisting(['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db', 'mariadb-install-db'], 'mariadb-install-db');
  const server = firstExisting(['/usr/sbin/mariadbd', '/usr/sbin/mysqld', 'mariadbd'], 'mariadbd');
  const dir = mkdtempSync(join(tmpdir(), 'mj-mariadb-'));
  const data = join(dir, 'data');
  const asUser = isRoot ? ['--user=root'] : [];
  const port = await freePort();
  let child: ChildProcess | undefined;
  try {
    execFileSync(installDb, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asUser], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawn(server, [
      '--no-defaults', `--datadir=${data}`, `--port=${port}`, `--bind-address=${HOST}`, `--socket=${join(dir, 'mysqld.sock')}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${join(dir, 'error.log')}`, '--skip-grant-tables',
      '--innodb-flush-log-at-trx-commit=0', ...asUser,
    ], { stdio: 'ignore' });
    const started = Date.now();
    while (!(await mariadbAnswers(port))) {
      if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`mariadbd did not come up (exit ${child.exitCode})`);
      await sleep(250);
    }
  } catch (e) {
    child?.kill('SIGKILL');
    const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a throwaway MariaDB: ${(e as Error).message}\n${log}`);
  }
  const proc = child;
  return {
    host: HOST, port, user: 'root',
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, sleep(20_000)]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The local MariaDB/MySQL (root, empty password), or a throwaway one. */
export async function mariadbServer(): Promise<MariadbServer> {
  if (!forceOwn && (await mariadbAnswers(3306))) return { host: HOST, port: 3306, user: 'root', stop: async () => undefined };
  return startThrowawayMariadb();
}
