/**
 * `unspin serve` under load, loopback only, bounded in time:
 *  - GET /api/articles/:id latency (p50/p95/p99) against a SQLite corpus of as
 *    many synthetic articles as the insert budget allows (or an existing
 *    database: UNSPIN_BENCH_DB=path), with the store's own get() as baseline;
 *  - POST /api/analyze requests/s on synthetic ~800-word articles, with the
 *    in-process pipeline as baseline (the ratio is the HTTP overhead);
 *  - the first page load of the web UI, compressed (gzip and brotli).
 * The server runs as `unspin serve` in a child process; the load generator
 * keeps a fixed number of requests in flight.
 *
 *   npm run bench -- --only server
 *   UNSPIN_BENCH_SERVER_N=100000 UNSPIN_BENCH_SERVER_SECONDS=1800 npm run bench -- --only server
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { syntheticArticle } from './corpus.ts';
import type { BenchResult } from './types.ts';
import { analyzeText } from '../src/pipeline.ts';
import { openStore } from '../src/store/index.ts';
import { canonicalUrl, contentHash } from '../src/corpus/meta.ts';
import { loadWebAssets } from '../src/server/static.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const env = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Keeps `concurrency` requests in flight until `count` are done or `seconds` pass. */
async function load(concurrency: number, count: number, seconds: number, one: (i: number) => Promise<void>): Promise<{ latencies: number[]; elapsed: number }> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && performance.now() < deadline) {
        const i = next++;
        const s = performance.now();
        await one(i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), elapsed: (performance.now() - t0) / 1000 };
}

async function startServe(db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/unspin.js'), 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`unspin serve did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`unspin serve exited ${code}: ${err}`)));
  });
  return { url, child };
}

/** Fills a database with analysed synthetic articles until n are stored or the budget is spent. */
async function buildCorpus(db: string, n: number, seconds: number): Promise<{ count: number; insertRate: number }> {
  const store = await openStore(db);
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  let count = await store.count();
  for (let i = count; i < n && performance.now() < deadline; i++) {
    const a = syntheticArticle(i);
    const analysis = analyzeText(a.text, { title: a.title, url: a.url, outlet: a.outlet, published: a.published });
    await store.put(analysis, { canonicalUrl: canonicalUrl(analysis.document.url), contentHash: contentHash(analysis.document.text), url: analysis.document.url, source: 'bench' });
    count++;
  }
  const insertRate = count / ((performance.now() - t0) / 1000);
  await store.close();
  return { count, insertRate };
}

async function articleLatency(db: string): Promise<BenchResult[]> {
  const store = await openStore(db);
  const total = await store.count();
  const ids = (await store.articles({ limit: 1_000_000 })).map((a) => a.id);
  // Baseline: the store's own get + article, in process.
  const base: number[] = [];
  for (let k = 0; k < 2000; k++) {
    const id = ids[(k * 7919) % ids.length];
    const s = performance.now();
    await store.get(id);
    await store.article(id);
    base.push(performance.now() - s);
  }
  base.sort((a, b) => a - b);
  await store.close();

  const { url, child } = await startServe(db);
  try {
    let bytes = 0;
    const get = async (i: number) => {
      const res = await fetch(`${url}/api/articles/${ids[(i * 7919) % ids.length]}`);
      bytes += (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`GET article: ${res.status}`);
    };
    await load(4, 200, 10, get); // warm-up
    const serial = await load(1, 3000, 15, get);
    const busy = await load(4, 5000, 15, get);
    const note = (r: typeof serial, c: number) => `${c} in flight, ${r.latencies.length} requests, ${(r.latencies.length / r.elapsed).toFixed(0)} req/s, ${(bytes / (serial.latencies.length + busy.latencies.length + 200) / 1024).toFixed(0)} kB each`;
    return [
      { name: `GET /api/articles/:id p50 (${total} articles)`, value: quantile(serial.latencies, 0.5), unit: 'ms' },
      {
        name: `GET /api/articles/:id p95 (${total} articles)`,
        value: quantile(serial.latencies, 0.95),
        unit: 'ms',
        baseline: { name: 'store.get+article in process p95', value: quantile(base, 0.95) },
        note: note(serial, 1),
      },
      { name: `GET /api/articles/:id p95 under load`, value: quantile(busy.latencies, 0.95), unit: 'ms', note: note(busy, 4) },
    ];
  } finally {
    child.kill('SIGTERM');
  }
}

