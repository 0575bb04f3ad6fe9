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
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { syntheticArticle } from './corpus.ts';
import type { BenchResult } from './types.ts';
import { quantile, startServe } from './serve-child.ts';
import { analyzeText } from '../src/pipeline.ts';
import { openStore } from '../src/store/index.ts';
import { canonicalUrl, contentHash } from '../src/corpus/meta.ts';
import { loadWebAssets } from '../src/server/static.ts';
import { fakeAnalysis } from '../src/store/testing.ts';
import { generateArticle } from '../src/ingest-runner/testing.ts';
import type { Analysis } from '../src/document/types.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const env = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);


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


/** A small generated article with layers built directly (no pipeline), to grow the corpus fast. */
function filler(i: number): Analysis {
  const g = generateArticle(i, { outlets: 40, people: 2000, paragraphs: 5 });
  return fakeAnalysis({
    id: `f${i}`,
    title: g.title,
    url: g.url,
    outlet: g.outlet,
    published: g.published,
    paragraphs: g.text.split('\n\n'),
    people: [...new Set(g.speakers)].map((name) => ({ name, descriptors: ['expert'] })),
    techniques: [{ technique: 'Loaded_Language', text: g.title.split(' ').slice(0, 3).join(' ') }],
    frames: ['Political'],
    genre: 'reporting',
  });
}

/**
 * Fills a database: `real` synthetic ~800-word articles through the whole
 * pipeline (the ones the GET bench reads), then generated articles with
 * hand-built layers until n are stored or the time budget is spent.
 */
async function buildCorpus(db: string, real: number, n: number, seconds: number): Promise<{ count: number; realIds: number[]; fillRate: number }> {
  const store = await openStore(db);
  const deadline = performance.now() + seconds * 1000;
  const realIds: number[] = [];
  for (let i = 0; i < real; i++) {
    const a = syntheticArticle(i);
    const analysis = analyzeText(a.text, { title: a.title, url: a.url, outlet: a.outlet, published: a.published });
    const r = await store.put(analysis, { canonicalUrl: canonicalUrl(analysis.document.url), contentHash: contentHash(analysis.document.text), url: analysis.document.url, source: 'bench' });
    realIds.push(r.id);
  }
  const t0 = performance.now();
  let filled = 0;
  for (let i = 0; (await store.count()) < n && performance.now() < deadline; i++) {
    for (let k = 0; k < 100; k++, i++) {
      const a = filler(i);
      await store.put(a, { canonicalUrl: canonicalUrl(a.document.url), contentHash: contentHash(a.document.text), url: a.document.url, source: 'bench-filler' });
      filled++;
    }
  }
  const fillRate = filled / ((performance.now() - t0) / 1000);
  const count = await store.count();
  await store.close();
  return { count, realIds, fillRate };
}

async function articleLatency(db: string, realIds: number[] | null): Promise<BenchResult[]> {
  const store = await openStore(db);
  const total = await store.count();
  const ids = realIds ?? (await store.articles({ limit: 1_000_000 })).map((a) => a.id);
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

/** Runs fn repeatedly for ms milliseconds; returns how many runs finished. */
function spin(ms: number, fn: (i: number) => void): number {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) fn(n++);
  return n;
}

/**
 * Server and in-process pipeline are measured in alternating slices (3 rounds
 * each), so a burst of load from elsewhere on a shared machine hits both.
 */
