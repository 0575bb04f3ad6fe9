import { Worker } from 'node:worker_threads';
import type { Article } from '../article/types.ts';
import type { Analysis } from '../document/types.ts';
import type { PreparedPut } from '../store/prepare.ts';
import type { PutMeta } from '../store/types.ts';

/**
 * Analyses articles on worker threads, so that bulk ingest uses every core:
 * analysis is pure CPU work, while the main thread reads sources and writes
 * the database. Each worker loads the pipeline (and its models) once.
 *
 * Each worker is given up to `depth` articles at a time (default 2): while the
 * main thread is busy (a write transaction blocks its event loop), a worker
 * that finishes one article starts the next from its own queue instead of
 * waiting for the main thread to hand it one.
 */
interface Job {
  article: Article;
  /** Given: the worker answers with the store's rows (preparePut) instead of the Analysis. */
  meta?: Omit<PutMeta, 'contentHash'>;
  resolve: (a: any) => void;
  reject: (e: Error) => void;
}

type Answer = { id?: number; analysis?: Analysis; prepared?: PreparedPut; error?: { message: string; code: string } };

interface Slot {
  worker: Worker;
  /** Jobs posted to this worker and not answered yet, by id. */
  jobs: Map<number, Job>;
}

export class AnalyzePool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(readonly depth: number) {}

  /** Starts `size` workers and waits until each has loaded the pipeline. */
  static async start(size: number, opts: { depth?: number } = {}): Promise<AnalyzePool> {
    const pool = new AnalyzePool(Math.max(1, opts.depth ?? 2));
    const url = new URL('./analyze-worker.mjs', import.meta.url);
    await Promise.all(
      Array.from({ length: size }, async () => {
        const w = new Worker(url, { execArgv: [] });
        w.unref();
        await new Promise<void>((resolve, reject) => {
          const onMessage = (m: { ready?: boolean }) => {
            if (m.ready) {
              w.off('error', reject);
              resolve();
            }
          };
          w.on('message', onMessage);
          w.once('error', reject);
        });
        const slot: Slot = { worker: w, jobs: new Map() };
        w.on('message', (m: Answer) => pool.done(slot, m));
        w.on('error', (e) => pool.failed(slot, e));
        pool.slots.push(slot);
      }),
    );
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  analyze(article: Article): Promise<Analysis> {
    return this.submit(article);
  }

  /**
   * Analyses and prepares the store's rows on the worker (preparePut, with
   * the content hash of the clean text added to `meta`): what the main thread
   * gets back is cheaper to receive than the Analysis and ready for putMany.
   */
  prepare(article: Article, meta: Omit<PutMeta, 'contentHash'>): Promise<PreparedPut> {
    return this.submit(article, meta);
  }

  private submit<T>(article: Article, meta?: Omit<PutMeta, 'contentHash'>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('analysis pool is closed'));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ article, meta, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.waiting.length) {
      // The least loaded worker, if it has room.
      let best: Slot | null = null;
      for (const s of this.slots) if (s.jobs.size < this.depth && (!best || s.jobs.size < best.jobs.size)) best = s;
      if (!best) return;
      const job = this.waiting.shift()!;
      const id = this.nextId++;
      best.jobs.set(id, job);
      best.worker.postMessage(job.meta ? { id, article: job.article, meta: job.meta } : { id, article: job.article });
    }
  }

  private done(slot: Slot, m: Answer) {
    if (m.id === undefined) return;
    const job = slot.jobs.get(m.id);
    if (!job) return;
    slot.jobs.delete(m.id);
    this.pump();
    if (m.error) job.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else job.resolve(m.prepared ?? m.analysis!);
  }

  private failed(slot: Slot, e: Error) {
    // A worker that crashed takes its articles with it; the rest carry on.
    for (const job of slot.jobs.values()) job.reject(Object.assign(new Error(`analysis worker failed: ${e.message}`), { code: 'analyze' }));
    slot.jobs.clear();
    this.slots.splice(this.slots.indexOf(slot), 1);
    if (!this.slots.length) for (const j of this.waiting.splice(0)) j.reject(new Error('every analysis worker failed'));
    else this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
