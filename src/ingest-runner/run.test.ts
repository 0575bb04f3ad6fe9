import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../store/sqlite.ts';
import { fakeAnalysis } from '../store/testing.ts';
import type { Article } from '../article/types.ts';
import { IngestError } from '../article/errors.ts';
import { runIngest, formatSummary, completeArticle } from './run.ts';
import type { Item } from './sources.ts';
import { Progress } from './progress.ts';

const article = (i: number, extra: Partial<Article> = {}): Article => ({
  raw: `Story ${i} about the quiet harbour of Veltrano and its ferries.`,
  title: `Story ${i}`,
  url: `https://www.port.example/2024/05/0${(i % 9) + 1}/story-${i}`,
  outlet: null,
  byline: null,
  published: null,
  language: 'en',
  source: 'test',
  ...extra,
});

const items = (n: number, broken: number[] = []): Item[] =>
  Array.from({ length: n }, (_, i) => ({
    label: `item-${i}`,
    load: async () => {
      if (broken.includes(i)) throw new IngestError('empty', 'the text is empty');
      return article(i);
    },
  }));

let analysed = 0;
const analyze = (a: Article) => {
  analysed++;
  return fakeAnalysis({ title: a.title, url: a.url, outlet: a.outlet, published: a.published, paragraphs: [a.raw] });
};

test('failing items are reported and skipped; a rerun stores nothing twice and analyses nothing again', async () => {
  const store = await SqliteStore.open(':memory:');
  const seen: string[] = [];
  const s1 = await runIngest(items(6, [2, 4]), { store, analyze, onError: (f) => seen.push(f.label) });
  assert.equal(s1.inserted, 4);
  assert.deepEqual(s1.failed.map((f) => [f.label, f.code]), [['item-2', 'empty'], ['item-4', 'empty']]);
  assert.deepEqual(seen, ['item-2', 'item-4']);
  assert.match(formatSummary(s1), /4 stored, 0 updated, 0 already stored, 2 failed[\s\S]*item-2: the text is empty/);
  analysed = 0;
  const s2 = await runIngest(items(6), { store, analyze });
  assert.deepEqual([s2.inserted, s2.skipped, s2.failed.length], [2, 4, 0]);
  assert.equal(analysed, 2);
  assert.equal(await store.count(), 6);
  // Outlet and date came from the URL.
  const a = (await store.articles())[0];
  assert.equal(a.outlet, 'port.example');
  assert.equal(a.published, '2024-05-01T00:00:00.000Z');
  await store.close();
});

test('an item whose URL is stored is skipped without loading it', async () => {
  const store = await SqliteStore.open(':memory:');
  await runIngest(items(1), { store, analyze });
  let loaded = false;
  const s = await runIngest([{ label: 'u', url: 'http://port.example/2024/05/01/story-0/', load: async () => ((loaded = true), article(0)) }], { store, analyze });
  assert.equal(s.skipped, 1);
  assert.equal(loaded, false);
  await store.close();
});

test('an abort stops after the current article and says so', async () => {
  const store = await SqliteStore.open(':memory:');
  const controller = new AbortController();
  let n = 0;
  const s = await runIngest(items(20), {
    store,
    analyze: (a) => {
      if (++n === 3) controller.abort();
      return analyze(a);
    },
    signal: controller.signal,
    concurrency: 1,
  });
  assert.equal(s.interrupted, true);
  assert.equal(s.inserted, 3);
  assert.equal(await store.count(), 3);
  assert.match(formatSummary(s), /run the same command again/);
  await store.close();
});

test('completeArticle keeps what the source said', () => {
  const a = completeArticle(article(1, { outlet: 'Port Daily', published: '2023-01-01' }));
  assert.deepEqual([a.outlet, a.published], ['Port Daily', '2023-01-01']);
});

test('the progress bar shows rate and ETA on a terminal and nothing elsewhere', () => {
  let t = 0;
  const written: string[] = [];
  const tty = Object.assign({ write: (s: string) => (written.push(s), true), isTTY: true, columns: 80 }, {}) as unknown as NodeJS.WritableStream & { isTTY: boolean };
  const bar = new Progress(tty, 100, { now: () => t });
  t = 10_000;
  for (let i = 0; i < 25; i++) bar.tick();
  assert.match(bar.line(), /25\/100\s+2\.5\/s\s+ETA 30s/);
  assert.ok(written.some((w) => w.includes('ETA')));
  const plain: string[] = [];
  const pipe = { write: (s: string) => (plain.push(s), true), isTTY: false } as unknown as NodeJS.WritableStream;
  const quiet = new Progress(pipe, 100);
  quiet.tick();
  quiet.finish();
  assert.deepEqual(plain, []);
});

test('with a store that writes in batches, articles go several per transaction and a bad one fails alone', async () => {
  const store = await SqliteStore.open(':memory:');
  const batches: number[] = [];
  const isBad = (a: { document: { title: string | null } }) => a.document.title === 'Story 5';
  // The store as the runner sees it: put refuses one article, putMany is all or nothing.
  const batching = Object.assign(Object.create(store) as SqliteStore, {
    put: async (a: Parameters<SqliteStore['put']>[0], m: Parameters<SqliteStore['put']>[1]) => {
      if (isBad(a)) throw new Error('constraint failed');
      return store.put(a, m);
    },
    putMany: async (list: { analysis: Parameters<SqliteStore['put']>[0]; meta: Parameters<SqliteStore['put']>[1] }[]) => {
      batches.push(list.length);
      if (list.some((x) => isBad(x.analysis))) throw new Error('constraint failed');
      const out = [];
      for (const x of list) out.push(await store.put(x.analysis, x.meta));
      return out;
    },
  });
  const s = await runIngest(items(12), { store: batching, analyze, concurrency: 8, batch: 4 });
  assert.deepEqual([s.inserted, s.failed.map((f) => f.label)], [11, ['item-5']]);
  assert.equal(s.seen, 12);
  assert.equal(await store.count(), 11);
  assert.ok(batches.some((n) => n > 1), `batches written: ${batches}`);
  assert.ok(batches.every((n) => n <= 4), `batches written: ${batches}`);
  // A rerun finds all eleven and retries only the bad one.
  analysed = 0;
  const again = await runIngest(items(12), { store: batching, analyze, batch: 4 });
  assert.deepEqual([again.inserted, again.skipped, again.failed.length, analysed], [0, 11, 1, 1]);
  await store.close();
});

test('a batch that meets a busy database is written again once the lock is free, not reported as failed', async () => {
  const store = await SqliteStore.open(':memory:');
  let refusals = 2;
  const busyAtFirst = Object.assign(Object.create(store) as SqliteStore, {
    putMany: async (list: Parameters<SqliteStore['putMany']>[0]) => {
      if (refusals-- > 0) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      return store.putMany(list);
    },
  });
  const { whenFree } = await import('./run.ts');
  assert.equal(await whenFree(async () => 'ok', 3, 1), 'ok');
  await assert.rejects(whenFree(async () => { throw new Error('constraint failed'); }, 3, 1), /constraint failed/);
  const s = await runIngest(items(5), { store: busyAtFirst, analyze, batch: 8 });
  assert.deepEqual([s.inserted, s.failed.length], [5, 0]);
  assert.equal(await store.count(), 5);
  await store.close();
});
