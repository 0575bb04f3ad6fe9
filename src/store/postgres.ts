import pg from 'pg';
import { Kysely, PostgresDialect, sql, type RawBuilder } from 'kysely';
import type { DB } from './schema.ts';
import { KyselyStore, toStored } from './kysely-store.ts';
import { migrate } from './migrations.ts';
import type { SearchHit, SearchQuery, TrendPeriod } from './types.ts';
import { makeSnippet } from './snippet.ts';

/**
 * Advisory-lock key every article write takes (a transaction-scoped lock).
 * Writes are serialised across every process on the cluster, as BEGIN
 * IMMEDIATE does on SQLite: the identity check (canonical URL or content
 * hash, no unique index covers the latter) and the near-duplicate lookup both
 * have to see every article committed before them, so two workers storing the
 * same text, or two copies of one story, at the same moment still end as one
 * article / one near-duplicate pair.
 */
const WRITE_LOCK = 0x756e7370; // 'unsp'

export interface PostgresOptions {
  /** Schema holding the tables (created when missing); default: the server's search_path (public). */
  schema?: string;
  /** Pool size per process (default 10). */
  max?: number;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:…@');
}

/**
 * Splits `?schema=name` off a postgres:// URL (our own parameter; pg would
 * pass unknown parameters to the server).
 */
export function parsePostgresUrl(url: string): { connectionString: string; schema?: string } {
  const u = new URL(url);
  const schema = u.searchParams.get('schema') ?? undefined;
  u.searchParams.delete('schema');
  return { connectionString: u.toString(), schema };
}

/**
 * Builds a tsquery from what a user typed, with the same reading as the
 * SQLite search (ftsQuery): every word must occur, "quoted phrases" stay
 * phrases, word* is a prefix, OR and NOT are operators, and nothing a user
 * types can break the syntax (each piece goes in as a bound parameter).
 */
export function tsQuery(text: string): RawBuilder<unknown> | null {
  type Part = { op: 'OR' | 'NOT' } | { q: RawBuilder<unknown> };
  const parts: Part[] = [];
  for (const m of text.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (m[1] !== undefined) {
      const inner = m[1].replace(/"/g, '').trim();
      if (inner) parts.push({ q: sql`phraseto_tsquery('simple', ${inner})` });
      continue;
    }
    const tok = m[2];
    if (tok === 'OR' || tok === 'NOT' || tok === 'AND') {
      if (parts.length && tok !== 'AND') parts.push({ op: tok });
      continue;
    }
    const prefix = tok.endsWith('*');
    const word = tok.replace(/[^\p{L}\p{N}'’\-]+/gu, ' ').trim();
    if (!word) continue;
    if (prefix && !/[\s\-]/.test(word)) parts.push({ q: sql`to_tsquery('simple', quote_literal(lower(${word})) || ':*')` });
    else parts.push({ q: sql`phraseto_tsquery('simple', ${word})` });
  }
  while (parts.length && 'op' in parts[parts.length - 1]) parts.pop();
  // OR binds loosest; NOT negates the term after it; neighbours are ANDed.
  const groups: RawBuilder<unknown>[][] = [[]];
  let negate = false;
  for (const p of parts) {
    if ('op' in p) {
      if (p.op === 'OR') groups.push([]);
      else negate = true;
      continue;
    }
    groups[groups.length - 1].push(negate ? sql`(!! ${p.q})` : p.q);
    negate = false;
  }
  const ors = groups.filter((g) => g.length).map((g) => sql`(${sql.join(g, sql` && `)})`);
  if (!ors.length) return null;
  return sql`(${sql.join(ors, sql` || `)})`;
}

export class PostgresStore extends KyselyStore {
  readonly dialect = 'postgres' as const;

  private constructor(db: Kysely<DB>, readonly pool: pg.Pool, readonly schema: string | null) {
    super(db);
  }

  /** Connects, creates the schema when asked for one, and applies the migrations (one process at a time). */
  static async open(url: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
    const parsed = parsePostgresUrl(url);
    const schema = opts.schema ?? parsed.schema ?? null;
    if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`schema name ${schema} must be lower-case letters, digits and _`);
    const pool = new pg.Pool({
      connectionString: parsed.connectionString,
      max: opts.max ?? 10,
      // search_path puts the tables in the schema; UTC makes ISO-week buckets of the stored UTC times agree with SQLite.
      options: `-c timezone=UTC${schema ? ` -c search_path=${schema}` : ''}`,
      connectionTimeoutMillis: 10_000,
    });
    // A server restart kills idle connections; the pool drops them and opens
    // new ones on the next query. Without a listener the error would end the process.
    pool.on('error', () => {});
    // A connection cut while checked out reports on the client too; its query fails, which is what callers see.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    try {
      await sql`select 1`.execute(db);
      if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db).catch(async (err) => {
        // Two processes creating the schema at once: one wins, the other sees it exist.
        if (!(await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db)).rows.length) throw err;
      });
      await migrate(db, 'postgres', schema);
    } catch (err) {
      await db.destroy().catch(() => {});
      throw err;
    }
    return new PostgresStore(db, pool, schema);
  }

  protected async write<T>(fn: (tx: any) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${WRITE_LOCK})`.execute(tx);
      return fn(tx);
    });
  }

  protected period(column: string, period: TrendPeriod) {
    const c = sql.ref(column);
    if (period === 'day') return sql<string>`substr(${c}, 1, 10)`;
    if (period === 'month') return sql<string>`substr(${c}, 1, 7)`;
    return sql<string>`to_char((${c})::timestamptz at time zone 'UTC', 'IYYY-"W"IW')`;
  }

  protected newestFirst<QB>(qb: QB): QB {
    return (qb as any).orderBy(sql`articles.published desc nulls last`).orderBy('articles.id', 'desc');
  }

  protected async fullText(q: SearchQuery, filters: (qb: any) => any, limit: number, offset: number): Promise<SearchHit[]> {
    const query = tsQuery(q.text ?? '');
    if (!query) return [];
    // ts_rank grows with relevance; the score is its negation so that lower is better, as with bm25 on SQLite.
    const rows = (await filters(this.db.selectFrom('articles'))
      .select(['articles.id', 'articles.url', 'articles.canonical_url', 'articles.content_hash', 'articles.raw_hash', 'articles.outlet',
        'articles.published', 'articles.language', 'articles.title', 'articles.source', 'articles.stored_at', 'articles.body',
        sql<number>`-ts_rank(articles.fts, ${query})`.as('score')])
      .where(sql<boolean>`articles.fts @@ ${query}`)
      .orderBy('score')
      .orderBy('articles.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute()) as any[];
    return rows.map((r) => ({
      ...toStored(r),
      snippet: makeSnippet(r.body, q.text ?? ''),
      score: Number(r.score),
    }));
  }

  /** The database used by the store, in bytes (pg_database_size). */
  async bytes(): Promise<number> {
    const r = await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(this.db);
    return Number(r.rows[0].n);
  }

  /** Drops the store's schema and everything in it (tests use one scratch schema each). */
  async dropSchema(): Promise<void> {
    if (this.schema) await sql`drop schema if exists ${sql.id(this.schema)} cascade`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
