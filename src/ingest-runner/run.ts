import type { Article } from '../article/types.ts';
import type { Analysis } from '../document/types.ts';
import type { Store } from '../store/types.ts';
import { canonicalUrl, contentHash, outletFromUrl, publishedFromUrl } from '../corpus/meta.ts';
import type { Item } from './sources.ts';
import type { Progress } from './progress.ts';

/**
 * The bulk-ingest loop: load each item, skip what is stored already, analyse
 * the rest and store each article in its own transaction. A failing item is
 * reported and skipped; an interruption stops after the article in hand, so
 * everything reported as stored is stored and a rerun finishes the rest.
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
  progress?: Progress;
  /** Stop cleanly (after the current article) when aborted. */
  signal?: AbortSignal;
  /** Items handled at once (loading, analysing, storing). Default 4. */
  concurrency?: number;
  /** Called for every failure as it happens. */
  onError?: (f: Failure) => void;
  /** Re-analyse and store even when the same content is stored already. */
  force?: boolean;
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

export async function runIngest(items: AsyncIterable<Item> | Iterable<Item>, opts: RunOptions): Promise<Summary> {
  const started = Date.now();
  const { store, progress } = opts;
  const summary: Summary = { seen: 0, inserted: 0, updated: 0, skipped: 0, failed: [], interrupted: false, seconds: 0 };
  const concurrency = Math.max(1, opts.concurrency ?? 4);

  /** One item from source to database; its own transaction at the end. */
  const handle = async (item: Item): Promise<void> => {
    try {
      // A URL already stored is not fetched again.
      if (!opts.force && item.url) {
        const cu = canonicalUrl(item.url);
        if (cu && (await store.find({ canonicalUrl: cu, contentHash: '' })) !== null) {
          summary.skipped++;
          return;
        }
      }
      const article = completeArticle(await item.load());
      const cu = canonicalUrl(article.url);
      const rawHash = contentHash(article.raw);
      if (!opts.force) {
        const id = await store.find({ canonicalUrl: cu, contentHash: '', rawHash, outlet: article.outlet });
        if (id !== null && (await store.article(id))?.rawHash === rawHash) {
          summary.skipped++;
          return;
        }
      }
      const analysis = await opts.analyze(article);
      const res = await store.put(analysis, {
        canonicalUrl: cu,
        contentHash: contentHash(analysis.document.text),
        rawHash,
        url: article.url,
        source: article.source,
      });
      if (res.status === 'inserted') summary.inserted++;
      else if (res.status === 'updated') summary.updated++;
      else summary.skipped++;
    } catch (err) {
      const f = failure(item.label, err);
      summary.failed.push(f);
      opts.onError?.(f);
    } finally {
      summary.seen++;
      progress?.tick();
    }
  };

  // Up to `concurrency` items in flight: URL fetches overlap, and analysis
  // runs on every worker of the pool while the main thread writes.
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
    const next = await iterator.next();
    if (next.done) break;
    const p: Promise<void> = handle(next.value).finally(() => running.delete(p));
    running.add(p);
  }
  // Articles in hand are finished and stored (an interrupt only stops new ones).
  await Promise.all(running);
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