async function analyseRate(db: string): Promise<BenchResult[]> {
  const texts = Array.from({ length: 50 }, (_, i) => syntheticArticle(100_000 + i).text);
  const short = 'Mayor Tilda Vorn said the bridge would open in May. She called critics "reckless alarmists" at a press event.';
  for (const t of texts.slice(0, 5)) analyzeText(t);

  const { url, child } = await startServe(db);
  try {
    const post = (body: string, type: string) => async () => {
      const res = await fetch(`${url}/api/analyze`, { method: 'POST', headers: { 'content-type': type }, body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`POST analyze: ${res.status}`);
    };
    let k = 0;
    const longPost = () => post(JSON.stringify({ text: texts[k++ % texts.length] }), 'application/json')();
    const shortPost = post(short, 'text/plain');
    await load(2, 10, 20, longPost); // the worker loads its models
    const acc = { long: [] as number[], longS: 0, longBase: 0, longBaseS: 0, short: [] as number[], shortS: 0, shortBase: 0, shortBaseS: 0 };
    for (let round = 0; round < 3; round++) {
      let t0 = performance.now();
      acc.longBase += spin(2000, (i) => analyzeText(texts[i % texts.length]));
      acc.longBaseS += (performance.now() - t0) / 1000;
      const l = await load(4, 100_000, 5, longPost);
      acc.long.push(...l.latencies);
      acc.longS += l.elapsed;
      t0 = performance.now();
      acc.shortBase += spin(1000, () => analyzeText(short));
      acc.shortBaseS += (performance.now() - t0) / 1000;
      const sh = await load(4, 100_000, 3, shortPost);
      acc.short.push(...sh.latencies);
      acc.shortS += sh.elapsed;
    }
    // The floor: the cheapest request this server answers, on the same machine at the same moment.
    const floor = await load(4, 100_000, 3, async () => {
      await (await fetch(`${url}/api/health`)).arrayBuffer();
    });
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    return [
      {
        name: 'POST /api/analyze (~800-word article)',
        value: acc.long.length / acc.longS,
        unit: 'req/s',
        baseline: { name: 'analyzeText in process', value: acc.longBase / acc.longBaseS },
        note: `4 in flight, 1 worker, p95 ${quantile(sorted(acc.long), 0.95).toFixed(0)} ms`,
      },
      {
        name: 'POST /api/analyze (two sentences)',
        value: acc.short.length / acc.shortS,
        unit: 'req/s',
        baseline: { name: 'analyzeText in process', value: acc.shortBase / acc.shortBaseS },
        note: `4 in flight, 1 worker, p95 ${quantile(sorted(acc.short), 0.95).toFixed(1)} ms`,
      },
      {
        name: 'GET /api/health (HTTP floor)',
        value: floor.latencies.length / floor.elapsed,
        unit: 'req/s',
        note: `4 in flight; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`,
      },
    ];
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * Reads while analyses run: one client GETs articles while two post
 * ~800-word articles, with the pipeline on the server's thread (--workers 0)
 * and in one worker thread (--workers 1).
 */
async function mixed(db: string, ids: number[]): Promise<BenchResult[]> {
  const texts = Array.from({ length: 20 }, (_, i) => syntheticArticle(150_000 + i).text);
  const p95: Record<number, number> = {};
  for (const workers of [0, 1]) {
    const { url, child } = await startServe(db, workers);
    try {
      const deadline = performance.now() + 12_000;
      const post = async () => {
        for (let i = 0; performance.now() < deadline; i++) {
          const res = await fetch(`${url}/api/analyze`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: texts[i % texts.length] }) });
          await res.arrayBuffer();
        }
      };
      const gets: number[] = [];
      const read = async () => {
        await new Promise((r) => setTimeout(r, 2000)); // let the models load and the posts start
        for (let i = 0; performance.now() < deadline; i++) {
          const s = performance.now();
          await (await fetch(`${url}/api/articles/${ids[(i * 7919) % ids.length]}`)).arrayBuffer();
          gets.push(performance.now() - s);
        }
      };
      await Promise.all([post(), post(), read()]);
      p95[workers] = quantile(gets.sort((a, b) => a - b), 0.95);
    } finally {
      child.kill('SIGTERM');
    }
  }
  return [
    {
      name: 'GET article p95 while 2 clients post analyses',
      value: p95[1],
      unit: 'ms',
      baseline: { name: 'same, pipeline on the server thread (--workers 0)', value: p95[0] },
      note: 'serve --workers 1 (the default)',
    },
  ];
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

async function readIds(db: string): Promise<number[]> {
  const store = await openStore(db);
  try {
    return (await store.articles({ limit: 5000 })).map((a) => a.id);
  } finally {
    await store.close();
  }
}

export async function bench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [...firstLoad()];
  const given = process.env.UNSPIN_BENCH_DB;
  const dir = mkdtempSync(join(tmpdir(), 'unspin-bench-server-'));
  const db = given ?? join(dir, 'bench.db');
  try {
    let realIds: number[] | null = null;
    if (!given) {
      const real = env('UNSPIN_BENCH_SERVER_REAL', 300);
      const built = await buildCorpus(db, real, env('UNSPIN_BENCH_SERVER_N', 100_000), env('UNSPIN_BENCH_SERVER_SECONDS', 120));
      realIds = built.realIds;
      results.push({
        name: 'corpus for the server bench',
        value: built.count,
        unit: 'articles',
        note: `${real} through the pipeline (the ones read), the rest generated with hand-built layers at ${built.fillRate.toFixed(0)} articles/s; ${(statSync(db).size / 1e6).toFixed(0)} MB`,
      });
    }
    results.push(...(await articleLatency(db, realIds)));
    results.push(...(await analyseRate(db)));
    results.push(...(await mixed(db, realIds ?? (await readIds(db)))));
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
