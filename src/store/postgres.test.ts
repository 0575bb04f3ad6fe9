import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { storeSuite } from './suite.ts';
import { PostgresStore, parsePostgresUrl, redactUrl } from './postgres.ts';
import { openStore } from './index.ts';
import { scratchSchema, testPostgres } from './pg-testing.ts';
import { fakeAnalysis } from './testing.ts';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { migrate } from './migrations.ts';
import { contentHash } from '../corpus/meta.ts';

const server = await testPostgres();

test('postgres URLs: ?schema= is ours, the password never shows', () => {
  assert.deepEqual(parsePostgresUrl('postgres://u:pw@h:5432/db?schema=corpus'), { connectionString: 'postgres://u:pw@h:5432/db', schema: 'corpus' });
  assert.equal(redactUrl('postgres://u:secret@h/db'), 'postgres://u:…@h/db');
});

test('an unreachable PostgreSQL is a clear error without the password', async () => {
  await assert.rejects(openStore('postgres://u:secret@127.0.0.1:1/db'), (e: Error) => /cannot connect/.test(e.message) && !e.message.includes('secret'));
});

if ('skip' in server) {
  test('postgres store suite', { skip: server.skip }, () => {});
} else {
  const url = server.url;
  const schemas: string[] = [];
  after(async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (const s of schemas) await c.query(`drop schema if exists "${s}" cascade`);
    await c.end();
  });
  const open = () => {
    const schema = scratchSchema('store');
    schemas.push(schema);
    return PostgresStore.open(url, { schema, max: 4 });
  };

  storeSuite('postgres', open, async (migration) => {
    const schema = scratchSchema('legacy');
    schemas.push(schema);
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` }) }) });
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    await migrate(db, 'postgres', schema, migration);
    return { db, dialect: 'postgres' as const, reopen: () => PostgresStore.open(url, { schema, max: 4 }) };
  });

  test('postgres: openStore takes the URL with ?schema=, and a reopened store keeps its articles', async () => {
    const schema = scratchSchema('reopen');
    schemas.push(schema);
    const s1 = await openStore(`${url}?schema=${schema}`);
    assert.equal(s1.dialect, 'postgres');
    const a = fakeAnalysis({ paragraphs: ['Kept across restarts of the harbour office.'] });
    await s1.put(a, { canonicalUrl: null, contentHash: contentHash(a.document.text) });
    await s1.close();
    const s2 = await openStore(`${url}?schema=${schema}`);
    assert.equal(await s2.count(), 1);
    assert.equal((await s2.search({ text: 'harbour' })).length, 1);
    await s2.close();
  });

  test('postgres: the same article stored by many writers at once is one article', async () => {
    const schema = scratchSchema('race');
    schemas.push(schema);
    const stores = await Promise.all([0, 1, 2, 3].map(() => PostgresStore.open(url, { schema, max: 3 })));
    try {
      const texts = ['A pasted text about the tram strike.', 'Another pasted text about the ferry.', 'A third one about the bridge toll.'];
      const results = await Promise.all(
        stores.flatMap((s) => texts.map((t) => {
          const a = fakeAnalysis({ paragraphs: [t] });
          return s.put(a, { canonicalUrl: null, contentHash: contentHash(a.document.text) });
        })),
      );
      assert.equal(await stores[0].count(), 3);
      assert.equal(results.filter((r) => r.status === 'inserted').length, 3);
      assert.equal(new Set(results.map((r) => r.id)).size, 3);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  test('postgres: search reads words, phrases, prefixes, OR and NOT like SQLite', async () => {
    const s = await open();
    try {
      const put = (title: string, body: string) => {
        const a = fakeAnalysis({ title, paragraphs: [body] });
        return s.put(a, { canonicalUrl: null, contentHash: contentHash(a.document.text) });
      };
      await put('Ferry news', 'The ferry propagated delays across the bay.');
      await put('Tram news', 'The tram was on time; propaganda posters lined the route.');
      await put('Bridge news', 'The bridge toll rose again.');
      const titles = async (text: string) => (await s.search({ text })).map((h) => h.title).sort();
      assert.deepEqual(await titles('propag*'), ['Ferry news', 'Tram news']);
      assert.deepEqual(await titles('ferry OR bridge'), ['Bridge news', 'Ferry news']);
      assert.deepEqual(await titles('the NOT tram'), ['Bridge news', 'Ferry news']);
      assert.deepEqual(await titles('"toll rose"'), ['Bridge news']);
      assert.deepEqual(await titles('"rose toll"'), []);
      assert.deepEqual(await titles('FERRY'), ['Ferry news']);
      assert.deepEqual(await titles('it\'s ) ( :* & |'), []);
    } finally {
      await s.close();
    }
  });
}
