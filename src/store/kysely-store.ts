import { sql, type Kysely, type Transaction } from 'kysely';
import type { Analysis } from '../document/types.ts';
import { unpackAnalysis } from './compact.ts';
import type { DB } from './schema.ts';
import {
  OUTLET_COPIES_LIMIT,
  type ArticleKey, type ArticleRef, type Dossier, type DossierQuote, type NearDuplicatePair, type OutletProfile, type OutletSummary, type PutMeta, type PutResult,
  type QuoteRow, type NarrativeLabelRow, type EntityRoleRow, type SearchHit, type SearchQuery, type SpeakerRank, type Store, type StoredArticle, type TechniqueRow, type TrendDimension,
  type TrendPeriod, type TrendRow,
} from './types.ts';
import { isPrepared, preparePut, type PreparedPut } from './prepare.ts';
import { nameKey, mergeNames, type NameCount } from '../corpus/names.ts';
import { fromBytes, similarity, SIMILARITY_THRESHOLD } from '../corpus/minhash.ts';
import { dateBound } from '../corpus/meta.ts';

type Q = Kysely<DB> | Transaction<DB>;

const ARTICLE_COLUMNS = [
  'articles.id', 'articles.url', 'articles.canonical_url', 'articles.content_hash', 'articles.raw_hash', 'articles.outlet',
  'articles.published', 'articles.language', 'articles.title', 'articles.source', 'articles.stored_at',
] as const;

/** An `articles` row as the Store returns it (shared by every dialect's queries). */
export function toStored(r: any): StoredArticle {
  return {
    id: Number(r.id),
    url: r.url,
    canonicalUrl: r.canonical_url,
    contentHash: r.content_hash,
    rawHash: r.raw_hash ?? null,
    outlet: r.outlet,
    published: r.published,
    language: r.language,
    title: r.title,
    source: r.source,
    storedAt: r.stored_at,
  };
}

function chunks<T>(rows: T[], size = 200): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** How outlet names are compared: without case, surrounding space or a leading www. */
export function outletKey(name: string): string {
  return name.trim().replace(/^www\./i, '').toLowerCase();
}

/** Buffer view of bytes (a Buffer posted from a worker thread arrives as a plain Uint8Array; the drivers bind Buffers). */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function bump<K>(m: Map<K, number>, k: K, by = 1) {
  m.set(k, (m.get(k) ?? 0) + by);
}

/** Export paging over layer rows: articles after `afterId`, up to `throughId`, at most `limit` rows. */
function pageByArticle<Q>(q: Q, column: string, opts: { afterId?: number; throughId?: number; limit?: number }): Q {
  let x = q as any;
  if (opts.afterId !== undefined) x = x.where(column, '>', opts.afterId);
  if (opts.throughId !== undefined) x = x.where(column, '<=', opts.throughId);
  if (opts.limit !== undefined) x = x.limit(opts.limit);
  return x as Q;
}

/** The article columns every export row query selects. */
function articleRef(r: { article_id: number | string | bigint; outlet: string | null; published: string | null; url: string | null }): ArticleRef {
  return { articleId: Number(r.article_id), outlet: r.outlet, published: r.published, url: r.url };
}

/**
 * The Store over Kysely: every query that reads the same on SQLite and
 * PostgreSQL lives here. A dialect subclass supplies the three things that
 * differ: how a write transaction starts, full-text search, and the
 * expression that buckets a timestamp into a day, ISO week or month.
 */
export abstract class KyselyStore implements Store {
  abstract readonly dialect: 'sqlite' | 'postgres';

  constructor(protected readonly db: Kysely<DB>) {}

  /** Runs fn in one write transaction (all or nothing). */
  protected abstract write<T>(fn: (tx: Q) => Promise<T>): Promise<T>;
  /** Article ids and snippets matching a full-text query, with the other filters already applied by `where`. */
  protected abstract fullText(q: SearchQuery, filters: (qb: any) => any, limit: number, offset: number): Promise<SearchHit[]>;
  /** SQL expression for the period of `published` (an ISO text column). */
  protected abstract period(column: string, period: TrendPeriod): ReturnType<typeof sql>;
  /** Orders by publication time, newest first, undated last. */
  protected abstract newestFirst<QB>(qb: QB): QB;

  abstract close(): Promise<void>;

  // ---- writing ------------------------------------------------------------

  private async findRow(q: Q, key: ArticleKey, outlet: string | null) {
    if (key.canonicalUrl) {
      const byUrl = await q.selectFrom('articles').select(['id', 'content_hash']).where('canonical_url', '=', key.canonicalUrl).executeTakeFirst();
      if (byUrl) return byUrl;
    }
    // The same text is the same article when one side has no URL or both come from one outlet;
    // the same text under another outlet's URL is a copy, kept apart for copy detection.
    const byHash = await q
      .selectFrom('articles')
      .select(['id', 'content_hash', 'canonical_url', 'outlet'])
      .where((eb) => (key.rawHash ? eb.or([eb('content_hash', '=', key.contentHash), eb('raw_hash', '=', key.rawHash)]) : eb('content_hash', '=', key.contentHash)))
      .execute();
    return byHash.find((r) => !key.canonicalUrl || !r.canonical_url || (outlet !== null && r.outlet === outlet)) ?? null;
  }

  async find(key: ArticleKey & { outlet?: string | null }): Promise<number | null> {
    const row = await this.findRow(this.db, key, key.outlet ?? null);
    return row ? Number(row.id) : null;
  }

  async put(a: Analysis, meta: PutMeta): Promise<PutResult> {
    return (await this.putMany([{ analysis: a, meta }]))[0];
  }

