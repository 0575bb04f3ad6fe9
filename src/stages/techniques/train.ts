/**
 * Training and cross-validation of the technique paragraph model.
 * All selection is on train splits: article-grouped k-fold, calibration and
 * thresholds fit on out-of-fold scores of the *other* folds (nested), so each
 * fold's score is on data its thresholds never saw.
 */
import { fitPlatt, tuneThresholds, type Platt } from '../../ml/calibrate.ts';
import { groupKFold, meanStd } from '../../ml/cv.ts';
import { multiLabelF1 } from '../../ml/metrics.ts';
import { loadSemeval2023All, techniqueNames, type Semeval2023Article } from '../../corpora/semeval2023/index.ts';
import { articleItems, calibrate, DEFAULT_PARAGRAPH_CONFIG, ParagraphModel, type ParagraphConfig, type ParagraphItem } from './paragraphs.ts';

export interface Corpus {
  labels: string[];
  articles: Semeval2023Article[];
  items: ParagraphItem[];
}

export function loadCorpus(dataDir: string, langs?: string[]): Corpus {
  const labels = techniqueNames(dataDir);
  const index = new Map(labels.map((l, i) => [l, i]));
  const articles = loadSemeval2023All(dataDir, { langs });
  const items: ParagraphItem[] = [];
  for (const a of articles) {
    items.push(
      ...articleItems(`${a.lang}:${a.id}`, a.lang, a.paragraphs, (id) =>
        (a.paragraphLabels?.get(id) ?? []).filter((l) => l !== '').map((l) => {
          const i = index.get(l);
          if (i === undefined) throw new Error(`unknown label ${l} in ${a.lang}/${a.id}`);
          return i;
        }),
      ),
    );
  }
  return { labels, articles, items };
}

export interface Calibration {
  platt: Platt[];
  thresholds: number[];
  global: number;
}

function onehot(y: number[], L: number): Uint8Array {
  const g = new Uint8Array(L);
  for (const l of y) g[l] = 1;
  return g;
}

/** Fits Platt per label and tunes thresholds on (raw scores, gold) pairs. */
export function fitCalibration(scores: Float64Array[], gold: Uint8Array[], L: number): Calibration {
  const platt: Platt[] = [];
  for (let l = 0; l < L; l++) {
    platt.push(fitPlatt(scores.map((s) => s[l]), gold.map((g) => g[l])));
  }
  const probs = scores.map((s) => calibrate(s, platt));
  const t = tuneThresholds(probs, gold, { minPositives: 30, shrink: 100, rounds: 2 });
  return { platt, thresholds: t.thresholds, global: t.global };
}

export interface CvResult {
  k: number;
  perLang: Record<string, { folds: number[]; mean: number; std: number; pooled: ReturnType<typeof multiLabelF1>; pooledCount?: number }>;
  /** Out-of-fold raw scores, aligned with corpus.items. */
  oof: Float64Array[];
  /** Out-of-fold probabilities calibrated on the other folds (nested), aligned with corpus.items. */
  nestedProbs: Float64Array[];
  /** Out-of-fold decisions with thresholds from the other folds. */
  nestedPred: number[][];
  fold: number[];
}

export interface CvOptions {
  k?: number;
  seed?: number;
  cfg?: ParagraphConfig;
  /** Languages whose paragraphs are used for training (default: all loaded). */
  trainLangs?: string[];
  /** Weight of non-English paragraphs. */
  otherWeight?: number;
  log?: (s: string) => void;
}

