import { Worker } from 'node:worker_threads';
import type { Article } from '../article/types.ts';
import type { Analysis } from '../document/types.ts';

/**
 * Analyses articles on worker threads, so that bulk ingest uses every core:
 * analysis is pure CPU work, while the main thread reads sources and writes
 * the database. Each worker loads the pipeline (and its models) once.
 */
export class AnalyzePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: { article: Article; resolve: (a: Analysis) => void; reject: (e: Error) => void }[] = [];
  private readonly pending = new Map<number, { resolve: (a: Analysis) => void; reject: (e: Error) => void; worker: Worker }>();
  private nextId = 1;
  private closed = false;

  private constructor() {}

  /** Starts `size` workers and waits until each has loaded the pipeline. */
  static async start(size: number): Promise<AnalyzePool> {
    const pool = new AnalyzePool();
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
        w.on('message', (m: { id?: number; analysis?: Analysis; error?: { message: string; code: string } }) => pool.done(w, m));
        w.on('error', (e) => pool.failed(w, e));
        pool.workers.push(w);
        pool.idle.push(w);
      }),
    );
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  analyze(article: Article): Promise<Analysis> {
    if (this.closed) return Promise.reject(new Error('analysis pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ article, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.idle.length && this.waiting.length) {
      const w = this.idle.pop()!;
      const job = this.waiting.shift()!;
      const id = this.nextId++;
      this.pending.set(id, { resolve: job.resolve, reject: job.reject, worker: w });
      w.postMessage({ id, article: job.article });
    }
  }

  private done(w: Worker, m: { id?: number; analysis?: Analysis; error?: { message: string; code: string } }) {
    if (m.id === undefined) return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    this.idle.push(w);
    if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else p.resolve(m.analysis!);
    this.pump();
  }

  private failed(w: Worker, e: Error) {
    // A worker that crashed takes its article with it; the rest carry on.
    for (const [id, p] of this.pending) {
      if (p.worker === w) {
        this.pending.delete(id);
        p.reject(Object.assign(new Error(`analysis worker failed: ${e.message}`), { code: 'analyze' }));
      }
    }
    this.workers.splice(this.workers.indexOf(w), 1);
    if (!this.workers.length) for (const j of this.waiting.splice(0)) j.reject(new Error('every analysis worker failed'));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
