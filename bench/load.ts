/**
 * `unspin serve` under a mixed concurrent load, loopback only, bounded in time.
 *
 * The cached bench corpus of ARTICLES articles (bench/big-corpus.ts: variants
 * of pipeline analyses) is served: `unspin serve` starts in a child
 * process on 127.0.0.1, then CLIENTS concurrent clients loop for SECONDS over:
 * GET /api/articles/:id (50%), GET /api/articles?limit=20 (15%),
 * GET /api/search?q=… (25%) and POST /api/analyse with a short text (10%).
 * Reported: requests/s, latency p50/p95/p99, errors (non-2xx or a failed
 * connection), and the server's RSS at the start, middle and end of the load.
 * Baseline in the same run, same clients: GET /api/openapi.json (a static
 * JSON answer that touches neither the store nor the pipeline).
 *
 *   npm run bench -- --only load
 *   node --import tsx bench/load.ts                      # same, prints a table
 *   UNSPIN_LOAD_SECONDS=120 UNSPIN_LOAD_CLIENTS=64 node --import tsx bench/load.ts
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './types.ts';
import { quantile, startServe } from './serve-child.ts';
import { openStore } from '../src/store/index.ts';
import { bigCorpus } from './big-corpus.ts';

const env = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Resident memory of a process in MB (Linux /proc), NaN elsewhere. */
function rssMb(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The cached bench corpus of n articles (bench/big-corpus.ts) and the ids to read. */
async function seed(n: number): Promise<{ db: string; ids: number[] }> {
  const built = await bigCorpus(n, { log: (l) => console.error(l) });
  const store = await openStore(built.path);
  try {
    const ids: number[] = [];
    for (let page = await store.articles({ limit: 5000 }); page.length; page = await store.articles({ afterId: page.at(-1)!.id, limit: 5000 })) {
      for (const a of page) ids.push(a.id);
    }
    return { db: built.path, ids };
  } finally {
    await store.close();
  }
}

interface Run {
  latencies: number[];
  byKind: Map<string, number[]>;
  errors: number;
  errorSamples: string[];
  seconds: number;
}

/** `clients` loops, each sending one request at a time, until `seconds` pass. */
async function drive(clients: number, seconds: number, next: (i: number) => { kind: string; send: () => Promise<Response> }, onTick?: (elapsed: number) => void): Promise<Run> {
  const run: Run = { latencies: [], byKind: new Map(), errors: 0, errorSamples: [], seconds: 0 };
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let i = 0;
  const ticker = onTick ? setInterval(() => onTick((performance.now() - t0) / 1000), 250) : null;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const { kind, send } = next(i++);
        const s = performance.now();
        try {
          const res = await send();
          await res.arrayBuffer();
          if (res.status >= 300) {
            run.errors++;
            if (run.errorSamples.length < 5) run.errorSamples.push(`${kind}: HTTP ${res.status}`);
          }
        } catch (err) {
          run.errors++;
          if (run.errorSamples.length < 5) run.errorSamples.push(`${kind}: ${(err as Error).message}`);
        }
        const ms = performance.now() - s;
        run.latencies.push(ms);
        (run.byKind.get(kind) ?? run.byKind.set(kind, []).get(kind)!).push(ms);
      }
    }),
  );
  if (ticker) clearInterval(ticker);
  run.seconds = (performance.now() - t0) / 1000;
  run.latencies.sort((a, b) => a - b);
  for (const l of run.byKind.values()) l.sort((a, b) => a - b);
  return run;
}

