import type { Paragraph, Section, Segments, Sentence, TextSpan, Token } from '../document/types.ts';
import { normalizeToken, tokenize, type RawToken } from './tokenize.ts';
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
const CLOSERS = new Set(['”', '"', '’', "'", ')', ']', '»', "''"]);
const OPENERS = /^[“"‘'(\[«„]/;

function wordCount(s: string): number {
  let n = 0;
  for (const _ of s.matchAll(/[\p{L}\p{N}]+/gu)) n++;
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
  const words = wordCount(s);
  return words > 0 && words <= 12 && s.length <= 90 && !/[.,;:!?…"”’]$/.test(s) && !/^[-•*·]/.test(s);
}

function looksLikeTitle(s: string): boolean {
  const words = wordCount(s);
  return words > 0 && words <= 30 && s.length <= 250 && !/[.;,]$/.test(s);
}

function isAbbreviation(text: string, tokens: RawToken[], i: number): boolean {
  // tokens[i] is '.', tokens[i-1] the word before it.
  const prev = tokens[i - 1];
  if (!prev || prev.end !== tokens[i]!.start) return false;
  const w = text.slice(prev.start, prev.end);
  if (/^\p{Lu}$/u.test(w)) return true; // an initial: "J. Smith"
  return ABBREVIATIONS.has(w.toLowerCase());
}

/** Sentence spans of one paragraph, from its tokens. */
function sentencesOf(text: string, tokens: RawToken[], pStart: number, pEnd: number): [number, number][] {
  const out: [number, number][] = [];
  let sStart = -1;
  let depth = 0; // open brackets
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (sStart < 0) sStart = t.start;
    const s = text.slice(t.start, t.end);
    if (s === '(' || s === '[') depth++;
    else if ((s === ')' || s === ']') && depth > 0) depth--;
    const terminal = s === '.' || s === '!' || s === '?' || s === '…' || /^\.{3,}$/.test(s) || (t.kind === 'word' && s.endsWith('.') && /^(?:\p{L}\.){2,}$/u.test(s));
    if (!terminal) continue;
    if (s === '.' && isAbbreviation(text, tokens, i)) continue;
    // absorb further terminal punctuation and closing quotes/brackets
    let j = i;
    while (j + 1 < tokens.length) {
      const nt = tokens[j + 1]!;
      const n = text.slice(nt.start, nt.end);
      // Only adjacent marks belong to this sentence: in `wrong. "They` the quote opens the next one.
      if (nt.start === tokens[j]!.end && (n === '.' || n === '!' || n === '?' || CLOSERS.has(n))) j++;
      else break;
    }
    const next = tokens[j + 1];
    if (!next) break;
    const nextText = text.slice(next.start, next.end);
    const abbrevWord = t.kind === 'word'; // "U.S." ends a sentence only before a clear sentence start
    const startsSentence = /^[\p{Lu}\p{N}]/u.test(nextText) || OPENERS.test(nextText) || /^[-—–•]/.test(nextText);
    if (!startsSentence || (abbrevWord && !/^(?:The|A|An|In|It|He|She|They|We|But|And|This|That|Then|I)$/.test(nextText))) continue;
    if (depth > 0 && s === '.') continue;
    out.push([sStart, tokens[j]!.end]);
    sStart = -1;
    i = j;
  }
  if (sStart >= 0) out.push([sStart, pEnd]);
  else if (out.length === 0 && pEnd > pStart) out.push([pStart, pEnd]);
  return out;
}

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
    if ((meta && first === meta) || (!meta && looksLikeTitle(first)) || (meta && looksLikeTitle(first) && first.toLowerCase().startsWith(meta.toLowerCase().slice(0, 20)))) {
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

  for (let p = 0; p < paras.length; p++) {
    const [ps, pe] = paras[p]!;
    paragraphs.push({ ...span(text, ps, pe), index: p, role: roles[p]! });
    const raw = tokenize(text, ps, pe);
    const sents = roles[p] === 'body' ? sentencesOf(text, raw, ps, pe) : [[ps, pe] as [number, number]];
    let k = 0;
    for (const [ss, se] of sents) {
      const sIndex = sentences.length;
      sentences.push({ ...span(text, ss, se), paragraph: p });
      while (k < raw.length && raw[k]!.start < se) {
        const t = raw[k]!;
        tokens.push({ start: t.start, end: t.end, sentence: sIndex, kind: t.kind, norm: normalizeToken(text.slice(t.start, t.end)) });
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
