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
