/**
 * Training and cross-validation of the roles model (`unspin train roles`).
 * Cross-validation groups mentions by article, trains on every language, and
 * scores each language with the official exact-match ratio.
 */
import { MultiLabelLogReg, groupKFold } from '../../ml/index.ts';
import { FINE_ROLES, MAIN_ROLES } from '../../corpora/semeval2025/taxonomy.ts';
import { scoreRoles, type RoleRow } from '../../eval/semeval2025/index.ts';
import { articleDomain, hashStrings, type DocTokens } from './features.ts';
import { denseDim as wordVectorColumns, denseFromFeatures } from './dense.ts';
import { appendDense, decodeRoles, RoleModel, ROLE_LABELS, remap, type ArticleContext } from './model.ts';
import { ArticleRolesModel, cueStance, goldStance, sideStrings, StanceModel } from './side.ts';
import { sampleStd } from '../narratives/train.ts';
import { trainDual } from '../narratives/dual.ts';
import type { MeanStd } from '../../eval/semeval2025/index.ts';

export interface RoleExample {
  lang: string;
  row: RoleRow;
  features: string[];
  /** The tokens of the mention's article (shared by its mentions); the side features and the article fine-role model need them. */
  dt?: DocTokens;
}

export interface RoleTrainConfig {
  bits: number;
  minCount: number;
  epochs: number;
  lr: number;
  l2: number;
  seed: number;
  /** 'adagrad' (SGD: epochs, lr, l2) or 'dual' (exact logistic regression, C). Default 'adagrad'. */
  solver?: 'adagrad' | 'dual';
  C?: number;
  /** Weight of training mentions in other languages than `focusLang` (default: all 1). */
  otherLangWeight?: number;
  focusLang?: string;
  /** Append word-vector features (dense.ts, from the feature strings) as columns (off when unset; DEFAULT_ROLE_CONFIG turns it on). */
  dense?: boolean;
  /** Entity-side features of English mentions with a learned article side (side.ts; experiment.ts bloc+stance+lstance). Needs `dt` on the examples. */
  side?: boolean;
  /** Scale of the article fine-role columns (side.ts; experiment.ts artfineA); 0 or unset: none. Needs `dt` on the examples. */
  articleRoles?: number;
}

export const DEFAULT_ROLE_CONFIG: RoleTrainConfig = { bits: 18, minCount: 2, epochs: 10, lr: 0.2, l2: 1e-4, seed: 11, dense: true, side: true, articleRoles: 1 };

/** Inner folds for cross-fitting the article-level parts (as experiment.ts). */
const INNER_FOLDS = 5;

const docKey = (e: RoleExample) => `${e.lang}/${e.row.docId}`;
const mentionOf = (e: RoleExample) => e.features.find((f) => f.startsWith('e='))?.slice(2) ?? '';

/**
 * The article-level parts of a model trained on `ex`, and what they give the
 * training mentions: the side strings of English mentions and the article
 * fine-role columns. The learned side and the fine-role columns of the
 * training articles are cross-fitted (each article's from models trained on
 * the other inner folds), so the classifier does not learn to trust article
 * models that had seen its own labels; the returned models are trained on
 * every article.
 */
