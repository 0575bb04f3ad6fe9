import { readFileSync } from 'node:fs';
import type { Cleaned, OffsetRun } from './types.ts';

/**
 * Clean text for analysis, with an exact map back to the raw body.
 *
 * - Unicode NFC; line breaks (CRLF, CR, U+2028/2029, NEL, VT, FF) become \n.
 * - Runs of spaces/tabs/no-break spaces collapse to one space; lines are
 *   trimmed; paragraphs are separated by exactly one blank line.
 * - Zero-width and control characters are dropped (a zero-width joiner inside
 *   an emoji sequence stays).
 * - Scraping artefacts are removed and recorded: the headline (and subtitle)
 *   repeated at the top, share/"read more"/newsletter/follow/cookie lines
 *   (patterns in artefacts.txt).
 *
 * Every character of the clean text is either copied from the raw body (and
 * covered by a run) or inserted by normalisation (a collapsed space, a line
 * break, an NFC-composed word).
 */

export interface CleanOptions {
  /** The article's headline, when known: its repeats at the top are removed. */
  title?: string | null;
  /** Remove artefact lines and repeated headlines (default true). */
  removeArtefacts?: boolean;
}

interface Pattern {
  reason: string;
  re: RegExp;
}

function loadPatterns(): Pattern[] {
  const text = readFileSync(new URL('./artefacts.txt', import.meta.url), 'utf8');
  const out: Pattern[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    if (tab < 0) throw new Error(`artefacts.txt: no tab in line: ${line}`);
    out.push({ reason: line.slice(0, tab).trim(), re: new RegExp(line.slice(tab + 1), 'iu') });
  }
  return out;
}

const PATTERNS = loadPatterns();
/** All patterns in one expression: one pass rejects the ordinary line. */
const ANY_PATTERN = new RegExp(PATTERNS.map((p) => `(?:${p.re.source})`).join('|'), 'iu');
/** Lines longer than this are prose, never an artefact line. */
const MAX_ARTEFACT_LINE = 240;

/** Line breaks. */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029\u0085\u000b\u000c]/g;
/** Horizontal white space, collapsed to one space. */
const HSPACE = /[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g;
/** Characters dropped outright (controls, zero-width, bidi controls, soft hyphen, lone surrogates). */
const DROP = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u00ad\u061c\u180e\u200b\u200d-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]/u;
const DROP_G = new RegExp(DROP.source, 'gu');
const PICTO = /\p{Extended_Pictographic}/u;
const EMOJI_TAIL = /[\ufe0f\u{1f3fb}-\u{1f3ff}\p{Extended_Pictographic}]/u;
/** Anything that needs more than a copy (fast path test). */
const NEEDS_WORK = /[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200d-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]|  /u;

/** A piece of a clean line: copied from raw[raw…] or inserted (raw = -1). */
interface Piece {
  text: string;
  raw: number;
}

interface Line {
  pieces: Piece[];
  text: string;
  /** Raw span of the line's content (after trimming). */
  rawStart: number;
  rawEnd: number;
  /** Raw offset of the line's first character and of its line break. */
  lineStart: number;
  lineEnd: number;
  removed: string | null;
}

/** Drop zero-width/control characters from one chunk; ZWJ inside emoji sequences stays. */
function dropChars(chunk: string, base: number, out: Piece[]): void {
  if (!DROP.test(chunk)) {
    out.push({ text: chunk, raw: base });
    return;
  }
  let from = 0;
  DROP_G.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DROP_G.exec(chunk))) {
    const i = m.index;
    if (m[0] === '\u200d') {
      const prev = i > 0 ? String.fromCodePoint(chunk.codePointAt(i - 1 >= 1 && /[\udc00-\udfff]/.test(chunk[i - 1]) ? i - 2 : i - 1)!) : '';
      const next = i + 1 < chunk.length ? String.fromCodePoint(chunk.codePointAt(i + 1)!) : '';
      if (prev && next && EMOJI_TAIL.test(prev) && PICTO.test(next)) continue;
    }
    if (i > from) out.push({ text: chunk.slice(from, i), raw: base + from });
    from = i + m[0].length;
  }
  if (from < chunk.length) out.push({ text: chunk.slice(from), raw: base + from });
}

