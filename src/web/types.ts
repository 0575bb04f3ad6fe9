/** The shapes the UI reads from the API (a subset of src/document/types.ts and src/store/types.ts). */
import type { Analysis } from '../document/types.ts';
import type { StoredArticle, SearchHit, SpeakerRank, Dossier, TrendRow } from '../store/types.ts';
import type { CopyGroup } from '../corpus/copies.ts';

export type { Analysis, StoredArticle, SearchHit, SpeakerRank, Dossier, TrendRow, CopyGroup };

export interface OutletSummary {
  outlet: string;
  articles: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface OutletProfile extends OutletSummary {
  techniques: { technique: string; spans: number; articles: number }[];
  frames: { frame: string; articles: number }[];
  genres: { genre: string; articles: number }[];
  speakers: SpeakerRank[];
  copies: { a: number; b: number; similarity: number; outletA: string | null; outletB: string | null }[];
  sampled: number;
}