export function crossValidate(corpus: Corpus, opts: CvOptions = {}): CvResult {
  const k = opts.k ?? 5;
  const cfg = opts.cfg ?? DEFAULT_PARAGRAPH_CONFIG;
  const { items, labels } = corpus;
  const L = labels.length;
  const fold = groupKFold(items.map((i) => i.article), k, opts.seed ?? 1);
  const oof: Float64Array[] = new Array(items.length);
  const trainLangs = new Set(opts.trainLangs ?? items.map((i) => i.lang));
  for (let f = 0; f < k; f++) {
    const t0 = Date.now();
    const trainIdx = items.map((_, i) => i).filter((i) => fold[i] !== f && trainLangs.has(items[i].lang));
    const trainItems = trainIdx.map((i) => items[i]);
    const w = trainItems.map((it) => (it.lang === 'en' ? 1 : opts.otherWeight ?? 1));
    const model = ParagraphModel.train(trainItems, labels, cfg, w);
    items.forEach((it, i) => {
      if (fold[i] === f) oof[i] = model.scores(it);
    });
    opts.log?.(`fold ${f + 1}/${k}: trained on ${trainItems.length} paragraphs in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
  const gold = items.map((it) => onehot(it.y ?? [], L));
  const perLang: CvResult['perLang'] = {};
  const nestedProbs: Float64Array[] = new Array(items.length);
  const nestedPred: number[][] = new Array(items.length);
  for (const lang of [...new Set(items.map((i) => i.lang))]) {
    const idx = items.map((_, i) => i).filter((i) => items[i].lang === lang);
    const folds: number[] = [];
    const allGold: string[][] = [];
    const allPred: string[][] = [];
    for (let f = 0; f < k; f++) {
      const cal = idx.filter((i) => fold[i] !== f);
      const test = idx.filter((i) => fold[i] === f);
      if (!test.length) continue;
      const c = fitCalibration(cal.map((i) => oof[i]), cal.map((i) => gold[i]), L);
      const g: string[][] = [];
      const p: string[][] = [];
      for (const i of test) {
        const probs = calibrate(oof[i], c.platt);
        nestedProbs[i] = probs;
        nestedPred[i] = labels.map((_, l) => l).filter((l) => probs[l] >= c.thresholds[l]);
        g.push((items[i].y ?? []).map((l) => labels[l]));
        p.push(labels.filter((_, l) => probs[l] >= c.thresholds[l]));
      }
      folds.push(multiLabelF1(g, p, labels).micro.f1);
      allGold.push(...g);
      allPred.push(...p);
    }
    const ms = meanStd(folds);
    perLang[lang] = { folds, mean: ms.mean, std: ms.std, pooled: multiLabelF1(allGold, allPred, labels) };
  }
  return { k, perLang, oof, fold, nestedProbs, nestedPred };
}

// ---------------------------------------------------------------------------
// The full training run: CV → calibration → span tagger → final model.

import { codePointToUtf16Map, utf16ToCodePointMap } from '../../corpora/offsets.ts';
import { formatReliability, reliabilityTable } from '../../ml/calibrate.ts';
import { scoreSpans } from '../../eval/semeval2023/index.ts';
import type { SpanLabelRow } from '../../corpora/semeval2023/format.ts';
import { decodeSpans, SpanTagger, tokenContext, type TokenContext } from './spans.ts';
import type { TechniquesModelJSON } from './model.ts';

export interface TrainReport {
  cv: CvResult;
  reliability: ReturnType<typeof reliabilityTable>;
  spans: { tuning: { cut: number; relative: number; f1: number }[]; chosen: { cut: number; relative: number }; heldOut: ReturnType<typeof scoreSpans>; heldOutLang: string };
  body: TechniquesModelJSON;
  timings: Record<string, number>;
}

interface SpanExample {
  article: Semeval2023Article;
  itemIndex: number;
  paraStart: number;
  ctx: TokenContext;
  labels: Set<number>[];
}

function spanExamples(corpus: Corpus): SpanExample[] {
  const index = new Map(corpus.labels.map((l, i) => [l, i]));
  const byArticle = new Map<string, Semeval2023Article>();
  for (const a of corpus.articles) byArticle.set(`${a.lang}:${a.id}`, a);
  const out: SpanExample[] = [];
  corpus.items.forEach((it, i) => {
    const a = byArticle.get(it.article)!;
    const p = a.paragraphs.find((x) => x.id === it.id)!;
    const ctx = tokenContext(it.text, it.articleCounts);
    const labels = ctx.tokens.map(() => new Set<number>());
    let any = false;
    for (const s of a.spans ?? []) {
      if (s.end <= p.start || s.start >= p.end) continue;
      const l = index.get(s.technique);
      if (l === undefined) continue;
      ctx.tokens.forEach((t, k) => {
        if (p.start + t.start < s.end && p.start + t.end > s.start) {
          labels[k].add(l);
          any = true;
        }
      });
    }
    out.push({ article: a, itemIndex: i, paraStart: p.start, ctx, labels: any ? labels : labels });
  });
  return out;
}

/** Gold span rows (code points) for the given articles. */
function goldSpanRows(articles: Semeval2023Article[]): SpanLabelRow[] {
  return articles.flatMap((a) => (a.spans ?? []).map((s) => ({ article: a.id, technique: s.technique, start: s.cpStart, end: s.cpEnd })));
}

const tokenProbCache = new WeakMap<SpanTagger, Map<SpanExample, Float64Array[]>>();

function predictSpanRows(tagger: SpanTagger, examples: SpanExample[], decisions: number[][], labels: string[], cut: number, relative: number): SpanLabelRow[] {
  const rows: SpanLabelRow[] = [];
  let cache = tokenProbCache.get(tagger);
  if (!cache) tokenProbCache.set(tagger, (cache = new Map()));
  const maps = new Map<Semeval2023Article, Int32Array>();
  for (const e of examples) {
    const ls = decisions[e.itemIndex];
    if (!ls.length) continue;
    let tok = cache.get(e);
    if (!tok) cache.set(e, (tok = tagger.allTokenProbs(e.ctx)));
    let map = maps.get(e.article);
    if (!map) maps.set(e.article, (map = utf16ToCodePointMap(e.article.text)));
    for (const l of ls) {
      const p = tok!.map((z) => z[l]);
      for (const s of decodeSpans(e.article.text.slice(e.paraStart, e.paraStart + e.ctx.tokens.at(-1)!.end), e.ctx, p, labels[l], cut, relative)) {
        rows.push({ article: e.article.id, technique: labels[l], start: map[e.paraStart + s.start], end: map[e.paraStart + s.end] });
      }
    }
  }
  return rows;
}

export interface TrainOptions2 extends CvOptions {
  /** Skip the span tagger. */
  noSpans?: boolean;
}

export function trainTechniques(corpus: Corpus, opts: TrainOptions2 = {}): TrainReport {
  const log = opts.log ?? (() => {});
  const timings: Record<string, number> = {};
  const L = corpus.labels.length;
  let t = Date.now();
  const cv = crossValidate(corpus, opts);
  timings.cv = Date.now() - t;
  const gold = corpus.items.map((it) => onehot(it.y ?? [], L));

  // calibration per language from all out-of-fold scores, plus a pooled one
  const calibration: TechniquesModelJSON['calibration'] = {};
  const langs = [...new Set(corpus.items.map((i) => i.lang))];
  for (const lang of [...langs, 'all']) {
    const idx = corpus.items.map((_, i) => i).filter((i) => lang === 'all' || corpus.items[i].lang === lang);
    const c = fitCalibration(idx.map((i) => cv.oof[i]), idx.map((i) => gold[i]), L);
    calibration[lang] = { platt: c.platt, global: c.global, thresholds: c.thresholds.map((x) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null)) };
  }
  const en = corpus.items.map((_, i) => i).filter((i) => corpus.items[i].lang === 'en');
  const relIdx = en.length ? en : corpus.items.map((_, i) => i);
  const reliability = reliabilityTable(relIdx.map((i) => cv.nestedProbs[i]), relIdx.map((i) => gold[i]), 10);

  // span tagger: train on folds ≥ 2, tune on fold 0, report on fold 1 (English when present)
  let spansBody: TechniquesModelJSON['spans'] = null;
  let spansReport: TrainReport['spans'] = { tuning: [], chosen: { cut: 0.3, relative: 0.5 }, heldOut: scoreSpans([], []), heldOutLang: 'en' };
  if (!opts.noSpans) {
    t = Date.now();
    const examples = spanExamples(corpus);
    const trainEx = (pred: (e: SpanExample) => boolean) =>
      examples.filter((e) => pred(e) && e.labels.some((s) => s.size > 0)).map((e) => ({ ctx: e.ctx, labels: e.labels }));
    const evalLang = langs.includes('en') ? 'en' : langs[0];
    const tuneEx = examples.filter((e) => cv.fold[e.itemIndex] === 0 && e.article.lang === evalLang);
    const testEx = examples.filter((e) => cv.fold[e.itemIndex] === 1 && e.article.lang === evalLang);
    const tagOpts = { epochs: 3, lr: 0.1, l2: 1e-6, seed: 2, minCount: 3, maxFeatures: 40_000 };
    const heldTagger = SpanTagger.train(trainEx((e) => cv.fold[e.itemIndex] >= 2), corpus.labels, tagOpts);
    log(`span tagger (held-out) trained in ${((Date.now() - t) / 1000).toFixed(1)}s`);
    const arts = (ex: SpanExample[]) => [...new Set(ex.map((e) => e.article))];
    const tuneGold = goldSpanRows(arts(tuneEx));
    const tuning: { cut: number; relative: number; f1: number }[] = [];
    for (const cut of [0.15, 0.25, 0.35, 0.5]) {
      for (const relative of [0.3, 0.5, 0.7]) {
        const pred = predictSpanRows(heldTagger, tuneEx, cv.nestedPred, corpus.labels, cut, relative);
        const s = scoreSpans(tuneGold, pred, { articles: arts(tuneEx).map((a) => a.id) });
        tuning.push({ cut, relative, f1: s.labelled.f1 });
      }
    }
    const chosen = tuning.reduce((a, b) => (b.f1 > a.f1 ? b : a));
    const testArts = arts(testEx);
    const heldOut = scoreSpans(goldSpanRows(testArts), predictSpanRows(heldTagger, testEx, cv.nestedPred, corpus.labels, chosen.cut, chosen.relative), {
      articles: testArts.map((a) => a.id),
    });
    log(`span F1 on held-out fold (${evalLang}): identification ${heldOut.identification.f1.toFixed(4)}, with technique ${heldOut.labelled.f1.toFixed(4)}`);
    const t2 = Date.now();
    const finalTagger = SpanTagger.train(trainEx(() => true), corpus.labels, tagOpts).withThresholds(chosen.cut, chosen.relative);
    log(`span tagger (final) trained in ${((Date.now() - t2) / 1000).toFixed(1)}s`);
    spansBody = finalTagger.toJSON();
    spansReport = { tuning, chosen: { cut: chosen.cut, relative: chosen.relative }, heldOut, heldOutLang: evalLang };
    timings.spans = Date.now() - t;
  }

  t = Date.now();
  const cfg = opts.cfg ?? DEFAULT_PARAGRAPH_CONFIG;
  const trainLangs = new Set(opts.trainLangs ?? langs);
  const finalItems = corpus.items.filter((i) => trainLangs.has(i.lang));
  const final = ParagraphModel.train(finalItems, corpus.labels, cfg, finalItems.map((it) => (it.lang === 'en' ? 1 : opts.otherWeight ?? 1)));
  timings.final = Date.now() - t;
  log(`final paragraph model trained on ${finalItems.length} paragraphs in ${(timings.final / 1000).toFixed(1)}s`);
  const body: TechniquesModelJSON = { labels: corpus.labels, paragraph: final.toJSON(), calibration, spans: spansBody };
  return { cv, reliability, spans: spansReport, body, timings };
}

export { formatReliability, codePointToUtf16Map };
