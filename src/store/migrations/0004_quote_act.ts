import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../migrations.ts';
import { unpackAnalysis } from '../compact.ts';
import { actOf } from '../../stages/quotes/act.ts';

/**
 * Quotes say what they report (`quotes.act`: speech, thought, evidence or
 * other; `Quote.act` since session 6), so a dossier or an export can tell
 * what a person said from what an article says they believe.
 *
 * Quotes stored before this migration are backfilled from their stored
 * Analysis: its `act` when it has one, else the act the quotes stage gives
 * the stored kind, cue and source. A quote whose Analysis cannot be read
 * keeps `act` null.
 *
 * Safe to run again after a crash: the column is added only when missing and
 * the backfill only fills rows still null.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`alter table quotes add column if not exists act text`.execute(db);
  else {
    const cols = (await sql<{ name: string }>`pragma table_info(quotes)`.execute(db)).rows;
    if (!cols.some((c) => c.name === 'act')) await sql`alter table quotes add column act text`.execute(db);
  }
  await backfill(db, dialect);
}

async function backfill(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const BATCH = 500;
  let after = 0;
  for (;;) {
    const rows = (await db
      .selectFrom('articles')
      .select(['id', 'analysis', 'body'])
      .where('id', '>', after)
      .where((eb: any) => eb.exists(eb.selectFrom('quotes').select('qid').whereRef('quotes.article_id', '=', 'articles.id').where('quotes.act', 'is', null)))
      .orderBy('id')
      .limit(BATCH)
      .execute()) as { id: number; analysis: Uint8Array; body: string }[];
    if (!rows.length) return;
    const updates: { id: number; qid: string; act: string }[] = [];
    for (const r of rows) {
      const id = Number(r.id);
      after = id;
      let a;
      try {
        a = unpackAnalysis(r.analysis, r.body);
      } catch {
        continue; // an unreadable Analysis keeps its quotes, with no act
      }
      for (const q of a.quotes ?? []) updates.push({ id, qid: q.id, act: q.act ?? actOf(q) });
    }
    // SQLite: one transaction per batch (PostgreSQL already runs the whole migration in one).
    if (dialect === 'sqlite') await sql`begin`.execute(db);
    try {
      for (const u of updates) await db.updateTable('quotes').set({ act: u.act }).where('article_id', '=', u.id).where('qid', '=', u.qid).execute();
      if (dialect === 'sqlite') await sql`commit`.execute(db);
    } catch (err) {
      if (dialect === 'sqlite') await sql`rollback`.execute(db).catch(() => {});
      throw err;
    }
  }
}