function articleParts(ex: RoleExample[], cfg: RoleTrainConfig): { side: { stance: StanceModel | null } | null; articleRoles: ArticleRolesModel | null; strings: string[][]; columns: (Float32Array | null)[] } {
  const strings: string[][] = ex.map(() => []);
  const columns: (Float32Array | null)[] = ex.map(() => null);
  if (!cfg.side && !cfg.articleRoles) return { side: null, articleRoles: null, strings, columns };
  const dtOf = new Map<string, DocTokens>();
  for (const e of ex) {
    if (!e.dt) throw new Error(`the roles model's article-level parts need each example's article tokens (dt); ${docKey(e)} has none`);
    if (!dtOf.has(docKey(e))) dtOf.set(docKey(e), e.dt);
  }
  let side: { stance: StanceModel | null } | null = null;
  if (cfg.side) {
    const en = [...dtOf].filter(([d]) => d.startsWith('EN/')).map(([id, dt]) => ({ id, dt }));
    const gold = goldStance(ex.map((e) => ({ doc: docKey(e), mention: mentionOf(e), main: e.row.main })));
    const inner = groupKFold(en.map((d) => d.id), INNER_FOLDS, cfg.seed + 100);
    const learned = new Map<string, string>();
    for (let g = 0; g < INNER_FOLDS; g++) {
      const m = StanceModel.train(en.filter((_, j) => inner[j] !== g), gold, cfg.seed);
      if (m) en.forEach((d, j) => inner[j] === g && learned.set(d.id, m.side(d.dt)));
    }
    side = { stance: StanceModel.train(en, gold, cfg.seed) };
    const cue = new Map<string, string>();
    ex.forEach((e, i) => {
      if (e.lang !== 'EN') return;
      const d = docKey(e);
      let c = cue.get(d);
      if (c === undefined) cue.set(d, (c = cueStance(e.dt!)));
      strings[i] = sideStrings(mentionOf(e), { domain: e.dt!.domain ?? articleDomain(e.dt!), cue: c, learned: learned.get(d) ?? null });
    });
  }
  let articleRoles: ArticleRolesModel | null = null;
  if (cfg.articleRoles) {
    const fine = new Map<string, Set<number>>();
    for (const e of ex) {
      const set = fine.get(docKey(e)) ?? new Set<number>();
      for (const r of e.row.fine) if (FINE_ROLES.indexOf(r) >= 0) set.add(FINE_ROLES.indexOf(r));
      fine.set(docKey(e), set);
    }
    const docs = [...fine.keys()];
    const fit = (ds: string[]) => ArticleRolesModel.train(ds.map((d) => dtOf.get(d)!), ds.map((d) => [...fine.get(d)!]), [...FINE_ROLES], cfg.seed, cfg.articleRoles);
    const inner = groupKFold(docs, INNER_FOLDS, cfg.seed + 100);
    const cols = new Map<string, Float32Array>();
    for (let g = 0; g < INNER_FOLDS; g++) {
      const m = fit(docs.filter((_, j) => inner[j] !== g));
      docs.forEach((d, j) => inner[j] === g && cols.set(d, m.columns(dtOf.get(d)!)));
    }
    articleRoles = fit(docs);
    ex.forEach((e, i) => (columns[i] = cols.get(docKey(e))!));
  }
  return { side, articleRoles, strings, columns };
}

export function fitRoles(ex: RoleExample[], cfg: RoleTrainConfig): RoleModel {
  const parts = articleParts(ex, cfg);
  const raw = ex.map((e, i) => hashStrings(parts.strings[i].length ? [...e.features, ...parts.strings[i]] : e.features, cfg.bits));
  const count = new Map<number, number>();
  for (const r of raw) for (const b of r.idx) count.set(b, (count.get(b) ?? 0) + 1);
  const kept = Int32Array.from([...count].filter(([, c]) => c >= cfg.minCount).map(([b]) => b).sort((a, b) => a - b));
  const col = new Map(Array.from(kept, (b, i) => [b, i]));
  const denseDim = cfg.dense ? wordVectorColumns() : 0;
  const articleDim = parts.articleRoles ? parts.articleRoles.dim : 0;
  const denseOf = (i: number): Float32Array | null => {
    if (!articleDim) return denseDim ? denseFromFeatures(ex[i].features) : null;
    const d = new Float32Array(denseDim + articleDim);
    if (denseDim) d.set(denseFromFeatures(ex[i].features));
    d.set(parts.columns[i]!, denseDim);
    return d;
  };
  const rows = raw.map((r, i) => {
    const d = denseOf(i);
    return d ? appendDense(remap(r, col), d, kept.length) : remap(r, col);
  });
  const y = ex.map((e) => [MAIN_ROLES.indexOf(e.row.main), ...e.row.fine.map((f) => MAIN_ROLES.length + FINE_ROLES.indexOf(f))].filter((i) => i >= 0));
  const pos = new Array<number>(ROLE_LABELS.length).fill(0);
  for (const ys of y) for (const l of ys) pos[l]++;
  const posWeight = pos.map((p) => (p > 0 ? Math.max(1, Math.sqrt((ex.length - p) / p)) : 1));
  const sampleWeight = cfg.focusLang && cfg.otherLangWeight !== undefined ? ex.map((e) => (e.lang === cfg.focusLang ? 1 : cfg.otherLangWeight!)) : undefined;
  const clf = cfg.solver === 'dual'
    ? trainDual(rows, y, ROLE_LABELS, kept.length + denseDim + articleDim, { C: cfg.C ?? 3, posWeight, seed: cfg.seed, tol: 0.01, sampleWeight })
    : MultiLabelLogReg.train(rows, y, ROLE_LABELS, kept.length + denseDim + articleDim, { epochs: cfg.epochs, lr: cfg.lr, l2: cfg.l2, seed: cfg.seed, posWeight, sampleWeight });
  return new RoleModel(cfg.bits, kept, clf, denseDim, parts.side, parts.articleRoles);
}

