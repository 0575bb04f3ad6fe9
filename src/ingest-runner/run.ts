import type { Article } from '../article/types.ts';
import type { Analysis } from '../document/types.ts';
import type { PreparedPut, PutMeta, PutResult, Store } from '../store/types.ts';
import { canonicalUrl, contentHash, outletFromUrl, publishedFromUrl } from '../corpus/meta.ts';
import type { Item } from './sources.ts';
import type { Progress } from './progress.ts';

/**
 * The bulk-ingest loop: load each item, skip what is stored already, analyse
 * the rest and store them, several articles per write transaction
 * (Store.putMany). A failing item is reported and skipped; an
 * interruption stops taking new items, finishes and stores the ones in hand,
 * so everything reported as stored is stored and a rerun finishes the rest. A
 * crash (kill -9) loses at most the batch not yet committed; nothing is
 * counted before its transaction committed, and a rerun stores what was lost.
 */

export interface Failure {
  label: string;
  code: string;
  message: string;
}

export interface Summary {
  seen: number;
  inserted: number;
  updated: number;
  /** Already stored with the same content. */
  skipped: number;
  failed: Failure[];
  interrupted: boolean;
  seconds: number;
}

export interface RunOptions {
  store: Store;
  /** Synchronous (in this thread) or asynchronous (an AnalyzePool). */
  analyze: (article: Article) => Analysis | Promise<Analysis>;
  /**
   * Analysis and the store's rows in one go, off this thread (AnalyzePool.prepare):
   * used instead of `analyze` when given, so this thread only checks, fetches and writes.
   */
  prepare?: (article: Article, meta: Omit<PutMeta, 'contentHash'>) => Promise<PreparedPut>;
  progress?: Progress;
  /** Stop cleanly (after the current article) when aborted. */
  signal?: AbortSignal;
  /** Items handled at once (loading, analysing, storing). Default 4. */
  concurrency?: number;
  /** Called for every failure as it happens. */
  onError?: (f: Failure) => void;
  /** Re-analyse and store even when the same content is stored already. */
  force?: boolean;
  /**
   * Articles per write transaction (Store.putMany; default 32).
   * A partial batch is written as soon as nothing else is being analysed, or
   * when its oldest article has waited a second. 1: one transaction each.
   */
  batch?: number;
}

/** An analysed article waiting for its write. */
interface Ready {
  label: string;
  item: { analysis: Analysis; meta: PutMeta } | PreparedPut;
  at: number;
}

/** Fills outlet and publication time from the URL when the source did not give them. */
export function completeArticle(a: Article): Article {
  const outlet = a.outlet ?? outletFromUrl(a.url);
  const published = a.published ?? publishedFromUrl(a.url);
  return outlet === a.outlet && published === a.published ? a : { ...a, outlet, published };
}

function failure(label: string, err: unknown): Failure {
  const e = err as Error & { code?: unknown };
  const code = typeof e?.code === 'string' ? e.code : e?.name === 'FetchError' ? 'fetch' : 'error';
  return { label, code, message: (e?.message ?? String(err)).split('\n')[0] };
}

/** True for "another connection holds the write lock" (SQLite's busy timeout ran out; PostgreSQL lock timeout). */
export function isBusy(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === 'SQLITE_BUSY' || e?.code === '55P03' || /database is locked/i.test(String(e?.message ?? ''));
}

/**
 * Runs a write, and again after a pause while the database is busy with
 * another writer (a long merge in a server on the same file): up to `tries`
 * times, waiting 1, 2, 4 … s in between.
 */
export async function whenFree<T>(write: () => Promise<T>, tries = 6, pauseMs = 1000): Promise<T> {
  for (let k = 1; ; k++) {
    try {
      return await write();
    } catch (err) {
      if (k >= tries || !isBusy(err)) throw err;
      await new Promise((r) => setTimeout(r, pauseMs * 2 ** (k - 1)));
    }
  }
}

