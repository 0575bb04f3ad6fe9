/**
 * The corpus store: ingest + analyse + store throughput, store-only
 * throughput, then search p95, speaker-dossier p95 and bytes per article at a
 * corpus size set by UNSPIN_BENCH_STORE_N (default 10,000; the target
 * is 100,000). Every number is printed next to a baseline measured in the same
 * run:
 *   - ingest+analyse+store vs analyse alone (what storing adds),
 *   - store.put vs a bare better-sqlite3 insert of the same Analysis JSON into
 *     one table (what the layer tables, FTS5, names and MinHash cost),
 *   - search and dossier latency vs a primary-key lookup of one article.
 *
 *   node --import tsx bench/store.ts            # 10k
 *   UNSPIN_BENCH_STORE_N=100000 node --import tsx bench/store.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BenchResult } from './types.ts';
import { syntheticArticle } from './corpus.ts';
import { analyze } from '../src/pipeline.ts';
import type { Article } from '../src/article/types.ts';
import type { Analysis } from '../src/document/types.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import { fakeAnalysis } from '../src/store/testing.ts';
import { canonicalUrl, contentHash } from '../src/corpus/meta.ts';
import { generateArticle, pick, rng } from '../src/ingest-runner/testing.ts';

const TECHNIQUES = ['Loaded_Language', 'Doubt', 'Appeal_to_Fear-Prejudice', 'Name_Calling-Labeling', 'Exaggeration-Minimisation', 'Repetition'];
const FRAMES = ['Economic', 'Political', 'Security_and_defense', 'Morality', 'Public_opinion'];
const DESCRIPTORS = ['political analyst', 'economist', 'expert', 'professor', 'former diplomat'];

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}

function toArticle(a: { title: string; text: string; url: string; outlet: string; published: string }): Article {
  return { raw: a.text, title: a.title, url: a.url, outlet: a.outlet, byline: null, published: a.published, language: 'en', source: 'bench' };
}

/** A generated article with layers built directly (no pipeline): for filling a large corpus fast. */
function layered(i: number): Analysis {
  const g = generateArticle(i, { outlets: 40, people: 2000, paragraphs: 5 });
  const r = rng(i + 99);
  const loaded = /(a disgraceful betrayal|a catastrophic failure|an outrageous provocation|a shameful cover-up|a reckless gamble)/.exec(g.text)![0];
  return fakeAnalysis({
    id: `g${i}`,
    title: g.title,
    url: g.url,
    outlet: g.outlet,
    published: g.published,
    paragraphs: g.text.split('\n\n'),
    quotes: [...new Set(g.speakers)].map((s) => {
      const m = new RegExp(`"[^"]*," [a-z ]+ ${s}`).exec(g.text)!;
      return { text: m[0].slice(0, m[0].indexOf('"', 1) + 1), speaker: r() < 0.2 ? s.split(' ')[1] : s };
    }),
    people: [...new Set(g.speakers)].map((s) => ({ name: s, descriptors: [pick(r, DESCRIPTORS)] })),
    techniques: [
      { technique: pick(r, TECHNIQUES), text: loaded },
      { technique: pick(r, TECHNIQUES), text: g.title.split(' ').slice(0, 3).join(' ') },
    ],
    frames: [pick(r, FRAMES), pick(r, FRAMES)].filter((f, k, a) => a.indexOf(f) === k),
    genre: 'reporting',
  });
}

