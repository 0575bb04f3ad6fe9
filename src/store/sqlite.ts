import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { DB } from './schema.ts';
import { KyselyStore, toStored } from './kysely-store.ts';
import { migrate } from './migrations.ts';
import type { SearchHit, SearchQuery, TrendPeriod } from './types.ts';
import { makeSnippet } from './snippet.ts';

/**
 * Turns what a user typed into an FTS5 query: every word must occur
 * ("quoted" so punctuation and keywords cannot break the syntax), "phrases in
 * double quotes" stay phrases, a trailing * keeps prefix search, and the
 * upper-case operators OR and NOT pass through.
 */
export function ftsQuery(text: string): string {
  const parts: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (m[1] !== undefined) {
      const inner = m[1].replace(/"/g, '').trim();
      if (inner) parts.push(`"${inner}"`);
      continue;
    }
    const tok = m[2];
    if (tok === 'OR' || tok === 'NOT' || tok === 'AND') {
      if (parts.length) parts.push(tok);
      continue;
    }
    const prefix = tok.endsWith('*');
    const word = tok.replace(/[^\p{L}\p{N}'’\-]+/gu, ' ').trim();
    if (!word) continue;
    parts.push(`"${word.replace(/"/g, '')}"${prefix ? '*' : ''}`);
  }
  while (parts.length && /^(OR|NOT|AND)$/.test(parts[parts.length - 1])) parts.pop();
  return parts.join(' ');
}

export class SqliteStore extends KyselyStore {
  readonly dialect = 'sqlite' as const;
  /** Layer rows through cached prepared statements (false: Kysely's compiled inserts, for the bench's comparison). */
  static PREPARED_INSERTS = true;
  /** How many of the most recently stored matches a search ranks by bm25 (see fullText). */
  static RANK_WINDOW = 2_000;

  /** Prepared INSERT statements of the write path, per table and column list (see insertRows). */
  private readonly inserts = new Map<string, Database.Statement>();

  private constructor(db: Kysely<DB>, readonly raw: Database.Database) {
    super(db);
  }

  /**
   * Layer rows through cached prepared statements on the same connection as
   * the write transaction (Kysely's SQLite driver wraps this very handle):
   * compiling a Kysely insert for every article cost about a sixth of a put.
   */
  protected async insertRows(tx: any, table: any, rows: object[], ignoreConflicts = false): Promise<void> {
    if (!SqliteStore.PREPARED_INSERTS) return super.insertRows(tx, table, rows, ignoreConflicts);
    if (!rows.length) return;
    const cols = Object.keys(rows[0]);
    const key = `${table}|${ignoreConflicts ? 1 : 0}|${cols.join(',')}`;
    let st = this.inserts.get(key);
    if (!st) {
      st = this.raw.prepare(`insert ${ignoreConflicts ? 'or ignore ' : ''}into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
      this.inserts.set(key, st);
    }
    const values: unknown[] = new Array(cols.length);
    for (const r of rows) {
      for (let i = 0; i < cols.length; i++) values[i] = (r as Record<string, unknown>)[cols[i]] ?? null;
      st.run(values);
    }
  }

  /** Opens (creating and migrating when needed) the database file at path, or ':memory:'. */
  static async open(path: string): Promise<SqliteStore> {
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL');
    // In WAL mode NORMAL survives a process crash (kill -9) with every committed
    // transaction; only a power cut may lose the last few.
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 10000');
    raw.pragma('cache_size = -32000');
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
    await migrate(db, 'sqlite');
    return new SqliteStore(db, raw);
  }

  protected async write<T>(fn: (tx: any) => Promise<T>): Promise<T> {
    // BEGIN IMMEDIATE takes the write lock up front, so two processes writing
    // the same file wait for each other (busy_timeout) instead of failing.
    return this.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const out = await fn(conn);
        await sql`commit`.execute(conn);
        return out;
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw err;
      }
    });
  }

  protected period(column: string, period: TrendPeriod) {
    const c = sql.ref(column);
    if (period === 'day') return sql<string>`substr(${c}, 1, 10)`;
    if (period === 'month') return sql<string>`substr(${c}, 1, 7)`;
    return sql<string>`strftime('%G-W%V', ${c})`;
  }

  protected newestFirst<QB>(qb: QB): QB {
    // SQLite sorts NULL lowest, so undated articles come last in descending order, and the index on published serves the order.
    return (qb as any).orderBy('articles.published', 'desc').orderBy('articles.id', 'desc');
  }

  protected async fullText(q: SearchQuery, filters: (qb: any) => any, limit: number, offset: number): Promise<SearchHit[]> {
    const match = ftsQuery(q.text ?? '');
    if (!match) return [];
    // bm25 has to score every match before the best are known, which is slow
    // for a word found in most of 100,000 articles. So the ranking covers the
    // matches among the RANK_WINDOW most recently stored ones: FTS5 finds the
    // rowid where that window starts by streaming (cheap), then scores only the
    // rows above it that pass the filters. When a selective filter leaves too
    // few hits in the window, older matches follow, newest first. With fewer
    // matches than the window, every match is ranked.
    const fts = () =>
      this.db
        .selectFrom(sql`articles_fts`.as('articles_fts') as any)
        .where(sql<boolean>`articles_fts match ${match}`);
    const withFilters = () => filters(fts().innerJoin('articles', 'articles.id', sql.ref('articles_fts.rowid') as any));
    const edge = (await fts()
      .select(sql<number>`articles_fts.rowid`.as('id'))
      .orderBy(sql`articles_fts.rowid`, 'desc')
      .limit(1)
      .offset(SqliteStore.RANK_WINDOW - 1)
      .executeTakeFirst()) as { id: number } | undefined;
    const needed = offset + limit;
    const scored = () => withFilters().select(['articles.id', sql<number>`bm25(articles_fts, 2.0, 1.0)`.as('score')]);
    let ranked = scored();
    if (edge) ranked = ranked.where(sql.ref('articles_fts.rowid'), '>=', edge.id);
    let top = (await ranked.orderBy('score').orderBy(sql`articles_fts.rowid`, 'desc').limit(needed).execute()) as { id: number; score: number }[];
    if (edge && top.length < needed) {
      const older = (await scored()
        .where(sql.ref('articles_fts.rowid'), '<', edge.id)
        .orderBy(sql`articles_fts.rowid`, 'desc')
        .limit(needed - top.length)
        .execute()) as { id: number; score: number }[];
      top = top.concat(older);
    }
    top = top.slice(offset, offset + limit);
    if (!top.length) return [];
    const rows = await this.db
      .selectFrom('articles')
      .select(['articles.id', 'articles.url', 'articles.canonical_url', 'articles.content_hash', 'articles.raw_hash', 'articles.outlet',
        'articles.published', 'articles.language', 'articles.title', 'articles.source', 'articles.stored_at', 'articles.body'])
      .where('id', 'in', top.map((t) => t.id))
      .execute();
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    return top.map((t) => {
      const r = byId.get(Number(t.id))!;
      return { ...toStored(r), snippet: makeSnippet(r.body, q.text ?? ''), score: t.score === null ? null : Number(t.score) };
    });
  }

  /** Database file size in bytes after folding the WAL back in. */
  bytes(): number {
    this.raw.pragma('wal_checkpoint(TRUNCATE)');
    const pages = this.raw.pragma('page_count', { simple: true }) as number;
    const size = this.raw.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }

  integrityCheck(): string {
    return String(this.raw.pragma('integrity_check', { simple: true }));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
