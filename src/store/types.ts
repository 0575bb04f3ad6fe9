import type { Analysis } from '../document/types.ts';
import type { PreparedPut } from './prepare.ts';

export type { PreparedPut };

/**
 * The Store: every corpus question the CLI, server and bench ask, behind one
 * interface. SQLite implements it today (src/store/sqlite.ts); a PostgreSQL
 * implementation plugs in behind the same interface and runs the same test
 * suite (src/store/suite.ts). All methods are async so that a networked
 * database fits without changing callers.
 */

/** How an article is recognised when it comes again. */
export interface ArticleKey {
  /** Normalised URL (see canonicalUrl in src/corpus/meta.ts), or null for text without a URL. */
  canonicalUrl: string | null;
  /** sha256 of the clean text the Analysis refers to (contentHash of document.text). */
  contentHash: string;
  /**
   * contentHash of the raw body as ingested, before cleaning: lets a rerun
   * recognise a stored file without analysing it again. Optional.
   */
  rawHash?: string | null;
}

export interface PutMeta extends ArticleKey {
  /** Where the article came from ('file', 'url', 'feed', 'jsonl' …). */
  source?: string | null;
  /** The original URL as given (before canonicalisation). */
  url?: string | null;
}

export type PutStatus = 'inserted' | 'updated' | 'unchanged';

export interface PutResult {
  id: number;
  status: PutStatus;
}

export interface StoredArticle {
  id: number;
  url: string | null;
  canonicalUrl: string | null;
  contentHash: string;
  rawHash: string | null;
  outlet: string | null;
  published: string | null;
  language: string;
  title: string | null;
  source: string | null;
  /** When the article was first stored (ISO 8601). */
  storedAt: string;
}

export interface SearchQuery {
  /** Full-text query: words (all must occur) and "quoted phrases". Empty: filters only. */
  text?: string;
  outlet?: string;
  /** Inclusive lower bound on publication time (ISO date or date-time). */
  from?: string;
  /** Inclusive upper bound; a bare date covers the whole day. */
  to?: string;
  technique?: string;
  frame?: string;
  /** A speaker name; name variants of the same person match too. */
  speaker?: string;
  /**
   * A narrative or subnarrative label exactly as the narratives layer gives it
   * ("URW: Discrediting Ukraine", "Other"), or a user narrative's name or id.
   */
  narrative?: string;
  /** An entity role, main (Protagonist, Antagonist, Innocent) or fine (Instigator, Victim …). */
  role?: string;
  /** The entity cast in `role` (any role when `role` is absent); person-name variants match too. */
  roleEntity?: string;
  language?: string;
  limit?: number;
  offset?: number;
}

export interface SearchHit extends StoredArticle {
  /** A piece of text around the match, with the matched words in [brackets]. */
  snippet: string;
  /** Lower is better (bm25 for SQLite); null when no text query was given. */
  score: number | null;
}

