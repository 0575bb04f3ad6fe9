import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { Logger, makeWorkerUtils, run, type Runner, type Task } from 'graphile-worker';
import type { Article } from '../article/types.ts';
import type { Analysis } from '../document/types.ts';
import { fromBytes, ingest, type IngestOptions } from '../article/index.ts';
import { IngestError } from '../article/errors.ts';
import { canonicalUrl, contentHash } from '../corpus/meta.ts';
import { JSONL_EXT, fromJson, urlList, walk } from '../ingest-runner/sources.ts';
import { completeArticle } from '../ingest-runner/run.ts';
import { PostgresStore, parsePostgresUrl } from '../store/postgres.ts';

/**
 * The distributed work queue: graphile-worker jobs in the corpus's own
 * PostgreSQL database. `enqueue` turns inputs into one job per article;
 * `runWorker` (any number of processes on any number of machines) takes jobs,
 * fetches, analyses and stores each; graphile-worker retries a failed job with
 * exponential backoff (e^attempt seconds) until it has had maxAttempts, after
 * which it stays in the table, failed, with its last error. The store's
 * identity (canonical URL, content hash) makes a retry of a job that had
 * already stored its article a no-op, so nothing is ever stored twice.
 *
 * A worker process that dies (kill -9, lost machine) leaves its jobs locked;
 * graphile-worker itself would only free them after 4 hours. So every worker
 * process records a heartbeat for its graphile worker ids, and every live
 * process frees the jobs of workers whose heartbeat stopped (`staleSeconds`).
 */

/**
 * graphile-worker retries its own bookkeeping queries (get, complete, fail a
 * job) on the error codes it lists as transient, but not on those a server
 * restart or a cut connection gives; a completion lost that way is an
 * unhandled rejection that ends the process. Treat those as transient too.
 */
const TRANSIENT = { minDelay: 300, maxDelay: 5000 };
{
  const codes = createRequire(import.meta.url)('graphile-worker/dist/lib.js').RETRYABLE_ERROR_CODES as Record<string, unknown>;
  for (const c of ['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']) codes[c] ??= TRANSIENT;
}

export const INGEST_TASK = 'unspin_ingest';
export const NOOP_TASK = 'unspin_noop';

export type Payload =
  | { kind: 'url'; label: string; url: string; opts?: JobOptions }
  | { kind: 'file'; label: string; name: string; content: string; opts?: JobOptions }
  | { kind: 'record'; label: string; record: Record<string, unknown>; opts?: JobOptions };

export interface JobOptions {
  lang?: string;
  allowPrivate?: boolean;
  timeoutMs?: number;
}

export interface QueueConfig {
  /** The store's URL (postgres://…, optionally ?schema=). */
  storeUrl: string;
  /** Connection string without our ?schema= parameter. */
  connectionString: string;
  /** The schema graphile-worker and the worker registry live in. */
  schema: string;
}

export function queueConfig(storeUrl: string): QueueConfig {
  if (!/^postgres(ql)?:\/\//i.test(storeUrl)) {
    throw new IngestError('bad-url', 'the work queue needs a PostgreSQL database: give --db postgres://… or set UNSPIN_DATABASE_URL');
  }
  const { connectionString, schema } = parsePostgresUrl(storeUrl);
  return { storeUrl, connectionString, schema: schema ? `${schema}_queue` : 'graphile_worker' };
}

const quiet = new Logger(() => () => {});

async function withClient<T>(cfg: QueueConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: cfg.connectionString });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}