export async function bench(): Promise<BenchResult[]> {
  const seconds = env('UNSPIN_LOAD_SECONDS', 20);
  const clients = env('UNSPIN_LOAD_CLIENTS', 32);
  const articles = env('UNSPIN_LOAD_ARTICLES', 1000);
  let child: ChildProcess | null = null;
  try {
    const { db, ids } = await seed(articles);
    const started = await startServe(db);
    child = started.child;
    const { url } = started;
    const words = ['harbour', 'budget', 'pipeline', 'election', 'bridge', 'drought', 'tariffs', 'railway', 'summit', 'sanctions'];
    const short = (i: number) => `Mayor Tilda Vorn said the ${words[i % words.length]} plan would pass in May. "It is a reckless gamble," said Orlan Kess, an economist, on day ${i}.`;
    const get = (path: string) => () => fetch(`${url}${path}`);
    // Warm-up: the worker loads its models, SQLite fills its cache.
    await drive(4, Math.min(5, seconds / 4), (i) => (i % 5 === 0 ? { kind: 'warm', send: () => fetch(`${url}/api/analyse`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: short(i) }) } : { kind: 'warm', send: get(`/api/articles/${ids[i % ids.length]}`) }));

    const baseSeconds = Math.max(2, seconds / 5);
    const base = await drive(clients, baseSeconds, () => ({ kind: 'static', send: get('/api/openapi.json') }));

    const pid = child.pid;
    const rss = { start: rssMb(pid), middle: NaN, end: NaN, max: rssMb(pid) };
    const mixed = await drive(
      clients,
      seconds,
      (i) => {
        const r = (i * 7919) % 100;
        if (r < 50) return { kind: 'GET /api/articles/:id', send: get(`/api/articles/${ids[(i * 104729) % ids.length]}`) };
        if (r < 65) return { kind: 'GET /api/articles', send: get(`/api/articles?limit=20&offset=${(i * 13) % Math.max(1, ids.length - 20)}`) };
        if (r < 90) return { kind: 'GET /api/search', send: get(`/api/search?q=${words[i % words.length]}&limit=20`) };
        return { kind: 'POST /api/analyse', send: () => fetch(`${url}/api/analyse`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: short(i) }) };
      },
      (elapsed) => {
        const now = rssMb(pid);
        rss.max = Math.max(rss.max, now);
        if (Number.isNaN(rss.middle) && elapsed >= seconds / 2) rss.middle = now;
      },
    );
    rss.end = rssMb(pid);
    const alive = await fetch(`${url}/api/health`).then((r) => r.status === 200).catch(() => false);

    const rps = mixed.latencies.length / mixed.seconds;
    const baseRps = base.latencies.length / base.seconds;
    const label = `${clients} clients, ${round(mixed.seconds, 0)} s, ${ids.length} articles`;
    const results: BenchResult[] = [
      { name: `load: mixed requests/s (${label})`, value: round(rps), unit: 'req/s', baseline: { name: 'GET /api/openapi.json req/s, same clients', value: round(baseRps) }, note: `${mixed.latencies.length} requests` },
      { name: 'load: mixed latency p50', value: round(quantile(mixed.latencies, 0.5)), unit: 'ms', baseline: { name: 'static p50', value: round(quantile(base.latencies, 0.5)) } },
      { name: 'load: mixed latency p95', value: round(quantile(mixed.latencies, 0.95)), unit: 'ms', baseline: { name: 'static p95', value: round(quantile(base.latencies, 0.95)) } },
      { name: 'load: mixed latency p99', value: round(quantile(mixed.latencies, 0.99)), unit: 'ms', baseline: { name: 'static p99', value: round(quantile(base.latencies, 0.99)) } },
    ];
    for (const [kind, l] of [...mixed.byKind].sort()) {
      results.push({ name: `load: ${kind} p50 / p95 / p99`, value: round(quantile(l, 0.95)), unit: 'ms p95', note: `${l.length} requests; p50 ${round(quantile(l, 0.5))} ms, p99 ${round(quantile(l, 0.99))} ms` });
    }
    results.push({
      name: 'load: errors (non-2xx or failed connections)',
      value: mixed.errors + base.errors,
      unit: 'requests',
      note: `${alive ? 'server still healthy after the load' : 'SERVER DID NOT ANSWER /api/health AFTER THE LOAD'}${mixed.errorSamples.length || base.errorSamples.length ? `; e.g. ${[...base.errorSamples, ...mixed.errorSamples].join('; ')}` : ''}`,
    });
    results.push({ name: 'load: server RSS start / middle / end', value: round(rss.end), unit: 'MB at the end', note: `start ${round(rss.start)} MB, middle ${round(rss.middle)} MB, end ${round(rss.end)} MB, max ${round(rss.max)} MB` });
    return results;
  } finally {
    child?.kill('SIGTERM');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const r of await bench()) {
    console.log(`${r.name}: ${r.value} ${r.unit}${r.baseline ? ` (baseline ${r.baseline.name}: ${r.baseline.value})` : ''}${r.note ? ` — ${r.note}` : ''}`);
  }
}
