import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../migrations.ts';

/** Documents per indexed term, read by search to choose between ranking and streaming (SQLite only; PostgreSQL keeps its own statistics). */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') await sql`create virtual table articles_fts_vocab using fts5vocab(articles_fts, 'row')`.execute(db);
}
