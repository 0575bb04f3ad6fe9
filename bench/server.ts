/**
 * `unspin serve` under load, loopback only, bounded in time:
 *  - GET /api/articles/:id latency (p50/p95/p99) against the cached bench
 *    corpus of N articles (bench/big-corpus.ts: variants of pipeline analyses;
 *    default 3,000, the issue's target 100,000), or an existing database
 *    (UNSPIN_BENCH_DB=path), with the store's own get() as baseline;
 *  - POST /api/analyze requests/s on synthetic ~800-word articles with 1
 *    analysis worker and with one per core, with the in-process pipeline as
 *    baseline (the ratio is what HTTP and the pool cost or gain);
 *  - the first page load of the web UI, compressed (gzip and brotli).
 * The server runs as `unspin serve` in a child process; the load generator
 * keeps a fixed number of requests in flight.
 *
 *   npm run bench -- --only server
 *   node --import tsx bench/server.ts --articles 100000
 *   node --import tsx bench/server.ts --parts analyse --workers 1,2,3
 *   UNSPIN_BENCH_SERVER_N=100000 npm run bench -- --only server
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bigCorpus, dbBytes } from './big-corpus.ts';
import { syntheticArticle } from './corpus.ts';
import type { BenchResult } from './types.ts';
import { cpuMs, idleCeiling, quantile, startServe } from './serve-child.ts';
import { analyzeText } from '../src/pipeline.ts';
import { openStore } from '../src/store/index.ts';
import { loadWebAssets } from '../src/server/static.ts';

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
async function analyseRate(db: string, workers: number): Promise<BenchResult[]> {
  const texts = Array.from({ length: 50 }, (_, i) => syntheticArticle(100_000 + i).text);
  const short = 'Mayor Tilda Vorn said the bridge would open in May. She called critics "reckless alarmists" at a press event.';
  for (let i = 0; i < 100; i++) analyzeText(texts[i % texts.length]); // the in-process baseline runs warm too

  const { url, child } = await startServe(db, workers);
  // Enough in flight that no worker waits for the next request.
  const inFlight = 2 * workers + 2;
  try {
    const post = (body: string, type: string) => async () => {
      const res = await fetch(`${url}/api/analyze`, { method: 'POST', headers: { 'content-type': type }, body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`POST analyze: ${res.status}`);
    };
    let k = 0;
    const longPost = () => post(JSON.stringify({ text: texts[k++ % texts.length] }), 'application/json')();
    const shortPost = post(short, 'text/plain');
    // The workers load their models, and run ~80 articles each before their JIT and caches settle.
    await load(inFlight, 80 * workers, 60, longPost);
    const acc = { long: [] as number[], longS: 0, longBase: 0, longBaseS: 0, short: [] as number[], shortS: 0, shortBase: 0, shortBaseS: 0 };
    // CPU of the long-article slices: the server (all threads, its main thread) and this process (the client).
    const cpu = { server: 0, serverMain: 0, client: 0 };
    for (let round = 0; round < 3; round++) {
      let t0 = performance.now();
      acc.longBase += spin(2000, (i) => analyzeText(texts[i % texts.length]));
      acc.longBaseS += (performance.now() - t0) / 1000;
      const s0 = cpuMs(child.pid);
      const c0 = cpuMs();
      const l = await load(inFlight, 100_000, 5, longPost);
      const s1 = cpuMs(child.pid);
      cpu.server += s1.process - s0.process;
      cpu.serverMain += s1.main - s0.main;
      cpu.client += cpuMs().process - c0.process;
      acc.long.push(...l.latencies);
      acc.longS += l.elapsed;
      t0 = performance.now();
      acc.shortBase += spin(1000, () => analyzeText(short));
      acc.shortBaseS += (performance.now() - t0) / 1000;
      const sh = await load(inFlight, 100_000, 3, shortPost);
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
        name: `POST /api/analyze (~800-word article), serve --workers ${workers}`,
        value: acc.long.length / acc.longS,
        unit: 'req/s',
        baseline: { name: 'analyzeText in process', value: acc.longBase / acc.longBaseS },
        note: `${inFlight} in flight, p95 ${quantile(sorted(acc.long), 0.95).toFixed(0)} ms`,
      },
      {
        name: `  server CPU ms per ~800-word analysis, serve --workers ${workers}`,
        value: cpu.server / acc.long.length,
        unit: 'ms',
        note: `main thread ${(cpu.serverMain / acc.long.length).toFixed(1)} ms, load client ${(cpu.client / acc.long.length).toFixed(1)} ms; an idle ${cpus().length}-core machine would serve at most ${Math.min(idleCeiling(cpus().length, (cpu.server + cpu.client) / acc.long.length, cpu.serverMain / acc.long.length), (workers * 1000 * acc.long.length) / (cpu.server - cpu.serverMain)).toFixed(0)} req/s (client included)`,
      },
      {
        name: `POST /api/analyze (two sentences), serve --workers ${workers}`,
        value: acc.short.length / acc.shortS,
        unit: 'req/s',
        baseline: { name: 'analyzeText in process', value: acc.shortBase / acc.shortBaseS },
        note: `${inFlight} in flight, p95 ${quantile(sorted(acc.short), 0.95).toFixed(1)} ms`,
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
 * Reads while analyses run: one client GETs articles while `posters` clients
 * post ~800-word articles, with the pipeline on one worker thread and on one
 * per core (the default), baseline on the server's own thread (--workers 0).
 */
