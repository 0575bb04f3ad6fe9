/**
 * Session-4 experiments for the roles model (issue #10): conditional fine-role
 * models, relative polarity inside the article, grammatical side of
 * aggression cues, and entity bloc × article stance. Cross-validation on the
 * SemEval-2025 subtask-1 train set with the shipped folds (groupKFold over all
 * languages' articles, the seed given); nothing here is used by the stage.
 *
 *   node --import tsx src/stages/roles/experiment.ts [--data DIR] [--seed N] [--train en|all]
 *        [--variants base,cond,…] [--k 5]
 *
 * --train en trains on the English mentions of the training folds only and
 * scores English (fast, as the card's session-3 rows); --train all trains on
 * every language and scores each. Variants (comma-separated, each run on its
 * own; a '+' joins options into one run, e.g. bloc+stance+cond):
 *   base      the session-3 configuration (word vectors; since session 4 the shipped model is bloc+stance+lstance+artfine1, ported to side.ts and train.ts)
 *   cond      fine roles re-scored by per-main-role models trained only on
 *             mentions of that main role; decoding p(main) · p(fine | main)
 *   condn     the same with p(fine | main) normalised over the main role's fine roles
 *   condsm    the same with a softmax over the main role's fine roles
 *   condmix   p(main) · √(p(fine) · p(fine | main)) (one-vs-rest × conditional)
 *   cond2 / condmix2 / condsm2   the main role first (highest p(main)), then its best fine role by the cond / condmix / condsm score
 *   condEN    (with a cond decoding) the conditional models are trained on the fold's English mentions only
 *   ens       (--train all) English test mentions average this model's probabilities with a model trained on the English mentions only
 *   priorB    label shift: every role's probability × (its share in the mention's language / its share overall, in the training fold)^B (e.g. prior0.5)
 *   oraclemain  diagnosis: the gold main role given, the best of its fine roles (an upper bound for main-role work)
 *   artcue    the article's two most frequent cue families (data/cues-en.tsv, not war / climate / foreign)
 *   nbr       a fifth dense block: the mean word vector of the previous and the next sentence
 *   sm22 / sm22mix / sm22avg   a softmax over the 22 fine roles: its argmax / × p(main) / averaged with the one-vs-rest p(fine), × p(main)
 *   quote     inside a quotation, sentence with a quotation, the mention speaks (speech verb after it, "according to" before)
 *   tencA     target encoding of the entity string (language + lower-cased mention): its smoothed role shares in the training fold's other articles minus the overall shares, × A, 25 dense columns (cross-fitted)
 *   artfineA  an article-level model of the fine roles in the article (hashed article words), cross-fitted; its 22 probabilities minus the training shares, × A, as dense columns
 *   othA      the mean first-stage p(fine) of the article's other mentions (cross-fitted) minus its training mean, × A, 22 dense columns
 *   othgold   the gold fine roles of the article's other mentions (an upper bound, leaks the test labels)
 *   pol       context polarity (window / sentence, seed-word cosines), raw,
 *             minus the article mean, and the entity's rank in the article (binned strings)
 *   rel       first-stage p(main role) (cross-fitted in the training fold) minus the article's mean over its mentions (binned), and whether the mention has the article's highest p of each main role
 *   agt       agent / patient of aggression-type cue words by word position
 *   bloc      bloc of the entity (data/blocs-en.tsv), × domain
 *   stance    + the article's stance by cue words (data/stance-en.tsv), × bloc
 *   lstance   + the article's stance learned in-fold from the training articles' gold roles of bloc entities, × bloc
 *   gstance   the gold stance of every article × bloc (an upper bound, leaks the test labels)
 *   lang      the mention's language as a feature (a per-language bias for every role)
 *   sepA      the options' strings as columns of their own with value A (e.g. sep1) instead of hashed with the rest
 *
 * With ROLES_CONFUSION=1 in the environment, each run also prints (stderr) the
 * English fine-role confusions among mentions whose main role was right, and
 * predicted against gold counts per fine role.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MultiLabelLogReg, groupKFold, rng, shuffle, type SparseVec } from '../../ml/index.ts';
import { FINE_ROLES, MAIN_ROLES, ROLES, mainRoleOf } from '../../corpora/semeval2025/taxonomy.ts';
import { availableLanguages, loadCorpus } from '../../corpora/semeval2025/index.ts';
import { scoreRoles, type RoleRow } from '../../eval/semeval2025/index.ts';
import { loadWordVectors } from '../../models/embeddings/index.ts';
import { docTokens, firstToken, hashStrings, mentionFeatureStrings, sentenceAround, type DocTokens, type MentionContext } from './features.ts';
import { denseFromFeatures } from './dense.ts';
import { appendDense, decodeRoles, remap, ROLE_LABELS } from './model.ts';
import { DEFAULT_ROLE_CONFIG } from './train.ts';
import { blocOf, cueStance } from './side.ts';
import { sampleStd } from '../narratives/train.ts';

interface Item {
  lang: string;
  doc: string;
  row: RoleRow;
  features: string[];
  dense: Float32Array;
  ctx: MentionContext;
  dt: DocTokens;
  mention: string;
}

const isWord = (s: string) => /[\p{L}\p{N}]/u.test(s);

function dataLines(file: string): string[][] {
  return readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split('\t').map((x) => x.trim()).filter(Boolean));
}

// ---- blocs and the article's side by cue words: side.ts (the shipped word lists and functions) -----
export { blocOf, cueStance };

// ---- polarity ----------------------------------------------------------------------------------
const wv = loadWordVectors();
function centroid(words: string[]): Float32Array {
  const acc = new Float32Array(wv.dim);
  for (const w of words) {
    const id = wv.id(w);
    if (id >= 0) wv.addTo(acc, id);
  }
  let ss = 0;
  for (const x of acc) ss += x * x;
  const inv = 1 / Math.sqrt(ss || 1);
  return acc.map((x) => x * inv);
}
const POL = Object.fromEntries(dataLines('polarity-en.tsv').map(([p, ...ws]) => [p, centroid(ws)]));
const polCache = new Map<number, number>();
function wordPolarity(id: number): number {
  let p = polCache.get(id);
  if (p !== undefined) return p;
  const v = wv.vector(id);
  let a = 0;
  let b = 0;
  for (let d = 0; d < wv.dim; d++) {
    a += v[d] * POL.positive[d];
    b += v[d] * POL.negative[d];
  }
  polCache.set(id, (p = a - b));
  return p;
}
function meanPolarity(words: string[]): number | null {
  let s = 0;
  let n = 0;
  for (const w of words) {
    const id = wv.id(w);
    if (id < 100) continue;
    s += wordPolarity(id);
    n++;
  }
  return n ? s / n : null;
}

/** Left/right in-sentence window words (5 each) and the sentence words of a mention. */
function contextWords(it: Item): { left: string[]; right: string[]; sentence: string[] } {
  const { ctx, dt } = it;
  const toks = dt.tokens;
  const i0 = firstToken(toks, (t) => t.end > ctx.start);
  let i1 = i0;
  while (i1 < toks.length && toks[i1].start < ctx.end) i1++;
  const left: string[] = [];
  for (let k = i0 - 1; k >= 0 && left.length < 5; k--) {
    if (toks[k].start < ctx.sentStart) break;
    if (isWord(toks[k].text)) left.unshift(toks[k].norm);
  }
  const right: string[] = [];
  for (let k = i1; k < toks.length && right.length < 5; k++) {
    if (toks[k].start >= ctx.sentEnd) break;
    if (isWord(toks[k].text)) right.push(toks[k].norm);
  }
  const sentence: string[] = [];
  for (let k = firstToken(toks, (t) => t.start >= ctx.sentStart); k < toks.length && toks[k].start < ctx.sentEnd; k++) {
    if (toks[k].start >= ctx.start && toks[k].end <= ctx.end) continue;
    if (isWord(toks[k].text)) sentence.push(toks[k].norm);
  }
  return { left, right, sentence };
}

