/**
 * A large corpus for the store and server benchmarks, built quickly and kept
 * between runs.
 *
 * A few hundred synthetic articles (two in three ~800 words with a long chain
 * of quotes from bench/corpus.ts, one in three shorter reports) go through the
 * real pipeline once; every stored article is then a *variant* of one of them:
 *   - about half of the longer words are swapped for invented words of the
 *     same length, drawn from a Zipf-distributed vocabulary, so the full-text
 *     index sees a long tail of terms and variants of one base are not
 *     near-duplicates of each other;
 *   - every word of a person's name is swapped for an invented word of the same
 *     length chosen through a Zipf draw, so a few people are quoted in
 *     thousands of articles and most in a handful (speaker rankings and
 *     dossiers see a realistic spread);
 *   - outlet (Zipf over 300), publication date (three years) and URL vary;
 *   - about 3% are light edits of an earlier variant under another outlet (the
 *     copies near-duplicate detection is for).
 * Replacements keep every length, so all offsets of the pipeline's layers stay
 * valid; span texts are sliced again from the new text.
 *
 * The database is cached under $UNSPIN_BENCH_CACHE (default <tmpdir>/unspin-bench),
 * keyed by CORPUS_VERSION and N; a smaller cached database of the same key is
 * grown rather than rebuilt. Building 100,000 took 27 minutes on the shared
 * 2-core machine under a load average of 15-24 (about 4 ms of CPU per article
 * on the writing thread, 3 ms on the variant thread).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { availableParallelism, tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { syntheticArticle, rng } from './corpus.ts';
import { generateArticle } from '../src/ingest-runner/testing.ts';
import type { Analysis } from '../src/document/types.ts';
import type { Article } from '../src/article/types.ts';
import type { PreparedPut, PutMeta } from '../src/store/types.ts';
import { openStore } from '../src/store/index.ts';
import { canonicalUrl, contentHash } from '../src/corpus/meta.ts';
import { whenFree } from '../src/ingest-runner/run.ts';

/** Bump when the generator changes what it stores. */
export const CORPUS_VERSION = 2;
/** Articles analysed by the pipeline; every stored article is a variant of one of them. */
export const BASE = 240;
export const OUTLETS = 300;
export const PEOPLE = 20_000;


export function cacheDir(): string {
  return process.env.UNSPIN_BENCH_CACHE ?? join(tmpdir(), 'unspin-bench');
}

/**
 * The cache key: the generator's version. A cached database written under an
 * older schema is migrated when it is opened (migrations backfill new tables
 * from the stored Analyses), so a schema change does not force a rebuild.
 */
export function corpusKey(): string {
  return `v${CORPUS_VERSION}`;
}

/** Integer in [0, n), P(k) roughly proportional to 1/(k+c); a larger c flattens the head (c = 1: plain Zipf). */
export function zipf(r: () => number, n: number, c = 1): number {
  return Math.min(n - 1, Math.floor(c * Math.pow((n + c) / c, r()) - c));
}

const SYL = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'dor', 'pi', 'an', 'es', 'gor', 'li', 'nu', 'ta', 'be', 'ro', 'mal', 'ost', 'fen', 'tri', 'war', 'qu', 'eb'];

/** A deterministic invented lower-case word of exactly `len` letters. */
export function invent(seed: number, len: number): string {
  const r = rng(seed * 2654435761 + len);
  let w = '';
  while (w.length < len) w += SYL[Math.floor(r() * SYL.length)];
  return w.slice(0, len);
}

/** Vocabulary words are stable per (length, rank): rank 0 is the most frequent word of that length. */
export function vocabWord(len: number, rank: number): string {
  return invent(1_000_003 * len + rank, len);
}

const VOCAB = 20_000;

function capitalised(w: string): boolean {
  return w[0] !== w[0].toLowerCase();
}

function withCase(like: string, w: string): string {
  return capitalised(like) ? w[0].toUpperCase() + w.slice(1) : w;
}

/** A copy of a JSON-like value with every span's text sliced again from `text` and person names renamed. */
function respan(value: unknown, text: string, rename: (s: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => respan(v, text, rename));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const span = typeof o.start === 'number' && typeof o.end === 'number' && typeof o.text === 'string';
    const out: Record<string, unknown> = {};
    for (const k in o) {
      const v = o[k];
      if (span && k === 'text') out[k] = text.slice(o.start as number, o.end as number);
      else if (k === 'name' && typeof v === 'string') out[k] = rename(v);
      else out[k] = v && typeof v === 'object' ? respan(v, text, rename) : v;
    }
    return out;
  }
  return value;
}