export interface RoleLangCv {
  lang: string;
  mentions: number;
  emr: MeanStd;
  mainAccuracy: MeanStd;
  pooled: { emr: number; mainAccuracy: number; microF1: number };
  /** Baselines on the same folds: the most frequent label set of the training folds. */
  majorityEmr: number;
}

export function crossValidateRoles(ex: RoleExample[], cfg: RoleTrainConfig, k: number, log: (s: string) => void = () => {}): { perLang: RoleLangCv[]; all: RoleLangCv } {
  const fold = groupKFold(ex.map((e) => `${e.lang}/${e.row.docId}`), k, cfg.seed);
  const pred: RoleRow[] = new Array(ex.length);
  const majority: RoleRow[] = new Array(ex.length);
  for (let f = 0; f < k; f++) {
    const train = ex.filter((_, i) => fold[i] !== f);
    const model = fitRoles(train, cfg);
    const sets = new Map<string, number>();
    for (const e of train) {
      const key = `${e.row.main}\t${[...e.row.fine].sort().join('\t')}`;
      sets.set(key, (sets.get(key) ?? 0) + 1);
    }
    const top = [...sets].sort((a, b) => b[1] - a[1])[0][0].split('\t');
    // the held-out articles' side and fine-role columns come from the fold's model, as at run time
    const ctxOf = new Map<string, ArticleContext>();
    ex.forEach((e, i) => {
      if (fold[i] !== f) return;
      let ctx: ArticleContext | undefined;
      if (e.dt && (model.side || model.articleRoles)) {
        ctx = ctxOf.get(docKey(e));
        if (!ctx) ctxOf.set(docKey(e), (ctx = model.articleContext(e.dt, e.lang)));
      }
      const p = decodeRoles(model.classifier.proba(model.vector(e.features, undefined, ctx)));
      pred[i] = { ...e.row, main: p.main, fine: [p.fine] };
      majority[i] = { ...e.row, main: top[0], fine: top.slice(1) };
    });
    log(`fold ${f + 1}/${k}: trained on ${train.length} mentions (${model.buckets.length} features)`);
  }
  const summarize = (lang: string, idx: number[]): RoleLangCv => {
    const emr: number[] = [];
    const acc: number[] = [];
    for (let f = 0; f < k; f++) {
      const fi = idx.filter((i) => fold[i] === f);
      if (!fi.length) continue;
      const s = scoreRoles(fi.map((i) => ex[i].row), fi.map((i) => pred[i]));
      emr.push(s.emr);
      acc.push(s.mainAccuracy);
    }
    const s = scoreRoles(idx.map((i) => ex[i].row), idx.map((i) => pred[i]));
    const m = scoreRoles(idx.map((i) => ex[i].row), idx.map((i) => majority[i]));
    return { lang, mentions: idx.length, emr: sampleStd(emr), mainAccuracy: sampleStd(acc), pooled: { emr: s.emr, mainAccuracy: s.mainAccuracy, microF1: s.micro.f1 }, majorityEmr: m.emr };
  };
  const langs = [...new Set(ex.map((e) => e.lang))].sort();
  const perLang = langs.map((l) => summarize(l, ex.map((e, i) => (e.lang === l ? i : -1)).filter((i) => i >= 0)));
  return { perLang, all: summarize('all', ex.map((_, i) => i)) };
}