export async function runIngest(items: AsyncIterable<Item> | Iterable<Item>, opts: RunOptions): Promise<Summary> {
  const started = Date.now();
  const { store, progress } = opts;
  const summary: Summary = { seen: 0, inserted: 0, updated: 0, skipped: 0, failed: [], interrupted: false, seconds: 0 };
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const batchSize = Math.max(1, opts.batch ?? 32);

  const fail = (label: string, err: unknown) => {
    const f = failure(label, err);
    summary.failed.push(f);
    opts.onError?.(f);
  };
  const done = (status: PutResult['status'] | 'skipped' | 'failed') => {
    if (status === 'inserted') summary.inserted++;
    else if (status === 'updated') summary.updated++;
    else if (status !== 'failed') summary.skipped++;
    summary.seen++;
    progress?.tick();
  };

  // ---- writing: analysed articles wait in `pending` and are stored in batches.
  const pending: Ready[] = [];
  let writing: Promise<void> | null = null;
  const writeBatch = async (batch: Ready[]): Promise<void> => {
    if (batch.length > 1) {
      let results: PutResult[] | null = null;
      try {
        results = await whenFree(() => store.putMany(batch.map((b) => b.item)));
      } catch {
        // Nothing of the batch was stored: write its articles one by one, so only the bad one fails.
      }
      if (results) {
        for (const r of results) done(r.status);
        return;
      }
    }
    for (const b of batch) {
      try {
        done((await whenFree(() => store.putMany([b.item])))[0].status);
      } catch (err) {
        fail(b.label, err);
        done('failed');
      }
    }
  };
  /** Writes full batches, and the rest too when `all` (or when the oldest has waited a second). */
  const drain = async (all: boolean): Promise<void> => {
    while (pending.length >= batchSize || (pending.length && (all || Date.now() - pending[0].at > 1000))) {
      await writeBatch(pending.splice(0, batchSize));
    }
  };
  const kick = (all: boolean) => {
    if (writing || !pending.length) return;
    writing = drain(all).finally(() => {
      writing = null;
      // What arrived during the write and has nothing else to wait for goes out now.
      if (running.size === 0) kick(true);
    });
  };

  /** One item from source to the write queue. */
  const handle = async (item: Item): Promise<void> => {
    try {
      // A URL already stored is not fetched again.
      if (!opts.force && item.url) {
        const cu = canonicalUrl(item.url);
        if (cu && (await store.find({ canonicalUrl: cu, contentHash: '' })) !== null) {
          done('skipped');
          return;
        }
      }
      const article = completeArticle(await item.load());
      const cu = canonicalUrl(article.url);
      const rawHash = contentHash(article.raw);
      if (!opts.force) {
        const id = await store.find({ canonicalUrl: cu, contentHash: '', rawHash, outlet: article.outlet });
        if (id !== null && (await store.article(id))?.rawHash === rawHash) {
          done('skipped');
          return;
        }
      }
      const meta = { canonicalUrl: cu, rawHash, url: article.url, source: article.source };
      if (opts.prepare) {
        pending.push({ label: item.label, item: await opts.prepare(article, meta), at: Date.now() });
      } else {
        const analysis = await opts.analyze(article);
        pending.push({ label: item.label, item: { analysis, meta: { ...meta, contentHash: contentHash(analysis.document.text) } }, at: Date.now() });
      }
    } catch (err) {
      fail(item.label, err);
      done('failed');
    }
  };

  // Up to `concurrency` items loading or being analysed at once: URL fetches
  // overlap, and analysis runs on every worker of the pool while the main
  // thread writes the previous batch.
  const running = new Set<Promise<void>>();
  const iterator = (Symbol.asyncIterator in items ? (items as AsyncIterable<Item>)[Symbol.asyncIterator]() : (items as Iterable<Item>)[Symbol.iterator]()) as AsyncIterator<Item> | Iterator<Item>;
  for (;;) {
    if (opts.signal?.aborted) {
      summary.interrupted = true;
      break;
    }
    if (running.size >= concurrency) {
      await Promise.race(running);
      continue;
    }
    // Do not let analysed articles pile up faster than they are written.
    if (writing && pending.length >= 2 * batchSize) {
      await writing;
      continue;
    }
    const next = await iterator.next();
    if (next.done) break;
    const p: Promise<void> = handle(next.value).finally(() => {
      running.delete(p);
      // A partial batch goes out when nothing else is on its way.
      kick(running.size === 0);
    });
    running.add(p);
  }
  // Articles in hand are finished and stored (an interrupt only stops new ones).
  await Promise.all(running);
  while (writing || pending.length) {
    if (writing) await writing;
    else kick(true);
  }
  progress?.finish();
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/** The closing lines: counts, rate, and every failure. */
export function formatSummary(s: Summary): string {
  const rate = s.seconds > 0 ? (s.inserted + s.updated) / s.seconds : 0;
  const lines = [
    `${s.inserted} stored, ${s.updated} updated, ${s.skipped} already stored, ${s.failed.length} failed` +
      ` (${s.seen} items in ${s.seconds.toFixed(1)} s, ${rate.toFixed(1)} articles/s)`,
  ];
  if (s.interrupted) lines.push('interrupted: everything counted above is stored; run the same command again to finish');
  if (s.failed.length) {
    lines.push('failed:');
    const byCode = new Map<string, number>();
    for (const f of s.failed) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
    for (const f of s.failed.slice(0, 50)) lines.push(`  ${f.label}: ${f.message}`);
    if (s.failed.length > 50) lines.push(`  … and ${s.failed.length - 50} more`);
    lines.push(`  by cause: ${[...byCode].map(([c, n]) => `${c} ${n}`).join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