/** Horizontal white space other than a single ordinary space between two words. */
const HSPACE_IRREGULAR = /[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000][ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*| {2,}/g;
const HSPACE_CHAR = /[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/;

function pushPiece(pieces: Piece[], p: Piece): void {
  const last = pieces[pieces.length - 1];
  if (last && last.raw >= 0 && p.raw >= 0 && last.raw + last.text.length === p.raw) last.text += p.text;
  else pieces.push(p);
}

function makeLine(pieces: Piece[], start: number, end: number, rawStart: number, rawEnd: number): Line {
  const text = pieces.length === 1 ? pieces[0].text : pieces.map((p) => p.text).join('');
  return { pieces, text, rawStart: rawStart < 0 ? start : rawStart, rawEnd: rawEnd < 0 ? start : rawEnd, lineStart: start, lineEnd: end, removed: null };
}

/** One raw line → pieces: chunks between white space, NFC per chunk, one space between chunks. */
function processLine(raw: string, start: number, end: number): Line {
  const content = raw.slice(start, end);
  const pieces: Piece[] = [];
  const needsWork = NEEDS_WORK.test(content);
  const nfc = content.normalize('NFC') === content;
  if (!needsWork && nfc && content.trim() === content) {
    // Fast path: a clean line is one copy.
    if (content) pieces.push({ text: content, raw: start });
    return makeLine(pieces, start, end, content ? start : -1, content ? end : -1);
  }
  let rawStart = -1;
  let rawEnd = -1;
  if (!DROP.test(content)) {
    // No characters to drop: only irregular white space splits the line.
    let lo = 0;
    let hi = content.length;
    while (lo < hi && HSPACE_CHAR.test(content[lo])) lo++;
    while (hi > lo && HSPACE_CHAR.test(content[hi - 1])) hi--;
    const body = content.slice(lo, hi);
    const chunk = (from: number, to: number) => {
      const t = body.slice(from, to);
      if (nfc || t.normalize('NFC') === t) return pushPiece(pieces, { text: t, raw: start + lo + from });
      // Normalise word by word so that the words NFC leaves alone stay mapped exactly.
      let at = 0;
      for (const word of t.split(' ')) {
        if (at > 0) pushPiece(pieces, { text: ' ', raw: start + lo + from + at - 1 });
        const n = word.normalize('NFC');
        pushPiece(pieces, n === word ? { text: word, raw: start + lo + from + at } : { text: n, raw: -1 });
        at += word.length + 1;
      }
    };
    HSPACE_IRREGULAR.lastIndex = 0;
    let pos = 0;
    let m: RegExpExecArray | null;
    while ((m = HSPACE_IRREGULAR.exec(body))) {
      chunk(pos, m.index);
      pieces.push({ text: ' ', raw: -1 });
      pos = m.index + m[0].length;
    }
    if (pos < body.length) chunk(pos, body.length);
    if (body) {
      rawStart = start + lo;
      rawEnd = start + hi;
    }
    return makeLine(pieces, start, end, rawStart, rawEnd);
  }
  // Characters to drop: chunk at every white-space run, drop, then NFC per chunk.
  HSPACE.lastIndex = 0;
  let pos = 0;
  let pendingSpace: Piece | null = null;
  const chunkAt = (from: number, to: number) => {
    if (to <= from) return;
    const chunk: Piece[] = [];
    dropChars(content.slice(from, to), start + from, chunk);
    if (!chunk.length) return;
    const joined = chunk.length === 1 ? chunk[0].text : chunk.map((p) => p.text).join('');
    if (pendingSpace && pieces.length) pushPiece(pieces, pendingSpace);
    pendingSpace = null;
    if (rawStart < 0) rawStart = chunk[0].raw;
    rawEnd = chunk[chunk.length - 1].raw + chunk[chunk.length - 1].text.length;
    const n = joined.normalize('NFC');
    if (n === joined) for (const p of chunk) pushPiece(pieces, p);
    else pieces.push({ text: n, raw: -1 });
  };
  let m: RegExpExecArray | null;
  while ((m = HSPACE.exec(content))) {
    chunkAt(pos, m.index);
    // A chunk made only of dropped characters does not separate two spaces.
    if (pieces.length) pendingSpace = pendingSpace ?? (m[0] === ' ' ? { text: ' ', raw: start + m.index } : { text: ' ', raw: -1 });
    pos = m.index + m[0].length;
  }
  chunkAt(pos, content.length);
  return makeLine(pieces, start, end, rawStart, rawEnd);
}

/** Normalised comparison key: lower case, letters and digits only. */
function key(s: string): string {
  return s.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) {
    const b = s.slice(i, i + 2);
    m.set(b, (m.get(b) ?? 0) + 1);
  }
  return m;
}

function dice(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return a === b ? 1 : 0;
  const A = bigrams(a);
  const B = bigrams(b);
  let inter = 0;
  for (const [g, n] of A) inter += Math.min(n, B.get(g) ?? 0);
  return (2 * inter) / (a.length - 1 + (b.length - 1));
}

/** A headline-like line prepared for comparison. */
interface Cand {
  text: string;
  key: string;
  /** Ends like a sentence ('.' or '!'), as a lede does and a headline does not. */
  sentence: boolean;
  /** Ends with '...' or '…': a shortened copy. */
  truncated: boolean;
  url: boolean;
}

const TRUNCATED = /(?:\.\.\.|…)\s*$/;
const SENTENCE_END = /(?:[^.]\.|!)["'”’»)\]]*\s*$/;
/** Separators between a headline and what scrapers attach to it (site name, rubric, author). */
const DECORATION_SPLIT = /\s*(?:[|:;–—•·(\[]|\s-\s)\s*/;

function cand(text: string, k?: string): Cand {
  const t = text.trim();
  return {
    text: t,
    key: k ?? key(t),
    truncated: TRUNCATED.test(t),
    sentence: !TRUNCATED.test(t) && SENTENCE_END.test(t),
    url: /:\/\/|^www\./i.test(t),
  };
}

/** Keys of the two sides of `text` split at its first and at its last separator. */
function decoratedParts(text: string): string[] {
  const parts = text.split(DECORATION_SPLIT);
  if (parts.length < 2) return [];
  return [key(parts.slice(1).join(' ')), key(parts.slice(0, -1).join(' ')), key(parts[0]), key(parts[parts.length - 1])];
}

/**
 * Same headline: equal up to case and punctuation; or one is the other plus a
 * decoration after a separator ("… | Daily Example", "Rubric: …", "… (site.org)")
 * or a date; or one is a shortened copy ending in "…"; or a typo or two apart.
 * A line that ends like a sentence never matches one that does not, so a lede
 * that restates the headline stays.
 */
function sameHeadline(a: Cand, b: Cand): boolean {
  if (!a.key || !b.key) return false;
  if (a.key === b.key) return true;
  if (a.url || b.url || a.sentence !== b.sentence) return false;
  const [s, l] = a.key.length <= b.key.length ? [a, b] : [b, a];
  const prefix = l.key.startsWith(s.key);
  const suffix = !prefix && l.key.endsWith(s.key);
  if (s.key.length >= 12 && (prefix || suffix)) {
    if (prefix && s.truncated) return true;
    const extra = prefix ? l.key.slice(s.key.length) : l.key.slice(0, l.key.length - s.key.length);
    const words = extra.trim().split(' ');
    if (words.length <= 4 && /\d/.test(extra)) return true;
    if (decoratedParts(l.text).includes(s.key)) return true;
    return false;
  }
  if (s.truncated && s.key.length >= 12 && l.key.startsWith(s.key.replace(/\s*\S*$/, ''))) return true;
  // A typo or a reworded word: only for headline-length lines.
  if (s.key.length >= 20 && l.key.length <= 200 && l.key.length - s.key.length <= Math.max(4, l.key.length * 0.1) && dice(a.key, b.key) >= 0.9) return true;
  return false;
}

/** True when two headline-like lines are copies of one headline (see the rules in sameHeadline). */
export function nearEqual(a: string, b: string): boolean {
  return sameHeadline(cand(a), cand(b));
}

/** A headline repeated within one line ("Title Title Title"): the length of the first copy, or 0. */
function repeatedWithinLine(text: string, title: string | null): number {
  if (text.length > 1500) return 0;
  if (title) {
    const t = title.trim().replace(/\s+/g, ' ');
    if (t.length >= 8 && text.startsWith(t)) {
      let end = t.length;
      let copies = 1;
      for (;;) {
        const rest = text.slice(end);
        const m = /^\s+/.exec(rest);
        if (!m || !rest.slice(m[0].length).startsWith(t)) break;
        end += m[0].length + t.length;
        copies++;
      }
      if (copies >= 2) return t.length;
    }
  }
  const m = /^(.{8,400}?)(?: \1){1,3}$/u.exec(text);
  return m ? m[1].length : 0;
}

function artefactReason(text: string): string | null {
  if (text.length > MAX_ARTEFACT_LINE || !ANY_PATTERN.test(text)) return null;
  for (const p of PATTERNS) if (p.re.test(text)) return p.reason;
  return null;
}

/** Cut a line after `keep` clean characters; returns the raw offset where the cut part starts. */
function truncateLine(raw: string, line: Line, keep: number): number {
  const kept: Piece[] = [];
  let n = 0;
  let cutRaw = -1;
  for (const p of line.pieces) {
    if (n >= keep) {
      if (cutRaw < 0 && p.raw >= 0 && p.text !== ' ') cutRaw = p.raw;
      continue;
    }
    if (n + p.text.length <= keep) {
      kept.push(p);
      n += p.text.length;
    } else {
      const k = keep - n;
      if (p.raw >= 0) {
        kept.push({ text: p.text.slice(0, k), raw: p.raw });
        cutRaw = p.raw + k;
      } else kept.push({ text: p.text.slice(0, k), raw: -1 });
      n = keep;
    }
  }
  // Trailing space left at the cut.
  while (kept.length && kept[kept.length - 1].text === ' ') kept.pop();
  const last = kept[kept.length - 1];
  line.pieces = kept;
  line.text = kept.map((p) => p.text).join('');
  let cutAt = cutRaw >= 0 ? cutRaw : line.rawEnd;
  while (cutAt < line.rawEnd && /\s/.test(raw[cutAt])) cutAt++;
  if (last && last.raw >= 0) line.rawEnd = last.raw + last.text.length;
  return cutAt;
}

export function clean(raw: string, opts: CleanOptions = {}): Cleaned {
  const title = opts.title ? opts.title.replace(/\s+/g, ' ').trim() || null : null;
  const removeArtefacts = opts.removeArtefacts ?? true;
  const removed: Cleaned['removed'] = [];

  // 1. Lines, normalised one by one.
  const lines: Line[] = [];
  LINE_BREAK.lastIndex = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = LINE_BREAK.exec(raw))) {
    lines.push(processLine(raw, pos, m.index));
    pos = m.index + m[0].length;
  }
  lines.push(processLine(raw, pos, raw.length));

  if (removeArtefacts) {
    // 2. Artefact lines anywhere.
    for (const line of lines) {
      if (!line.text) continue;
      const reason = artefactReason(line.text);
      if (reason) line.removed = reason;
    }
    // 3. Headline (and subtitle) repeated at the top.
    const top: { line: Line; cand: Cand }[] = [];
    const titleCand = title ? cand(title) : null;
    let seen = 0;
    let first = true;
    for (const line of lines) {
      if (!line.text || line.removed) continue;
      if (++seen > 14) break;
      if (first) {
        first = false;
        const copy = repeatedWithinLine(line.text, title);
        if (copy > 0 && copy < line.text.length) {
          const from = truncateLine(raw, line, copy);
          removed.push({ start: from, end: line.lineEnd, reason: 'repeated-headline' });
        }
      }
      const c = cand(line.text, line.text.length > 2000 ? '' : undefined);
      const dupIndex = top.findIndex((t) => sameHeadline(t.cand, c));
      const dupOf = dupIndex >= 0 ? top[dupIndex] : undefined;
      const isTitle = titleCand !== null && sameHeadline(titleCand, c);
      const titleDup = !dupOf && isTitle && top.some((t) => sameHeadline(t.cand, titleCand));
      if (dupOf || titleDup) {
        const isHeadline = titleDup || dupIndex === 0 || isTitle;
        const reason = isHeadline ? 'repeated-headline' : 'repeated-subtitle';
        if (dupOf && dupOf.cand.truncated && !c.truncated && c.key.length > dupOf.cand.key.length) {
          // The earlier copy was shortened ("…"): keep the complete one.
          dupOf.line.removed = reason;
          top[dupIndex] = { line, cand: c };
        } else line.removed = reason;
        continue;
      }
      if (line.text.length > 350) break;
      top.push({ line, cand: c });
      if (top.length >= 4) break;
    }
    for (const line of lines) if (line.removed) removed.push({ start: line.rawStart, end: line.rawEnd, reason: line.removed });
    removed.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  // 4. Assemble: lines of a paragraph joined by \n, paragraphs by \n\n.
  let text = '';
  const runs: OffsetRun[] = [];
  const emit = (s: string, rawAt: number) => {
    if (!s) return;
    if (rawAt >= 0) {
      const last = runs[runs.length - 1];
      if (last && last.clean + last.length === text.length && last.raw + last.length === rawAt) last.length += s.length;
      else runs.push({ clean: text.length, raw: rawAt, length: s.length });
    }
    text += s;
  };
  let prev: Line | null = null;
  let blankSince = false;
  for (const line of lines) {
    if (!line.text) {
      blankSince = true;
      continue;
    }
    if (line.removed) continue;
    if (prev) {
      const sep = blankSince ? '\n\n' : '\n';
      emit(sep, raw.slice(prev.rawEnd, line.rawStart) === sep ? prev.rawEnd : -1);
    }
    for (const p of line.pieces) emit(p.text, p.raw);
    prev = line;
    blankSince = false;
  }
  return { text, runs, removed, rawLength: raw.length };
}
