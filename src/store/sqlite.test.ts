import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeSuite } from './suite.ts';
import { SqliteStore, ftsQuery } from './sqlite.ts';
import { databaseUrl, openStore } from './index.ts';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from './migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'unspin-store-'));
let n = 0;
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

storeSuite('sqlite', () => SqliteStore.open(join(dir, `t${n++}.db`)), async (migration) => {
  const path = join(dir, `legacy${n++}.db`);
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(path) }) });
  await migrate(db, 'sqlite', null, migration);
  return { db, dialect: 'sqlite' as const, reopen: () => SqliteStore.open(path) };
});

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

test('ftsQuery quotes words and keeps phrases, prefixes and OR', () => {
  assert.equal(ftsQuery('war crimes'), '"war" "crimes"');
  assert.equal(ftsQuery('"state media" OR propag*'), '"state media" OR "propag"*');
  assert.equal(ftsQuery('AND ( " ) OR'), '');
});

test('a broad search ranks the most recently stored matches', async () => {
  const { fakeAnalysis } = await import('./testing.ts');
  const s = await SqliteStore.open(':memory:');
  const saved = SqliteStore.RANK_WINDOW;
  try {
    // Article 1 mentions the ferry three times: the most relevant of all.
    for (let i = 0; i < 5; i++) {
      const body = i === 1 ? 'The ferry, the ferry and again the ferry ran late.' : `The ferry ran late on day ${i}.`;
      await s.put(fakeAnalysis({ title: `Report ${i}`, outlet: i % 2 ? 'odd.example' : 'even.example', paragraphs: [body] }), { canonicalUrl: null, contentHash: `h${i}` });
    }
    assert.equal((await s.search({ text: 'ferry' }))[0].title, 'Report 1');
    SqliteStore.RANK_WINDOW = 3; // only the three most recent matches (4, 3, 2) are ranked; older ones follow, newest first
    const windowed = await s.search({ text: 'ferry' });
    assert.deepEqual(windowed.slice(0, 3).map((h) => h.title).sort(), ['Report 2', 'Report 3', 'Report 4']);
    assert.deepEqual(windowed.slice(3).map((h) => h.title), ['Report 1', 'Report 0']);
    assert.deepEqual((await s.search({ text: 'ferry', limit: 3 })).map((h) => h.title).sort(), ['Report 2', 'Report 3', 'Report 4']);
    assert.ok(windowed.every((h) => typeof h.score === 'number'));
    // The window holds one match of the odd outlet (3); the older one (1) follows it.
    assert.deepEqual((await s.search({ text: 'ferry', outlet: 'odd.example' })).map((h) => h.title), ['Report 3', 'Report 1']);
    assert.deepEqual((await s.search({ text: 'ferry', outlet: 'odd.example', offset: 1 })).map((h) => h.title), ['Report 1']);
    const narrow = await s.search({ text: 'ferry "day 2"' });
    assert.deepEqual(narrow.map((h) => h.title), ['Report 2']);
    assert.match(narrow[0].snippet, /\[ferry\]/);
  } finally {
    SqliteStore.RANK_WINDOW = saved;
    await s.close();
  }
});
