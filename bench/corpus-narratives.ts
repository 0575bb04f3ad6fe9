/**
 * Narratives, roles and outlet queries of the store at scale (SQLite):
 * UNSPIN_BENCH_NARR_N synthetic articles (default 5000; invented text made by
 * fakeAnalysis from seeded nonsense words, two narratives + one subnarrative
 * and three entity roles each, 40 outlets, 300 speakers) stored with putMany,
 * then each query timed (best of 3 after a warm-up), next to the matching
 * technique query as baseline. The storing itself is timed too, once with
 * the SQLite store's prepared INSERT statements and once with Kysely's
 * compiled inserts (the generic path), on two halves of the articles.
 * Last, the migration 0003 backfill on a copy of the database with the
 * narratives/roles tables removed.
 *
 *   node --import tsx bench/corpus-narratives.ts          # or: npm run bench -- --only corpus-narratives
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/store/sqlite.ts';
import { fakeAnalysis, type FakeArticle } from '../src/store/testing.ts';
import { contentHash } from '../src/corpus/meta.ts';
import type { BenchResult } from './types.ts';

const NARR = ['URW: Discrediting Ukraine', 'URW: Praise of Russia', 'CC: Criticism of climate policies', 'Other', 'URW: Discrediting the West, Diplomacy'];
const ENT = ['Veltrania', 'Osmaria', 'Karsland', 'Dunmere', 'Pellavia', 'the Harbour Board', 'the Coastal League'];
const MAIN = ['Protagonist', 'Antagonist', 'Innocent'];

/** Seeded invented words, so articles do not resemble each other (no near-duplicate pairs). */
function words(seed: number, n: number): string {
  const syll = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'dor', 'pi', 'an', 'es', 'gor', 'li', 'nu', 'ta', 'be'];
  let s = (seed * 2654435761) >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = '';
    for (let j = 0, len = 1 + Math.floor(rnd() * 3); j < len; j++) w += syll[Math.floor(rnd() * syll.length)];
    out.push(w);
  }
  return out.join(' ');
}

function article(i: number): FakeArticle {
  const p = `Speaker${i % 300} Lastname${i % 300}`;
  const q = `Speaker${(i * 7) % 300} Lastname${(i * 7) % 300}`;
  return {
    url: `https://o${i % 40}.example/${i}`,
    outlet: `Outlet ${i % 40}`,
    published: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    paragraphs: [`Story ${i} about ${ENT[i % 7]} and ${ENT[(i + 3) % 7]}: ${words(i, 60)}.`, `"We warned them ${i}," said ${p}.`, `"Nothing happened ${i}," said ${q}. ${words(i + 1_000_000, 60)}.`],
    quotes: [{ text: `"We warned them ${i},"`, speaker: p }, { text: `"Nothing happened ${i},"`, speaker: q }],
    people: [{ name: p }, { name: q }],
    techniques: [{ technique: 'Loaded_Language', text: 'warned' }],
    frames: ['Political'],
    genre: 'reporting',
    narratives: [
      { narrative: NARR[i % 5], evidence: [`We warned them ${i}`], subnarratives: [{ subnarrative: `${NARR[i % 5]}: Other`, evidence: [`Story ${i}`] }] },
      { narrative: NARR[(i + 2) % 5], evidence: [`Nothing happened ${i}`] },
    ],
    roles: [{ name: ENT[i % 7], main: MAIN[i % 3] }, { name: ENT[(i + 3) % 7], main: MAIN[(i + 1) % 3] }, { name: p, main: MAIN[(i + 2) % 3] }],
  };
}

