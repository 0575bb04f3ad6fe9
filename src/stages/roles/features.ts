/**
 * Features of one entity mention for the roles model: the mention string and
 * its tokens, up to 10 tokens either side (side-marked, plus bigrams), the
 * words of its sentence, how many window words lie in the sentence, and
 * counts of cue-word families (data/cues-en.tsv) in the window and the
 * sentence. Each feature string is hashed (FNV-1a) into
 * 2^bits buckets; values are log counts, L2-normalised.
 */
import { readFileSync } from 'node:fs';
import { fnv, tokenizeWithOffsets, type SparseVec } from '../../ml/index.ts';

const WINDOW = 10;

function loadCues(): { family: string; stems: string[] }[] {
  return readFileSync(new URL('./data/cues-en.tsv', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [family, ...stems] = l.split('\t').map((x) => x.trim()).filter(Boolean);
      return { family, stems };
    });
}
const CUES = loadCues();
const WAR = CUES.findIndex((c) => c.family === 'war');
const CLIMATE = CUES.findIndex((c) => c.family === 'climate');

/** Indices into CUES of the families whose stems start `word`, cached per word (the same words recur across articles). */
const cueCache = new Map<string, readonly number[]>();
const NO_CUES: readonly number[] = [];
function cueIndices(word: string): readonly number[] {
  let out = cueCache.get(word);
  if (out) return out;
  let found: number[] | null = null;
  for (let i = 0; i < CUES.length; i++) if (CUES[i].stems.some((s) => word.startsWith(s))) (found ??= []).push(i);
  out = found ?? NO_CUES;
  if (cueCache.size >= 100_000) cueCache.clear();
  cueCache.set(word, out);
  return out;
}

function cueFamilies(word: string): string[] {
  return cueIndices(word).map((i) => CUES[i].family);
}

export interface MentionContext {
  /** The whole document text. */
  text: string;
  /** The mention, half-open. */
  start: number;
  end: number;
  /** The sentence around the mention, half-open. */
  sentStart: number;
  sentEnd: number;
}

export interface DocTokens {
  tokens: { text: string; start: number; end: number; norm: string }[];
  /** Cached per article: 'war', 'climate' or 'none' (see articleDomain). */
  domain?: string;
  /** Cached per article: occurrences of each lower-cased mention string. */
  counts?: Map<string, number>;
  /** Cached per article: per-token work for mentionFeatureHashes (see prepare). */
  prep?: Prepared;
}