async function analyseRate(db: string): Promise<BenchResult[]> {
  const texts = Array.from({ length: 50 }, (_, i) => syntheticArticle(100_000 + i));
  // Baseline: the pipeline alone, in process, on the same articles.
  analyzeText(texts[0].text);
  let t0 = performance.now();
  let done = 0;
  while (performance.now() - t0 < 5000) analyzeText(texts[done++ % texts.length].text);
  const pipeRate = done / ((performance.now() - t0) / 1000);

  const { url, child } = await startServe(db);
  try {
    const post = async (i: number) => {
      const a = texts[i % texts.length];
      const res = await fetch(`${url}/api/analyze`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: a.text }) });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`POST analyze: ${res.status}`);
    };
    await load(2, 10, 10, post);
    const { latencies, elapsed } = await load(4, 100_000, 15, post);
    const short = 'Mayor Tilda Vorn said the bridge would open in May. She called critics "reckless alarmists" at a press event.';
    const shortPost = async () => {
      const res = await fetch(`${url}/api/analyze`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: short });
      await res.arrayBuffer();
    };
    const shortRun = await load(4, 100_000, 8, shortPost);
    t0 = performance.now();
    let shortDone = 0;
    while (performance.now() - t0 < 3000) {
      analyzeText(short);
      shortDone++;
    }
    const shortPipe = shortDone / ((performance.now() - t0) / 1000);
    return [
      {
        name: 'POST /api/analyze (~800-word article)',
        value: latencies.length / elapsed,
        unit: 'req/s',
        baseline: { name: 'analyzeText in process', value: pipeRate },
        note: `4 in flight, p95 ${quantile(latencies, 0.95).toFixed(0)} ms`,
      },
      {
        name: 'POST /api/analyze (two sentences)',
        value: shortRun.latencies.length / shortRun.elapsed,
        unit: 'req/s',
        baseline: { name: 'analyzeText in process', value: shortPipe },
        note: `4 in flight, p95 ${quantile(shortRun.latencies, 0.95).toFixed(1)} ms`,
      },
    ];
  } finally {
    child.kill('SIGTERM');
  }
}

/** index.html plus the script and stylesheets it links: what a first visit downloads. */
export function firstLoad(): BenchResult[] {
  const web = loadWebAssets(join(ROOT, 'dist/web'));
  if (!web) return [{ name: 'web UI first load', value: NaN, unit: 'kB', note: 'dist/web missing: run npm run build:web' }];
  const html = readFileSync(join(web.root, 'index.html'), 'utf8');
  const linked = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  const paths = ['/index.html', ...linked];
  const sum = (enc: 'identity' | 'gzip' | 'br') => paths.reduce((n, p) => n + (web.size(p, enc) ?? 0), 0) / 1024;
  const lazy = web.paths().filter((p) => !paths.includes(p));
  const lazyGz = lazy.reduce((n, p) => n + (web.size(p, 'gzip') ?? 0), 0) / 1024;
  return [
    { name: 'web UI first load, gzip', value: sum('gzip'), unit: 'kB', note: `${paths.length} files, ${sum('identity').toFixed(0)} kB uncompressed; target ≤ 300 kB` },
    { name: 'web UI first load, brotli', value: sum('br'), unit: 'kB' },
    { name: 'web UI lazy chunks (trend chart), gzip', value: lazyGz, unit: 'kB', note: lazy.join(' ') },
  ];
}

export async function bench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [...firstLoad()];
  const given = process.env.UNSPIN_BENCH_DB;
  const dir = mkdtempSync(join(tmpdir(), 'unspin-bench-server-'));
  const db = given ?? join(dir, 'bench.db');
  try {
    if (!given) {
      const { count, insertRate } = await buildCorpus(db, env('UNSPIN_BENCH_SERVER_N', 100_000), env('UNSPIN_BENCH_SERVER_SECONDS', 90));
      results.push({ name: 'corpus for the server bench', value: count, unit: 'articles', note: `analysed and stored at ${insertRate.toFixed(1)} articles/s, ${(statSync(db).size / 1e6).toFixed(1)} MB` });
    }
    results.push(...(await articleLatency(db)));
    results.push(...(await analyseRate(db)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await bench()) {
    const base = r.baseline ? `   baseline ${r.baseline.name}: ${r.baseline.value.toFixed(2)}` : '';
    console.log(`${r.name.padEnd(52)} ${r.value.toFixed(2).padStart(10)} ${r.unit}${base}${r.note ? `   (${r.note})` : ''}`);
  }
}
