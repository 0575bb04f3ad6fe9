import type { Analysis } from '../document/types.ts';
import { packAnalysis } from './compact.ts';
import { nameKey } from '../corpus/names.ts';
import { bandKeys, signature, toBytes } from '../corpus/minhash.ts';
import { normalizePublished } from '../corpus/meta.ts';
import { narrativeRows, roleRows, type NarrativeEvidenceRow, type NarrativeRow, type RoleRow } from './layers.ts';
import type { PutMeta } from './types.ts';
import { actOf } from '../stages/quotes/act.ts';
import type { ArticlesTable, EntitiesTable, FramesTable, QuotesTable, TechniquesTable } from './schema.ts';

/**
 * The half of a put that needs no database: the article row (with the packed
 * Analysis), one row per layer item, the person names, and the MinHash
 * signature with its LSH band keys. Pure and free of I/O, so ingest workers
 * can run it next to analyze() and post the result (plain objects, strings,
 * numbers and byte arrays: cheap to structured-clone) to the thread that
 * writes. Rows carry no article id; the store adds it when it inserts them.
 */

type NoId<T> = Omit<T, 'article_id'>;

/** An articles row before insert: no id or stored_at yet, the packed Analysis as bytes. */
export type PreparedArticle = Omit<ArticlesTable, 'id' | 'stored_at' | 'updated_at' | 'analysis'> & {
  /** packAnalysis(analysis). */
  analysis: Uint8Array;
};

export interface PreparedPut {
  prepared: true;
  meta: PutMeta;
  article: PreparedArticle;
  quotes: NoId<QuotesTable>[];
  entities: NoId<EntitiesTable>[];
  techniques: NoId<TechniquesTable>[];
  frames: NoId<FramesTable>[];
  narratives: NoId<NarrativeRow>[];
  narrativeEvidence: NoId<NarrativeEvidenceRow>[];
  roles: NoId<RoleRow>[];
  /** Person name keys first seen in this article and the spelling seen. */
  names: [key: string, name: string][];
  /** MinHash signature as bytes (toBytes), null when the text is too short for one. */
  signature: Uint8Array | null;
  /** LSH band keys of the signature. */
  bands: number[];
}

export function isPrepared(x: unknown): x is PreparedPut {
  return !!x && typeof x === 'object' && (x as PreparedPut).prepared === true;
}

const strip = <T extends { article_id: number }>(rows: T[]): NoId<T>[] =>
  rows.map((r) => {
    const { article_id: _omit, ...rest } = r;
    return rest;
  });

export function preparePut(a: Analysis, meta: PutMeta): PreparedPut {
  const d = a.document;
  const names = new Map<string, string>();
  const quotes = (a.quotes ?? []).map((q) => {
    const name = q.speaker?.name ?? null;
    // Groups ("critics", "residents") and places speak too, but they are not people with a dossier.
    const typed = q.speaker?.type;
    const key = name && typed !== 'group' && typed !== 'place' && typed !== 'other' ? nameKey(name) : '';
    if (key && !names.has(key)) names.set(key, name!);
    return {
      qid: q.id,
      kind: q.kind,
      start_off: q.start,
      end_off: q.end,
      text: q.text,
      cue: q.cue?.text ?? null,
      speaker_name: name,
      speaker_key: key || null,
      speaker_entity: q.speaker?.entity ?? null,
      resolved: q.speaker?.resolved ? 1 : 0,
      // Analyses made before quotes carried an act get the one the quotes stage would give them.
      act: q.act ?? actOf(q),
    };
  });
  const entities = (a.entities ?? []).map((e) => {
    const key = nameKey(e.name);
    if (e.type === 'person' && key && !names.has(key)) names.set(key, e.name);
    return { eid: e.id, type: e.type, name: e.name, name_key: key, descriptors: JSON.stringify(e.descriptors ?? []), mentions: e.mentions?.length ?? 0 };
  });
  const techniques = (a.techniques ?? []).map((t) => ({
    technique: t.technique,
    start_off: t.start,
    end_off: t.end,
    text: t.text,
    confidence: t.confidence,
    voice: t.voice ?? 'outlet',
    paragraph: t.paragraph ?? -1,
  }));
  const frames = (a.frames ?? []).map((f) => ({ frame: f.frame, confidence: f.confidence }));
  const { narratives, evidence } = narrativeRows(0, a);
  const sig = signature(d.text);
  return {
    prepared: true,
    meta,
    article: {
      canonical_url: meta.canonicalUrl,
      content_hash: meta.contentHash,
      raw_hash: meta.rawHash ?? null,
      url: meta.url ?? d.url,
      outlet: d.outlet,
      published: normalizePublished(d.published),
      language: d.language || 'und',
      title: d.title,
      byline: d.byline ?? null,
      body: d.text,
      source: meta.source ?? null,
      genre: a.genre?.label ?? null,
      genre_confidence: a.genre?.confidence ?? null,
      analysis: packAnalysis(a),
    },
    quotes,
    entities,
    techniques,
    frames,
    narratives: strip(narratives),
    narrativeEvidence: strip(evidence),
    roles: strip(roleRows(0, a)),
    names: [...names],
    signature: sig ? toBytes(sig) : null,
    bands: sig ? bandKeys(sig) : [],
  };
}
