import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../migrations.ts';

/**
 * Documents and occurrences per indexed term (FTS5 vocabulary), for corpus
 * statistics such as the most frequent words (SQLite only; PostgreSQL has
 * ts_stat).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') await sql`create virtual table articles_fts_vocab using fts5vocab(articles_fts, 'row')`.execute(db);
}