  async putMany(items: ({ analysis: Analysis; meta: PutMeta } | PreparedPut)[]): Promise<PutResult[]> {
    if (!items.length) return [];
    // Everything that needs no database happens before the write lock is taken.
    const prepared = items.map((it) => (isPrepared(it) ? it : preparePut(it.analysis, it.meta)));
    return this.write(async (tx) => {
      const out: PutResult[] = [];
      let names = false;
      for (const p of prepared) {
        out.push(await this.putPrepared(tx, p));
        names ||= p.names.length > 0;
      }
      if (names) await tx.insertInto('meta').values({ key: 'persons_dirty', value: '1' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: '1' })).execute();
      return out;
    });
  }

  private async putPrepared(tx: Q, p: PreparedPut): Promise<PutResult> {
    const existing = await this.findRow(tx, p.meta, p.article.outlet);
    if (existing && existing.content_hash === p.meta.contentHash) return { id: Number(existing.id), status: 'unchanged' };
    const now = new Date().toISOString();
    const article = { ...p.article, analysis: asBuffer(p.article.analysis), updated_at: now };
    let id: number;
    let status: PutResult['status'];
    if (existing) {
      id = Number(existing.id);
      status = 'updated';
      await tx.updateTable('articles').set(article).where('id', '=', id).execute();
      for (const t of ['quotes', 'entities', 'techniques', 'frames', 'narratives', 'narrative_evidence', 'roles', 'fingerprints', 'lsh'] as const) {
        await tx.deleteFrom(t).where('article_id', '=', id).execute();
      }
      await tx.deleteFrom('near_duplicates').where((eb) => eb.or([eb('a', '=', id), eb('b', '=', id)])).execute();
    } else {
      const row = await tx.insertInto('articles').values({ ...article, stored_at: now }).returning('id').executeTakeFirstOrThrow();
      id = Number(row.id);
      status = 'inserted';
    }
    const withId = <T extends object>(rows: T[]) => rows.map((r) => ({ article_id: id, ...r }));
    await this.insertRows(tx, 'quotes', withId(p.quotes));
    await this.insertRows(tx, 'entities', withId(p.entities));
    await this.insertRows(tx, 'techniques', withId(p.techniques));
    await this.insertRows(tx, 'frames', withId(p.frames));
    await this.insertRows(tx, 'narratives', withId(p.narratives));
    await this.insertRows(tx, 'narrative_evidence', withId(p.narrativeEvidence));
    await this.insertRows(tx, 'roles', withId(p.roles));
    if (p.names.length) await this.insertRows(tx, 'names', p.names.map(([key, name]) => ({ key, name, person: null })), true);
    if (p.signature) await this.putFingerprint(tx, id, p.signature, p.bands);
    return { id, status };
  }

  /**
   * Inserts rows (all with the same columns) into a layer table inside the
   * write transaction; `ignoreConflicts` skips rows whose key exists. The
   * SQLite store overrides this with cached prepared statements.
   */
  protected async insertRows(tx: Q, table: 'quotes' | 'entities' | 'techniques' | 'frames' | 'narratives' | 'narrative_evidence' | 'roles' | 'names' | 'lsh', rows: object[], ignoreConflicts = false): Promise<void> {
    for (const c of chunks(rows)) {
      let q = tx.insertInto(table).values(c as any);
      if (ignoreConflicts) q = q.onConflict((oc) => oc.doNothing());
      await q.execute();
    }
  }

  private async putFingerprint(tx: Q, id: number, sigBytes: Uint8Array, keys: number[]): Promise<void> {
    const sig = fromBytes(sigBytes);
    await tx.insertInto('fingerprints').values({ article_id: id, sig: asBuffer(sigBytes) }).execute();
    const candidates = await tx.selectFrom('lsh').select('article_id').distinct().where('key', 'in', keys).where('article_id', '!=', id).execute();
    await this.insertRows(tx, 'lsh', keys.map((key) => ({ key, article_id: id })), true);
    if (!candidates.length) return;
    const prints = await tx.selectFrom('fingerprints').select(['article_id', 'sig']).where('article_id', 'in', candidates.map((c) => c.article_id)).execute();
    const pairs: { a: number; b: number; similarity: number }[] = [];
    for (const p of prints) {
      const s = similarity(sig, fromBytes(p.sig));
      if (s >= SIMILARITY_THRESHOLD) {
        const other = Number(p.article_id);
        pairs.push({ a: Math.min(id, other), b: Math.max(id, other), similarity: s });
      }
    }
    for (const c of chunks(pairs)) await tx.insertInto('near_duplicates').values(c).onConflict((oc) => oc.columns(['a', 'b']).doUpdateSet({ similarity: (eb) => eb.ref('excluded.similarity') })).execute();
  }

  // ---- persons --------------------------------------------------------------

  /** Re-merges name variants after new names arrived (cheap when nothing changed). */
  protected async ensurePersons(): Promise<void> {
    const dirty = await this.db.selectFrom('meta').select('value').where('key', '=', 'persons_dirty').executeTakeFirst();
    if (!dirty || dirty.value !== '1') return;
    // The flag is cleared first, in its own short transaction: a name stored while
    // this merge runs sets it again, so the next call merges once more.
    const setDirty = (value: string) => this.write((tx) => tx.updateTable('meta').set({ value }).where('key', '=', 'persons_dirty').execute());
    await setDirty('0');
    try {
      const rows = await this.db.selectFrom('names').select(['key', 'name', 'person']).execute();
      const qc = await this.db.selectFrom('quotes').select(['speaker_key', (eb) => eb.fn.countAll<number>().as('n')]).where('speaker_key', 'is not', null).groupBy('speaker_key').execute();
      const counts = new Map<string, number>();
      for (const r of qc) counts.set(r.speaker_key!, Number(r.n));
      const input = new Map<string, NameCount>();
      for (const r of rows) input.set(r.key, { name: r.name, count: counts.get(r.key) ?? 0 });
      const merged = mergeNames(input);
      const changed = rows.filter((r) => (merged.get(r.key) ?? r.key) !== r.person).map((r) => [r.key, merged.get(r.key) ?? r.key] as const);
      // Short write transactions of PERSON_CHUNK rows, one UPDATE each, so that a
      // writer storing articles meanwhile never waits long for the lock (after a
      // big ingest, every name changes at once).
      for (const c of chunks(changed, KyselyStore.PERSON_CHUNK)) {
        const values = sql.join(c.map(([k, p]) => sql`(${k}, ${p})`));
        await this.write((tx) => sql`with v(k, p) as (values ${values}) update names set person = v.p from v where names.key = v.k`.execute(tx));
      }
    } catch (err) {
      await setDirty('1').catch(() => {});
      throw err;
    }
  }

  /** Name rows re-assigned per write transaction by ensurePersons. */
  static PERSON_CHUNK = 1000;

  /** The person key a name given by a user refers to, or null. */
  protected async personOf(name: string): Promise<string | null> {
    await this.ensurePersons();
    const key = nameKey(name);
    if (!key) return null;
    const hit = await this.db.selectFrom('names').select('person').where('key', '=', key).executeTakeFirst();
    if (hit) return hit.person ?? key;
    // A variant never written in the corpus ("Anzelini" when only "Luciano Anzelini" was): the unique person with that surname.
    const last = key.slice(key.lastIndexOf(' ') + 1);
    const initial = key.includes(' ') ? key[0] : null;
    const rows = await this.db.selectFrom('names').select(['key', 'person']).where('key', 'like', `% ${last}`).execute();
    const persons = new Set(rows.filter((r) => !initial || r.key[0] === initial).map((r) => r.person ?? r.key));
    return persons.size === 1 ? [...persons][0] : null;
  }

  /**
   * Name keys an entity name given by a user stands for: every variant of the
   * person it names when it is a known person, and its own key (organisations
   * and places are matched by their name alone).
   */
  private async entityKeys(name: string): Promise<string[]> {
    const key = nameKey(name);
    if (!key) return [];
    const person = await this.personOf(name);
    const keys = new Set(person ? await this.personKeys(person) : []);
    keys.add(key);
    return [...keys];
  }

  private async personKeys(person: string): Promise<string[]> {
    const rows = await this.db.selectFrom('names').select('key').where('person', '=', person).execute();
    return rows.length ? rows.map((r) => r.key) : [person];
  }

  private async displayNames(persons: string[]): Promise<Map<string, { name: string; variants: string[] }>> {
    const out = new Map<string, { name: string; variants: string[] }>();
    for (const c of chunks([...new Set(persons)], 500)) {
      const rows = await this.db.selectFrom('names').select(['key', 'name', 'person']).where('person', 'in', c).execute();
      for (const r of rows) {
        const p = r.person!;
        let e = out.get(p);
        if (!e) out.set(p, (e = { name: '', variants: [] }));
        if (r.key === p) e.name = r.name;
        else e.variants.push(r.name);
      }
    }
    for (const p of persons) if (!out.has(p)) out.set(p, { name: p, variants: [] });
    for (const e of out.values()) e.variants.sort();
    return out;
  }

  // ---- reading ---------------------------------------------------------------

  async get(id: number): Promise<Analysis | null> {
    const r = await this.db.selectFrom('articles').select(['analysis', 'body']).where('id', '=', id).executeTakeFirst();
    return r ? unpackAnalysis(r.analysis, r.body) : null;
  }

  async article(id: number): Promise<StoredArticle | null> {
    const r = await this.db.selectFrom('articles').select(ARTICLE_COLUMNS).where('id', '=', id).executeTakeFirst();
    return r ? toStored(r) : null;
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async articles(opts: { afterId?: number; limit?: number; ids?: number[] } = {}): Promise<StoredArticle[]> {
    let q = this.db.selectFrom('articles').select(ARTICLE_COLUMNS).orderBy('id');
    if (opts.ids) q = q.where('id', 'in', opts.ids.length ? opts.ids : [-1]);
    if (opts.afterId !== undefined) q = q.where('id', '>', opts.afterId);
    if (opts.limit !== undefined) q = q.limit(opts.limit);
    return (await q.execute()).map(toStored);
  }

  async search(q: SearchQuery): Promise<SearchHit[]> {
    const limit = q.limit ?? 20;
    const offset = q.offset ?? 0;
    const from = dateBound(q.from, false);
    const to = dateBound(q.to, true);
    let speakerKeys: string[] | null = null;
    if (q.speaker) {
      const person = await this.personOf(q.speaker);
      if (!person) return [];
      speakerKeys = await this.personKeys(person);
    }
    const roleKeys = q.roleEntity ? await this.entityKeys(q.roleEntity) : null;
    if (roleKeys && !roleKeys.length) return [];
    const filters = (qb: any) => {
      // Outlets are matched without case ("Sputnik" or "sputnik") and without a leading www.
      if (q.outlet) qb = qb.where(sql`lower(articles.outlet)`, '=', outletKey(q.outlet));
      if (q.language) qb = qb.where('articles.language', '=', q.language);
      if (from) qb = qb.where('articles.published', '>=', from);
      if (to) qb = qb.where('articles.published', '<=', to);
      if (q.technique) qb = qb.where((eb: any) => eb.exists(eb.selectFrom('techniques').select(sql`1`.as('one')).whereRef('techniques.article_id', '=', 'articles.id').where('techniques.technique', '=', q.technique)));
      if (q.frame) qb = qb.where((eb: any) => eb.exists(eb.selectFrom('frames').select(sql`1`.as('one')).whereRef('frames.article_id', '=', 'articles.id').where('frames.frame', '=', q.frame)));
      if (speakerKeys) qb = qb.where((eb: any) => eb.exists(eb.selectFrom('quotes').select(sql`1`.as('one')).whereRef('quotes.article_id', '=', 'articles.id').where('quotes.speaker_key', 'in', speakerKeys)));
      if (q.narrative) {
        const n = q.narrative;
        qb = qb.where((eb: any) => eb.exists(eb.selectFrom('narratives').select(sql`1`.as('one')).whereRef('narratives.article_id', '=', 'articles.id')
          .where((e2: any) => e2.or([e2('narratives.label', '=', n), e2('narratives.nid', '=', n)]))));
      }
      if (q.role || roleKeys) {
        qb = qb.where((eb: any) => {
          let sub = eb.selectFrom('roles').select(sql`1`.as('one')).whereRef('roles.article_id', '=', 'articles.id');
          if (q.role) sub = sub.where((e2: any) => e2.or([e2('roles.main', '=', q.role), e2('roles.fine', '=', q.role)]));
          if (roleKeys) sub = sub.where('roles.name_key', 'in', roleKeys);
          return eb.exists(sub);
        });
      }
      return qb;
    };
    if (q.text && q.text.trim()) return this.fullText(q, filters, limit, offset);
    const rows = await this.newestFirst(filters(this.db.selectFrom('articles').select([...ARTICLE_COLUMNS, sql<string>`substr(articles.body, 1, 160)`.as('snippet')])))
      .orderBy('articles.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((r: any) => ({ ...toStored(r), snippet: String(r.snippet).replace(/\s+/g, ' ').trim() + (r.snippet.length >= 160 ? '…' : ''), score: null }));
  }

  async speakers(opts: { limit?: number; outlet?: string } = {}): Promise<SpeakerRank[]> {
    await this.ensurePersons();
    const limit = opts.limit ?? 50;
    const stats = (persons: string[] | null) => {
      let q = this.db
        .selectFrom('quotes')
        .innerJoin('names', 'names.key', 'quotes.speaker_key')
        .innerJoin('articles', 'articles.id', 'quotes.article_id')
        .select((eb) => [
          'names.person as person',
          eb.fn.countAll<number>().as('quotes'),
          eb.fn.count<number>('quotes.article_id').distinct().as('articles'),
          eb.fn.count<number>('articles.outlet').distinct().as('outlets'),
          eb.fn.min('articles.published').as('first'),
          eb.fn.max('articles.published').as('last'),
        ])
        .groupBy('names.person');
      if (persons) q = q.where('names.person', 'in', persons.length ? persons : ['']);
      // The outlet's articles first, then their quotes (the quotes-by-article index), not every quote.
      if (opts.outlet) {
        const outlet = outletKey(opts.outlet);
        q = q.where('quotes.article_id', 'in', (eb) => eb.selectFrom('articles as oa').select('oa.id').where(sql`lower(oa.outlet)`, '=', outlet));
      }
      return q;
    };
    let candidates: string[] | null = null;
    if (!opts.outlet) {
      // Joining every quote to its article is what makes a full ranking slow on a
      // large corpus. Shortlist first from the speaker index alone: articles per
      // name key, summed per person, bound the person's article count from above
      // (one article naming two variants counts twice); then count exactly for
      // the shortlist.
      const perKey = await this.db
        .selectFrom('quotes')
        .select(['speaker_key', (eb) => eb.fn.count<number>('article_id').distinct().as('articles'), (eb) => eb.fn.countAll<number>().as('quotes')])
        .where('speaker_key', 'is not', null)
        .groupBy('speaker_key')
        .execute();
      const personOfKey = new Map((await this.db.selectFrom('names').select(['key', 'person']).execute()).map((r) => [r.key, r.person ?? r.key]));
      const bound = new Map<string, { articles: number; quotes: number }>();
      for (const r of perKey) {
        const p = personOfKey.get(r.speaker_key!) ?? r.speaker_key!;
        const b = bound.get(p) ?? { articles: 0, quotes: 0 };
        b.articles += Number(r.articles);
        b.quotes += Number(r.quotes);
        bound.set(p, b);
      }
      candidates = [...bound]
        .sort((a, b) => b[1].articles - a[1].articles || b[1].quotes - a[1].quotes)
        .slice(0, limit * 2 + 20)
        .map(([p]) => p);
    }
    const rows = (await stats(candidates).execute())
      .map((r) => ({ ...r, quotes: Number(r.quotes), articles: Number(r.articles), outlets: Number(r.outlets) }))
      .sort((a, b) => b.articles - a.articles || b.quotes - a.quotes || b.outlets - a.outlets || (a.person! < b.person! ? -1 : 1))
      .slice(0, limit);
    const names = await this.displayNames(rows.map((r) => r.person!));
    return rows.map((r) => ({
      name: names.get(r.person!)!.name,
      variants: names.get(r.person!)!.variants,
      quotes: r.quotes,
      articles: r.articles,
      outlets: r.outlets,
      firstSeen: (r.first as string | null) ?? null,
      lastSeen: (r.last as string | null) ?? null,
    }));
  }

  async speaker(name: string): Promise<Dossier | null> {
    const person = await this.personOf(name);
    if (!person) return null;
    const keys = await this.personKeys(person);
    const quotes = await this.db
      .selectFrom('quotes')
      .innerJoin('articles', 'articles.id', 'quotes.article_id')
      .select(['quotes.article_id', 'quotes.kind', 'quotes.act', 'quotes.text', 'quotes.speaker_name', 'articles.title', 'articles.url', 'articles.outlet', 'articles.published'])
      .where('quotes.speaker_key', 'in', keys)
      .orderBy(sql`articles.published is null`)
      .orderBy('articles.published')
      .orderBy('quotes.article_id')
      .orderBy('quotes.start_off')
      .execute();
    // Descriptors per outlet, counted in SQL: one row per distinct (outlet, descriptor list).
    const entities = await this.db
      .selectFrom('entities')
      .innerJoin('articles', 'articles.id', 'entities.article_id')
      .select(['articles.outlet', 'entities.descriptors', sql<number>`count(*)`.as('n')])
      .where('entities.name_key', 'in', keys)
      .groupBy(['articles.outlet', 'entities.descriptors'])
      .execute();
    if (!quotes.length && !entities.length) return null;
    const display = (await this.displayNames([person])).get(person)!;
    const articleIds = new Set<number>(quotes.map((q) => Number(q.article_id)));
    const outlets = new Set(quotes.map((q) => q.outlet).filter((o) => o !== null));
    const dates = quotes.map((q) => q.published).filter((p): p is string => !!p).sort();
    const byOutlet = new Map<string, Map<string, number>>();
    for (const e of entities) {
      if (e.descriptors === '[]') continue;
      const outlet = e.outlet ?? '(unknown outlet)';
      let m = byOutlet.get(outlet);
      if (!m) byOutlet.set(outlet, (m = new Map()));
      for (const d of JSON.parse(e.descriptors) as string[]) bump(m, d, Number(e.n));
    }
    // People quoted in the same articles, counted in SQL (articles per person).
    const coQuoted: { name: string; articles: number }[] = [];
    if (articleIds.size) {
      const co = (await this.db
        .selectFrom('quotes')
        .innerJoin('names', 'names.key', 'quotes.speaker_key')
        .select(['names.person', (eb) => eb.fn.count<number>('quotes.article_id').distinct().as('articles')])
        .where('quotes.article_id', 'in', (eb) => eb.selectFrom('quotes as mine').select('mine.article_id').where('mine.speaker_key', 'in', keys))
        .where('names.person', '!=', person)
        .groupBy('names.person')
        .execute())
        .map((r) => ({ person: r.person!, articles: Number(r.articles) }))
        .sort((a, b) => b.articles - a.articles);
      // Display names only for those that can make the top 25 (ties at the cut are ordered by name).
      const cut = co[Math.min(co.length, 25) - 1]?.articles ?? 0;
      const shown = co.filter((c) => c.articles >= cut);
      const coNames = await this.displayNames(shown.map((c) => c.person));
      for (const c of shown) coQuoted.push({ name: coNames.get(c.person)!.name, articles: c.articles });
      coQuoted.sort((a, b) => b.articles - a.articles || (a.name < b.name ? -1 : 1));
    }
    const { narratives, roles } = await this.dossierLayers(keys);
    const quotesList: DossierQuote[] = quotes.map((q) => ({
      articleId: Number(q.article_id),
      title: q.title,
      url: q.url,
      outlet: q.outlet,
      published: q.published,
      kind: q.kind,
      act: q.act,
      text: q.text,
      nameAsWritten: q.speaker_name,
    }));
    return {
      name: display.name,
      variants: display.variants,
      quotes: quotes.length,
      articles: articleIds.size,
      outlets: outlets.size,
      firstSeen: dates[0] ?? null,
      lastSeen: dates.at(-1) ?? null,
      quotesList,
      descriptorsByOutlet: [...byOutlet]
        .map(([outlet, m]) => ({
          outlet,
          descriptors: [...m].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : 1)),
        }))
        .filter((o) => o.descriptors.length)
        .sort((a, b) => (a.outlet < b.outlet ? -1 : 1)),
      coQuoted: coQuoted.slice(0, 25),
      narratives,
      roles,
    };
  }

  /** Top-level narratives over a set of articles (a subquery of article ids): label and articles carrying it. */
  private narrativeCounts(articleIds: (eb: any) => any): Promise<{ label: string; articles: number }[]> {
    return this.db
      .selectFrom('narratives')
      .select(['narratives.label', (eb) => eb.fn.count<number>('narratives.article_id').distinct().as('articles')])
      .where('narratives.parent', 'is', null)
      .where('narratives.article_id', 'in', articleIds)
      .groupBy('narratives.label')
      .execute();
  }

  /** The narratives and roles part of a dossier, for the person's name keys. */
  private async dossierLayers(keys: string[]): Promise<Pick<Dossier, 'narratives' | 'roles'>> {
    const quoted = (eb: any) => eb.selectFrom('quotes').select('quotes.article_id').where('quotes.speaker_key', 'in', keys);
    const perArticle = await this.narrativeCounts(quoted);
    // A quote voices a narrative when it overlaps a sentence cited as the narrative's evidence.
    const voiced = await this.db
      .selectFrom('quotes')
      .innerJoin('narrative_evidence as ev', (j) =>
        j.onRef('ev.article_id', '=', 'quotes.article_id').on(sql<boolean>`ev.start_off < quotes.end_off and quotes.start_off < ev.end_off`))
      .innerJoin('narratives', (j) =>
        j.onRef('narratives.article_id', '=', 'ev.article_id').onRef('narratives.label', '=', 'ev.label').on('narratives.parent', 'is', null))
      .select(['narratives.label', 'quotes.article_id', 'quotes.start_off'])
      .where('quotes.speaker_key', 'in', keys)
      .execute();
    const quotesPer = new Map<string, Set<string>>();
    for (const v of voiced) {
      let set = quotesPer.get(v.label);
      if (!set) quotesPer.set(v.label, (set = new Set()));
      set.add(`${v.article_id}:${v.start_off}`);
    }
    const narratives = perArticle
      .map((r) => ({ narrative: r.label, articles: Number(r.articles), quotes: quotesPer.get(r.label)?.size ?? 0 }))
      .sort((a, b) => b.articles - a.articles || b.quotes - a.quotes || (a.narrative < b.narrative ? -1 : 1));
    const roleRows = await this.db
      .selectFrom('roles')
      .innerJoin('articles', 'articles.id', 'roles.article_id')
      .select(['roles.main', 'roles.fine', (eb) => eb.fn.count<number>('roles.article_id').distinct().as('articles'), (eb) => eb.fn.count<number>('articles.outlet').distinct().as('outlets')])
      .where('roles.name_key', 'in', keys)
      .groupBy(['roles.main', 'roles.fine'])
      .execute();
    const roles = roleRows
      .map((r) => ({ main: r.main, fine: r.fine, articles: Number(r.articles), outlets: Number(r.outlets) }))
      .sort((a, b) => b.articles - a.articles || (a.main < b.main ? -1 : a.main > b.main ? 1 : (a.fine ?? '') < (b.fine ?? '') ? -1 : 1));
    return { narratives, roles };
  }

  /** The spelling most often given to each entity name key in the roles table ("Russia" rather than "RUSSIA"). */
  private async roleNames(keys: string[]): Promise<Map<string, string>> {
    const best = new Map<string, { name: string; n: number }>();
    for (const c of chunks([...new Set(keys)], 500)) {
      const rows = await this.db
        .selectFrom('roles')
        .select(['roles.name_key', 'roles.name', sql<number>`count(*)`.as('n')])
        .where('roles.name_key', 'in', c)
        .groupBy(['roles.name_key', 'roles.name'])
        .execute();
      for (const r of rows) {
        const n = Number(r.n);
        const b = best.get(r.name_key);
        if (!b || n > b.n || (n === b.n && r.name < b.name)) best.set(r.name_key, { name: r.name, n });
      }
    }
    return new Map([...best].map(([k, v]) => [k, v.name]));
  }

  // ---- outlets ---------------------------------------------------------------

  async outlets(): Promise<OutletSummary[]> {
    const rows = await this.db
      .selectFrom('articles')
      .select([
        sql<string>`min(articles.outlet)`.as('outlet'),
        sql<number>`count(*)`.as('articles'),
        sql<string | null>`min(coalesce(articles.published, articles.stored_at))`.as('first'),
        sql<string | null>`max(coalesce(articles.published, articles.stored_at))`.as('last'),
      ])
      .where('articles.outlet', 'is not', null)
      .groupBy(sql`lower(articles.outlet)`)
      .execute();
    return rows
      .map((r) => ({ outlet: String(r.outlet), articles: Number(r.articles), firstSeen: r.first ?? null, lastSeen: r.last ?? null }))
      .sort((a, b) => b.articles - a.articles || (a.outlet < b.outlet ? -1 : a.outlet > b.outlet ? 1 : 0));
  }

  async outlet(name: string): Promise<OutletProfile | null> {
    const key = outletKey(name);
    if (!key) return null;
    const mine = sql<boolean>`lower(articles.outlet) = ${key}`;
    const summary = await this.db
      .selectFrom('articles')
      .select([
        sql<string>`min(articles.outlet)`.as('outlet'),
        sql<number>`count(*)`.as('articles'),
        sql<string | null>`min(coalesce(articles.published, articles.stored_at))`.as('first'),
        sql<string | null>`max(coalesce(articles.published, articles.stored_at))`.as('last'),
      ])
      .where(mine)
      .executeTakeFirst();
    if (!summary || !Number(summary.articles)) return null;
    const ids = (eb: any) => eb.selectFrom('articles').select('articles.id').where(mine);
    const techniques = await this.db
      .selectFrom('techniques')
      .select(['techniques.technique', sql<number>`count(*)`.as('spans'), (eb) => eb.fn.count<number>('techniques.article_id').distinct().as('articles')])
      .where('techniques.article_id', 'in', ids)
      .groupBy('techniques.technique')
      .execute();
    const frames = await this.db
      .selectFrom('frames')
      .select(['frames.frame', (eb) => eb.fn.count<number>('frames.article_id').distinct().as('articles')])
      .where('frames.article_id', 'in', ids)
      .groupBy('frames.frame')
      .execute();
    const genres = await this.db
      .selectFrom('articles')
      .select(['articles.genre', sql<number>`count(*)`.as('articles')])
      .where(mine)
      .where('articles.genre', 'is not', null)
      .groupBy('articles.genre')
      .execute();
    const narratives = await this.narrativeCounts(ids);
    const roles = await this.db
      .selectFrom('roles')
      .select(['roles.name_key', 'roles.main', (eb) => eb.fn.count<number>('roles.article_id').distinct().as('articles')])
      .where('roles.article_id', 'in', ids)
      .where('roles.name_key', '!=', '')
      .groupBy(['roles.name_key', 'roles.main'])
      .execute();
    const copies = await this.db
      .selectFrom('near_duplicates as nd')
      .innerJoin('articles as aa', 'aa.id', 'nd.a')
      .innerJoin('articles as ab', 'ab.id', 'nd.b')
      .select(['nd.a', 'nd.b', 'nd.similarity', 'aa.outlet as outletA', 'ab.outlet as outletB'])
      .where((eb) => eb.or([eb(sql`lower(aa.outlet)`, '=', key), eb(sql`lower(ab.outlet)`, '=', key)]))
      .orderBy('nd.similarity', 'desc')
      .orderBy('nd.a')
      .orderBy('nd.b')
      .limit(OUTLET_COPIES_LIMIT)
      .execute();
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return {
      outlet: String(summary.outlet),
      articles: Number(summary.articles),
      firstSeen: summary.first ?? null,
      lastSeen: summary.last ?? null,
      techniques: techniques
        .map((r) => ({ technique: r.technique, spans: Number(r.spans), articles: Number(r.articles) }))
        .sort((a, b) => b.spans - a.spans || b.articles - a.articles || cmp(a.technique, b.technique)),
      frames: frames.map((r) => ({ frame: r.frame, articles: Number(r.articles) })).sort((a, b) => b.articles - a.articles || cmp(a.frame, b.frame)),
      genres: genres.map((r) => ({ genre: String(r.genre), articles: Number(r.articles) })).sort((a, b) => b.articles - a.articles || cmp(a.genre, b.genre)),
      narratives: narratives.map((r) => ({ narrative: r.label, articles: Number(r.articles) })).sort((a, b) => b.articles - a.articles || cmp(a.narrative, b.narrative)),
      roles: await (async () => {
        const top = roles
          .map((r) => ({ key: r.name_key, main: r.main, articles: Number(r.articles) }))
          .sort((a, b) => b.articles - a.articles || cmp(a.key, b.key) || cmp(a.main, b.main))
          .slice(0, 50);
        const names = await this.roleNames(top.map((r) => r.key));
        return top.map((r) => ({ name: names.get(r.key) ?? r.key, main: r.main, articles: r.articles }));
      })(),
      speakers: await this.speakers({ outlet: name, limit: 50 }),
      copies: copies.map((r) => ({ a: Number(r.a), b: Number(r.b), similarity: r.similarity, outletA: r.outletA, outletB: r.outletB })),
    };
  }

  async trends(by: TrendDimension, period: TrendPeriod, opts: { from?: string; to?: string; limit?: number } = {}): Promise<TrendRow[]> {
    const p = this.period('articles.published', period);
    const from = dateBound(opts.from, false);
    const to = dateBound(opts.to, true);
    const bounds = (qb: any) => {
      qb = qb.where('articles.published', 'is not', null);
      if (from) qb = qb.where('articles.published', '>=', from);
      if (to) qb = qb.where('articles.published', '<=', to);
      return qb;
    };
    let rows: { period: string; key: string; count: number }[];
    if (by === 'outlet') {
      rows = await bounds(this.db.selectFrom('articles').select([p.as('period'), sql<string>`coalesce(articles.outlet, '(unknown)')`.as('key'), sql<number>`count(*)`.as('count')]))
        .groupBy(['period', 'key'])
        .execute();
    } else if (by === 'technique' || by === 'frame') {
      const t = by === 'technique' ? 'techniques' : 'frames';
      const col = by === 'technique' ? 'techniques.technique' : 'frames.frame';
      rows = await bounds(
        this.db.selectFrom(t as 'techniques').innerJoin('articles', 'articles.id', `${t}.article_id` as 'techniques.article_id').select([p.as('period'), sql.ref(col).as('key'), sql<number>`count(distinct articles.id)`.as('count')]),
      )
        .groupBy(['period', 'key'])
        .execute();
    } else if (by === 'narrative') {
      rows = await bounds(
        this.db.selectFrom('narratives').innerJoin('articles', 'articles.id', 'narratives.article_id')
          .select([p.as('period'), 'narratives.label as key', sql<number>`count(distinct articles.id)`.as('count')])
          .where('narratives.parent', 'is', null),
      )
        .groupBy(['period', 'narratives.label'])
        .execute();
    } else if (by === 'role') {
      const raw = await bounds(
        this.db.selectFrom('roles').innerJoin('articles', 'articles.id', 'roles.article_id')
          .select([p.as('period'), sql<string>`min(roles.name)`.as('name'), 'roles.name_key', 'roles.main', sql<number>`count(distinct articles.id)`.as('count')])
          .where('roles.name_key', '!=', ''),
      )
        .groupBy(['period', 'roles.name_key', 'roles.main'])
        .execute();
      // One display name per entity across periods, so a key means the same thing in every period.
      const display = await this.roleNames((raw as any[]).map((r) => r.name_key));
      rows = (raw as any[]).map((r) => ({ period: r.period, key: `${display.get(r.name_key) ?? r.name}: ${r.main}`, count: r.count }));
    } else {
      await this.ensurePersons();
      const raw = await bounds(
        this.db
          .selectFrom('quotes')
          .innerJoin('names', 'names.key', 'quotes.speaker_key')
          .innerJoin('articles', 'articles.id', 'quotes.article_id')
          .select([p.as('period'), 'names.person as key', sql<number>`count(distinct articles.id)`.as('count')]),
      )
        .groupBy(['period', 'names.person'])
        .execute();
      const names = await this.displayNames(raw.map((r: any) => r.key));
      rows = raw.map((r: any) => ({ ...r, key: names.get(r.key)!.name }));
    }
    const out = rows.map((r) => ({ period: String(r.period), key: String(r.key), count: Number(r.count) }));
    out.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : b.count - a.count || (a.key < b.key ? -1 : 1)));
    return opts.limit ? out.slice(0, opts.limit) : out;
  }

  async nearDuplicates(): Promise<NearDuplicatePair[]> {
    const rows = await this.db.selectFrom('near_duplicates').selectAll().orderBy('a').orderBy('b').execute();
    return rows.map((r) => ({ a: Number(r.a), b: Number(r.b), similarity: r.similarity }));
  }

  async quoteRows(opts: { afterId?: number; throughId?: number; limit?: number } = {}): Promise<QuoteRow[]> {
    await this.ensurePersons();
    let q = this.db
      .selectFrom('quotes')
      .innerJoin('articles', 'articles.id', 'quotes.article_id')
      .leftJoin('names', 'names.key', 'quotes.speaker_key')
      .leftJoin('names as pn', 'pn.key', 'names.person')
      .select(['quotes.article_id', 'articles.outlet', 'articles.published', 'articles.url', 'quotes.qid', 'quotes.kind', 'quotes.act', 'quotes.start_off', 'quotes.end_off', 'quotes.text', 'quotes.cue', 'quotes.speaker_name', 'pn.name as person'])
      .orderBy('quotes.article_id')
      .orderBy('quotes.start_off');
    q = pageByArticle(q, 'quotes.article_id', opts);
    return (await q.execute()).map((r) => ({
      ...articleRef(r),
      quoteId: r.qid,
      kind: r.kind,
      act: r.act ?? null,
      start: r.start_off,
      end: r.end_off,
      text: r.text,
      cue: r.cue,
      speaker: r.speaker_name,
      person: r.person ?? null,
    }));
  }

  async techniqueRows(opts: { afterId?: number; throughId?: number; limit?: number } = {}): Promise<TechniqueRow[]> {
    let q = this.db
      .selectFrom('techniques')
      .innerJoin('articles', 'articles.id', 'techniques.article_id')
      .select(['techniques.article_id', 'articles.outlet', 'articles.published', 'articles.url', 'techniques.technique', 'techniques.start_off', 'techniques.end_off', 'techniques.text', 'techniques.confidence', 'techniques.voice'])
      .orderBy('techniques.article_id')
      .orderBy('techniques.start_off');
    q = pageByArticle(q, 'techniques.article_id', opts);
    return (await q.execute()).map((r) => ({
      ...articleRef(r),
      technique: r.technique,
      start: r.start_off,
      end: r.end_off,
      text: r.text,
      confidence: r.confidence,
      voice: r.voice,
    }));
  }

  async narrativeRows(opts: { afterId?: number; throughId?: number; limit?: number } = {}): Promise<NarrativeLabelRow[]> {
    let q = this.db
      .selectFrom('narratives')
      .innerJoin('articles', 'articles.id', 'narratives.article_id')
      .select(['narratives.article_id', 'articles.outlet', 'articles.published', 'articles.url', 'narratives.label', 'narratives.parent', 'narratives.source', 'narratives.taxonomy', 'narratives.confidence'])
      .orderBy('narratives.article_id')
      .orderBy(sql`narratives.parent is not null`)
      .orderBy('narratives.label');
    q = pageByArticle(q, 'narratives.article_id', opts);
    const rows = await q.execute();
    const evidence = new Map<string, string[]>();
    if (rows.length) {
      let eq = this.db.selectFrom('narrative_evidence').select(['article_id', 'label', 'start_off', 'end_off']).orderBy('article_id').orderBy('start_off');
      const first = Number(rows[0].article_id);
      const last = Number(rows[rows.length - 1].article_id);
      eq = eq.where('article_id', '>=', first).where('article_id', '<=', last);
      for (const e of await eq.execute()) {
        const k = `${e.article_id}\u0000${e.label}`;
        let list = evidence.get(k);
        if (!list) evidence.set(k, (list = []));
        list.push(`${e.start_off}-${e.end_off}`);
      }
    }
    return rows.map((r) => ({
      ...articleRef(r),
      narrative: r.label,
      parent: r.parent,
      source: r.source,
      taxonomy: r.taxonomy,
      confidence: r.confidence,
      evidence: (evidence.get(`${r.article_id}\u0000${r.label}`) ?? []).join(';'),
    }));
  }

  async roleRows(opts: { afterId?: number; throughId?: number; limit?: number } = {}): Promise<EntityRoleRow[]> {
    let q = this.db
      .selectFrom('roles')
      .innerJoin('articles', 'articles.id', 'roles.article_id')
      .select(['roles.article_id', 'articles.outlet', 'articles.published', 'articles.url', 'roles.eid', 'roles.name', 'roles.main', 'roles.main_confidence', 'roles.fine', 'roles.fine_confidence', 'roles.mentions'])
      .orderBy('roles.article_id')
      .orderBy('roles.eid');
    q = pageByArticle(q, 'roles.article_id', opts);
    return (await q.execute()).map((r) => ({
      ...articleRef(r),
      entity: r.eid,
      name: r.name,
      main: r.main,
      mainConfidence: r.main_confidence,
      fine: r.fine,
      fineConfidence: r.fine_confidence,
      mentions: r.mentions,
    }));
  }

  async feedState(url: string) {
    const r = await this.db.selectFrom('feeds').select(['etag', 'last_modified']).where('url', '=', url).executeTakeFirst();
    return r ? { etag: r.etag, lastModified: r.last_modified } : null;
  }

  async setFeedState(url: string, state: { etag: string | null; lastModified: string | null }): Promise<void> {
    const row = { url, etag: state.etag, last_modified: state.lastModified, polled_at: new Date().toISOString() };
    await this.db.insertInto('feeds').values(row).onConflict((oc) => oc.column('url').doUpdateSet({ etag: row.etag, last_modified: row.last_modified, polled_at: row.polled_at })).execute();
  }
}
