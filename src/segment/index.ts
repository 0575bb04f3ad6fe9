import type { Paragraph, Section, Segments, Sentence, TextSpan, Token } from '../document/types.ts';
import { kindOf, normalizeToken, scanTokens } from './tokenize.ts';
import { ABBREVIATIONS } from './abbreviations.ts';

export { tokenize, normalizeToken } from './tokenize.ts';

export interface Segmented {
  segments: Segments;
  tokens: Token[];
}

export interface SegmentOptions {
  /** The article's title when known from metadata; the first line is taken as title when it matches. */
  title?: string | null;
}

const span = (text: string, start: number, end: number): TextSpan => ({ start, end, text: text.slice(start, end) });

const TERMINAL = /[.!?…]$/;
const OPENERS = /^[“"‘'(\[«„]/;

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/** Number of runs of letters and digits in s (code points, as /[\p{L}\p{N}]+/gu counts them). */
function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let w: boolean;
    if (c < 128) w = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    else {
      const cp = s.codePointAt(i)!;
      w = LETTER_OR_DIGIT.test(String.fromCodePoint(cp));
      if (cp > 0xffff) i++;
    }
    if (w && !inWord) n++;
    inWord = w;
  }
  return n;
}

/** Lines of the text, merging hard-wrapped lines into one paragraph. */
function paragraphSpans(text: string): [number, number][] {
  const lines: [number, number][] = [];
  const re = /[^\n]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let s = m.index;
    let e = s + m[0].length;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) lines.push([s, e]);
  }
  const out: [number, number][] = [];
  for (const line of lines) {
    const prev = out[out.length - 1];
    if (prev) {
      const between = text.slice(prev[1], line[0]);
      const prevText = text.slice(prev[0], prev[1]);
      const next = text.slice(line[0], line[1]);
      // A hard wrap: a single newline, a long line that does not end a sentence, and a lower-case continuation.
      if (!between.includes('\n\n') && prevText.length >= 40 && !/[.!?:;"”’)\]]$/.test(prevText) && /^\p{Ll}/u.test(next)) {
        prev[1] = line[1];
        continue;
      }
    }
    out.push([line[0], line[1]]);
  }
  return out;
}