async function best(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  let t = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

export async function bench(): Promise<BenchResult[]> {
  const n = Number(process.env.UNSPIN_BENCH_NARR_N ?? 5000);
  const dir = mkdtempSync(join(tmpdir(), 'unspin-bench-narr-'));
  const out: BenchResult[] = [];
  try {
    const path = join(dir, 'corpus.db');
    const batch = (k: number) => {
      const items = [];
      for (let i = k; i < Math.min(n, k + 64); i++) {
        const analysis = fakeAnalysis(article(i));
        items.push({ analysis, meta: { canonicalUrl: analysis.document.url, contentHash: contentHash(analysis.document.text), url: analysis.document.url } });
      }
      return items;
    };
    // Storing: the first m articles through Kysely's inserts into a scratch database, then all n with prepared statements.
    const m = Math.min(n, 2000);
    for (const prepared of [false, true]) {
      // Warm-up (JIT, page cache) for both paths, not timed.
      SqliteStore.PREPARED_INSERTS = prepared;
      const warm = await SqliteStore.open(join(dir, `warm-${prepared}.db`));
      for (let k = 0; k < 256; k += 64) await warm.putMany(batch(k));
      await warm.close();
    }
    SqliteStore.PREPARED_INSERTS = false;
    const scratch = await SqliteStore.open(join(dir, 'scratch.db'));
    let kyselyMs = 0;
    for (let k = 0; k < m; k += 64) {
      const items = batch(k);
      const t0 = performance.now();
      await scratch.putMany(items);
      kyselyMs += performance.now() - t0;
    }
    await scratch.close();
    SqliteStore.PREPARED_INSERTS = true;
    const s = await SqliteStore.open(path);
    let preparedMs = 0;
    for (let k = 0; k < n; k += 64) {
      const items = batch(k);
      const t0 = performance.now();
      await s.putMany(items);
      if (k < m) preparedMs += performance.now() - t0;
    }
    out.push({
      name: `store.putMany (64 per transaction), first ${m} articles, prepared INSERT statements`,
      value: (m / preparedMs) * 1000,
      unit: 'articles/s',
      baseline: { name: "Kysely's compiled inserts", value: (m / kyselyMs) * 1000 },
    });
    const at = `at ${n} articles`;
    const ms = (name: string, value: number, baseline?: { name: string; value: number }) => out.push({ name: `${name} ${at}`, value, unit: 'ms (best of 3)', ...(baseline ? { baseline } : {}) });
    const techSearch = await best(() => s.search({ technique: 'Loaded_Language', limit: 20 }));
    ms('search({ narrative }), newest 20', await best(() => s.search({ narrative: NARR[1], limit: 20 })), { name: 'search({ technique })', value: techSearch });
    ms('search({ narrative, text })', await best(() => s.search({ narrative: NARR[1], text: 'warned', limit: 20 })));
    ms('search({ role, roleEntity })', await best(() => s.search({ role: 'Antagonist', roleEntity: ENT[5], limit: 20 })), { name: 'search({ technique })', value: techSearch });
    const techTrend = await best(() => s.trends('technique', 'month'));
    ms("trends('narrative', 'month')", await best(() => s.trends('narrative', 'month')), { name: "trends('technique', 'month')", value: techTrend });
    ms("trends('role', 'month')", await best(() => s.trends('role', 'month')), { name: "trends('technique', 'month')", value: techTrend });
    ms('outlets()', await best(() => s.outlets()));
    ms('outlet(name)', await best(() => s.outlet('Outlet 7')));
    ms('speaker(name) dossier with narratives and roles', await best(() => s.speaker('Speaker5 Lastname5')));
    await s.close();

    // The backfill: drop what migration 0003 made, forget it ran, open again.
    const old = join(dir, 'old.db');
    copyFileSync(path, old);
    const raw = new Database(old);
    raw.exec(`drop table narratives; drop table narrative_evidence; drop table roles; drop index articles_outlet_lower;
      delete from kysely_migration where name = '0003_narratives_roles';`);
    raw.close();
    const t0 = performance.now();
    const again = await SqliteStore.open(old);
    out.push({ name: `migration 0003 backfill ${at}`, value: (performance.now() - t0) / 1000, unit: 's' });
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await bench()) {
    console.log(`${r.name}: ${r.value.toFixed(1)} ${r.unit}${r.baseline ? `  (baseline ${r.baseline.name}: ${r.baseline.value.toFixed(1)})` : ''}`);
  }
}