const zBin = (z: number) => (z < -1 ? 'vlo' : z < -0.35 ? 'lo' : z <= 0.35 ? 'mid' : z <= 1 ? 'hi' : 'vhi');

function polarityFeatures(items: Item[]): string[][] {
  const pw: (number | null)[] = [];
  const ps: (number | null)[] = [];
  for (const it of items) {
    if (it.lang !== 'EN') {
      pw.push(null);
      ps.push(null);
      continue;
    }
    const c = contextWords(it);
    pw.push(meanPolarity([...c.left, ...c.right]));
    ps.push(meanPolarity(c.sentence));
  }
  const z = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    const m = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length)) || 1;
    return xs.map((x) => (x === null ? null : (x - m) / sd));
  };
  const zw = z(pw);
  const zs = z(ps);
  // per article: centred scores and the rank of each entity string by its mean sentence polarity
  const byDoc = new Map<string, number[]>();
  items.forEach((it, i) => byDoc.set(it.doc, [...(byDoc.get(it.doc) ?? []), i]));
  const out: string[][] = items.map(() => []);
  for (const idx of byDoc.values()) {
    const mean = (zz: (number | null)[]) => {
      const v = idx.map((i) => zz[i]).filter((x): x is number => x !== null);
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
    };
    const mw = mean(zw);
    const ms = mean(zs);
    const ent = new Map<string, number[]>();
    for (const i of idx) if (zs[i] !== null) ent.set(items[i].mention, [...(ent.get(items[i].mention) ?? []), zs[i]!]);
    const entMean = [...ent].map(([e, v]) => [e, v.reduce((a, b) => a + b, 0) / v.length] as const).sort((a, b) => a[1] - b[1]);
    const rankOf = new Map(entMean.map(([e], r) => [e, entMean.length > 1 ? r / (entMean.length - 1) : 0.5]));
    for (const i of idx) {
      const f = out[i];
      if (zw[i] !== null) f.push(`pw=${zBin(zw[i]!)}`, `pwc=${zBin(zw[i]! - mw!)}`);
      if (zs[i] !== null) f.push(`ps=${zBin(zs[i]!)}`, `psc=${zBin(zs[i]! - ms!)}`);
      const r = rankOf.get(items[i].mention);
      if (r !== undefined && entMean.length > 1) f.push(`prank=${r < 0.34 ? 'low' : r > 0.66 ? 'high' : 'mid'}`, `pn=${Math.min(entMean.length, 4)}`);
    }
  }
  return out;
}

// ---- agent / patient of aggression cues ---------------------------------------------------------
const CUES = dataLines('cues-en.tsv').map(([family, ...stems]) => ({ family, stems }));
const AGG_FAMILIES = new Set(['aggression', 'harm', 'oppression', 'terror', 'deceit', 'corruption', 'plotting', 'betrayal', 'exploitation']);
const AGG = CUES.filter((c) => AGG_FAMILIES.has(c.family));
const AUX = new Set(['was', 'were', 'is', 'are', 'been', 'being', 'be', 'has', 'have', 'had', 'got', 'get']);
function aggFamily(w: string): string | null {
  for (const c of AGG) if (c.stems.some((s) => w.startsWith(s))) return c.family;
  return null;
}
function agentFeatures(it: Item): string[] {
  if (it.lang !== 'EN') return [];
  const { left, right } = contextWords(it);
  const f: string[] = [];
  const r = right.slice(0, 4);
  const passive = r.length > 0 && AUX.has(r[0]);
  for (let k = 0; k < r.length; k++) {
    const fam = aggFamily(r[k]);
    if (!fam) continue;
    f.push(passive ? `pat=${fam}` : `agt=${fam}`, passive ? 'pat' : 'agt');
    break;
  }
  const l = left.slice(-4);
  const byAgent = l.length > 0 && l[l.length - 1] === 'by';
  const against = l.length > 0 && (l[l.length - 1] === 'against' || l[l.length - 1] === 'on');
  for (let k = l.length - 1; k >= 0; k--) {
    const fam = aggFamily(l[k]);
    if (!fam) continue;
    f.push(byAgent ? `agt=${fam}` : `pat=${fam}`, byAgent ? 'agt' : 'pat');
    break;
  }
  if (against) f.push('against');
  return f;
}