export async function bench(): Promise<BenchResult[]> {
  const N = Number(process.env.UNSPIN_BENCH_STORE_N ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'unspin-bench-store-'));
  const out: BenchResult[] = [];
  try {
    // 1. End to end on the shared synthetic corpus (~800 words an article).
    const M = Number(process.env.UNSPIN_BENCH_STORE_M ?? 100);
    const arts = Array.from({ length: M }, (_, i) => toArticle(syntheticArticle(i)));
    for (const a of arts.slice(0, 10)) analyze(a); // warm up models
    // Best of three alternating rounds: on a shared machine, load changes
    // between two measurements; alternating keeps the ratio fair.
    let analyseMs = Infinity;
    let e2eMs = Infinity;
    let analyses: Analysis[] = [];
    for (let round = 0; round < 3; round++) {
      let t = performance.now();
      analyses = arts.map((a) => analyze(a));
      analyseMs = Math.min(analyseMs, performance.now() - t);
      const e2e = await SqliteStore.open(join(dir, `e2e${round}.db`));
      t = performance.now();
      for (const a of arts) {
        const an = analyze(a);
        await e2e.put(an, { canonicalUrl: canonicalUrl(a.url), contentHash: contentHash(an.document.text), rawHash: contentHash(a.raw), url: a.url });
      }
      e2eMs = Math.min(e2eMs, performance.now() - t);
      await e2e.close();
    }
    out.push({
      name: `ingest + analyse + store (${M} synthetic ~800-word articles)`,
      value: (M / e2eMs) * 1000,
      unit: 'articles/s',
      baseline: { name: 'analyse only', value: (M / analyseMs) * 1000 },
    });
    // The same with analysis on worker threads (one per core), as `unspin ingest` does for 20+ items.
    const { AnalyzePool } = await import('../src/ingest-runner/pool.ts');
    const { runIngest } = await import('../src/ingest-runner/run.ts');
    const { availableParallelism } = await import('node:os');
    const workers = Math.min(availableParallelism(), 8);
    const pool = await AnalyzePool.start(workers);
    await Promise.all(arts.slice(0, 10 * workers).map((a) => pool.analyze(a))); // warm up every worker's models
    const pooled = await SqliteStore.open(join(dir, 'pooled.db'));
    const summary = await runIngest(
      arts.map((a, k) => ({ label: String(k), load: async () => a })),
      { store: pooled, analyze: (a) => pool.analyze(a), concurrency: workers * 2 + 2 },
    );
    await pool.close();
    await pooled.close();
    out.push({
      name: `ingest + analyse on ${workers} worker threads + store (${M} articles)`,
      value: summary.inserted / summary.seconds,
      unit: 'articles/s',
      baseline: { name: 'the same on the main thread', value: (M / e2eMs) * 1000 },
    });
    // Store only, same analyses, into a fresh database vs one bare insert per article.
    const only = await SqliteStore.open(join(dir, 'only.db'));
    let t0 = performance.now();
    for (const [k, an] of analyses.entries()) {
      await only.put(an, { canonicalUrl: canonicalUrl(arts[k].url), contentHash: contentHash(an.document.text), url: arts[k].url });
    }
    const putMs = performance.now() - t0;
    const raw = new Database(join(dir, 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec('create table a (id integer primary key, url text unique, json text)');
    const ins = raw.prepare('insert into a (url, json) values (?, ?)');
    t0 = performance.now();
    for (const [k, an] of analyses.entries()) ins.run(arts[k].url, JSON.stringify(an));
    const rawMs = performance.now() - t0;
    raw.close();
    out.push({ name: 'store.put (all layers, FTS5, names, MinHash; one transaction each)', value: (M / putMs) * 1000, unit: 'articles/s', baseline: { name: 'bare insert of the Analysis JSON', value: (M / rawMs) * 1000 } });
    await only.close();

    // 2. A corpus of N articles (layers built directly), then queries.
    // UNSPIN_BENCH_STORE_DB keeps the large database between runs (filled up to N on each run).
    const big = await SqliteStore.open(process.env.UNSPIN_BENCH_STORE_DB ?? join(dir, 'big.db'));
    const have = await big.count();
    t0 = performance.now();
    for (let i = have; i < N; i++) {
      const an = layered(i);
      await big.put(an, { canonicalUrl: canonicalUrl(an.document.url), contentHash: contentHash(an.document.text), url: an.document.url });
      if (process.env.UNSPIN_BENCH_VERBOSE && i % 5000 === 4999) console.error(`  filled ${i + 1}/${N} (${(((i + 1 - have) / (performance.now() - t0)) * 1000).toFixed(0)}/s)`);
    }
    const fillMs = performance.now() - t0;
    if (N > have) out.push({ name: `store.put while growing from ${have} to ${N} articles`, value: ((N - have) / fillMs) * 1000, unit: 'articles/s' });
    const bytes = big.bytes();
    out.push({ name: `database size per article at ${N}`, value: bytes / N, unit: 'bytes', note: `${(bytes / 1e6).toFixed(0)} MB in all` });

    // Baseline: one article by primary key.
    const r = rng(7);
    const pk: number[] = [];
    for (let k = 0; k < 200; k++) {
      const t = performance.now();
      await big.article(1 + Math.floor(r() * N));
      pk.push(performance.now() - t);
    }
    const vocab = ['harbour', 'budget', 'pipeline', 'election', 'bridge', 'drought', 'tariffs', 'railway', 'summit', 'sanctions', 'council', 'residents', 'betrayal', 'gamble'];
    await big.search({ text: 'harbour' }); // first query settles person merging and caches
    const searchMs: number[] = [];
    for (let k = 0; k < 200; k++) {
      const words = [pick(r, vocab)];
      if (r() < 0.5) words.push(pick(r, vocab));
      const q: Parameters<typeof big.search>[0] = { text: words.join(' '), limit: 20 };
      if (k % 4 === 1) q.outlet = `outlet${Math.floor(r() * 40)}.example`;
      if (k % 4 === 2) q.technique = pick(r, TECHNIQUES);
      if (k % 4 === 3) Object.assign(q, { from: '2024-03-01', to: '2024-05-31' });
      const t = performance.now();
      await big.search(q);
      searchMs.push(performance.now() - t);
    }
    out.push({ name: `search p95 at ${N} articles (1-2 words, 3/4 with a filter, top 20)`, value: p95(searchMs), unit: 'ms', baseline: { name: 'article by primary key p95', value: p95(pk) } });

    const ranked = await big.speakers({ limit: 50 });
    const dossierMs: number[] = [];
    for (let k = 0; k < 50; k++) {
      const who = ranked[k % ranked.length];
      const asked = k % 2 ? who.name.split(' ').at(-1)! : who.name;
      const t = performance.now();
      await big.speaker(asked);
      dossierMs.push(performance.now() - t);
    }
    out.push({
      name: `speaker dossier p95 at ${N} articles (top-50 speakers, ~${ranked[0].quotes} quotes each)`,
      value: p95(dossierMs),
      unit: 'ms',
      baseline: { name: 'article by primary key p95', value: p95(pk) },
    });
    let t1 = performance.now();
    await big.speakers({ limit: 30 });
    out.push({ name: `speakers ranking at ${N} articles`, value: performance.now() - t1, unit: 'ms' });
    t1 = performance.now();
    await big.trends('technique', 'week');
    out.push({ name: `trends by technique per week at ${N} articles`, value: performance.now() - t1, unit: 'ms' });
    await big.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await bench()) {
    const ratio = r.baseline ? `  (baseline ${r.baseline.name}: ${r.baseline.value.toFixed(2)}; ratio ${(r.value / r.baseline.value).toFixed(2)})` : '';
    console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}${ratio}${r.note ? '  ' + r.note : ''}`);
  }
}
