/**
 * Training and cross-validation of the roles model (`unspin train roles`).
 * Cross-validation groups mentions by article, trains on every language, and
 * scores each language with the official exact-match ratio.
 */
import { MultiLabelLogReg, groupKFold } from '../../ml/index.ts';
import { FINE_ROLES, MAIN_ROLES } from '../../corpora/semeval2025/taxonomy.ts';
import { scoreRoles, type RoleRow } from '../../eval/semeval2025/index.ts';
import { hashStrings } from './features.ts';
import { denseDim as wordVectorColumns, denseFromFeatures } from './dense.ts';
import { appendDense, decodeRoles, RoleModel, ROLE_LABELS, remap } from './model.ts';
import { sampleStd } from '../narratives/train.ts';
import { trainDual } from '../narratives/dual.ts';
import type { MeanStd } from '../../eval/semeval2025/index.ts';

export interface RoleExample {
  lang: string;
  row: RoleRow;
  features: string[];
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
}

export const DEFAULT_ROLE_CONFIG: RoleTrainConfig = { bits: 18, minCount: 2, epochs: 10, lr: 0.2, l2: 1e-4, seed: 11, dense: true };

export function fitRoles(ex: RoleExample[], cfg: RoleTrainConfig): RoleModel {
  const raw = ex.map((e) => hashStrings(e.features, cfg.bits));
  const count = new Map<number, number>();
  for (const r of raw) for (const b of r.idx) count.set(b, (count.get(b) ?? 0) + 1);
  const kept = Int32Array.from([...count].filter(([, c]) => c >= cfg.minCount).map(([b]) => b).sort((a, b) => a - b));
  const col = new Map(Array.from(kept, (b, i) => [b, i]));
  const denseDim = cfg.dense ? wordVectorColumns() : 0;
  const rows = raw.map((r, i) => (denseDim ? appendDense(remap(r, col), denseFromFeatures(ex[i].features), kept.length) : remap(r, col)));
  const y = ex.map((e) => [MAIN_ROLES.indexOf(e.row.main), ...e.row.fine.map((f) => MAIN_ROLES.length + FINE_ROLES.indexOf(f))].filter((i) => i >= 0));
  const pos = new Array<number>(ROLE_LABELS.length).fill(0);
  for (const ys of y) for (const l of ys) pos[l]++;
  const posWeight = pos.map((p) => (p > 0 ? Math.max(1, Math.sqrt((ex.length - p) / p)) : 1));
  const sampleWeight = cfg.focusLang && cfg.otherLangWeight !== undefined ? ex.map((e) => (e.lang === cfg.focusLang ? 1 : cfg.otherLangWeight!)) : undefined;
  const clf = cfg.solver === 'dual'
    ? trainDual(rows, y, ROLE_LABELS, kept.length + denseDim, { C: cfg.C ?? 3, posWeight, seed: cfg.seed, tol: 0.01, sampleWeight })
    : MultiLabelLogReg.train(rows, y, ROLE_LABELS, kept.length + denseDim, { epochs: cfg.epochs, lr: cfg.lr, l2: cfg.l2, seed: cfg.seed, posWeight, sampleWeight });
  return new RoleModel(cfg.bits, kept, clf, denseDim);
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
    ex.forEach((e, i) => {
      if (fold[i] !== f) return;
      const p = decodeRoles(model.classifier.proba(model.vector(e.features)));
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