// ---- loading -----------------------------------------------------------------------------------
export function loadItems(data: string, langs: string[]): Item[] {
  const items: Item[] = [];
  for (const l of loadCorpus(data, langs)) {
    const docs = new Map(l.documents.map((d) => [d.id, d]));
    const toks = new Map<string, DocTokens>();
    for (const m of l.mentions) {
      const doc = docs.get(m.docId);
      if (!doc || !m.span) continue;
      let dt = toks.get(doc.id);
      if (!dt) toks.set(doc.id, (dt = docTokens(doc.text)));
      const [sentStart, sentEnd] = sentenceAround(doc.text, m.span.start, m.span.end);
      const ctx = { text: doc.text, start: m.span.start, end: m.span.end, sentStart, sentEnd };
      const features = mentionFeatureStrings(ctx, dt);
      items.push({
        lang: l.lang,
        doc: `${l.lang}/${m.docId}`,
        row: { docId: m.docId, mention: m.mention, start: m.start, end: m.end, main: m.main, fine: m.fine },
        features,
        dense: denseFromFeatures(features),
        ctx,
        dt,
        mention: doc.text.slice(m.span.start, m.span.end).toLowerCase().replace(/\s+/g, ' ').trim(),
      });
    }
  }
  return items;
}

// ---- training ----------------------------------------------------------------------------------
interface Vectorizer {
  rows: (i: number) => SparseVec;
  nFeatures: number;
}

/** sepScale > 0: the extra strings get their own columns (value sepScale each) after the dense ones instead of joining the hashed features. */
function vectorizer(items: Item[], extra: string[][], train: number[], bits: number, sepScale = 0, extraDense: Float32Array[] | null = null): Vectorizer {
  const raw = new Map<number, SparseVec>();
  const hashed = (i: number) => {
    let r = raw.get(i);
    if (!r) raw.set(i, (r = hashStrings(extra[i].length && !sepScale ? [...items[i].features, ...extra[i]] : items[i].features, bits)));
    return r;
  };
  const sepCol = new Map<string, number>();
  if (sepScale) {
    const c = new Map<string, number>();
    for (const i of train) for (const s of new Set(extra[i])) c.set(s, (c.get(s) ?? 0) + 1);
    for (const [s, n] of [...c].sort()) if (n >= 2) sepCol.set(s, sepCol.size);
  }
  const count = new Map<number, number>();
  for (const i of train) for (const b of hashed(i).idx) count.set(b, (count.get(b) ?? 0) + 1);
  const kept = [...count].filter(([, c]) => c >= 2).map(([b]) => b).sort((a, b) => a - b);
  const col = new Map(kept.map((b, i) => [b, i]));
  const cache = new Map<number, SparseVec>();
  return {
    nFeatures: kept.length + items[0].dense.length + (extraDense?.[0].length ?? 0) + sepCol.size,
    rows: (i) => {
      let r = cache.get(i);
      if (!r) {
        let dense = items[i].dense;
        if (extraDense) {
          dense = new Float32Array(items[i].dense.length + extraDense[i].length);
          dense.set(items[i].dense);
          dense.set(extraDense[i], items[i].dense.length);
        }
        r = appendDense(remap(hashed(i), col), dense, kept.length);
        if (sepCol.size) {
          const cols = [...new Set(extra[i].map((s) => sepCol.get(s)).filter((c): c is number => c !== undefined))].sort((a, b) => a - b);
          const off = kept.length + items[0].dense.length + (extraDense?.[0].length ?? 0);
          const idx = new Int32Array(r.idx.length + cols.length);
          const val = new Float32Array(r.idx.length + cols.length);
          idx.set(r.idx);
          val.set(r.val);
          cols.forEach((c, j) => {
            idx[r!.idx.length + j] = off + c;
            val[r!.idx.length + j] = sepScale;
          });
          r = { idx, val };
        }
        cache.set(i, r);
      }
      return r;
    },
  };
}

function posWeights(y: number[][], L: number, n: number): number[] {
  const pos = new Array<number>(L).fill(0);
  for (const ys of y) for (const l of ys) pos[l]++;
  return pos.map((p) => (p > 0 ? Math.max(1, Math.sqrt((n - p) / p)) : 1));
}

function trainOvr(rows: SparseVec[], y: number[][], labels: string[], nFeatures: number, seed: number): MultiLabelLogReg {
  const c = DEFAULT_ROLE_CONFIG;
  return MultiLabelLogReg.train(rows, y, labels, nFeatures, { epochs: c.epochs, lr: c.lr, l2: c.l2, seed, posWeight: posWeights(y, labels.length, rows.length) });
}

