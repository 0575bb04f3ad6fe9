import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../migrations.ts';

/**
 * The first schema: articles with their Analysis, one table per layer, the
 * person-name map, near-duplicate fingerprints, feed polling state and
 * full-text search. Portable column types; the dialect only changes the id
 * column and the full-text index (FTS5 here, tsvector + GIN on PostgreSQL).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  let articles = db.schema.createTable('articles');
  articles =
    dialect === 'sqlite'
      ? articles.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : articles.addColumn('id', 'bigserial', (c) => c.primaryKey());
  await articles
    .addColumn('canonical_url', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('raw_hash', 'text')
    .addColumn('url', 'text')
    .addColumn('outlet', 'text')
    .addColumn('published', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('byline', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('genre', 'text')
    .addColumn('genre_confidence', 'real')
    .addColumn('analysis', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_canonical_url').unique().on('articles').column('canonical_url').execute();
  await db.schema.createIndex('articles_content_hash').on('articles').column('content_hash').execute();
  await db.schema.createIndex('articles_raw_hash').on('articles').column('raw_hash').execute();
  await db.schema.createIndex('articles_published').on('articles').column('published').execute();
  await db.schema.createIndex('articles_outlet_published').on('articles').columns(['outlet', 'published']).execute();

  const ref = (c: any) => c.notNull().references('articles.id').onDelete('cascade');
  await db.schema
    .createTable('quotes')
    .addColumn('article_id', 'integer', ref)
    .addColumn('qid', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('start_off', 'integer', (c) => c.notNull())
    .addColumn('end_off', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('cue', 'text')
    .addColumn('speaker_name', 'text')
    .addColumn('speaker_key', 'text')
    .addColumn('speaker_entity', 'text')
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('quotes_article').on('quotes').column('article_id').execute();
  await db.schema.createIndex('quotes_speaker').on('quotes').columns(['speaker_key', 'article_id']).execute();

  await db.schema
    .createTable('entities')
    .addColumn('article_id', 'integer', ref)
    .addColumn('eid', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('descriptors', 'text', (c) => c.notNull())
    .addColumn('mentions', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('entities_article').on('entities').column('article_id').execute();
  await db.schema.createIndex('entities_name').on('entities').columns(['name_key', 'article_id']).execute();

  await db.schema
    .createTable('techniques')
    .addColumn('article_id', 'integer', ref)
    .addColumn('technique', 'text', (c) => c.notNull())
    .addColumn('start_off', 'integer', (c) => c.notNull())
    .addColumn('end_off', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('confidence', 'real', (c) => c.notNull())
    .addColumn('voice', 'text', (c) => c.notNull())
    .addColumn('paragraph', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('techniques_article').on('techniques').column('article_id').execute();
  await db.schema.createIndex('techniques_label').on('techniques').columns(['technique', 'article_id']).execute();

  await db.schema
    .createTable('frames')
    .addColumn('article_id', 'integer', ref)
    .addColumn('frame', 'text', (c) => c.notNull())
    .addColumn('confidence', 'real', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('frames_article').on('frames').column('article_id').execute();
  await db.schema.createIndex('frames_label').on('frames').columns(['frame', 'article_id']).execute();

  await db.schema
    .createTable('names')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('person', 'text')
    .execute();
  await db.schema.createIndex('names_person').on('names').column('person').execute();

  await db.schema
    .createTable('fingerprints')
    .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('sig', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
    .execute();
  let lsh = db.schema
    .createTable('lsh')
    .addColumn('key', 'bigint', (c) => c.notNull())
    .addColumn('article_id', 'integer', ref)
    .addPrimaryKeyConstraint('lsh_pk', ['key', 'article_id']);
  if (dialect === 'sqlite') lsh = lsh.modifyEnd(sql`without rowid`);
  await lsh.execute();
  await db.schema.createIndex('lsh_article').on('lsh').column('article_id').execute();
  await db.schema
    .createTable('near_duplicates')
    .addColumn('a', 'integer', ref)
    .addColumn('b', 'integer', ref)
    .addColumn('similarity', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('near_duplicates_pk', ['a', 'b'])
    .execute();
  await db.schema.createIndex('near_duplicates_b').on('near_duplicates').column('b').execute();

  await db.schema
    .createTable('feeds')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('polled_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  if (dialect === 'sqlite') {
    // External-content FTS5 index over title and body, kept in step by triggers.
    await sql`create virtual table articles_fts using fts5(title, body, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(db);
    await sql`create trigger articles_fts_ai after insert on articles begin
      insert into articles_fts(rowid, title, body) values (new.id, coalesce(new.title, ''), new.body); end`.execute(db);
    await sql`create trigger articles_fts_ad after delete on articles begin
      insert into articles_fts(articles_fts, rowid, title, body) values ('delete', old.id, coalesce(old.title, ''), old.body); end`.execute(db);
    await sql`create trigger articles_fts_au after update of title, body on articles begin
      insert into articles_fts(articles_fts, rowid, title, body) values ('delete', old.id, coalesce(old.title, ''), old.body);
      insert into articles_fts(rowid, title, body) values (new.id, coalesce(new.title, ''), new.body); end`.execute(db);
  } else {
    await sql`alter table articles add column fts tsvector generated always as (to_tsvector('simple', coalesce(title, '') || ' ' || body)) stored`.execute(db);
    await sql`create index articles_fts on articles using gin (fts)`.execute(db);
  }
}
