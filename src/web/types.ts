/** The shapes the UI reads from the API (a subset of src/document/types.ts and src/store/types.ts). */
import type { Analysis } from '../document/types.ts';
import type { StoredArticle, SearchHit, SpeakerRank, Dossier, TrendRow, OutletSummary, OutletProfile } from '../store/types.ts';
import type { CopyGroup } from '../corpus/copies.ts';

export type { Analysis, StoredArticle, SearchHit, SpeakerRank, Dossier, TrendRow, CopyGroup, OutletSummary, OutletProfile };