export interface Variant {
  analysis: Analysis;
  meta: PutMeta;
}

/**
 * Variant v of the base analyses: deterministic in v. `swap` is the share of
 * longer words replaced (0.5 for a new article, small for a near-copy).
 */
export function variant(bases: readonly Analysis[], v: number, swap = 0.5): Variant {
  const r = rng(v * 40503 + 7);
  const copy = v > 50 && r() < 0.03;
  const from = copy ? v - 1 - Math.floor(r() * 50) : v;
  const base = copy ? variant(bases, from).analysis : bases[from % bases.length];
  const rate = copy ? 0.05 : swap;

  // People: each person of the base becomes person z (one Zipf draw; the most quoted is in about 7% of
  // articles), whose name words are invented words of the same lengths as the base name's.
  const names = new Map<string, string>();
  if (!copy) {
    for (const e of base.entities) {
      if (e.type !== 'person') continue;
      const z = zipf(r, PEOPLE, 10);
      e.name.split(/\s+/).forEach((w, k) => {
        if (w.length >= 3 && capitalised(w) && !names.has(w)) names.set(w, withCase(w, invent(z * 31 + k, w.length)));
      });
    }
  }
  const rename = (s: string) => (names.size ? s.replace(/\p{L}+/gu, (w) => names.get(w) ?? w) : s);
  const text = base.document.text.replace(/\p{L}+/gu, (w) => {
    const n = names.get(w);
    if (n) return n;
    if (w.length < 4 || r() >= rate) return w;
    return withCase(w, vocabWord(w.length, zipf(r, VOCAB)));
  });
  if (text.length !== base.document.text.length) throw new Error('variant changed the text length');

  const out = respan(base, text, rename) as Analysis;
  const o = zipf(r, OUTLETS);
  const outlet = `${invent(o + 77, 5 + (o % 4))}-news.test`;
  const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(r() * 3 * 365) * 86_400_000);
  const ymd = day.toISOString().slice(0, 10);
  const url = `https://${outlet}/${ymd.replace(/-/g, '/')}/story-${v}`;
  const titleSpan = out.segments.title;
  out.document = {
    ...out.document,
    id: `bench-${v}`,
    title: titleSpan ? titleSpan.text : rename(base.document.title ?? ''),
    url,
    outlet,
    published: `${ymd}T${String(6 + (v % 14)).padStart(2, '0')}:00:00Z`,
    text,
  };
  return { analysis: out, meta: { canonicalUrl: canonicalUrl(url), contentHash: contentHash(text), rawHash: null, url, source: 'bench' } };
}

/** The base articles through the real pipeline (on worker threads when there is more than one core). */
export async function baseAnalyses(n = BASE): Promise<Analysis[]> {
  // Two in three: ~800-word pieces with a long chain of quotes (bench/corpus.ts); one in three: shorter
  // reports with a few quoted experts (src/ingest-runner/testing.ts).
  const arts: Article[] = Array.from({ length: n }, (_, i) => {
    const a = i % 3 === 2 ? generateArticle(900_000 + i, { outlets: 50, people: 400, paragraphs: 6 + (i % 5) }) : syntheticArticle(900_000 + i);
    return { raw: a.text, title: a.title, url: a.url, outlet: a.outlet, byline: null, published: a.published, language: 'en', source: 'bench' };
  });
  const { availableParallelism } = await import('node:os');
  const workers = Math.min(availableParallelism(), 4);
  if (workers < 2) {
    const { analyze } = await import('../src/pipeline.ts');
    return arts.map((a) => analyze(a));
  }
  const { AnalyzePool } = await import('../src/ingest-runner/pool.ts');
  const pool = await AnalyzePool.start(workers);
  try {
    return await Promise.all(arts.map((a) => pool.analyze(a)));
  } finally {
    await pool.close();
  }
}

