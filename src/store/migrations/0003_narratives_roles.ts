import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../migrations.ts';
import { unpackAnalysis } from '../compact.ts';
import { narrativeRows, roleRows } from '../layers.ts';

/**
 * Narratives and entity roles join the corpus: `narratives` (one row per
 * narrative and per subnarrative of an article, with its parent),
 * `narrative_evidence` (the sentences cited for each label, as offsets, so a
 * quote can be matched to the narratives it voices) and `roles` (each
 * entity's main and fine role). Also an index on lower(outlet), which the
 * outlet filter and the outlet profile compare against.
 *
 * Articles stored before this migration are backfilled from their stored
 * Analysis (articles whose pipeline had no narratives/roles stage simply get
 * no rows).
 *
 * Safe to run again after a crash: on SQLite, Kysely runs a migration
 * outside a transaction, so every statement here tolerates what an
 * interrupted earlier run left (if not exists; the backfill starts from empty
 * tables).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const ref = (c: any) => c.notNull().references('articles.id').onDelete('cascade');
  await db.schema
    .createTable('narratives')
    .ifNotExists()
    .addColumn('article_id', 'integer', ref)
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('parent', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('taxonomy', 'text', (c) => c.notNull())
    .addColumn('nid', 'text')
    .addColumn('domain', 'text')
    .addColumn('confidence', 'real', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('narratives_article').ifNotExists().on('narratives').column('article_id').execute();
  await db.schema.createIndex('narratives_label').ifNotExists().on('narratives').columns(['label', 'article_id']).execute();

  await db.schema
    .createTable('narrative_evidence')
    .ifNotExists()
    .addColumn('article_id', 'integer', ref)
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('start_off', 'integer', (c) => c.notNull())
    .addColumn('end_off', 'integer', (c) => c.notNull())
    .addColumn('weight', 'real', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('narrative_evidence_article').ifNotExists().on('narrative_evidence').columns(['article_id', 'start_off']).execute();

  await db.schema
    .createTable('roles')
    .ifNotExists()
    .addColumn('article_id', 'integer', ref)
    .addColumn('eid', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('main', 'text', (c) => c.notNull())
    .addColumn('main_confidence', 'real', (c) => c.notNull())
    .addColumn('fine', 'text')
    .addColumn('fine_confidence', 'real')
    .addColumn('mentions', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('roles_article').ifNotExists().on('roles').column('article_id').execute();
  await db.schema.createIndex('roles_name').ifNotExists().on('roles').columns(['name_key', 'article_id']).execute();
  await db.schema.createIndex('roles_main').ifNotExists().on('roles').columns(['main', 'article_id']).execute();

  await sql`create index if not exists articles_outlet_lower on articles (lower(outlet))`.execute(db);

  await backfill(db, dialect);
}

async function backfill(db: Kysely<any>, dialect: Dialect): Promise<void> {
  for (const t of ['narratives', 'narrative_evidence', 'roles']) await db.deleteFrom(t).execute();
  const BATCH = 500;
  let after = 0;
  for (;;) {
    const rows = (await db.selectFrom('articles').select(['id', 'analysis', 'body']).where('id', '>', after).orderBy('id').limit(BATCH).execute()) as { id: number; analysis: Uint8Array; body: string }[];
    if (!rows.length) return;
    const narratives = [];
    const evidence = [];
    const roles = [];
    for (const r of rows) {
      const id = Number(r.id);
      after = id;
      let a;
      try {
        a = unpackAnalysis(r.analysis, r.body);
      } catch {
        continue; // an unreadable Analysis keeps its article; it just gets no narrative/role rows
      }
      const n = narrativeRows(id, a);
      narratives.push(...n.narratives);
      evidence.push(...n.evidence);
      roles.push(...roleRows(id, a));
    }
    // SQLite: one transaction per batch (PostgreSQL already runs the whole migration in one).
    if (dialect === 'sqlite') await sql`begin`.execute(db);
    try {
      for (let i = 0; i < narratives.length; i += 200) await db.insertInto('narratives').values(narratives.slice(i, i + 200)).execute();
      for (let i = 0; i < evidence.length; i += 200) await db.insertInto('narrative_evidence').values(evidence.slice(i, i + 200)).execute();
      for (let i = 0; i < roles.length; i += 200) await db.insertInto('roles').values(roles.slice(i, i + 200)).execute();
      if (dialect === 'sqlite') await sql`commit`.execute(db);
    } catch (err) {
      if (dialect === 'sqlite') await sql`rollback`.execute(db).catch(() => {});
      throw err;
    }
  }
}
