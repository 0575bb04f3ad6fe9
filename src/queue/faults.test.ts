import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { canRunCluster, startCluster, testPostgres, type Cluster } from '../store/pg-testing.ts';
import { generateArticle } from '../ingest-runner/testing.ts';

/**
 * Faults in a distributed ingest: a worker process killed with SIGKILL in the
 * middle of its batch, and the database restarted under running workers. In
 * both, every article must end up stored exactly once and no job lost. The
 * workers are real `unspin worker` processes running the real pipeline.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/unspin.js');
const N = 40;

// The restart test needs a cluster of its own (restarting a shared server would break other tests).
let cluster: Cluster | null = null;
let clusterError = '';
if (canRunCluster()) {
  try {
    cluster = await startCluster();
  } catch (err) {
    clusterError = (err as Error).message.split('\n')[0];
  }
}
const server = cluster ? { url: cluster.url } : await testPostgres();
const tmp = mkdtempSync(join(tmpdir(), 'unspin-faults-'));
after(() => {
  cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

function exited(p: ChildProcess): Promise<number | null> {
  return p.exitCode !== null ? Promise.resolve(p.exitCode) : new Promise((r) => p.on('exit', (code) => r(code)));
}

async function sql<T = any>(url: string, q: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  try {
    return (await c.query(q)).rows;
  } finally {
    await c.end().catch(() => {});
  }
}

async function stored(url: string, schema: string): Promise<number> {
  try {
    return (await sql(url, `select count(*)::int as n from "${schema}".articles`))[0].n;
  } catch {
    return 0; // not migrated yet, or the server is restarting
  }
}

/** Writes N generated articles, each with its own URL, as a JSONL file, and queues them. */
async function queueCorpus(url: string, schema: string): Promise<string> {
  const dir = join(tmp, schema);
  mkdirSync(dir);
  const lines = Array.from({ length: N }, (_, i) => {
    const a = generateArticle(i + 1000, { paragraphs: 2 });
    return JSON.stringify({ title: a.title, text: a.text, url: a.url, outlet: a.outlet, published: a.published });
  });
  writeFileSync(join(dir, 'corpus.jsonl'), lines.join('\n') + '\n');
  const db = `${url}?schema=${schema}`;
  const p = cli(['ingest', '--queue', dir, '--db', db]);
  assert.equal(await exited(p), 0);
  return db;
}

async function waitFor(cond: () => Promise<boolean>, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every queued article stored once, no job left or failed. */
async function assertExactlyOnce(url: string, schema: string) {
  const [{ n, urls }] = await sql(url, `select count(*)::int as n, count(distinct canonical_url)::int as urls from "${schema}".articles`);
  assert.equal(n, N, 'every article is stored');
  assert.equal(urls, N, 'no article is stored twice');
  const [jobs] = await sql(url, `select count(*)::int as n from "${schema}_queue"._private_jobs`);
  assert.equal(jobs.n, 0, 'no job left waiting, locked or failed');
  const [done] = await sql(url, `select count(*)::int as n from "${schema}_queue".unspin_done`);
  assert.equal(done.n, N);
}

if ('skip' in server) {
  test('queue faults (kill -9, database restart)', { skip: server.skip }, () => {});
} else {
  const url = server.url;

  test('kill -9 of a worker mid-batch: the other worker frees its jobs and every article is stored exactly once', { timeout: 240_000 }, async () => {
    const schema = `faults_kill_${process.pid}`;
    const db = await queueCorpus(url, schema);
    const victim = cli(['worker', '--db', db, '--concurrency', '2', '--quiet', '--stale', '3']);
    const survivor = cli(['worker', '--db', db, '--concurrency', '2', '--quiet', '--stale', '3', '--until-empty']);
    let log = '';
    survivor.stderr!.on('data', (d) => (log += d));
    try {
      await waitFor(async () => (await stored(url, schema)) >= 8, 120_000, 'the first articles');
      // The victim must hold jobs when it dies, so that they need freeing.
      await waitFor(async () => (await sql(url, `select count(*)::int as n from "${schema}_queue"._private_jobs where locked_by is not null`))[0].n > 0, 30_000, 'a locked job');
      victim.kill('SIGKILL');
      await exited(victim);
      const at = await stored(url, schema);
      assert.ok(at < N, `the kill came mid-batch (${at} of ${N} stored)`);
      assert.equal(await exited(survivor), 0, log);
      await assertExactlyOnce(url, schema);
    } finally {
      victim.kill('SIGKILL');
      survivor.kill('SIGKILL');
    }
  });

  test('PostgreSQL restarted under two running workers: they reconnect and finish, nothing lost or doubled', { timeout: 240_000, skip: cluster ? false : `needs a private cluster it may restart (initdb/pg_ctl${clusterError ? `: ${clusterError}` : ' not usable here'})` }, async () => {
    const schema = `faults_restart_${process.pid}`;
    const db = await queueCorpus(url, schema);
    const workers = [0, 1].map(() => cli(['worker', '--db', db, '--concurrency', '2', '--quiet', '--stale', '5', '--until-empty']));
    const logs = ['', ''];
    workers.forEach((w, i) => w.stderr!.on('data', (d) => (logs[i] += d)));
    try {
      await waitFor(async () => (await stored(url, schema)) >= 8, 120_000, 'the first articles');
      cluster!.restart();
      const at = await stored(url, schema);
      assert.ok(at < N, `the restart came mid-run (${at} of ${N} stored)`);
      const codes = await Promise.all(workers.map(exited));
      assert.deepEqual(codes, [0, 0], logs.join('\n'));
      await assertExactlyOnce(url, schema);
    } finally {
      for (const w of workers) w.kill('SIGKILL');
    }
  });
}
