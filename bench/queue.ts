/**
 * The PostgreSQL work queue: ingest throughput with one and with two worker
 * processes (same corpus, same run, fresh schema each), the queue's own cost
 * per job (no-op jobs through one worker), and the ceiling the database puts
 * on the whole thing: article writes are serialised (one advisory lock, see
 * src/store/postgres.ts), so stored articles per second can never exceed the
 * rate of store.put() back to back. Skips with a note when no PostgreSQL is
 * reachable (UNSPIN_TEST_PG, or initdb/pg_ctl for a private cluster).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { BenchResult } from './types.ts';
import { syntheticArticle } from './corpus.ts';
import { testPostgres } from '../src/store/pg-testing.ts';
import { enqueue, enqueueNoops, queueConfig, runWorker } from '../src/queue/queue.ts';
import { PostgresStore } from '../src/store/postgres.ts';
import { analyze } from '../src/pipeline.ts';
import { fromText } from '../src/article/ingest.ts';
import { contentHash } from '../src/corpus/meta.ts';

const ROOT = resolve(import.meta.dirname, '..');
const N = Number(process.env.UNSPIN_BENCH_QUEUE_N ?? 120);
const NOOPS = 2000;

async function query<T = any>(url: string, q: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(q)).rows;
  } finally {
    await c.end();
  }
}

/** Articles per second between the first and the last finished job (worker start-up, which loads the models, is left out). */
async function drained(url: string, schema: string): Promise<number> {
  const [r] = await query(url, `select count(*)::int as n, extract(epoch from max(finished_at) - min(finished_at))::float8 as s from "${schema}_queue".unspin_done`);
  return (r.n - 1) / r.s;
}

async function ingestWith(url: string, file: string, workers: number, tag: string): Promise<number> {
  const schema = `bench_queue_${tag}_${process.pid}`;
  const db = `${url}?schema=${schema}`;
  try {
    const res = await enqueue(queueConfig(db), [file]);
    if (res.queued !== N) throw new Error(`queued ${res.queued} of ${N}`);
    // Create the store's tables first, so the workers do not race to migrate.
    await (await PostgresStore.open(db)).close();
    await Promise.all(
      Array.from({ length: workers }, () =>
        new Promise<void>((ok, fail) => {
          const p = spawn(process.execPath, [join(ROOT, 'bin/unspin.js'), 'worker', '--db', db, '--until-empty', '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
          p.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`worker exited with ${code}`))));
        }),
      ),
    );
    const [{ n }] = await query(url, `select count(*)::int as n from "${schema}".articles`);
    if (n !== N) throw new Error(`${n} of ${N} articles stored`);
    return await drained(url, schema);
  } finally {
    await query(url, `drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_queue" cascade`);
  }
}

export async function bench(): Promise<BenchResult[]> {
  const server = await testPostgres();
  if ('skip' in server) return [{ name: 'work queue (PostgreSQL)', value: 0, unit: 'articles/s', note: `skipped: ${server.skip}` }];
  const url = server.url;
  const tmp = mkdtempSync(join(tmpdir(), 'unspin-bench-queue-'));
  try {
    const file = join(tmp, 'corpus.jsonl');
    const arts = Array.from({ length: N }, (_, i) => syntheticArticle(i));
    writeFileSync(file, arts.map((a, i) => JSON.stringify({ title: a.title, text: a.text, outlet: a.outlet, url: `https://${a.outlet}/story/${i}` })).join('\n') + '\n');

    const one = await ingestWith(url, file, 1, 'w1');
    const two = await ingestWith(url, file, 2, 'w2');

    // The queue's own cost: no-op jobs through one worker (concurrency 1), i.e. take, run nothing, complete.
    const noopSchema = `bench_queue_noop_${process.pid}`;
    const cfg = queueConfig(`${url}?schema=${noopSchema}`);
    let noopRate: number;
    let noopRate8: number;
    try {
      const noops = async (concurrency: number) => {
        await enqueueNoops(cfg, NOOPS);
        const t0 = performance.now();
        await runWorker(cfg, { untilEmpty: true, concurrency, analyze: (a) => { throw new Error(`unexpected ${a.title}`); } });
        return NOOPS / ((performance.now() - t0) / 1000);
      };
      noopRate = await noops(1);
      noopRate8 = await noops(8);
    } finally {
      await query(url, `drop schema if exists "${noopSchema}" cascade; drop schema if exists "${noopSchema}_queue" cascade`);
    }

    // The database's ceiling: analysed articles stored back to back (writes are serialised cluster-wide).
    const putSchema = `bench_queue_put_${process.pid}`;
    const store = await PostgresStore.open(url, { schema: putSchema });
    let putRate: number;
    let analyzeRate: number;
    try {
      analyze(fromText(arts[0].text, { title: arts[0].title })); // loads the models outside the timing
      const t1 = performance.now();
      const analyses = arts.map((a) => analyze(fromText(a.text, { title: a.title, outlet: a.outlet })));
      analyzeRate = N / ((performance.now() - t1) / 1000);
      const t2 = performance.now();
      for (const [i, a] of analyses.entries()) await store.put(a, { canonicalUrl: `https://${arts[i].outlet}/story/${i}`, contentHash: contentHash(a.document.text) });
      putRate = N / ((performance.now() - t2) / 1000);
    } finally {
      await store.dropSchema();
      await store.close();
    }

    return [
      { name: `queue ingest, 1 worker process (${N} synthetic articles)`, value: one, unit: 'articles/s', baseline: { name: 'analyze() in-process, no queue, no store', value: analyzeRate } },
      { name: 'queue ingest, 2 worker processes', value: two, unit: 'articles/s', baseline: { name: '1 worker process', value: one }, note: `ratio ${(two / one).toFixed(2)}` },
      { name: 'queue overhead, no-op jobs, 1 worker', value: noopRate, unit: 'jobs/s', note: `${(1000 / noopRate).toFixed(2)} ms per job` },
      { name: 'queue overhead, no-op jobs, 1 worker with concurrency 8', value: noopRate8, unit: 'jobs/s', baseline: { name: 'concurrency 1', value: noopRate } },
      { name: 'store.put back to back (the write ceiling)', value: putRate, unit: 'articles/s', note: `${(1000 / putRate).toFixed(1)} ms per article, under the cluster-wide write lock` },
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await bench()) console.log(JSON.stringify(r));
  process.exit(0);
}