/** Creates graphile-worker's schema (its migrations) and the worker registry. */
export async function prepareQueue(cfg: QueueConfig): Promise<void> {
  const utils = await makeWorkerUtils({ connectionString: cfg.connectionString, schema: cfg.schema, logger: quiet });
  try {
    await utils.migrate();
  } finally {
    await utils.release();
  }
  await withClient(cfg, async (c) => {
    const s = pg.escapeIdentifier(cfg.schema);
    await c.query(`create table if not exists ${s}.unspin_workers (worker_id text primary key, host text, pid integer, heartbeat_at timestamptz not null)`);
    // Outcome of every job that finished, so `unspin jobs` can count done work (graphile-worker deletes completed jobs).
    await c.query(`create table if not exists ${s}.unspin_done (key text primary key, label text, status text not null, article_id bigint, finished_at timestamptz not null default now())`);
  }).catch((err) => {
    // Two workers starting at once may race on create table; the loser finds it there.
    if ((err as { code?: string }).code !== '23505' && (err as { code?: string }).code !== '42P07') throw err;
  });
}

// ---- enqueueing -------------------------------------------------------------

export interface EnqueueFailure {
  label: string;
  code: string;
  message: string;
}

const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

/** One payload per article the inputs hold; problems found before any job exists are reported, not queued. */
export async function* payloads(inputs: string[], opts: JobOptions = {}): AsyncGenerator<{ key: string; payload: Payload } | { failure: EnqueueFailure }> {
  const o = Object.keys(opts).length ? opts : undefined;
  const urlJob = (url: string) => ({ key: `url:${canonicalUrl(url) ?? url}`, payload: { kind: 'url' as const, label: url, url, opts: o } });
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      yield urlJob(input);
      continue;
    }
    let st;
    try {
      st = await stat(input);
    } catch {
      yield { failure: { label: input, code: 'not-found', message: `no such file or folder: ${input}` } };
      continue;
    }
    const files = st.isDirectory() ? await walk(input) : [input];
    for (const f of files) {
      if (JSONL_EXT.has(extname(f).toLowerCase())) {
        const lines = (await readFile(f, 'utf8')).split(/\r?\n/);
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i].trim();
          if (!line) continue;
          const label = `${f}:${i + 1}`;
          let record: unknown;
          try {
            record = JSON.parse(line);
          } catch (e) {
            yield { failure: { label, code: 'parse', message: `invalid JSON (${(e as Error).message})` } };
            continue;
          }
          if (!record || typeof record !== 'object' || Array.isArray(record)) {
            yield { failure: { label, code: 'parse', message: 'the line is not a JSON object' } };
            continue;
          }
          const o2 = record as Record<string, unknown>;
          const rurl = typeof o2.url === 'string' ? o2.url : typeof o2.link === 'string' ? o2.link : null;
          const cu = rurl ? canonicalUrl(rurl) : null;
          // A record with an address is keyed by it (the same article listed twice is one job), otherwise by its text.
          yield { key: cu ? `url:${cu}` : `record:${sha(line)}`, payload: { kind: 'record', label, record: record as Record<string, unknown>, opts: o } };
        }
        continue;
      }
      const urls = await urlList(f).catch(() => null);
      if (urls) {
        for (const u of urls) yield urlJob(u);
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await readFile(f);
      } catch (e) {
        yield { failure: { label: f, code: 'read-error', message: (e as Error).message } };
        continue;
      }
      yield { key: `file:${sha(bytes)}`, payload: { kind: 'file', label: f, name: f, content: bytes.toString('base64'), opts: o } };
    }
  }
}

export interface EnqueueResult {
  queued: number;
  failed: EnqueueFailure[];
}

/**
 * Adds one job per article. A job key (canonical URL, or a hash of the
 * content) makes enqueueing the same inputs again replace the waiting jobs
 * rather than add copies.
 */
