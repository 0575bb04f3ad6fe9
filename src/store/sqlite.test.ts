import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeSuite } from './suite.ts';
import { SqliteStore, ftsQuery } from './sqlite.ts';
import { databaseUrl, openStore } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'unspin-store-'));
let n = 0;
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

storeSuite('sqlite', () => SqliteStore.open(join(dir, `t${n++}.db`)));

test('sqlite: a database reopens with its articles and migrations applied once', async () => {
  const path = join(dir, 'reopen.db');
  const s1 = await openStore(path);
  const { fakeAnalysis } = await import('./testing.ts');
  await s1.put(fakeAnalysis({ paragraphs: ['kept across restarts'] }), { canonicalUrl: null, contentHash: 'h1' });
  await s1.close();
  const s2 = (await openStore(`sqlite:${path}`)) as SqliteStore;
  assert.equal(await s2.count(), 1);
  assert.equal(s2.raw.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(s2.integrityCheck(), 'ok');
  await s2.close();
});

test('database option: --db, then UNSPIN_DATABASE_URL, then ./unspin.db', () => {
  assert.equal(databaseUrl('x.db', { UNSPIN_DATABASE_URL: 'y.db' }), 'x.db');
  assert.equal(databaseUrl(undefined, { UNSPIN_DATABASE_URL: 'y.db' }), 'y.db');
  assert.equal(databaseUrl(undefined, {}), './unspin.db');
});

test('postgres URLs are refused with a clear message for now', async () => {
  await assert.rejects(openStore('postgres://u:secret@localhost/db'), (e: Error) => /not supported yet/.test(e.message) && !e.message.includes('secret'));
});

test('ftsQuery quotes words and keeps phrases, prefixes and OR', () => {
  assert.equal(ftsQuery('war crimes'), '"war" "crimes"');
  assert.equal(ftsQuery('"state media" OR propag*'), '"state media" OR "propag"*');
  assert.equal(ftsQuery('AND ( " ) OR'), '');
});

test('broad searches stream newest-stored first instead of ranking every match', async () => {
  const { fakeAnalysis } = await import('./testing.ts');
  const s = await SqliteStore.open(':memory:');
  const saved = SqliteStore.RANK_LIMIT;
  try {
    for (let i = 0; i < 5; i++) {
      await s.put(fakeAnalysis({ title: `Ferry report ${i}`, outlet: i % 2 ? 'odd.example' : 'even.example', paragraphs: [`The ferry ran late on day ${i}.`] }), { canonicalUrl: null, contentHash: `h${i}` });
    }
    const ranked = await s.search({ text: 'ferry' });
    assert.ok(ranked.every((h) => typeof h.score === 'number'));
    SqliteStore.RANK_LIMIT = 3; // 'ferry' is in 5 articles: over the limit
    const streamed = await s.search({ text: 'ferry' });
    assert.deepEqual(streamed.map((h) => h.title), ['Ferry report 4', 'Ferry report 3', 'Ferry report 2', 'Ferry report 1', 'Ferry report 0']);
    assert.ok(streamed.every((h) => h.score === null));
    assert.deepEqual((await s.search({ text: 'ferry', outlet: 'odd.example', limit: 1 })).map((h) => h.title), ['Ferry report 3']);
    // 'day 2' narrows 'ferry' to one article: ranked again.
    const narrow = await s.search({ text: 'ferry "day 2"' });
    assert.equal(narrow.length, 1);
    assert.equal(typeof narrow[0].score, 'number');
    assert.match(narrow[0].snippet, /\[ferry\]/);
  } finally {
    SqliteStore.RANK_LIMIT = saved;
    await s.close();
  }
});