/** Softmax regression (AdaGrad, same schedule as the one-vs-rest models); a multi-role gold spreads its target evenly. */
class Softmax {
  constructor(readonly L: number, readonly w: Float32Array, readonly b: Float64Array) {}
  static train(rows: SparseVec[], y: number[][], L: number, nFeatures: number, seed: number): Softmax {
    const c = DEFAULT_ROLE_CONFIG;
    const w = new Float32Array(nFeatures * L);
    const b = new Float64Array(L);
    const gw = new Float32Array(w.length).fill(1e-6);
    const gb = new Float64Array(L).fill(1e-6);
    const rand = rng(seed);
    const order = rows.map((_, i) => i);
    const z = new Float64Array(L);
    for (let ep = 0; ep < c.epochs; ep++) {
      shuffle(order, rand);
      for (const i of order) {
        const { idx, val } = rows[i];
        for (let l = 0; l < L; l++) z[l] = b[l];
        for (let k = 0; k < idx.length; k++) for (let l = 0; l < L; l++) z[l] += w[idx[k] * L + l] * val[k];
        let mx = -Infinity;
        for (let l = 0; l < L; l++) mx = Math.max(mx, z[l]);
        let s = 0;
        for (let l = 0; l < L; l++) s += (z[l] = Math.exp(z[l] - mx));
        for (let l = 0; l < L; l++) z[l] = z[l] / s - (y[i].includes(l) ? 1 / y[i].length : 0);
        for (let l = 0; l < L; l++) {
          gb[l] += z[l] * z[l];
          b[l] -= (c.lr / Math.sqrt(gb[l])) * z[l];
        }
        for (let k = 0; k < idx.length; k++) {
          for (let l = 0; l < L; l++) {
            const j = idx[k] * L + l;
            const g = z[l] * val[k] + c.l2 * w[j];
            gw[j] += g * g;
            w[j] -= (c.lr / Math.sqrt(gw[j])) * g;
          }
        }
      }
    }
    return new Softmax(L, w, b);
  }
  proba(row: SparseVec): number[] {
    const z = Array.from(this.b);
    for (let k = 0; k < row.idx.length; k++) for (let l = 0; l < this.L; l++) z[l] += this.w[row.idx[k] * this.L + l] * row.val[k];
    const mx = Math.max(...z);
    const e = z.map((x) => Math.exp(x - mx));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
  }
}

/** In-fold article stance from gold: +1 per bloc-ru Antagonist or bloc-west Protagonist (the article is against Russia), −1 the other way. */
export function goldStance(items: Item[], idx: number[]): Map<string, string> {
  const s = new Map<string, number>();
  for (const i of idx) {
    const it = items[i];
    const b = blocOf(it.mention);
    if (b !== 'ru' && b !== 'west') continue;
    const sign = it.row.main === 'Antagonist' ? 1 : it.row.main === 'Protagonist' ? -1 : 0;
    s.set(it.doc, (s.get(it.doc) ?? 0) + (b === 'ru' ? sign : -sign));
  }
  return new Map([...s].map(([d, v]) => [d, v > 0 ? 'antiru' : v < 0 ? 'antiwest' : 'none']));
}

/** Article-level classifier of the gold stance (hashed article words), trained on `train` articles. */
export function stanceModel(items: Item[], trainDocs: string[], label: Map<string, string>, seed: number): (doc: string) => string {
  const docText = new Map<string, DocTokens>();
  for (const it of items) docText.set(it.doc, it.dt);
  const labels = ['antiru', 'antiwest'];
  const docs = trainDocs.filter((d) => label.get(d) === 'antiru' || label.get(d) === 'antiwest');
  const vec = (d: string) => hashStrings(docText.get(d)!.tokens.filter((t) => isWord(t.text)).map((t) => `w=${t.norm}`), 16);
  const model = MultiLabelLogReg.train(docs.map(vec), docs.map((d) => [labels.indexOf(label.get(d)!)]), labels, 1 << 16, { epochs: 10, lr: 0.2, l2: 1e-4, seed });
  return (d) => {
    const p = model.proba(vec(d));
    return p[0] > p[1] + 0.2 ? 'antiru' : p[1] > p[0] + 0.2 ? 'antiwest' : 'unsure';
  };
}