export async function enqueue(cfg: QueueConfig, inputs: string[], opts: JobOptions & { maxAttempts?: number } = {}): Promise<EnqueueResult> {
  await prepareQueue(cfg);
  const { maxAttempts = 5, ...jobOpts } = opts;
  const utils = await makeWorkerUtils({ connectionString: cfg.connectionString, schema: cfg.schema, logger: quiet });
  const result: EnqueueResult = { queued: 0, failed: [] };
  try {
    let batch: { identifier: string; payload: Payload; jobKey: string; maxAttempts: number }[] = [];
    const flush = async () => {
      if (!batch.length) return;
      // addJobs refuses one key twice in a batch: the same article listed twice is queued once.
      const unique = [...new Map(batch.map((b) => [b.jobKey, b])).values()];
      await utils.addJobs(unique);
      result.queued += unique.length;
      batch = [];
    };
    for await (const p of payloads(inputs, jobOpts)) {
      if ('failure' in p) result.failed.push(p.failure);
      else batch.push({ identifier: INGEST_TASK, payload: p.payload, jobKey: p.key, maxAttempts });
      if (batch.length >= 500) await flush();
    }
    await flush();
  } finally {
    await utils.release();
  }
  return result;
}

/** Adds `n` jobs that do nothing (the bench's measure of queue overhead). */
export async function enqueueNoops(cfg: QueueConfig, n: number): Promise<void> {
  await prepareQueue(cfg);
  const utils = await makeWorkerUtils({ connectionString: cfg.connectionString, schema: cfg.schema, logger: quiet });
  try {
    for (let i = 0; i < n; i += 1000) {
      await utils.addJobs(Array.from({ length: Math.min(1000, n - i) }, () => ({ identifier: NOOP_TASK, payload: {} })));
    }
  } finally {
    await utils.release();
  }
}

// ---- working -----------------------------------------------------------------

/** Errors a retry cannot fix: the job fails at once instead of after every attempt. */
const PERMANENT = new Set(['not-found', 'empty', 'binary', 'too-large', 'refused-address', 'too-many-redirects', 'bad-content-type', 'bad-url', 'decode', 'parse']);

function isPermanent(err: unknown): boolean {
  if (!(err instanceof IngestError)) return false;
  if (err.code === 'http-status') return /\b4\d\d\b/.test(err.message) && !/\b(408|429)\b/.test(err.message);
  return PERMANENT.has(err.code);
}

async function loadPayload(p: Payload): Promise<Article> {
  const io: IngestOptions = { allowPrivate: p.opts?.allowPrivate, timeoutMs: p.opts?.timeoutMs };
  let a: Article;
  if (p.kind === 'url') a = await ingest(p.url, io);
  else if (p.kind === 'record') a = fromJson(p.record, p.label);
  else {
    const ext = extname(p.name).toLowerCase();
    const html = ['.html', '.htm', '.xhtml', '.shtml'].includes(ext) ? true : ['.txt', '.text', '.md'].includes(ext) ? false : 'sniff';
    a = fromBytes(Buffer.from(p.content, 'base64'), { name: p.name, html, meta: { source: html === true ? 'html' : 'text' } });
  }
  return p.opts?.lang ? { ...a, language: p.opts.lang } : a;
}

export interface WorkerOptions {
  /** Jobs handled at once by this process (default 1). */
  concurrency?: number;
  /** Analysis threads (default: min(concurrency, cores); 0 analyses on the main thread). */
  threads?: number;
  /** Stop when no job is waiting or running any more (tests, the bench, one-off runs). */
  untilEmpty?: boolean;
  /** A worker whose heartbeat is older than this is taken for dead and its jobs are freed (default 30). */
  staleSeconds?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Replaces the pipeline (tests). */
  analyze?: (a: Article) => Analysis | Promise<Analysis>;
  /** Called after each job that stored (or found stored) its article. */
  onDone?: (label: string, status: string) => void;
}

export interface WorkerSummary {
  done: number;
  failedAttempts: number;
  restarts: number;
  seconds: number;
}

/**
 * Runs jobs until the signal aborts (or, with untilEmpty, the queue is
 * empty). A lost database connection stops graphile-worker's pool; the loop
 * then waits and starts a new one, so workers ride out a database restart.
 */