async function mixed(db: string, ids: number[]): Promise<BenchResult[]> {
  const texts = Array.from({ length: 20 }, (_, i) => syntheticArticle(150_000 + i).text);
  const p95: Record<number, number> = {};
  const perCore = Math.max(1, Math.min(availableParallelism(), 4));
  for (const workers of [...new Set([0, 1, perCore])]) {
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
  const base = { name: 'same, pipeline on the server thread (--workers 0)', value: p95[0] };
  return [...new Set([1, perCore])].map((w) => ({
    name: `GET article p95 while 2 clients post analyses, serve --workers ${w}`,
    value: p95[w],
    unit: 'ms',
    baseline: base,
    note: w === perCore ? 'the default: one worker per core, at most 4' : '',
  }));
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

/** Ids spread over the whole corpus (every article of a bench corpus went through the pipeline's layers). */
async function readIds(db: string): Promise<number[]> {
  const store = await openStore(db);
  try {
    const all: number[] = [];
    for (let page = await store.articles({ limit: 5000 }); page.length; page = await store.articles({ afterId: page.at(-1)!.id, limit: 5000 })) {
      for (const a of page) all.push(a.id);
    }
    const step = Math.max(1, Math.floor(all.length / 5000));
    const ids = all.filter((_, k) => k % step === 0);
    return ids;
  } finally {
    await store.close();
  }
}

const { values: args } = parseArgs({ strict: false, options: { articles: { type: 'string' }, workers: { type: 'string' }, parts: { type: 'string' } } });
/** --parts get,analyse,mixed (default all): which measurements to run. */
const parts = new Set(typeof args.parts === 'string' ? args.parts.split(',') : ['get', 'analyse', 'mixed']);

export async function bench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [...firstLoad()];
  const given = process.env.UNSPIN_BENCH_DB;
  const n = typeof args.articles === 'string' ? Number(args.articles) : env('UNSPIN_BENCH_SERVER_N', 3_000);
  let db = given;
  if (!db) {
    const built = await bigCorpus(n, { log: (l) => console.error(l) });
    db = built.path;
    results.push({
      name: 'corpus for the server bench',
      value: built.articles,
      unit: 'articles',
      note: `variants of pipeline analyses (bench/big-corpus.ts), ${(dbBytes(db) / 1e6).toFixed(0)} MB${built.added ? `; ${built.added} added now in ${built.seconds.toFixed(0)} s` : ', cached'}`,
    });
  }
  const ids = await readIds(db);
  if (parts.has('get')) results.push(...(await articleLatency(db, ids)));
  const perCore = Math.min(availableParallelism(), 8);
  const counts = typeof args.workers === 'string' ? args.workers.split(',').map(Number) : [...new Set([1, perCore])];
  if (parts.has('analyse')) for (const w of counts) results.push(...(await analyseRate(db, w)));
  if (parts.has('mixed')) results.push(...(await mixed(db, ids)));
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await bench()) {
    const base = r.baseline ? `   baseline ${r.baseline.name}: ${r.baseline.value.toFixed(2)}` : '';
    console.log(`${r.name.padEnd(52)} ${r.value.toFixed(2).padStart(10)} ${r.unit}${base}${r.note ? `   (${r.note})` : ''}`);
  }
}