/** Threads that make variants and their store rows (bench/big-corpus-worker.mjs), a batch at a time. */
async function variantMakers(bases: Analysis[], count: number): Promise<{ make: (from: number, to: number) => Promise<PreparedPut[]>; close: () => Promise<void> }> {
  const workers = await Promise.all(
    Array.from({ length: count }, async () => {
      const w = new Worker(new URL('./big-corpus-worker.mjs', import.meta.url), { workerData: { bases } });
      await new Promise<void>((ok, fail) => {
        w.once('error', fail);
        w.once('message', () => ok());
      });
      return w;
    }),
  );
  let turn = 0;
  let nextId = 0;
  return {
    make: (from, to) => {
      const w = workers[turn++ % workers.length];
      const id = nextId++;
      return new Promise((ok, fail) => {
        const onMessage = (m: { id: number; items: PreparedPut[] }) => {
          if (m.id !== id) return;
          w.off('message', onMessage);
          w.off('error', fail);
          ok(m.items);
        };
        w.on('message', onMessage);
        w.once('error', fail);
        w.postMessage({ id, from, to });
      });
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export interface BigCorpus {
  path: string;
  articles: number;
  /** Articles added in this call, and how fast. */
  added: number;
  seconds: number;
}

/**
 * A SQLite database with exactly n bench articles: the cached one when it is
 * complete, otherwise built (or grown from a smaller cached one) now.
 */
export async function bigCorpus(n: number, opts: { log?: (line: string) => void; rebuild?: boolean } = {}): Promise<BigCorpus> {
  const log = opts.log ?? (() => {});
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const key = corpusKey();
  const path = join(dir, `store-${key}-${n}.db`);
  if (opts.rebuild) for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  if (!existsSync(path)) {
    // Grow the largest smaller database of the same key instead of starting from nothing.
    const smaller = readdirSync(dir)
      .map((f) => new RegExp(`^store-${key}-(\\d+)\\.db$`).exec(f))
      .filter((m): m is RegExpExecArray => !!m && Number(m[1]) < n)
      .sort((a, b) => Number(b[1]) - Number(a[1]))[0];
    if (smaller && !opts.rebuild) {
      const from = join(dir, smaller[0]);
      const s = await openStore(from); // folds the WAL back in on close
      await s.close();
      log(`growing ${smaller[0]} to ${n} articles`);
      renameSync(from, path);
      for (const ext of ['-wal', '-shm']) rmSync(from + ext, { force: true });
    }
  }
  const store = await openStore(path);
  let have = await store.count();
  if (have > n) throw new Error(`${path} holds ${have} articles, more than ${n}`);
  const t0 = performance.now();
  const start = have;
  if (have < n) {
    log(`building a ${n}-article bench corpus in ${path} (from ${have})…`);
    // The base analyses are kept too: growing a corpus later needs no pipeline run.
    const basesFile = join(dir, `bases-v${CORPUS_VERSION}.json.gz`);
    let bases: Analysis[];
    if (existsSync(basesFile)) bases = JSON.parse(gunzipSync(readFileSync(basesFile)).toString('utf8'));
    else writeFileSync(basesFile, gzipSync(JSON.stringify((bases = await baseAnalyses()))));
    // Variants and their rows are made on worker threads, a few batches ahead; this thread writes them in order.
    const makers = await variantMakers(bases, Math.max(1, Math.min(availableParallelism() - 1, 3)));
    const batch = 200;
    let lastLog = performance.now();
    try {
      // Variants are numbered from the count stored, so an interrupted build resumes where it stopped.
      let next = have;
      let limit = n;
      const ahead: Promise<PreparedPut[]>[] = [];
      while (have < n) {
        while (ahead.length < 6 && next < limit) {
          const to = Math.min(next + batch, limit);
          ahead.push(makers.make(next, to));
          next = to;
        }
        const batchItems = await ahead.shift()!;
        const results = await whenFree(() => store.putMany(batchItems), 10);
        have += results.filter((r) => r.status === 'inserted').length;
        if (!ahead.length && have < n) limit += n - have; // a variant already stored: make more
        if (performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          const rate = (have - start) / ((lastLog - t0) / 1000);
          log(`  ${have}/${n} stored (${rate.toFixed(0)} articles/s, about ${Math.round((n - have) / rate)} s left)`);
        }
      }
    } finally {
      await makers.close();
    }
    have = await store.count();
  }
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  return { path, articles: n, added: n - start, seconds };
}

/** Bytes on disk of a SQLite database (main file plus WAL). */
export function dbBytes(path: string): number {
  let n = 0;
  for (const f of [path, `${path}-wal`]) if (existsSync(f)) n += statSync(f).size;
  return n;
}
