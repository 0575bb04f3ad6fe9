/**
 * Features of one entity mention for the roles model: the mention string and
 * its tokens, up to 10 tokens either side (side-marked, plus bigrams), the
 * words of its sentence, and counts of cue-word families (data/cues-en.tsv)
 * in the window and the sentence. Each feature string is hashed (FNV-1a) into
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

function cueFamilies(word: string): string[] {
  const out: string[] = [];
  for (const c of CUES) if (c.stems.some((s) => word.startsWith(s))) out.push(c.family);
  return out;
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
    const fams = cueFamilies(t.norm);
    if (fams.includes('war')) war++;
    if (fams.includes('climate')) climate++;
  }
  return war === 0 && climate === 0 ? 'none' : war >= climate ? 'war' : 'climate';
}

export function docTokens(text: string): DocTokens {
  return { tokens: tokenizeWithOffsets(text).map((t) => ({ ...t, norm: t.text.toLowerCase().replace(/’/g, "'") })) };
}

/** Index of the first token for which `past` holds (`past` must be false then true along the array), or the length. */
function firstToken<T>(toks: readonly T[], past: (t: T) => boolean): number {
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

/** Feature strings of one mention (exposed for tests and inspection). */
export function mentionFeatureStrings(ctx: MentionContext, doc: DocTokens): string[] {
  const f: string[] = [];
  const toks = doc.tokens;
  const mention = ctx.text.slice(ctx.start, ctx.end).toLowerCase().replace(/\s+/g, ' ').trim();
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
  const mask = (1 << bits) - 1;
  const m = new Map<number, number>();
  for (const s of fs) {
    const b = fnv(s) & mask;
    m.set(b, (m.get(b) ?? 0) + 1);
  }
  const keys = [...m.keys()].sort((a, b) => a - b);
  const idx = new Int32Array(keys.length);
  const val = new Float32Array(keys.length);
  let ss = 0;
  keys.forEach((k, i) => {
    idx[i] = k;
    val[i] = 1 + Math.log(m.get(k)!);
    ss += val[i] * val[i];
  });
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
