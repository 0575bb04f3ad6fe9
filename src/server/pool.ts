import { Worker } from 'node:worker_threads';
import type { Article } from '../article/types.ts';
import type { Analysis } from '../document/types.ts';

/**
 * A small pool of worker threads that run the pipeline, so the server uses
 * every core for analysis and its event loop stays free for reads while
 * articles are being analysed. Each worker loads the models once; a worker
 * that dies is replaced and its request fails with an error.
 */

interface Job {
  id: number;
  article: Article;
  resolve: (a: Analysis) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/** An analysis that ran past the pool's deadline; its worker was stopped and replaced. */
export class AnalysisTimeout extends Error {
  readonly code = 'timeout';
  constructor(ms: number) {
    super(`the analysis took longer than ${Math.round(ms / 1000)} s and was stopped; send a shorter article`);
    this.name = 'AnalysisTimeout';
  }
}

const WORKER_URL = new URL('./worker.ts', import.meta.url);
// Workers do not inherit the main thread's loader hooks: a tiny ES module registers tsx, then loads worker.ts.
const BOOT = new URL(
  'data:text/javascript,' +
    encodeURIComponent(`const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}); register(); await import(${JSON.stringify(WORKER_URL.href)});`),
);

export class AnalysisPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  /**
   * @param size worker threads
   * @param deadlineMs longest time one analysis may take before its worker is
   *   terminated (a huge article must not hold a worker for minutes); 0 = none.
   */
  constructor(
    readonly size: number,
    readonly deadlineMs = 60_000,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT);
    const slot: Slot = { worker, job: null, timer: null };
    worker.on('message', (msg: { id: number; analysis?: Analysis; error?: string }) => {
      const job = slot.job;
      slot.job = null;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      if (job && job.id === msg.id) {
        if (msg.analysis) job.resolve(msg.analysis);
        else job.reject(new Error(`analysis failed in a worker: ${msg.error}`));
      }
      this.pump();
    });
    const fail = (err: Error) => {
      const job = slot.job;
      slot.job = null;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      if (job) job.reject(err);
      if (this.closed) return;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
      this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed && this.slots.includes(slot)) fail(new Error(`analysis worker exited with code ${code}`));
    });
    return slot;
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || !this.queue.length) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, article: job.article });
      if (this.deadlineMs > 0) {
        slot.timer = setTimeout(() => {
          // Stop the stuck worker, fail its request, and put a fresh worker in its place.
          slot.timer = null;
          const stuck = slot.job;
          slot.job = null;
          const i = this.slots.indexOf(slot);
          if (i >= 0) this.slots[i] = this.spawn();
          void slot.worker.terminate();
          stuck?.reject(new AnalysisTimeout(this.deadlineMs));
          this.pump();
        }, this.deadlineMs);
        slot.timer.unref();
      }
    }
  }

  /** Requests waiting for a free worker. */
  get waiting(): number {
    return this.queue.length;
  }

  analyze(article: Article): Promise<Analysis> {
    if (this.closed) return Promise.reject(new Error('the analysis pool is closed'));
    return new Promise<Analysis>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, article, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the analysis pool is closed'));
    for (const s of this.slots) if (s.timer) clearTimeout(s.timer);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