function countOccurrences(hay: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** The article's domain by the cue families 'war' and 'climate' (data/cues-en.tsv), more hits wins. */
export function articleDomain(doc: DocTokens): string {
  let war = 0;
  let climate = 0;
  for (const t of doc.tokens) {
    const fams = cueIndices(t.norm);
    if (fams.includes(WAR)) war++;
    if (fams.includes(CLIMATE)) climate++;
  }
  return war === 0 && climate === 0 ? 'none' : war >= climate ? 'war' : 'climate';
}

export function docTokens(text: string): DocTokens {
  return {
    tokens: tokenizeWithOffsets(text).map((t) => {
      const l = t.text.toLowerCase();
      return { text: t.text, start: t.start, end: t.end, norm: l.indexOf('’') >= 0 ? l.replace(/’/g, "'") : l };
    }),
  };
}

/** Index of the first item for which `past` holds (`past` must be false then true along the array), or the length. */
export function firstToken<T>(toks: readonly T[], past: (t: T) => boolean): number {
  let lo = 0;
  let hi = toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (past(toks[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const isWord = (s: string) => /[\p{L}\p{N}]/u.test(s);

/** The mention string the features use (`e=`): lower-cased, whitespace collapsed, trimmed. */
export function mentionString(ctx: MentionContext): string {
  return ctx.text.slice(ctx.start, ctx.end).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Feature strings of one mention (exposed for tests and inspection). */
export function mentionFeatureStrings(ctx: MentionContext, doc: DocTokens): string[] {
  const f: string[] = [];
  const toks = doc.tokens;
  const mention = mentionString(ctx);
  f.push(`e=${mention}`);
  // first token index at or after the mention start, and after its end
  // binary search (tokens are in text order): a linear scan per mention made long articles quadratic
  const i0 = firstToken(toks, (t) => t.end > ctx.start);
  let i1 = i0;
  while (i1 < toks.length && toks[i1].start < ctx.end) {
    f.push(`et=${toks[i1].norm}`);
    i1++;
  }
  const left = toks.slice(Math.max(0, i0 - WINDOW), i0).filter((t) => isWord(t.text));
  const right = toks.slice(i1, i1 + WINDOW * 2).filter((t) => isWord(t.text)).slice(0, WINDOW);
  left.forEach((t, k) => {
    f.push(`l=${t.norm}`);
    if (k > 0) f.push(`l2=${left[k - 1].norm}_${t.norm}`);
    for (const c of cueFamilies(t.norm)) f.push(`cw=${c}`, `cl=${c}`);
  });
  if (left.length) f.push(`l1=${left[left.length - 1].norm}`);
  right.forEach((t, k) => {
    f.push(`r=${t.norm}`);
    if (k > 0) f.push(`r2=${right[k - 1].norm}_${t.norm}`);
    for (const c of cueFamilies(t.norm)) f.push(`cw=${c}`, `cr=${c}`);
  });
  if (right.length) f.push(`r1=${right[0].norm}`);
  // how many of the window words lie in the mention's sentence (dense.ts reads its context windows from these)
  f.push(`ls=${left.filter((t) => t.start >= ctx.sentStart).length}`, `rs=${right.filter((t) => t.start < ctx.sentEnd).length}`);
  for (let k = firstToken(toks, (t) => t.start >= ctx.sentStart); k < toks.length; k++) {
    const t = toks[k];
    if (t.start >= ctx.sentEnd) break;
    if (t.start >= ctx.start && t.end <= ctx.end) continue;
    if (!isWord(t.text)) continue;
    f.push(`s=${t.norm}`);
    for (const c of cueFamilies(t.norm)) f.push(`cs=${c}`, `ce=${c}|${mention}`);
  }
  // article-level context: its domain by cue words, whether the mention is in the title line, how often it recurs
  const dom = doc.domain ?? (doc.domain = articleDomain(doc));
  f.push(`dom=${dom}`, `ed=${mention}|${dom}`);
  const firstBreak = ctx.text.indexOf('\n');
  if (firstBreak < 0 || ctx.start < firstBreak) f.push('in-title');
  const n = doc.counts?.get(mention) ?? (doc.counts ??= new Map()).set(mention, countOccurrences(ctx.text.toLowerCase(), mention)).get(mention)!;
  f.push(`freq=${n <= 1 ? 1 : n <= 3 ? 2 : n <= 6 ? 3 : 4}`);
  // position in the article (first tenth, first half, later)
  const pos = ctx.start / Math.max(1, ctx.text.length);
  f.push(`pos=${pos < 0.1 ? 0 : pos < 0.5 ? 1 : 2}`);
  return f;
}

export function hashStrings(fs: string[], bits: number): SparseVec {
  return hashNumbers(fs.map((s) => fnv(s)), bits);
}

/** hashStrings from the strings' FNV-1a hashes: buckets ascending, values 1 + log count, L2-normalised. */
export function hashNumbers(hashes: ArrayLike<number>, bits: number): SparseVec {
  const mask = (1 << bits) - 1;
  const b = new Int32Array(hashes.length);
  for (let i = 0; i < b.length; i++) b[i] = hashes[i] & mask;
  b.sort();
  let n = 0;
  for (let i = 0; i < b.length; i++) if (i === 0 || b[i] !== b[i - 1]) n++;
  const idx = new Int32Array(n);
  const val = new Float32Array(n);
  let ss = 0;
  for (let i = 0, k = 0; i < b.length; k++) {
    let j = i + 1;
    while (j < b.length && b[j] === b[i]) j++;
    idx[k] = b[i];
    val[k] = 1 + Math.log(j - i);
    ss += val[k] * val[k];
    i = j;
  }
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let i = 0; i < val.length; i++) val[i] *= inv;
  return { idx, val };
}

/** Sentence bounds around `pos`: the nearest sentence-ending punctuation or line break on each side. */
export function sentenceAround(text: string, start: number, end: number): [number, number] {
  let s = start;
  while (s > 0 && !/[.!?\n]/.test(text[s - 1])) s--;
  let e = end;
  while (e < text.length && !/[.!?\n]/.test(text[e])) e++;
  if (e < text.length && text[e] !== '\n') e++;
  while (s < start && /\s/.test(text[s])) s++;
  return [s, e];
}

// --- The same features as hashes, without building the strings ---------------------------------
// FNV-1a runs over UTF-16 code units, so fnv(a + b) === fnv(b, fnv(a)): a feature `l=${norm}` hashes
// as fnv(norm, fnv('l=')). mentionFeatureHashes returns exactly the hashes of mentionFeatureStrings
// (as a multiset; the order differs), which is all hashStrings looks at.

const seed = (prefix: string) => fnv(prefix);
const P = { e: seed('e='), et: seed('et='), l: seed('l='), l2: seed('l2='), l1: seed('l1='), r: seed('r='), r2: seed('r2='), r1: seed('r1='), s: seed('s='), ed: seed('ed='), w: seed('w=') };
const famHash = (prefix: string) => CUES.map((c) => fnv(c.family, fnv(prefix)));
const H_CW = famHash('cw=');
const H_CL = famHash('cl=');
const H_CR = famHash('cr=');
const H_CS = famHash('cs=');
/** Seeds for `ce=${family}|${mention}`. */
const H_CE = CUES.map((c) => fnv('|', fnv(c.family, fnv('ce='))));
const H_IN_TITLE = fnv('in-title');
const H_FREQ = [0, 1, 2, 3, 4].map((n) => fnv(`freq=${n}`));
const H_POS = [0, 1, 2].map((n) => fnv(`pos=${n}`));
const H_LS = Array.from({ length: WINDOW + 1 }, (_, n) => fnv(`ls=${n}`));
const H_RS = Array.from({ length: WINDOW + 1 }, (_, n) => fnv(`rs=${n}`));

/**
 * What a lower-cased form contributes wherever it occurs, kept across
 * articles (the same words recur): its cue families and the hashes of its
 * `l=`, `r=`, `s=`, `et=` features and of the bigram seeds `l2=form_`,
 * `r2=form_` (filled on first use near a mention), and a slot for its
 * word-vector id (scorer.ts).
 */
export interface FormInfo {
  readonly cues: readonly number[];
  hashed: boolean;
  hL: number;
  hR: number;
  hS: number;
  hEt: number;
  hL2: number;
  hR2: number;
  /** Word-vector id of the form; -2 until scorer.ts looks it up, -1 when unknown. */
  wid: number;
  /** Whether the form has a letter or digit, and the hash of its article-word feature `w=form` (side.ts). */
  readonly isWord: boolean;
  readonly hW: number;
  /** side.ts: the stance stems whose first part starts the form; null until looked up. */
  stance: readonly number[] | null;
}

const formCache = new Map<string, FormInfo>();
function formInfo(norm: string): FormInfo {
  let f = formCache.get(norm);
  if (f) return f;
  f = { cues: cueIndices(norm), hashed: false, hL: 0, hR: 0, hS: 0, hEt: 0, hL2: 0, hR2: 0, wid: -2, isWord: isWord(norm), hW: fnv(norm, P.w), stance: null };
  if (formCache.size >= 100_000) formCache.clear();
  formCache.set(norm, f);
  return f;
}

/** Per-article work shared by all its mentions. */
interface Prepared {
  /** 1 where the token's word flag is filled in and its form hashed (lazily: most tokens are never near a mention). */
  done: Uint8Array;
  word: Uint8Array;
  /** The form facts of each token. */
  form: FormInfo[];
  /** The lower-cased text and its first line break, filled by the first mention (null before). */
  lower: string | null;
  firstBreak: number;
  domain: string;
  hDom: number;
}

function prepare(doc: DocTokens): Prepared {
  if (doc.prep) return doc.prep;
  const toks = doc.tokens;
  const n = toks.length;
  const p: Prepared = {
    done: new Uint8Array(n),
    word: new Uint8Array(n),
    form: new Array(n),
    lower: null,
    firstBreak: -1,
    domain: '',
    hDom: 0,
  };
  let war = 0;
  let climate = 0;
  for (let i = 0; i < n; i++) {
    const f = formInfo(toks[i].norm);
    p.form[i] = f;
    const cues = f.cues;
    if (cues.length) {
      if (cues.includes(WAR)) war++;
      if (cues.includes(CLIMATE)) climate++;
    }
  }
  // the same as articleDomain(doc), from the cue lists just computed
  p.domain = doc.domain ?? (doc.domain = war === 0 && climate === 0 ? 'none' : war >= climate ? 'war' : 'climate');
  p.hDom = fnv(`dom=${p.domain}`);
  return (doc.prep = p);
}

function setText(p: Prepared, text: string): void {
  p.lower = text.toLowerCase();
  p.firstBreak = text.indexOf('\n');
}

/** The form facts of every token of the article (cached on it; side.ts reads the article's words and stance stems from them). */
export function articleForms(doc: DocTokens): readonly FormInfo[] {
  return prepare(doc).form;
}

function fill(p: Prepared, toks: DocTokens['tokens'], from: number, to: number): void {
  for (let i = from; i < to; i++) {
    if (p.done[i]) continue;
    p.done[i] = 1;
    p.word[i] = isWord(toks[i].text) ? 1 : 0;
    const f = p.form[i];
    if (f.hashed) continue;
    const norm = toks[i].norm;
    f.hL = fnv(norm, P.l);
    f.hR = fnv(norm, P.r);
    f.hS = fnv(norm, P.s);
    f.hEt = fnv(norm, P.et);
    f.hL2 = fnv('_', fnv(norm, P.l2));
    f.hR2 = fnv('_', fnv(norm, P.r2));
    f.hashed = true;
  }
}

/**
 * Whether token k is a word (has a letter or digit), and its form facts
 * (cues, hashes, word-vector slot), from the article's cached per-token work
 * (scorer.ts reads these instead of testing and looking up each token again).
 */
export function tokenForm(doc: DocTokens, text: string, k: number): FormInfo | null {
  const p = prepare(doc);
  if (p.lower === null) setText(p, text);
  fill(p, doc.tokens, k, k + 1);
  return p.word[k] ? p.form[k] : null;
}

/** The FNV-1a hashes of mentionFeatureStrings(ctx, doc), in another order. `doc` must be the tokens of ctx.text. */
export function mentionFeatureHashes(ctx: MentionContext, doc: DocTokens): number[] {
  const p = prepare(doc);
  if (p.lower === null) setText(p, ctx.text);
  const h: number[] = [];
  const toks = doc.tokens;
  const n = toks.length;
  const mention = mentionString(ctx);
  h.push(fnv(mention, P.e));
  const i0 = firstToken(toks, (t) => t.end > ctx.start);
  let i1 = i0;
  while (i1 < n && toks[i1].start < ctx.end) i1++;
  fill(p, toks, Math.max(0, i0 - WINDOW), Math.min(n, i1 + WINDOW * 2));
  for (let k = i0; k < i1; k++) h.push(p.form[k].hEt);
  // left window: the word tokens among the WINDOW tokens before the mention
  let prev = -1;
  let inSentence = 0;
  for (let k = Math.max(0, i0 - WINDOW); k < i0; k++) {
    if (!p.word[k]) continue;
    if (toks[k].start >= ctx.sentStart) inSentence++;
    const f = p.form[k];
    h.push(f.hL);
    if (prev >= 0) h.push(fnv(toks[k].norm, p.form[prev].hL2));
    for (const c of f.cues) h.push(H_CW[c], H_CL[c]);
    prev = k;
  }
  if (prev >= 0) h.push(fnv(toks[prev].norm, P.l1));
  h.push(H_LS[inSentence]);
  inSentence = 0;
  // right window: the first WINDOW word tokens among the 2·WINDOW tokens after it
  prev = -1;
  let first = -1;
  for (let k = i1, taken = 0, end = Math.min(n, i1 + WINDOW * 2); k < end && taken < WINDOW; k++) {
    if (!p.word[k]) continue;
    if (toks[k].start < ctx.sentEnd) inSentence++;
    const f = p.form[k];
    h.push(f.hR);
    if (prev >= 0) h.push(fnv(toks[k].norm, p.form[prev].hR2));
    else first = k;
    for (const c of f.cues) h.push(H_CW[c], H_CR[c]);
    prev = k;
    taken++;
  }
  if (first >= 0) h.push(fnv(toks[first].norm, P.r1));
  h.push(H_RS[inSentence]);
  for (let k = firstToken(toks, (t) => t.start >= ctx.sentStart); k < n; k++) {
    const t = toks[k];
    if (t.start >= ctx.sentEnd) break;
    if (t.start >= ctx.start && t.end <= ctx.end) continue;
    fill(p, toks, k, k + 1);
    if (!p.word[k]) continue;
    const f = p.form[k];
    h.push(f.hS);
    for (const c of f.cues) h.push(H_CS[c], fnv(mention, H_CE[c]));
  }
  h.push(p.hDom, fnv(p.domain, fnv('|', fnv(mention, P.ed))));
  if (p.firstBreak < 0 || ctx.start < p.firstBreak) h.push(H_IN_TITLE);
  let count = doc.counts?.get(mention);
  if (count === undefined) (doc.counts ??= new Map()).set(mention, (count = countOccurrences(p.lower!, mention)));
  h.push(H_FREQ[count <= 1 ? 1 : count <= 3 ? 2 : count <= 6 ? 3 : 4]);
  const pos = ctx.start / Math.max(1, ctx.text.length);
  h.push(H_POS[pos < 0.1 ? 0 : pos < 0.5 ? 1 : 2]);
  return h;
}