function isHeadingLike(s: string): boolean {
  if (s.length > 90 || /[.,;:!?…"”’]$/.test(s) || /^[-•*·]/.test(s)) return false;
  const words = wordCount(s);
  return words > 0 && words <= 12;
}

function looksLikeTitle(s: string): boolean {
  if (s.length > 250 || /[.;,]$/.test(s)) return false;
  const words = wordCount(s);
  return words > 0 && words <= 30;
}

/** Packed tokens of one paragraph: (start, end, kind code) triples, kind 0 = word. */
type Packed = Int32Array;

function isAbbreviation(text: string, tb: Packed, i: number): boolean {
  // Token i is '.', token i-1 the word before it.
  if (i === 0 || tb[3 * (i - 1) + 1] !== tb[3 * i]) return false;
  const w = text.slice(tb[3 * (i - 1)]!, tb[3 * (i - 1) + 1]!);
  if (/^\p{Lu}$/u.test(w)) return true; // an initial: "J. Smith"
  return ABBREVIATIONS.has(w.toLowerCase());
}

const ELLIPSIS3 = /^\.{3,}$/;
const DOTTED = /^(?:\p{L}\.){2,}$/u;
/** Terminal marks and closers absorbed after them, as one-character tokens. */
const isCloser1 = (c: number) => c === 0x201d || c === 34 || c === 0x2019 || c === 39 || c === 41 || c === 93 || c === 0xbb;

/** Sentence spans of one paragraph, from its packed tokens. */
function sentencesOf(text: string, tb: Packed, count: number, pStart: number, pEnd: number): [number, number][] {
  const out: [number, number][] = [];
  let sStart = -1;
  let depth = 0; // open brackets
  for (let i = 0; i < count; i++) {
    const ts = tb[3 * i]!;
    const te = tb[3 * i + 1]!;
    if (sStart < 0) sStart = ts;
    const len = te - ts;
    const c0 = text.charCodeAt(ts);
    if (len === 1) {
      if (c0 === 40 || c0 === 91) depth++;
      else if ((c0 === 41 || c0 === 93) && depth > 0) depth--;
    }
    // '.', '!', '?', '…', '...', or a dotted abbreviation word ("U.S.").
    const terminal =
      len === 1
        ? c0 === 46 || c0 === 33 || c0 === 63 || c0 === 0x2026
        : (c0 === 46 && ELLIPSIS3.test(text.slice(ts, te))) || (tb[3 * i + 2] === 0 && text.charCodeAt(te - 1) === 46 && DOTTED.test(text.slice(ts, te)));
    if (!terminal) continue;
    const dot = len === 1 && c0 === 46;
    if (dot && isAbbreviation(text, tb, i)) continue;
    // absorb further terminal punctuation and closing quotes/brackets
    let j = i;
    while (j + 1 < count) {
      const ns = tb[3 * (j + 1)]!;
      const ne = tb[3 * (j + 1) + 1]!;
      // Only adjacent marks belong to this sentence: in `wrong. "They` the quote opens the next one.
      if (ns !== tb[3 * j + 1]) break;
      const nc = text.charCodeAt(ns);
      const absorbed = ne - ns === 1 ? nc === 46 || nc === 33 || nc === 63 || isCloser1(nc) : ne - ns === 2 && nc === 39 && text.charCodeAt(ns + 1) === 39;
      if (absorbed) j++;
      else break;
    }
    if (j + 1 >= count) break;
    const nextText = text.slice(tb[3 * (j + 1)]!, tb[3 * (j + 1) + 1]!);
    const abbrevWord = tb[3 * i + 2] === 0; // "U.S." ends a sentence only before a clear sentence start
    const startsSentence = /^[\p{Lu}\p{N}]/u.test(nextText) || OPENERS.test(nextText) || /^[-—–•]/.test(nextText);
    if (!startsSentence || (abbrevWord && !/^(?:The|A|An|In|It|He|She|They|We|But|And|This|That|Then|I)$/.test(nextText))) continue;
    if (depth > 0 && dot) continue;
    out.push([sStart, tb[3 * j + 1]!]);
    sStart = -1;
    i = j;
  }
  if (sStart >= 0) out.push([sStart, pEnd]);
  else if (out.length === 0 && pEnd > pStart) out.push([pStart, pEnd]);
  return out;
}

/** Token buffer reused across calls (segment is synchronous). */
const SCRATCH = { buf: new Int32Array(3 * 2048) };

/**
 * Split clean text into title, lede, sections (under short unpunctuated
 * heading lines), paragraphs (one per line, hard wraps merged), sentences and
 * tokens. Every span is `[start, end)` into `text`.
 */
export function segment(text: string, options: SegmentOptions = {}): Segmented {
  const paras = paragraphSpans(text);
  const paragraphs: Paragraph[] = [];
  const sentences: Sentence[] = [];
  const tokens: Token[] = [];

  // Roles: title first, then headings between body paragraphs.
  const roles: Paragraph['role'][] = paras.map(() => 'body');
  if (paras.length > 1) {
    const first = text.slice(paras[0]![0], paras[0]![1]);
    const meta = options.title?.trim();
    // The metadata title, also when the text repeats it with a full stop ("Harbour Plan Approved.").
    const bare = (t: string) => t.replace(/[.!?…]+$/u, '').trim();
    if ((meta && bare(first) === bare(meta)) || (!meta && looksLikeTitle(first)) || (meta && looksLikeTitle(first) && first.toLowerCase().startsWith(meta.toLowerCase().slice(0, 20)))) {
      roles[0] = 'title';
    }
  }
  for (let i = 0; i < paras.length; i++) {
    if (roles[i] !== 'body') continue;
    const s = text.slice(paras[i]![0], paras[i]![1]);
    const next = paras[i + 1] ? text.slice(paras[i + 1]![0], paras[i + 1]![1]) : null;
    const prevRole = roles[i - 1];
    // A heading is a short unpunctuated line with body text after it, not straight after the title.
    if (i > 0 && prevRole !== 'title' && next && isHeadingLike(s) && !isHeadingLike(next) && roles[i - 1] !== 'heading') roles[i] = 'heading';
  }
  // A standfirst: the line right under the title, unpunctuated or short, before a longer body paragraph.
  if (roles[0] === 'title' && roles[1] === 'body' && paras[2]) {
    const s = text.slice(paras[1]![0], paras[1]![1]);
    if (!/[.!?…"”’]$/.test(s) && wordCount(s) <= 60) roles[1] = 'subtitle';
  }

  const scratch = SCRATCH;
  for (let p = 0; p < paras.length; p++) {
    const [ps, pe] = paras[p]!;
    paragraphs.push({ start: ps, end: pe, text: text.slice(ps, pe), index: p, role: roles[p]! });
    const count = scanTokens(text, ps, pe, scratch);
    const tb = scratch.buf;
    const sents = roles[p] === 'body' ? sentencesOf(text, tb, count, ps, pe) : [[ps, pe] as [number, number]];
    let k = 0;
    for (const [ss, se] of sents) {
      const sIndex = sentences.length;
      sentences.push({ start: ss, end: se, text: text.slice(ss, se), paragraph: p });
      while (k < count && tb[3 * k]! < se) {
        const start = tb[3 * k]!;
        const end = tb[3 * k + 1]!;
        tokens.push({ start, end, sentence: sIndex, kind: kindOf(tb[3 * k + 2]!), norm: normalizeToken(text.slice(start, end)) });
        k++;
      }
    }
  }

  const titleIdx = roles.indexOf('title');
  const title = titleIdx >= 0 ? span(text, paras[titleIdx]![0], paras[titleIdx]![1]) : null;
  const ledeIdx = roles.findIndex((r) => r === 'subtitle' || r === 'body');
  const lede = ledeIdx >= 0 ? span(text, paras[ledeIdx]![0], paras[ledeIdx]![1]) : null;

  const sections: Section[] = [];
  let current: { heading: number | null; paras: number[] } | null = null;
  const flush = () => {
    if (!current) return;
    const idx = current.heading !== null ? [current.heading, ...current.paras] : current.paras;
    if (idx.length === 0) return;
    const s = paragraphs[idx[0]!]!.start;
    const e = paragraphs[idx[idx.length - 1]!]!.end;
    const h = current.heading !== null ? paragraphs[current.heading]! : null;
    sections.push({ ...span(text, s, e), heading: h ? span(text, h.start, h.end) : null, paragraphs: current.paras });
  };
  for (let p = 0; p < paragraphs.length; p++) {
    const role = roles[p];
    if (role === 'title') continue;
    if (role === 'heading') {
      flush();
      current = { heading: p, paras: [] };
    } else {
      current ??= { heading: null, paras: [] };
      current.paras.push(p);
    }
  }
  flush();

  return { segments: { title, lede, sections, paragraphs, sentences }, tokens };
}