export async function runWorker(cfg: QueueConfig, opts: WorkerOptions = {}): Promise<WorkerSummary> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const stale = opts.staleSeconds ?? 30;
  const summary: WorkerSummary = { done: 0, failedAttempts: 0, restarts: 0, seconds: 0 };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  // The database may be restarting when a worker starts: keep trying.
  let store: PostgresStore | null = null;
  for (let attempt = 0; !store; attempt++) {
    try {
      await prepareQueue(cfg);
      store = await PostgresStore.open(cfg.storeUrl, { max: Math.max(4, concurrency + 2) });
    } catch (err) {
      if (opts.signal?.aborted || attempt >= 30) throw err;
      log(`database not reachable (${(err as Error).message}); retrying`);
      await sleep(1000);
    }
  }
  const threads = opts.analyze ? 0 : opts.threads ?? (concurrency > 1 ? Math.min(concurrency, availableParallelism()) : 0);
  let pool: import('../ingest-runner/pool.ts').AnalyzePool | null = null;
  let analyzeMain: ((a: Article) => Analysis) | null = null;
  if (threads > 0) {
    const { AnalyzePool } = await import('../ingest-runner/pool.ts');
    pool = await AnalyzePool.start(threads);
  } else if (!opts.analyze) {
    analyzeMain = (await import('../pipeline.ts')).analyze;
  }
  const analyze = opts.analyze ?? ((a: Article) => (pool ? pool.analyze(a) : analyzeMain!(a)));
  const s = pg.escapeIdentifier(cfg.schema);

  const ingestTask: Task = async (raw, helpers) => {
    const p = raw as Payload;
    const key = helpers.job.key ?? `job:${helpers.job.id}`;
    try {
      let status: string;
      let id: number | null = null;
      const pre = p.kind === 'url' ? canonicalUrl(p.url) : null;
      if (pre && (id = await store!.find({ canonicalUrl: pre, contentHash: '' })) !== null) {
        status = 'already stored';
      } else {
        const article = completeArticle(await loadPayload(p));
        const cu = canonicalUrl(article.url);
        const rawHash = contentHash(article.raw);
        id = await store!.find({ canonicalUrl: cu, contentHash: '', rawHash, outlet: article.outlet });
        if (id !== null && (await store!.article(id))?.rawHash === rawHash) {
          status = 'already stored';
        } else {
          const analysis = await analyze(article);
          const res = await store!.put(analysis, { canonicalUrl: cu, contentHash: contentHash(analysis.document.text), rawHash, url: article.url, source: article.source });
          id = res.id;
          status = res.status;
        }
      }
      await helpers.query(
        `insert into ${s}.unspin_done (key, label, status, article_id) values ($1, $2, $3, $4)
         on conflict (key) do update set label = excluded.label, status = excluded.status, article_id = excluded.article_id, finished_at = now()`,
        [key, p.label, status, id],
      );
      summary.done++;
      opts.onDone?.(p.label, status);
    } catch (err) {
      summary.failedAttempts++;
      const permanent = isPermanent(err);
      log(`${p.label}: ${(err as Error).message}${permanent ? ' (not retried)' : ` (attempt ${helpers.job.attempts} of ${helpers.job.max_attempts})`}`);
      if (permanent) {
        // No attempt will change the outcome: make this the last one.
        await helpers.query(`update ${s}._private_jobs set max_attempts = attempts where id = $1`, [helpers.job.id]).catch(() => {});
      }
      throw err;
    }
  };

  const workerIds = new Set<string>();
  const host = (await import('node:os')).hostname();
  /** A pool that survives a database restart: cut connections are dropped, the next query opens a new one. */
  const sturdyPool = (max: number) => {
    const p = new pg.Pool({ connectionString: cfg.connectionString, max });
    p.on('error', () => {});
    p.on('connect', (client) => client.on('error', () => {}));
    return p;
  };
  const admin = sturdyPool(2);
  const gwPool = sturdyPool(concurrency + 2);
  const beat = async () => {
    if (!workerIds.size) return;
    await admin.query(
      `insert into ${s}.unspin_workers (worker_id, host, pid, heartbeat_at) select unnest($1::text[]), $2, $3, now()
       on conflict (worker_id) do update set heartbeat_at = now()`,
      [[...workerIds], host, process.pid],
    );
  };
  /** Frees the jobs of workers that stopped beating (their process died), and forgets those workers. */
  const reap = async () => {
    const r = await admin.query(
      `select distinct j.locked_by from ${s}._private_jobs j
       where j.locked_by is not null and j.locked_at < now() - make_interval(secs => $1)
         and not exists (select 1 from ${s}.unspin_workers w where w.worker_id = j.locked_by and w.heartbeat_at > now() - make_interval(secs => $1))`,
      [stale],
    );
    const dead = r.rows.map((x: { locked_by: string }) => x.locked_by);
    if (dead.length) {
      await admin.query(`select ${s}.force_unlock_workers($1::text[])`, [dead]);
      log(`freed the jobs of ${dead.length} stopped worker(s)`);
    }
    await admin.query(`delete from ${s}.unspin_workers where heartbeat_at < now() - interval '1 hour'`);
  };
  const pending = async () => {
    const r = await admin.query(`select count(*)::int as n from ${s}._private_jobs where attempts < max_attempts or locked_at is not null`);
    return r.rows[0].n as number;
  };
  /** Worker ids of pools given up after a lost connection: their jobs are freed as soon as the database answers. */
  const orphaned = new Set<string>();
  const unlockOrphans = async () => {
    if (!orphaned.size) return;
    const ids = [...orphaned];
    await admin.query(`select ${s}.force_unlock_workers($1::text[])`, [ids]);
    await admin.query(`delete from ${s}.unspin_workers where worker_id = any($1::text[])`, [ids]);
    for (const id of ids) orphaned.delete(id);
  };
  const ticker = setInterval(() => {
    beat().catch(() => {});
    reap().catch(() => {});
    unlockOrphans().catch(() => {});
  }, Math.max(500, Math.min(5000, (stale * 1000) / 4)));

  let runner: Runner | null = null;
  const stop = () => runner?.stop().catch(() => {});
  opts.signal?.addEventListener('abort', stop);
  // graphile-worker completes and fails jobs without awaiting the result; when
  // the connection drops at that moment the rejection is unhandled. The job's
  // state is safe in the database (still locked by this pool), so give the
  // pool up, free its jobs once the database is back, and start a new one.
  let lost: ((reason: unknown) => void) | null = null;
  const onUnhandled = (reason: unknown) => {
    if (lost) lost(reason);
    else log(`unexpected error: ${(reason as Error)?.message ?? reason}`);
  };
  process.on('unhandledRejection', onUnhandled);
  try {
    while (!opts.signal?.aborted) {
      let crashed = false;
      const poolIds = new Set<string>();
      try {
        runner = await run({
          pgPool: gwPool,
          schema: cfg.schema,
          concurrency,
          pollInterval: 500,
          noHandleSignals: true,
          logger: new Logger(() => (level, message) => {
            // Failed tasks are reported by the task itself; other errors (lost connections) are worth a line.
            if (level === 'error' && !message.startsWith('Failed task')) log(`queue: ${message.split('\n')[0]}`);
          }),
          taskList: { [INGEST_TASK]: ingestTask, [NOOP_TASK]: async () => {} },
        });
        runner.events.on('worker:create', ({ worker }) => {
          poolIds.add(worker.workerId);
          workerIds.add(worker.workerId);
          beat().catch(() => {});
        });
        runner.events.on('pool:listen:error', () => (crashed = true));
        if (opts.untilEmpty) {
          // Stop once nothing waits, runs or will be retried.
          const watch = setInterval(async () => {
            try {
              if ((await pending()) === 0) runner?.stop().catch(() => {});
            } catch {}
          }, 500);
          runner.promise.finally(() => clearInterval(watch)).catch(() => {});
        }
        const current = runner;
        const lostConnection = new Promise<void>((resolve) => {
          lost = (reason) => {
            log(`lost the database while updating a job (${(reason as Error)?.message ?? reason}); starting a new worker pool`);
            crashed = true;
            resolve();
          };
        });
        await Promise.race([current.promise, lostConnection]);
        lost = null;
        if (crashed) current.kill().catch(() => {});
      } catch (err) {
        crashed = true;
        log(`worker stopped: ${(err as Error).message}`);
      }
      lost = null;
      if (crashed) {
        for (const id of poolIds) {
          workerIds.delete(id);
          orphaned.add(id);
        }
      }
      if (opts.signal?.aborted) break;
      if (opts.untilEmpty && !crashed) {
        try {
          if ((await pending()) === 0) break;
        } catch {}
      }
      summary.restarts++;
      log('restarting the worker pool');
      await sleep(1000);
    }
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    process.off('unhandledRejection', onUnhandled);
    clearInterval(ticker);
    await unlockOrphans().catch(() => {});
    await admin.query(`delete from ${s}.unspin_workers where worker_id = any($1::text[])`, [[...workerIds]]).catch(() => {});
    await admin.end().catch(() => {});
    await gwPool.end().catch(() => {});
    await pool?.close();
    await store.close();
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

// ---- reporting ---------------------------------------------------------------

export interface JobStats {
  /** Waiting for their first attempt. */
  queued: number;
  /** Locked by a worker right now. */
  running: number;
  /** Failed at least once, another attempt scheduled. */
  retrying: number;
  /** Out of attempts: they stay here with their error until retried or cleared. */
  failed: number;
  /** Finished, by outcome (inserted, updated, unchanged, already stored). */
  done: Record<string, number>;
  failures: { id: string; label: string; attempts: number; error: string | null; updatedAt: string }[];
}

export async function jobStats(cfg: QueueConfig, opts: { limit?: number } = {}): Promise<JobStats> {
  await prepareQueue(cfg);
  const s = pg.escapeIdentifier(cfg.schema);
  return withClient(cfg, async (c) => {
    const counts = (
      await c.query(`select
        count(*) filter (where locked_at is null and attempts = 0)::int as queued,
        count(*) filter (where locked_at is not null)::int as running,
        count(*) filter (where locked_at is null and attempts > 0 and attempts < max_attempts)::int as retrying,
        count(*) filter (where locked_at is null and attempts >= max_attempts)::int as failed
        from ${s}._private_jobs`)
    ).rows[0];
    const done: Record<string, number> = {};
    for (const r of (await c.query(`select status, count(*)::int as n from ${s}.unspin_done group by status order by status`)).rows) done[r.status] = r.n;
    const failures = (
      await c.query(
        `select id::text, coalesce(payload->>'label', key, id::text) as label, attempts, last_error, updated_at
         from ${s}._private_jobs where locked_at is null and attempts >= max_attempts order by updated_at desc limit $1`,
        [opts.limit ?? 50],
      )
    ).rows.map((r) => ({ id: r.id, label: r.label, attempts: r.attempts, error: r.last_error, updatedAt: new Date(r.updated_at).toISOString() }));
    return { ...counts, done, failures };
  });
}

/** Schedules failed jobs again (all of them, or those with the given ids) with fresh attempts. */
export async function retryFailed(cfg: QueueConfig, ids?: string[]): Promise<number> {
  const s = pg.escapeIdentifier(cfg.schema);
  return withClient(cfg, async (c) => {
    const r = await c.query(
      `update ${s}._private_jobs set attempts = 0, run_at = now(), last_error = null
       where locked_at is null and attempts >= max_attempts and ($1::bigint[] is null or id = any($1::bigint[]))`,
      [ids ?? null],
    );
    return r.rowCount ?? 0;
  });
}
