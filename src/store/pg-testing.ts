import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * PostgreSQL for tests and the bench: the server named by UNSPIN_TEST_PG, or a
 * private throw-away cluster started with initdb + pg_ctl when those are
 * installed, or a reason to skip.
 */

export interface Cluster {
  url: string;
  /** pg_ctl restart (fast shutdown: open connections are cut). */
  restart(): void;
  stop(): void;
}

/** The directory holding initdb and pg_ctl, or null. */
export function pgBin(): string | null {
  const candidates: string[] = [];
  for (const d of (process.env.PATH ?? '').split(':')) if (d) candidates.push(d);
  try {
    for (const v of readdirSync('/usr/lib/postgresql').sort().reverse()) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {}
  return candidates.find((d) => existsSync(join(d, 'pg_ctl')) && existsSync(join(d, 'initdb'))) ?? null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function reachable(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.query('select 1');
    return null;
  } catch (err) {
    return (err as Error).message || String((err as NodeJS.ErrnoException).code);
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * Starts a private cluster on a free port (as the postgres user when running
 * as root, since initdb refuses root). Throws when it cannot.
 */
export async function startCluster(): Promise<Cluster> {
  const bin = pgBin();
  if (!bin) throw new Error('initdb/pg_ctl not found');
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'unspin-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const as = (args: string[]) => {
    if (!root) return execFileSync(args[0], args.slice(1), { stdio: 'pipe' });
    return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')], { stdio: 'pipe' });
  };
  if (root) {
    chmodSync(dir, 0o777);
  }
  as([join(bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const ctl = (cmd: string, extra: string[] = []) =>
    as([join(bin, 'pg_ctl'), '-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', ...extra, cmd]);
  ctl('start');
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => void ctl('restart', ['-m', 'fast']),
    stop: () => {
      try {
        ctl('stop', ['-m', 'immediate']);
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
  process.on('exit', () => {
    try {
      cluster.stop();
    } catch {}
  });
  return cluster;
}

let shared: Promise<{ url: string } | { skip: string }> | null = null;

/**
 * The server tests use: UNSPIN_TEST_PG when set (it must answer), otherwise a
 * private cluster started once per test process, otherwise { skip } with why.
 */
export function testPostgres(): Promise<{ url: string } | { skip: string }> {
  shared ??= (async () => {
    const env = process.env.UNSPIN_TEST_PG;
    if (env) {
      const why = await reachable(env);
      return why ? { skip: `PostgreSQL at UNSPIN_TEST_PG is not reachable (${why})` } : { url: env };
    }
    if (!pgBin()) return { skip: 'no PostgreSQL: set UNSPIN_TEST_PG=postgres://… or install PostgreSQL (initdb, pg_ctl) to run these tests' };
    try {
      const c = await startCluster();
      return { url: c.url };
    } catch (err) {
      return { skip: `no PostgreSQL: UNSPIN_TEST_PG is unset and a private cluster did not start (${(err as Error).message.split('\n')[0]})` };
    }
  })();
  return shared;
}

/** Whether the su postgres route (root) or a plain user can run pg_ctl here. */
export function canRunCluster(): boolean {
  if (!pgBin()) return false;
  if (process.getuid?.() !== 0) return true;
  return spawnSync('id', ['postgres']).status === 0;
}

let n = 0;
/** A fresh schema name for one store under test. */
export function scratchSchema(prefix = 't'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${n++}`;
}
