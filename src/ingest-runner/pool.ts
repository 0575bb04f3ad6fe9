import { Worker } from 'node:worker_threads';
import type { Article } from '../article/types.ts';
import type { Analysis } from '../document/types.ts';

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
  resolve: (a: Analysis) => void;
  reject: (e: Error) => void;
}

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
        w.on('message', (m: { id?: number; analysis?: Analysis; error?: { message: string; code: string } }) => pool.done(slot, m));
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
    if (this.closed) return Promise.reject(new Error('analysis pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ article, resolve, reject });
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
      best.worker.postMessage({ id, article: job.article });
    }
  }

  private done(slot: Slot, m: { id?: number; analysis?: Analysis; error?: { message: string; code: string } }) {
    if (m.id === undefined) return;
    const job = slot.jobs.get(m.id);
    if (!job) return;
    slot.jobs.delete(m.id);
    this.pump();
    if (m.error) job.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else job.resolve(m.analysis!);
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