export interface SpeakerRank {
  /** The merged person's display name (the fullest variant seen). */
  name: string;
  /** Other spellings merged into this person. */
  variants: string[];
  quotes: number;
  articles: number;
  outlets: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface DossierQuote {
  articleId: number;
  title: string | null;
  url: string | null;
  outlet: string | null;
  published: string | null;
  kind: string;
  /** What the quote reports (speech, thought, evidence, other); null for rows an old database could not backfill. */
  act: string | null;
  text: string;
  /** The name as written in this article. */
  nameAsWritten: string | null;
}

export interface Dossier extends SpeakerRank {
  quotesList: DossierQuote[];
  /** Per outlet, the descriptors it gave the person ("political analyst", "expert"), most frequent first. */
  descriptorsByOutlet: { outlet: string; descriptors: { text: string; count: number }[] }[];
  /** People quoted in the same articles, most frequent first. */
  coQuoted: { name: string; articles: number }[];
  /**
   * Narratives (not subnarratives) of the articles quoting the person, most
   * articles first; `quotes`: how many of the person's quotes overlap a
   * sentence cited as evidence for the narrative (the quote voices it).
   * Empty for articles stored without the narratives layer.
   */
  narratives: { narrative: string; articles: number; quotes: number }[];
  /** How articles cast the person (roles layer): main role and best fine role, most articles first. */
  roles: { main: string; fine: string | null; articles: number; outlets: number }[];
}

export interface OutletSummary {
  /** As stored (outlets differing only in case or a leading www. are one outlet). */
  outlet: string;
  articles: number;
  /** Earliest publication time (or storage time when undated). */
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface OutletCopy extends NearDuplicatePair {
  outletA: string | null;
  outletB: string | null;
}

export interface OutletProfile extends OutletSummary {
  /** Most spans first. */
  techniques: { technique: string; spans: number; articles: number }[];
  frames: { frame: string; articles: number }[];
  genres: { genre: string; articles: number }[];
  /** Narratives (not subnarratives), most articles first. */
  narratives: { narrative: string; articles: number }[];
  /** Who the outlet casts in which main role, most articles first (at most 50). */
  roles: { name: string; main: string; articles: number }[];
  /** The same as speakers({ outlet, limit: 50 }). */
  speakers: SpeakerRank[];
  /** Near-duplicate pairs with at least one article of this outlet (at most OUTLET_COPIES_LIMIT, most similar first). */
  copies: OutletCopy[];
}

export const OUTLET_COPIES_LIMIT = 1000;

export type TrendDimension = 'outlet' | 'technique' | 'frame' | 'speaker' | 'narrative' | 'role';
export type TrendPeriod = 'day' | 'week' | 'month';

export interface TrendRow {
  /** '2024-03-05', '2024-W10' (ISO week) or '2024-03'. */
  period: string;
  key: string;
  /**
   * Articles in the period with the key. Keys: outlet name, technique, frame,
   * person, narrative label (not subnarratives), or "<entity>: <main role>".
   */
  count: number;
}

export interface NearDuplicatePair {
  a: number;
  b: number;
  /** Estimated Jaccard similarity of word shingles, 0..1. */
  similarity: number;
}

/** The article an export row comes from. */
export interface ArticleRef {
  articleId: number;
  outlet: string | null;
  published: string | null;
  url: string | null;
}

/** One row per quote, for CSV export. */
export interface QuoteRow extends ArticleRef {
  quoteId: string;
  kind: string;
  /** What the quote reports (speech, thought, evidence, other), or null. */
  act: string | null;
  start: number;
  end: number;
  text: string;
  cue: string | null;
  speaker: string | null;
  /** The merged person's name, when the speaker was named. */
  person: string | null;
}

export interface TechniqueRow extends ArticleRef {
  technique: string;
  start: number;
  end: number;
  text: string;
  confidence: number;
  voice: string;
}

/** One row per narrative or subnarrative of an article, for CSV export. */
export interface NarrativeLabelRow extends ArticleRef {
  narrative: string;
  /** The narrative a subnarrative belongs to; null for a narrative. */
  parent: string | null;
  source: string;
  taxonomy: string;
  confidence: number;
  /** The cited sentences as "start-end" offsets, ";"-separated. */
  evidence: string;
}

/** One row per entity role of an article, for CSV export. */
export interface EntityRoleRow extends ArticleRef {
  /** Entity id in the article's entities layer. */
  entity: string;
  name: string;
  main: string;
  mainConfidence: number;
  fine: string | null;
  fineConfidence: number | null;
  mentions: number;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** The id of an article stored under either key, or null. */
  find(key: ArticleKey & { outlet?: string | null }): Promise<number | null>;
  /**
   * Stores an article and all its layers in one transaction. The same
   * canonical URL or content hash again is the same article: unchanged when the
   * content hash matches, updated (layers replaced) when the URL matches but
   * the text changed.
   */
  put(analysis: Analysis, meta: PutMeta): Promise<PutResult>;
  /**
   * Stores several articles in one transaction (all or nothing); results in
   * input order. The same rules as put(), applied in order, so a later item
   * sees an earlier one of the same batch (the same URL twice: 'unchanged' or
   * 'updated'). An item may be a PreparedPut (src/store/prepare.ts), made
   * beforehand, e.g. in a worker thread, by preparePut(analysis, meta).
   */
  putMany(items: ({ analysis: Analysis; meta: PutMeta } | PreparedPut)[]): Promise<PutResult[]>;
  get(id: number): Promise<Analysis | null>;
  article(id: number): Promise<StoredArticle | null>;
  count(): Promise<number>;
  /** Stored articles in id order, for export. */
  articles(opts?: { afterId?: number; limit?: number; ids?: number[] }): Promise<StoredArticle[]>;
  search(q: SearchQuery): Promise<SearchHit[]>;
  speakers(opts?: { limit?: number; outlet?: string }): Promise<SpeakerRank[]>;
  /** The dossier of the person a name refers to (any variant), or null when unknown. */
  speaker(name: string): Promise<Dossier | null>;
  /** Outlets with their article counts, most articles first. */
  outlets(): Promise<OutletSummary[]>;
  /** One outlet's profile (name matched without case or leading www.), or null when no article has it. */
  outlet(name: string): Promise<OutletProfile | null>;
  trends(by: TrendDimension, period: TrendPeriod, opts?: { from?: string; to?: string; limit?: number }): Promise<TrendRow[]>;
  /** Near-duplicate pairs found so far (each pair once, a < b). */
  nearDuplicates(): Promise<NearDuplicatePair[]>;
  /** Rows of articles with afterId < id <= throughId (both optional), in article order. */
  quoteRows(opts?: { afterId?: number; throughId?: number; limit?: number }): Promise<QuoteRow[]>;
  techniqueRows(opts?: { afterId?: number; throughId?: number; limit?: number }): Promise<TechniqueRow[]>;
  narrativeRows(opts?: { afterId?: number; throughId?: number; limit?: number }): Promise<NarrativeLabelRow[]>;
  roleRows(opts?: { afterId?: number; throughId?: number; limit?: number }): Promise<EntityRoleRow[]>;
  /** Conditional-GET state of a polled feed. */
  feedState(url: string): Promise<{ etag: string | null; lastModified: string | null } | null>;
  setFeedState(url: string, state: { etag: string | null; lastModified: string | null }): Promise<void>;
  close(): Promise<void>;
}
