/**
 * The official SemEval-2025 Task 10 metrics, re-implemented.
 *
 * Subtask 1 (entity roles): mentions are keyed by (article id, mention with `"`
 * removed, start, end). Key sets must match; unknown role names are an error.
 * The ranked measure is the exact-match ratio of the **set** of fine roles per
 * gold mention; main-role accuracy and micro P/R/F1 over fine roles are
 * reported beside it.
 *
 * Subtask 2 (narratives): per document and level, gold and predicted labels are
 * reduced to the scorer's class list (labels outside it are dropped, duplicates
 * collapse) and compared with binary F1, zero when nothing is correct (also when
 * both sides are empty); the score is the mean over documents (population std
 * beside it), for narratives (coarse) and subnarratives (fine). Documents are
 * aligned by id (the official script pairs rows by file order after checking
 * the id sets; the two agree when predictions keep the input order).
 */
import { FINE_ROLES, MAIN_ROLES, SCORER_COARSE, SCORER_FINE } from '../../corpora/semeval2025/taxonomy.ts';

export class ScoreError extends Error {}

// ---------- subtask 2 ----------

export interface NarrativeRow {
  docId: string;
  narratives: string[];
  subnarratives: string[];
}

export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

export interface NarrativeScore {
  coarse: MeanStd;
  fine: MeanStd;
  /** Per document, in gold order. */
  perDoc: { docId: string; coarse: number; fine: number }[];
}

/** Binary F1 of two label sets restricted to `classes` (zero when nothing matches). */
export function setF1(gold: Iterable<string>, pred: Iterable<string>, classes: ReadonlySet<string>): number {
  const g = new Set([...gold].filter((l) => classes.has(l)));
  const p = new Set([...pred].filter((l) => classes.has(l)));
  let tp = 0;
  for (const l of p) if (g.has(l)) tp++;
  if (tp === 0) return 0;
  return (2 * tp) / (g.size + p.size);
}

export function meanStd(xs: number[]): MeanStd {
  const n = xs.length;
  if (!n) return { mean: 0, std: 0, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return { mean, std: Math.sqrt(v), n };
}

export interface NarrativeScoreOptions {
  coarseClasses?: readonly string[];
  fineClasses?: readonly string[];
}

export function scoreNarratives(gold: NarrativeRow[], pred: NarrativeRow[], opts: NarrativeScoreOptions = {}): NarrativeScore {
  const cc = new Set(opts.coarseClasses ?? SCORER_COARSE);
  const fc = new Set(opts.fineClasses ?? SCORER_FINE);
  const predById = new Map<string, NarrativeRow>();
  for (const p of pred) {
    if (predById.has(p.docId)) throw new ScoreError(`duplicate prediction for ${p.docId}`);
    predById.set(p.docId, p);
  }
  const goldIds = new Set(gold.map((g) => g.docId));
  if (goldIds.size !== gold.length) throw new ScoreError('duplicate document id in gold');
  const missing = gold.filter((g) => !predById.has(g.docId)).map((g) => g.docId);
  const extra = pred.filter((p) => !goldIds.has(p.docId)).map((p) => p.docId);
  if (missing.length || extra.length) {
    throw new ScoreError(
      `document ids differ: ${missing.length} missing from predictions${missing.length ? ` (${missing.slice(0, 3).join(', ')})` : ''}, ${extra.length} not in gold${extra.length ? ` (${extra.slice(0, 3).join(', ')})` : ''}`,
    );
  }
  const perDoc = gold.map((g) => {
    const p = predById.get(g.docId)!;
    return { docId: g.docId, coarse: setF1(g.narratives, p.narratives, cc), fine: setF1(g.subnarratives, p.subnarratives, fc) };
  });
  return { coarse: meanStd(perDoc.map((d) => d.coarse)), fine: meanStd(perDoc.map((d) => d.fine)), perDoc };
}

/** One line of the official subtask-2 format. */
export function formatNarrativeRow(r: NarrativeRow): string {
  return `${r.docId}\t${r.narratives.join(';')}\t${r.subnarratives.join(';')}`;
}

// ---------- subtask 1 ----------

export interface RoleRow {
  docId: string;
  mention: string;
  start: number;
  end: number;
  main: string;
  fine: string[];
}

export interface RoleScore {
  /** Exact-match ratio of fine-role sets (the official measure). */
  emr: number;
  mainAccuracy: number;
  micro: { precision: number; recall: number; f1: number };
  n: number;
}

export function roleKey(r: Pick<RoleRow, 'docId' | 'mention' | 'start' | 'end'>): string {
  return `${r.docId}\u0000${r.mention.replace(/"/g, '')}\u0000${r.start}\u0000${r.end}`;
}

const MAIN = new Set(MAIN_ROLES);
const FINE = new Set(FINE_ROLES);

function checkRoles(r: RoleRow, where: string): void {
  if (!MAIN.has(r.main)) throw new ScoreError(`${where}: unknown main role '${r.main}' for ${r.docId} '${r.mention}'`);
  for (const f of r.fine) if (!FINE.has(f)) throw new ScoreError(`${where}: unknown fine role '${f}' for ${r.docId} '${r.mention}'`);
}

export function scoreRoles(gold: RoleRow[], pred: RoleRow[]): RoleScore {
  const pm = new Map<string, RoleRow>();
  for (const p of pred) {
    checkRoles(p, 'predictions');
    const k = roleKey(p);
    if (pm.has(k)) throw new ScoreError(`duplicate prediction for ${p.docId} '${p.mention}' ${p.start}-${p.end}`);
    pm.set(k, p);
  }
  const gk = new Set<string>();
  for (const g of gold) {
    checkRoles(g, 'gold');
    const k = roleKey(g);
    if (gk.has(k)) throw new ScoreError(`duplicate gold mention ${g.docId} '${g.mention}' ${g.start}-${g.end}`);
    gk.add(k);
  }
  const missing = gold.filter((g) => !pm.has(roleKey(g)));
  const extra = pred.filter((p) => !gk.has(roleKey(p)));
  if (missing.length || extra.length) {
    const ex = (r: RoleRow | undefined) => (r ? ` (e.g. ${r.docId} '${r.mention}' ${r.start}-${r.end})` : '');
    throw new ScoreError(`mention keys differ: ${missing.length} missing from predictions${ex(missing[0])}, ${extra.length} not in gold${ex(extra[0])}`);
  }
  let exact = 0;
  let main = 0;
  let tp = 0;
  let np = 0;
  let ng = 0;
  for (const g of gold) {
    const p = pm.get(roleKey(g))!;
    const gs = new Set(g.fine);
    const ps = new Set(p.fine);
    let inter = 0;
    for (const f of ps) if (gs.has(f)) inter++;
    if (inter === gs.size && inter === ps.size) exact++;
    if (p.main === g.main) main++;
    tp += inter;
    np += ps.size;
    ng += gs.size;
  }
  const n = gold.length;
  const precision = np ? tp / np : 0;
  const recall = ng ? tp / ng : 0;
  return {
    emr: n ? exact / n : 0,
    mainAccuracy: n ? main / n : 0,
    micro: { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 },
    n,
  };
}

/** One line of the official subtask-1 format: the key echoed, then main and fine roles. */
export function formatRoleRow(r: RoleRow): string {
  return [r.docId, r.mention, String(r.start), String(r.end), r.main, ...r.fine].join('\t');
}
