import type { Generated } from 'kysely';

/** The tables as Kysely sees them. Offsets are UTF-16 code units, like the Analysis. */

export interface ArticlesTable {
  id: Generated<number>;
  canonical_url: string | null;
  content_hash: string;
  raw_hash: string | null;
  url: string | null;
  outlet: string | null;
  /** ISO 8601 UTC (see normalizePublished), sortable as text. */
  published: string | null;
  language: string;
  title: string | null;
  byline: string | null;
  /** The clean text that every offset refers to. */
  body: string;
  source: string | null;
  genre: string | null;
  genre_confidence: number | null;
  /** packAnalysis(): compactAnalysis() JSON, deflated. */
  analysis: Buffer;
  stored_at: string;
  updated_at: string;
}

export interface QuotesTable {
  article_id: number;
  qid: string;
  kind: string;
  start_off: number;
  end_off: number;
  text: string;
  cue: string | null;
  speaker_name: string | null;
  /** nameKey(speaker_name), null when the speaker has no name. */
  speaker_key: string | null;
  speaker_entity: string | null;
  resolved: number;
  /** What the quote reports: speech, thought, evidence or other (Quote.act; since migration 0004). */
  act: string | null;
}

export interface EntitiesTable {
  article_id: number;
  eid: string;
  type: string;
  name: string;
  name_key: string;
  /** JSON array of strings. */
  descriptors: string;
  mentions: number;
}

export interface TechniquesTable {
  article_id: number;
  technique: string;
  start_off: number;
  end_off: number;
  text: string;
  confidence: number;
  voice: string;
  paragraph: number;
}

export interface FramesTable {
  article_id: number;
  frame: string;
  confidence: number;
}

/** Every person name seen (speaker or person entity) and the person it was merged into. */
export interface NamesTable {
  key: string;
  /** The spelling first seen for this key. */
  name: string;
  /** Key of the merged person's display name; null until merged. */
  person: string | null;
}

export interface FingerprintsTable {
  article_id: number;
  /** MinHash signature, HASHES little-endian uint32. */
  sig: Buffer;
}

export interface LshTable {
  /** band * 2^32 + bucket hash. */
  key: number;
  article_id: number;
}

export interface NearDuplicatesTable {
  a: number;
  b: number;
  similarity: number;
}

export interface FeedsTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  polled_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** One row per narrative and per subnarrative of an article (src/store/layers.ts). */
export interface NarrativesTable {
  article_id: number;
  label: string;
  /** The narrative a subnarrative belongs to; null for a narrative. */
  parent: string | null;
  /** 'model' or 'user'. */
  source: string;
  taxonomy: string;
  /** A user narrative's id. */
  nid: string | null;
  domain: string | null;
  confidence: number;
}

/** The sentences cited for a narrative or subnarrative label. */
export interface NarrativeEvidenceTable {
  article_id: number;
  label: string;
  start_off: number;
  end_off: number;
  weight: number;
}

/** Each entity's role in an article: main (Protagonist, Antagonist, Innocent) and its best fine role. */
export interface RolesTable {
  article_id: number;
  eid: string;
  name: string;
  /** nameKey(name), as in entities and names. */
  name_key: string;
  main: string;
  main_confidence: number;
  fine: string | null;
  fine_confidence: number | null;
  /** Mentions the role was decided from. */
  mentions: number;
}

export interface DB {
  articles: ArticlesTable;
  quotes: QuotesTable;
  entities: EntitiesTable;
  techniques: TechniquesTable;
  frames: FramesTable;
  narratives: NarrativesTable;
  narrative_evidence: NarrativeEvidenceTable;
  roles: RolesTable;
  names: NamesTable;
  fingerprints: FingerprintsTable;
  lsh: LshTable;
  near_duplicates: NearDuplicatesTable;
  feeds: FeedsTable;
  meta: MetaTable;
}
