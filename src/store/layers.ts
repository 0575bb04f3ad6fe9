import type { Analysis } from '../document/types.ts';
import type { NarrativeLabel } from '../stages/narratives/index.ts';
import type { EntityRoles } from '../stages/roles/index.ts';
import { nameKey } from '../corpus/names.ts';
import type { NarrativeEvidenceTable, NarrativesTable, RolesTable } from './schema.ts';

/**
 * Rows of the narratives, narrative_evidence and roles tables for one
 * article, built from its Analysis. Shared by put() and by migration 0003,
 * which backfills these tables from the Analyses stored before it.
 * Analyses without the layers (older pipelines, language without a model)
 * give no rows.
 */

/** Rows as the tables hold them (src/store/schema.ts). */
export type NarrativeRow = NarrativesTable;
export type NarrativeEvidenceRow = NarrativeEvidenceTable;
export type RoleRow = RolesTable;

const num = (x: unknown, d = 0) => (typeof x === 'number' && Number.isFinite(x) ? x : d);

export function narrativeRows(id: number, a: Analysis): { narratives: NarrativeRow[]; evidence: NarrativeEvidenceRow[] } {
  const narratives: NarrativeRow[] = [];
  const evidence: NarrativeEvidenceRow[] = [];
  const layer = Array.isArray(a.narratives) ? (a.narratives as NarrativeLabel[]) : [];
  const seen = new Set<string>();
  const addEvidence = (label: string, ev: NarrativeLabel['evidence'] | undefined) => {
    for (const e of ev ?? []) {
      if (typeof e?.start !== 'number' || typeof e?.end !== 'number') continue;
      evidence.push({ article_id: id, label, start_off: e.start, end_off: e.end, weight: num(e.weight, 1) });
    }
  };
  for (const n of layer) {
    if (!n || typeof n.narrative !== 'string' || seen.has(n.narrative)) continue;
    seen.add(n.narrative);
    const base = { article_id: id, source: n.source ?? 'model', taxonomy: n.taxonomy ?? 'semeval2025', nid: n.id ?? null, domain: n.domain ?? null };
    narratives.push({ ...base, label: n.narrative, parent: null, confidence: num(n.confidence) });
    addEvidence(n.narrative, n.evidence);
    for (const s of n.subnarratives ?? []) {
      if (!s || typeof s.subnarrative !== 'string' || seen.has(s.subnarrative)) continue;
      seen.add(s.subnarrative);
      narratives.push({ ...base, nid: null, label: s.subnarrative, parent: n.narrative, confidence: num(s.confidence) });
      addEvidence(s.subnarrative, s.evidence);
    }
  }
  return { narratives, evidence };
}

export function roleRows(id: number, a: Analysis): RoleRow[] {
  const layer = Array.isArray(a.roles) ? (a.roles as EntityRoles[]) : [];
  const out: RoleRow[] = [];
  for (const r of layer) {
    if (!r || typeof r.name !== 'string' || typeof r.main !== 'string') continue;
    const fine = r.fine?.[0] ?? null;
    out.push({
      article_id: id,
      eid: String(r.entity ?? ''),
      name: r.name,
      name_key: nameKey(r.name),
      main: r.main,
      main_confidence: num(r.mainConfidence),
      fine: fine?.role ?? null,
      fine_confidence: fine ? num(fine.confidence) : null,
      mentions: r.mentions?.length ?? 0,
    });
  }
  return out;
}