function run(items: Item[], opts: Set<string>, seed: number, trainLangs: 'en' | 'all', k: number): Map<string, { emr: number[]; acc: number[]; pooled: number }> {
  const fold = groupKFold(items.map((it) => it.doc), k, seed);
  const pred: RoleRow[] = new Array(items.length);
  const base: string[][] = items.map(() => []);
  if (opts.has('pol')) polarityFeatures(items).forEach((f, i) => base[i].push(...f));
  if (opts.has('artcue')) {
    // the article's two most frequent cue families (besides the domain ones), as a topic of the article
    const topOf = new Map<string, string[]>();
    items.forEach((it, i) => {
      let top = topOf.get(it.doc);
      if (!top) {
        const c = new Map<string, number>();
        for (const t of it.dt.tokens) for (const cue of CUES) if (!['war', 'climate', 'foreign'].includes(cue.family) && cue.stems.some((st) => t.norm.startsWith(st))) c.set(cue.family, (c.get(cue.family) ?? 0) + 1);
        top = [...c].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 2).map(([f]) => f);
        topOf.set(it.doc, top);
      }
      for (const f of top) base[i].push(`acf=${f}`);
    });
  }
  if (opts.has('nbr')) {
    // previous and next sentence: one mean word-vector block (skipping the 100 most frequent forms), appended to the dense columns
    items.forEach((it) => {
      const { text, sentStart, sentEnd } = it.ctx;
      const [ps] = sentStart > 0 ? sentenceAround(text, Math.max(0, sentStart - 2), Math.max(0, sentStart - 2)) : [sentStart];
      const [, ne] = sentEnd < text.length ? sentenceAround(text, Math.min(text.length, sentEnd + 1), Math.min(text.length, sentEnd + 1)) : [0, sentEnd];
      const acc = new Float32Array(wv.dim);
      let n = 0;
      for (const t of it.dt.tokens) {
        if (t.start < ps || t.start >= ne || (t.start >= sentStart && t.start < sentEnd)) continue;
        const id = wv.id(t.norm);
        if (id < 100) continue;
        wv.addTo(acc, id);
        n++;
      }
      let ss = 0;
      for (const x of acc) ss += x * x;
      const inv = n && ss > 0 ? 1 / Math.sqrt(ss) : 0;
      const d = new Float32Array(it.dense.length + wv.dim);
      d.set(it.dense);
      for (let j = 0; j < wv.dim; j++) d[it.dense.length + j] = acc[j] * inv;
      it.dense = d;
    });
  }
  if (opts.has('quote')) {
    // inside a quotation (an odd number of quotation marks since the line start), the sentence holds a quotation, the mention speaks (a speech verb right after it or "according to" before it)
    const SAY = /^(said|says|say|told|tells|stated|states|noted|notes|added|adds|claimed|claims|argued|argues|wrote|writes|explained|explains|warned|warns|stressed|insisted|believes|thinks)$/;
    items.forEach((it, i) => {
      if (it.lang !== 'EN') return;
      const { text, start, sentStart, sentEnd } = it.ctx;
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      const before = text.slice(lineStart, start);
      const marks = (before.match(/["“”]/g) ?? []).length;
      if (marks % 2 === 1) base[i].push('inquote');
      if (/["“”]/.test(text.slice(sentStart, sentEnd))) base[i].push('sentquote');
      const c = contextWords(it);
      if (c.right.slice(0, 2).some((w) => SAY.test(w)) || c.left.slice(-3).join(' ') === 'according to' || c.left.slice(-2).join(' ') === 'according to') base[i].push('speaks');
    });
  }
  if (opts.has('othgold')) {
    // an upper bound, leaks test labels: the gold fine roles of the article's other mentions
    const byDoc = new Map<string, number[]>();
    items.forEach((it, i) => byDoc.set(it.doc, [...(byDoc.get(it.doc) ?? []), i]));
    for (const idx of byDoc.values()) for (const i of idx) for (const j of idx) if (j !== i) for (const r of items[j].row.fine) base[i].push(`og=${r}`);
  }
  if (opts.has('lang')) items.forEach((it, i) => base[i].push(`lang=${it.lang}`));
  if (opts.has('agt')) items.forEach((it, i) => base[i].push(...agentFeatures(it)));
  const cueSt = new Map<string, string>();
  if (opts.has('bloc') || opts.has('stance') || opts.has('lstance')) {
    items.forEach((it, i) => {
      if (it.lang !== 'EN') return;
      const b = blocOf(it.mention);
      const dom = it.features.find((f) => f.startsWith('dom='))!.slice(4);
      if (b) base[i].push(`bloc=${b}`, `bloc=${b}|${dom}`);
      if (opts.has('stance')) {
        let st = cueSt.get(it.doc);
        if (!st) cueSt.set(it.doc, (st = cueStance(it.dt)));
        base[i].push(`st=${st}`, `st=${st}|bloc=${b ?? 'none'}`);
      }
    });
  }
  for (let f = 0; f < k; f++) {
    const train = items.map((_, i) => i).filter((i) => fold[i] !== f && (trainLangs === 'all' || items[i].lang === 'EN'));
    const test = items.map((_, i) => i).filter((i) => fold[i] === f && (trainLangs === 'all' || items[i].lang === 'EN'));
    const extra = base.map((b) => b.slice());
    if (opts.has('gstance')) {
      // an upper bound: the gold stance of every article (test folds included)
      const gold = goldStance(items, items.map((_, i) => i));
      for (const i of [...train, ...test]) {
        const st = gold.get(items[i].doc) ?? 'none';
        if (items[i].lang !== 'EN') continue;
        const b = blocOf(items[i].mention) ?? 'none';
        extra[i].push(`gst=${st}`, `gst=${st}|bloc=${b}`);
      }
    }
    if (opts.has('lstance')) {
      // test articles: the stance model of all training articles; training articles: cross-fitted over 5 inner folds
      const trainDocs = [...new Set(train.map((i) => items[i].doc))].filter((d) => d.startsWith('EN/'));
      const gold = goldStance(items, train);
      const inner = groupKFold(trainDocs, 5, seed + 100);
      const stOf = new Map<string, string>();
      for (let g = 0; g < 5; g++) {
        const m = stanceModel(items, trainDocs.filter((_, j) => inner[j] !== g), gold, seed);
        trainDocs.forEach((d, j) => inner[j] === g && stOf.set(d, m(d)));
      }
      const full = stanceModel(items, trainDocs, gold, seed);
      for (const i of test) if (items[i].lang === 'EN') stOf.set(items[i].doc, full(items[i].doc));
      for (const i of [...train, ...test]) {
        const st = stOf.get(items[i].doc);
        if (!st) continue;
        const b = blocOf(items[i].mention) ?? 'none';
        extra[i].push(`lst=${st}`, `lst=${st}|bloc=${b}`);
      }
    }
    if (opts.has('rel')) {
      // first-stage main-role probabilities: cross-fitted over 5 inner folds for the training mentions, the whole training fold's model for the test mentions
      const pMain = new Map<number, number[]>();
      const firstStage = (tr: number[], apply: number[]) => {
        const v = vectorizer(items, base, tr, DEFAULT_ROLE_CONFIG.bits);
        const yy = tr.map((i) => [MAIN_ROLES.indexOf(items[i].row.main)]);
        const m = trainOvr(tr.map(v.rows), yy, [...MAIN_ROLES], v.nFeatures, seed);
        for (const i of apply) {
          const q = Array.from(m.proba(v.rows(i)));
          const z = q.reduce((a, b) => a + b, 0);
          pMain.set(i, q.map((x) => x / z));
        }
      };
      const inner = groupKFold(train.map((i) => items[i].doc), 5, seed + 100);
      for (let g = 0; g < 5; g++) firstStage(train.filter((_, j) => inner[j] !== g), train.filter((_, j) => inner[j] === g));
      firstStage(train, test);
      const byDoc = new Map<string, number[]>();
      for (const i of [...train, ...test]) byDoc.set(items[i].doc, [...(byDoc.get(items[i].doc) ?? []), i]);
      const relBin = (d: number) => (d < -0.25 ? 'vlo' : d < -0.08 ? 'lo' : d <= 0.08 ? 'mid' : d <= 0.25 ? 'hi' : 'vhi');
      for (const idx of byDoc.values()) {
        if (idx.length < 2) {
          for (const i of idx) extra[i].push('rel=alone');
          continue;
        }
        for (let m = 0; m < MAIN_ROLES.length; m++) {
          const mean = idx.reduce((a, i) => a + pMain.get(i)![m], 0) / idx.length;
          const top = idx.reduce((b, i) => (pMain.get(i)![m] > pMain.get(b)![m] ? i : b), idx[0]);
          for (const i of idx) {
            extra[i].push(`rel${m}=${relBin(pMain.get(i)![m] - mean)}`);
            if (i === top) extra[i].push(`top${m}`);
          }
        }
      }
    }
    // tencA: target encoding of the entity string: its smoothed role shares among training mentions of other articles minus the overall shares, × A, as 25 dense columns (cross-fitted over 5 inner folds for training mentions)
    const tenc = [...opts].find((o) => o.startsWith('tenc'));
    let extraDense: Float32Array[] | null = null;
    if (tenc) {
      const scale = Number(tenc.slice(4)) || 1;
      const key = (i: number) => {
        const b = items[i].mention.replace(/^the /, '').replace(/['’]s$/, '');
        return `${items[i].lang}|${b}`;
      };
      const labelsOf = (i: number) => [MAIN_ROLES.indexOf(items[i].row.main), ...items[i].row.fine.map((r) => MAIN_ROLES.length + FINE_ROLES.indexOf(r))].filter((l) => l >= 0);
      const L = ROLE_LABELS.length;
      extraDense = items.map(() => new Float32Array(L));
      const encode = (from: number[], to: number[]) => {
        const prior = new Float64Array(L);
        for (const i of from) for (const l of labelsOf(i)) prior[l] += 1 / from.length;
        const stats = new Map<string, { n: number; c: Float64Array }>();
        for (const i of from) {
          const k = key(i);
          let st = stats.get(k);
          if (!st) stats.set(k, (st = { n: 0, c: new Float64Array(L) }));
          st.n++;
          for (const l of labelsOf(i)) st.c[l]++;
        }
        const alpha = 2;
        for (const i of to) {
          const st = stats.get(key(i));
          if (!st) continue;
          for (let l = 0; l < L; l++) extraDense![i][l] = (scale * ((st.c[l] + alpha * prior[l]) / (st.n + alpha) - prior[l]));
        }
      };
      const inner = groupKFold(train.map((i) => items[i].doc), 5, seed + 100);
      for (let g = 0; g < 5; g++) encode(train.filter((_, j) => inner[j] !== g), train.filter((_, j) => inner[j] === g));
      encode(train, test);
    }
    // artfineA: an article-level model (hashed words of the whole article) of the set of fine roles of its mentions, trained on the
    // training fold's articles (cross-fitted over 5 inner folds for the training mentions); its 22 probabilities minus their training
    // shares, × A, as dense columns of every mention of the article
    const artfine = [...opts].find((o) => o.startsWith('artfine'));
    if (artfine) {
      const scale = Number(artfine.slice(7)) || 1;
      const nm = MAIN_ROLES.length;
      const F = FINE_ROLES.length;
      const block = items.map(() => new Float32Array(F));
      const docTok = new Map<string, DocTokens>();
      const docFine = new Map<string, Set<number>>();
      for (const i of train) {
        docTok.set(items[i].doc, items[i].dt);
        const set = docFine.get(items[i].doc) ?? new Set<number>();
        for (const r of items[i].row.fine) if (FINE_ROLES.indexOf(r) >= 0) set.add(FINE_ROLES.indexOf(r));
        docFine.set(items[i].doc, set);
      }
      for (const i of test) docTok.set(items[i].doc, items[i].dt);
      const vecCache = new Map<string, SparseVec>();
      const vec = (d: string) => {
        let v = vecCache.get(d);
        if (!v) vecCache.set(d, (v = hashStrings(docTok.get(d)!.tokens.filter((t) => isWord(t.text)).map((t) => `w=${t.norm}`), 18)));
        return v;
      };
      const fit = (docs: string[], apply: string[]) => {
        const y = docs.map((d) => [...docFine.get(d)!]);
        const pos = new Array<number>(F).fill(0);
        for (const ys of y) for (const l of ys) pos[l]++;
        const m = MultiLabelLogReg.train(docs.map(vec), y, [...FINE_ROLES], 1 << 18, { epochs: 10, lr: 0.2, l2: 1e-4, seed, posWeight: pos.map((c) => (c > 0 ? Math.max(1, Math.sqrt((docs.length - c) / c)) : 1)) });
        const share = pos.map((c) => c / docs.length);
        const out = new Map<string, Float32Array>();
        for (const d of apply) out.set(d, Float32Array.from(m.proba(vec(d)), (p, l) => scale * (p - share[l])));
        return out;
      };
      const trainDocs = [...docFine.keys()];
      const inner = groupKFold(trainDocs, 5, seed + 100);
      const got = new Map<string, Float32Array>();
      for (let g = 0; g < 5; g++) for (const [d, v] of fit(trainDocs.filter((_, j) => inner[j] !== g), trainDocs.filter((_, j) => inner[j] === g))) got.set(d, v);
      for (const [d, v] of fit(trainDocs, [...new Set(test.map((i) => items[i].doc))])) got.set(d, v);
      for (const i of [...train, ...test]) block[i].set(got.get(items[i].doc)!);
      extraDense = extraDense ? extraDense.map((b, i) => { const c = new Float32Array(b.length + F); c.set(b); c.set(block[i], b.length); return c; }) : block;
      void nm;
    }
    // othA: the mean first-stage p(fine) (cross-fitted over 5 inner folds for training mentions) of the article's other mentions,
    // minus the mean over all training mentions, × A, as 22 dense columns (zero when the mention is alone in its article)
    const oth = [...opts].find((o) => o.startsWith('oth'));
    if (oth) {
      const scale = Number(oth.slice(3)) || 1;
      const nm = MAIN_ROLES.length;
      const F = FINE_ROLES.length;
      const pf = new Map<number, Float64Array>();
      const firstStage = (tr: number[], apply: number[]) => {
        const v = vectorizer(items, base, tr, DEFAULT_ROLE_CONFIG.bits);
        const yy = tr.map((i) => [MAIN_ROLES.indexOf(items[i].row.main), ...items[i].row.fine.map((r) => nm + FINE_ROLES.indexOf(r))].filter((l) => l >= 0));
        const m = trainOvr(tr.map(v.rows), yy, ROLE_LABELS, v.nFeatures, seed);
        for (const i of apply) pf.set(i, m.proba(v.rows(i)).slice(nm));
      };
      const inner = groupKFold(train.map((i) => items[i].doc), 5, seed + 100);
      for (let g = 0; g < 5; g++) firstStage(train.filter((_, j) => inner[j] !== g), train.filter((_, j) => inner[j] === g));
      firstStage(train, test);
      const avg = new Float64Array(F);
      for (const i of train) for (let l = 0; l < F; l++) avg[l] += pf.get(i)![l] / train.length;
      const byDoc = new Map<string, number[]>();
      for (const i of [...train, ...test]) byDoc.set(items[i].doc, [...(byDoc.get(items[i].doc) ?? []), i]);
      const block = items.map(() => new Float32Array(F));
      for (const idx of byDoc.values()) {
        if (idx.length < 2) continue;
        for (const i of idx) {
          for (let l = 0; l < F; l++) {
            let s = 0;
            for (const j of idx) if (j !== i) s += pf.get(j)![l];
            block[i][l] = scale * (s / (idx.length - 1) - avg[l]);
          }
        }
      }
      extraDense = extraDense ? extraDense.map((b, i) => { const c = new Float32Array(b.length + F); c.set(b); c.set(block[i], b.length); return c; }) : block;
    }
    const sep = [...opts].find((o) => o.startsWith('sep'));
    const vz = vectorizer(items, extra, train, DEFAULT_ROLE_CONFIG.bits, sep ? Number(sep.slice(3)) : 0, extraDense);
    const rows = train.map(vz.rows);
    const y = train.map((i) => [MAIN_ROLES.indexOf(items[i].row.main), ...items[i].row.fine.map((r) => MAIN_ROLES.length + FINE_ROLES.indexOf(r))].filter((l) => l >= 0));
    const clf = trainOvr(rows, y, ROLE_LABELS, vz.nFeatures, seed);
    // ens: English test mentions average the probabilities of this model and one trained on the fold's English mentions only
    const enModel = opts.has('ens') && trainLangs === 'all' ? (() => {
      const tr = train.filter((i) => items[i].lang === 'EN');
      return trainOvr(tr.map(vz.rows), tr.map((i) => y[train.indexOf(i)]), ROLE_LABELS, vz.nFeatures, seed);
    })() : null;
    const condKind = ['cond', 'condn', 'condsm', 'condmix', 'cond2', 'condmix2', 'condsm2'].find((c) => opts.has(c));
    const cond = new Map<string, { ovr?: MultiLabelLogReg; sm?: Softmax }>();
    if (condKind) {
      for (const m of MAIN_ROLES) {
        const fines = ROLES[m];
        const sub = train.filter((i) => items[i].row.main === m && (!opts.has('condEN') || items[i].lang === 'EN'));
        const ys = sub.map((i) => items[i].row.fine.map((r) => fines.indexOf(r)).filter((l) => l >= 0));
        const keep = sub.map((_, j) => ys[j].length > 0);
        const r = sub.filter((_, j) => keep[j]).map(vz.rows);
        const yy = ys.filter((_, j) => keep[j]);
        cond.set(m, condKind.startsWith('condsm') ? { sm: Softmax.train(r, yy, fines.length, vz.nFeatures, seed) } : { ovr: trainOvr(r, yy, [...fines], vz.nFeatures, seed) });
      }
    }
    // sm22: a softmax over the 22 fine roles (all training mentions); sm22 alone decodes its argmax, sm22mix multiplies by p(main) of the one-vs-rest model, sm22avg averages it with the one-vs-rest fine probabilities
    const smKind = ['sm22', 'sm22mix', 'sm22avg'].filter((o) => opts.has(o)).pop();
    const sm22 = smKind ? Softmax.train(rows, y.map((ys) => ys.filter((l) => l >= MAIN_ROLES.length).map((l) => l - MAIN_ROLES.length)), FINE_ROLES.length, vz.nFeatures, seed) : null;
    // priorB: label-shift correction, each role's probability × (its share among the test mention's language's training mentions / its share among all training mentions)^B
    const priorOpt = [...opts].find((o) => o.startsWith('prior'));
    const shift = new Map<string, Float64Array>();
    if (priorOpt) {
      const beta = Number(priorOpt.slice(5));
      const share = (idx: number[]) => {
        const c = new Float64Array(ROLE_LABELS.length).fill(0.5);
        for (const i of idx) for (const l of y[train.indexOf(i)]) c[l]++;
        const nm = MAIN_ROLES.length;
        const zm = c.slice(0, nm).reduce((a, b) => a + b, 0);
        const zf = c.slice(nm).reduce((a, b) => a + b, 0);
        return c.map((x, l) => x / (l < nm ? zm : zf));
      };
      const all = share(train);
      for (const l of new Set(test.map((i) => items[i].lang))) {
        const sl = share(train.filter((i) => items[i].lang === l));
        shift.set(l, sl.map((x, j) => (x / all[j]) ** beta));
      }
    }
    for (const i of test) {
      const row = vz.rows(i);
      const p = clf.proba(row);
      const sh = shift.get(items[i].lang);
      if (sh) for (let l = 0; l < p.length; l++) p[l] *= sh[l];
      if (enModel && items[i].lang === 'EN') {
        const q = enModel.proba(row);
        for (let l = 0; l < p.length; l++) p[l] = (p[l] + q[l]) / 2;
      }
      let main: string;
      let fine: string;
      if (sm22) {
        const q = sm22.proba(row);
        let z = 0;
        for (let m = 0; m < MAIN_ROLES.length; m++) z += p[m];
        let best = -1;
        main = fine = '';
        FINE_ROLES.forEach((r, j) => {
          const pm = p[MAIN_ROLES.indexOf(mainRoleOf(r)!)] / z;
          const sc = smKind === 'sm22' ? q[j] : smKind === 'sm22mix' ? pm * q[j] : pm * (q[j] + p[MAIN_ROLES.length + j]) / 2;
          if (sc > best) {
            best = sc;
            fine = r;
            main = mainRoleOf(r)!;
          }
        });
      } else if (opts.has('oraclemain')) {
        // diagnosis only: the gold main role given, its fine role with the highest p
        main = items[i].row.main;
        const fines = ROLES[main];
        fine = fines.reduce((b, r) => (p[MAIN_ROLES.length + FINE_ROLES.indexOf(r)] > p[MAIN_ROLES.length + FINE_ROLES.indexOf(b)] ? r : b), fines[0]);
      } else if (!condKind) {
        const d = decodeRoles(p);
        main = d.main;
        fine = d.fine;
      } else {
        let z = 0;
        for (let m = 0; m < MAIN_ROLES.length; m++) z += p[m];
        let best = -1;
        main = fine = '';
        // two-step decodings: the main role with the highest probability, then its best fine role
        const argMain = MAIN_ROLES.reduce((b, _, mi) => (p[mi] > p[b] ? mi : b), 0);
        const twoStep = condKind.endsWith('2');
        MAIN_ROLES.forEach((m, mi) => {
          if (twoStep && mi !== argMain) return;
          const pm = p[mi] / z;
          const c = cond.get(m)!;
          const fines = ROLES[m];
          let pc: number[] = c.sm ? c.sm.proba(row) : Array.from(c.ovr!.proba(row));
          if (condKind === 'condn') {
            const s = pc.reduce((a, b) => a + b, 0);
            pc = pc.map((x) => x / s);
          }
          fines.forEach((r, j) => {
            const s = condKind.startsWith('condmix') ? pm * Math.sqrt(p[MAIN_ROLES.length + FINE_ROLES.indexOf(r)] * pc[j]) : pm * pc[j];
            if (s > best) {
              best = s;
              main = m;
              fine = r;
            }
          });
        });
      }
      pred[i] = { ...items[i].row, main, fine: [fine] };
    }
  }
  if (process.env.ROLES_CONFUSION) {
    const conf = new Map<string, number>();
    const predCount = new Map<string, number>();
    const goldCount = new Map<string, number>();
    items.forEach((it, i) => {
      if (it.lang !== 'EN' || !pred[i]) return;
      predCount.set(pred[i].fine[0], (predCount.get(pred[i].fine[0]) ?? 0) + 1);
      for (const g of it.row.fine) goldCount.set(g, (goldCount.get(g) ?? 0) + 1);
      if (pred[i].main !== it.row.main) return;
      const key = `${it.row.fine.join('+')} -> ${pred[i].fine[0]}`;
      conf.set(key, (conf.get(key) ?? 0) + 1);
    });
    console.error([...conf].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${v}\t${k}`).join('\n'));
    console.error('predicted vs gold counts:', FINE_ROLES.map((r) => `${r} ${predCount.get(r) ?? 0}/${goldCount.get(r) ?? 0}`).join(', '));
  }
  const out = new Map<string, { emr: number[]; acc: number[]; pooled: number }>();
  const langs = trainLangs === 'en' ? ['EN'] : [...new Set(items.map((it) => it.lang))].sort().concat('all');
  for (const l of langs) {
    const idx = items.map((_, i) => i).filter((i) => l === 'all' || items[i].lang === l);
    const emr: number[] = [];
    const acc: number[] = [];
    for (let f = 0; f < k; f++) {
      const fi = idx.filter((i) => fold[i] === f);
      if (!fi.length) continue;
      const s = scoreRoles(fi.map((i) => items[i].row), fi.map((i) => pred[i]));
      emr.push(s.emr);
      acc.push(s.mainAccuracy);
    }
    out.set(l, { emr, acc, pooled: scoreRoles(idx.map((i) => items[i].row), idx.map((i) => pred[i])).emr });
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const arg = (name: string, def: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  let data = resolve(arg('data', '../shared/corpora/semeval2025-task10'));
  if (existsSync(join(data, 'semeval2025-task10'))) data = join(data, 'semeval2025-task10');
  const seed = Number(arg('seed', '11'));
  const trainLangs = arg('train', 'en') as 'en' | 'all';
  const k = Number(arg('k', '5'));
  const variants = arg('variants', 'base').split(',');
  const t0 = Date.now();
  const items = loadItems(data, availableLanguages(data));
  const en = items.filter((it) => it.lang === 'EN');
  const covered = en.filter((it) => blocOf(it.mention)).length;
  console.error(`${items.length} mentions loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s; bloc list covers ${covered}/${en.length} English mentions`);
  for (const v of variants) {
    const t = Date.now();
    const dense = items.map((it) => it.dense);
    const res = run(items, new Set(v.split('+')), seed, trainLangs, k);
    items.forEach((it, i) => (it.dense = dense[i]));
    const cells = [...res].map(([l, r]) => {
      const e = sampleStd(r.emr);
      return `${l} ${e.mean.toFixed(3)} ± ${e.std.toFixed(3)} (main ${sampleStd(r.acc).mean.toFixed(3)})`;
    });
    console.log(`seed ${seed} train ${trainLangs} ${v}: ${cells.join(' | ')}  [${((Date.now() - t) / 1000).toFixed(0)} s]`);
  }
}
