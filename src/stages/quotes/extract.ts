/**
 * Attribution extraction: finds cue, source and content spans, sentence by
 * sentence, over quote-aware units (sentences merged where a boundary falls
 * inside a quotation). Catalogue numbers (#n) refer to notes/attribution.md §2.
 */
import type { Span, Token } from '../../document/types.ts';
import { LEXICON } from './lexicon.ts';
import { findQuoteRegions, type QuoteRegion } from './marks.ts';

export interface Tok extends Span {
  norm: string;
  word: boolean;
  cap: boolean;
  /** Index of the quote region the token lies in, or -1. */
  region: number;
  /** Token is an opening / closing mark of its region. */
  open: boolean;
  close: boolean;
}

export interface Unit extends Span {
  paragraph: number;
  toks: Tok[];
}

export interface Draft {
  unit: number;
  cue: Span | null;
  cueText: string;
  source: Span | null;
  parts: Span[];
  addressee: Span | null;
  /** Draft index this one takes its source from (-ing second cues, continuations). */
  sameSourceAs: number | null;
  /** The cue came before the content. */
  contentAfter: boolean;
}

export interface ExtractInput {
  text: string;
  paragraphs: readonly (Span & { role?: string })[];
  sentences: readonly (Span & { paragraph: number })[];
  tokens: readonly Token[];
}

export interface Extracted {
  units: Unit[];
  regions: QuoteRegion[];
  drafts: Draft[];
}

// ---------------------------------------------------------------------------
// Word classes used by the patterns (closed classes; open classes are data files).

const AUX = new Set(
  'has have had is are was were be been also not did does do would will could can should may might must just repeatedly later previously recently publicly already then still never once again reportedly allegedly quickly flatly firmly bluntly simply openly privately subsequently n\'t ever first initially earlier'.split(' '),
);
const LEADING_DROP = new Set('but and so yet still however meanwhile now instead also then thus moreover indeed because while although though as if when since or nor'.split(' '));
/** Words before a colon that label a line rather than name a speaker. */
const COLON_LABELS = /^(update|updated|note|editor|breaking|watch|video|exclusive|photos?|read|related|see|also|source|sources|q|a|question|answer|live|analysis|opinion|commentary|report|review|trending|listen|more|warning|caption|credit|image|correction|clarification|disclosure|summary|background|timeline|factbox|explainer)$/;
/** Conjunctions that start a new clause: the source of a later cue lies after them. */
const SUBORDINATORS = new Set('and but or when while as because after before if since though although where then so whereas until unless once'.split(' '));
const CLAUSE_BREAK = new Set([';', ':', '—', '–', '--', '(', ')', '[', ']']);
const STOP_CUES = new Set(
  'to a the in of on for and is was are be it that this with as by at from an not have has had would will can could out up about more no now like just than so or but if his her their its they he she we you i there also all been were over after into only back what when some one new which who may even because how most before other off where much first last time'.split(' '),
);
/** Verbs that take a bare clause complement ("said the deal was dead"). */
const BARE_COMPLEMENT = new Set('say tell add claim argue insist warn state declare announce acknowledge admit suggest report note explain believe think feel fear hope expect know predict assert maintain contend confirm deny reiterate promise vow pledge estimate allege reveal indicate concede write tweet recall conclude agree worry doubt show find see consider reply respond answer continue complain boast joke stress emphasize emphasise observe remark testify'.split(' '));
const ING_SECOND = /^(adding|noting|saying|arguing|calling|insisting|warning|explaining|telling|stressing|claiming|suggesting|citing|accusing|describing|urging|asking|pointing|praising|criticizing|criticising|vowing|promising|acknowledging|declaring|announcing|referring|emphasizing|emphasising|complaining|predicting|writing|recalling)$/;
const TIME_OR_PLACE = /^(on|in|at|last|this|earlier|later|during|after|before|yesterday|today|tuesday|monday|wednesday|thursday|friday|saturday|sunday|week|month|year|night|morning|evening|afternoon|a|an|the|statement|interview|press|conference|briefing|speech|twitter|facebook|post|letter|email|tweet|television|radio|recently|publicly|privately|again|repeatedly|previously|also|once|then|with|to|reporters|journalists|his|her|their|its|sunday's|own|told|time|part|event|rally|hearing|debate|appearance|meeting|remarks|town|hall|campaign|stop|news|show|program|network|cnn|fox|msnbc|abc|nbc|cbs)$/;

/** Minimum share of train occurrences in which a derived form heads a cue. */
export const DERIVED_MIN_RATIO = 0.3;
export const DERIVED_MIN_COUNT = 5;

export function isCueForm(norm: string): boolean {
  if (STOP_CUES.has(norm)) return false;
  const d = LEXICON.derived.get(norm);
  const ratio = d ? d.cue / Math.max(d.occ, 1) : 0;
  if (d && d.cue >= DERIVED_MIN_COUNT && ratio >= DERIVED_MIN_RATIO) return true;
  const lemma = LEXICON.verbForms.get(norm);
  if (!lemma) return false;
  // Base and -s forms of listed verbs are often nouns ("state", "point", "comments"):
  // accept them only where PolNeAR train shows them heading cues often enough.
  const inflected = norm !== lemma && !norm.endsWith('s');
  if (d && d.occ >= 8 && ratio < 0.15) return false;
  return inflected || ratio >= 0.2;
}

function lemmaOf(norm: string): string | null {
  return LEXICON.verbForms.get(norm) ?? null;
}

const isPunct = (t: Tok | undefined, p: string): boolean => !!t && !t.word && t.norm === p;
const isSentenceEnd = (t: Tok | undefined): boolean => !!t && !t.word && (t.norm === '.' || t.norm === '!' || t.norm === '?' || t.norm === '...' || t.norm === '…');

// ---------------------------------------------------------------------------
// Units: the segmenter's sentences, merged where a boundary lies inside a quote.

function buildUnits(input: ExtractInput, regions: QuoteRegion[]): Unit[] {
  const { text, sentences, tokens } = input;
  const spans: (Span & { paragraph: number })[] = [];
  let r = 0;
  for (const s of sentences) {
    const prev = spans[spans.length - 1];
    if (prev && prev.paragraph === s.paragraph) {
      // A sentence that starts in lower case continues the previous one ("….” said X.").
      const first = /\S/.exec(text.slice(s.start, Math.min(s.end, s.start + 8)));
      if (first && /\p{Ll}/u.test(first[0])) {
        prev.end = s.end;
        continue;
      }
      while (r < regions.length && regions[r].end <= prev.end) r++;
      // Merge when a region opened before the boundary and closes after it.
      let inside = false;
      for (let k = r; k < regions.length && regions[k].start < prev.end; k++) {
        if (regions[k].end > prev.end) inside = true;
      }
      if (inside) {
        prev.end = s.end;
        continue;
      }
    }
    spans.push({ start: s.start, end: s.end, paragraph: s.paragraph });
  }
  // Tokens per unit (both lists are sorted by offset).
  const units: Unit[] = [];
  let t = 0;
  let reg = 0;
  for (const s of spans) {
    while (t < tokens.length && tokens[t].start < s.start) t++;
    const toks: Tok[] = [];
    while (t < tokens.length && tokens[t].end <= s.end) {
      const tk = tokens[t];
      while (reg < regions.length && regions[reg].end <= tk.start) reg++;
      const inReg = reg < regions.length && regions[reg].start <= tk.start && tk.end <= regions[reg].end;
      const c0 = text.charCodeAt(tk.start);
      const cap = (c0 >= 65 && c0 <= 90) || (c0 > 127 && /\p{Lu}/u.test(text[tk.start]));
      toks.push({
        start: tk.start,
        end: tk.end,
        norm: tk.norm,
        word: tk.kind === 'word' || tk.kind === 'number',
        cap,
        region: inReg ? reg : -1,
        open: inReg && tk.start === regions[reg].start,
        close: inReg && tk.end === regions[reg].end && regions[reg].closed,
      });
      t++;
    }
    units.push({ start: s.start, end: s.end, paragraph: s.paragraph, toks });
  }
  return units;
}

// ---------------------------------------------------------------------------

/** End of the content of a unit: drop the sentence-final period outside quotes. */
function contentEndIndex(toks: Tok[], to: number): number {
  let k = to;
  while (k > 0 && toks[k - 1].region < 0 && (isSentenceEnd(toks[k - 1]) || isPunct(toks[k - 1], ',') || isPunct(toks[k - 1], ';'))) k--;
  return k;
}

function spanOf(toks: Tok[], from: number, to: number): Span | null {
  if (to <= from) return null;
  return { start: toks[from].start, end: toks[to - 1].end };
}

interface SourceFound {
  from: number;
  to: number;
  /** What stopped the leftward scan. */
  boundary: 'start' | 'comma' | 'quote' | 'cue' | 'that' | 'break';
  /** Index of the boundary token (comma / closing mark), or -1. */
  boundaryAt: number;
}

/**
 * The source NP left of a cue at `cueFrom` (aux already skipped), scanning back
 * to a boundary. Appositions ("Ridley, an analyst at Northgate, said") stay in.
 */
function findSourceLeft(toks: Tok[], cueFrom: number, floor: number, cueIdx: Set<number>): SourceFound | null {
  let k = cueFrom - 1;
  const to = cueFrom;
  let appositionOpen = false;
  if (k >= floor && isPunct(toks[k], ',') && toks[k].region < 0) {
    // "Name, an analyst at X, said": the comma closes an apposition.
    appositionOpen = true;
    k--;
  }
  let commas = 0;
  while (k >= floor) {
    const t = toks[k];
    if (t.region >= 0) return finish(k + 1, 'quote', k);
    if (cueIdx.has(k)) return finish(k + 1, 'cue', k);
    if (t.word && t.norm === 'that' && k + 1 < to) return finish(k + 1, 'that', k);
    if (!t.word && CLAUSE_BREAK.has(t.norm)) return finish(k + 1, 'break', k);
    if (t.word && SUBORDINATORS.has(t.norm) && k + 1 < to) {
      // "Latin American and Middle Eastern experts", "Smith and Jones said": coordination inside the NP.
      const coordinated = (t.norm === 'and' || t.norm === 'or') && k > floor && toks[k - 1].word && toks[k - 1].cap;
      if (!coordinated) return finish(k + 1, 'break', k);
    }
    if (isPunct(t, ',')) {
      if (appositionOpen && commas === 0) {
        commas++;
        appositionOpen = false;
        k--;
        continue;
      }
      return finish(k + 1, 'comma', k);
    }
    // A period inside a unit is an abbreviation ("Mr.", "U.S."): units are already sentences.
    k--;
  }
  return finish(floor, 'start', -1);

  function finish(from: number, boundary: SourceFound['boundary'], boundaryAt: number): SourceFound | null {
    // Drop leading conjunctions and discourse adverbs.
    while (from < to && toks[from].word && LEADING_DROP.has(toks[from].norm)) from++;
    while (from < to && !toks[from].word && toks[from].norm !== '"') from++;
    if (from >= to) return null;
    return { from, to, boundary, boundaryAt };
  }
}

/** A plausible source NP: short, no cue verb or modal inside, not starting with a preposition. */
function plausibleSource(toks: Tok[], from: number, to: number, strong: boolean): boolean {
  let words = 0;
  for (let k = from; k < to; k++) {
    const t = toks[k];
    if (!t.word) continue;
    words++;
    if (/^(would|will|could|should|can|may|might|must|to|is|are|was|were|been|be|do|does|did|if|when|because|not|never)$/.test(t.norm) && k > from) return false;
  }
  if (words === 0) return false;
  if (words > (strong ? 16 : 14)) return false;
  const first = toks[from].norm;
  if (/^(in|on|at|for|with|from|by|after|before|during|to|of|about|as|if|when|because|while|although|it|there|this|what|how|why|where)$/.test(first)) {
    // "It was said", "There is", fronted prepositions: not a source.
    return false;
  }
  return true;
}

/** Tokens right of the cue that form an inverted source ("…,” said Tom Ridley, an analyst."). */
function findSourceRight(toks: Tok[], from: number, to: number): number {
  let k = from;
  let words = 0;
  while (k < to) {
    const t = toks[k];
    if (t.region >= 0) break;
    if (isSentenceEnd(t) && !(t.norm === '.' && k > from && toks[k - 1].word && toks[k - 1].end === t.start && toks[k - 1].end - toks[k - 1].start <= 3 && toks[k - 1].cap)) break;
    if (t.word && (t.norm === 'who' || t.norm === 'which' || t.norm === 'adding' || t.norm === 'noting' || t.norm === 'that') && k > from) {
      // "said the same capitals that preach …": a relative "that" with no comma before it
      // belongs to a clause complement, not to an inverted source NP.
      if (t.norm === 'that' && toks[k - 1].word) return -1;
      // ", who …" ends the source NP; keep the comma out.
      if (k > from && isPunct(toks[k - 1], ',')) k--;
      break;
    }
    if (t.word) words++;
    // A finite verb means a clause, not an inverted source NP ("…, said the timetable was tight").
    if (t.word && /^(is|are|was|were|has|have|had|will|would|could|can|did|does|do|should|may|might|must)$/.test(t.norm)) return -1;
    k++;
  }
  if (words === 0 || words > 16) return -1;
  return k;
}

// ---------------------------------------------------------------------------

export function extract(input: ExtractInput): Extracted {
  const { text, paragraphs } = input;
  const regions = findQuoteRegions(text, paragraphs);
  const units = buildUnits(input, regions);
  const drafts: Draft[] = [];

  for (let u = 0; u < units.length; u++) {
    const toks = units[u].toks;
    const n = toks.length;
    if (n === 0) continue;
    const unitDrafts: number[] = [];
    const cueIdx = new Set<number>();
    // Headline / transcript colon (#16): "Vasquez: Bridge will reopen in May".
    if (u === 0 || units[u - 1].paragraph !== units[u].paragraph) {
      // Transcripts open the line with a quote mark: "WALLACE: …
      const s0 = toks[0] && !toks[0].word && /^["'“”]$/.test(toks[0].norm) ? 1 : 0;
      const colon = toks.findIndex((x, k) => k > s0 && k <= 5 + s0 && !x.word && x.norm === ':');
      if (colon > s0 && toks.slice(s0, colon).every((x) => x.word && (x.cap || /^(of|the|and)$/.test(x.norm))) && !COLON_LABELS.test(toks[s0].norm)) {
        const cEnd = contentEndIndex(toks, n);
        const content = spanOf(toks, colon + 1, cEnd);
        if (content && cEnd - colon > 3) {
          cueIdx.add(colon);
          pushDraft({ unit: u, cue: spanOf(toks, colon, colon + 1), cueText: ':', source: spanOf(toks, s0, colon), parts: [content], addressee: null, sameSourceAs: null, contentAfter: true });
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const t = toks[i];
      if (!t.word || t.region >= 0) continue;
      const norm = t.norm;

      // --- "according to X" (#10)
      if (norm === 'according' && toks[i + 1]?.norm === 'to') {
        const cue = spanOf(toks, i, i + 2)!;
        cueIdx.add(i).add(i + 1);
        const before = firstContentIndex(toks, 0, i);
        let comma = i - 1;
        while (comma >= 0 && !isPunct(toks[comma], ',')) comma--;
        if (before < i && comma >= before && comma === i - 1) {
          // "CONTENT, according to SOURCE."
          const srcTo = findSourceRight(toks, i + 2, n);
          const srcEnd = srcTo < 0 ? contentEndIndex(toks, n) : srcTo;
          const source = spanOf(toks, i + 2, srcEnd);
          const content = spanOf(toks, before, comma);
          if (content) pushDraft({ unit: u, cue, cueText: 'according to', source, parts: [content], addressee: null, sameSourceAs: null, contentAfter: false });
        } else {
          // "According to SOURCE, CONTENT."
          let c = i + 2;
          while (c < n && !isPunct(toks[c], ',') && toks[c].region < 0) c++;
          const source = spanOf(toks, i + 2, c);
          const cEnd = contentEndIndex(toks, n);
          const content = spanOf(toks, c + 1, cEnd);
          if (source && content) pushDraft({ unit: u, cue, cueText: 'according to', source, parts: [content], addressee: null, sameSourceAs: null, contentAfter: true });
        }
        i++;
        continue;
      }

      // --- light-verb cue "made (it) clear" (#12)
      let cueEnd = i + 1;
      let isCue = false;
      if ((norm === 'made' || norm === 'make' || norm === 'makes' || norm === 'making') && (toks[i + 1]?.norm === 'clear' || (toks[i + 1]?.norm === 'it' && toks[i + 2]?.norm === 'clear'))) {
        cueEnd = toks[i + 1].norm === 'clear' ? i + 2 : i + 3;
        isCue = true;
      } else if ((norm === 'went' || norm === 'go' || norm === 'goes') && toks[i + 1]?.norm === 'on' && toks[i + 2]?.norm === 'to' && toks[i + 3] && isCueForm(toks[i + 3].norm)) {
        cueEnd = i + 4;
        isCue = true;
      } else if (isCueForm(norm) && !(t.cap && i > 0 && !toks[i - 1].close && !isPunct(toks[i - 1], ','))) {
        isCue = true;
        const parts = LEXICON.particles.get(norm);
        if (parts && toks[i + 1] && parts.has(toks[i + 1].norm)) cueEnd = i + 2;
      }
      if (!isCue) continue;

      // Auxiliaries directly before the cue ("has said") belong to the cue.
      let cueStart = i;
      while (cueStart > 0 && toks[cueStart - 1].word && /^(has|have|had)$/.test(toks[cueStart - 1].norm) && toks[cueStart - 1].region < 0) cueStart--;
      const lemma = lemmaOf(norm) ?? norm;
      const strong = lemma === 'say' || lemma === 'tell' || lemma === 'add' || lemma === 'write';

      // Skip adverbs/aux between the source and the cue.
      let left = cueStart;
      while (left > 0 && toks[left - 1].word && toks[left - 1].region < 0 && (AUX.has(toks[left - 1].norm) || /ly$/.test(toks[left - 1].norm)) && left - 1 > 0) left--;

      // Passive ("had been warned", "was asked"): the subject is not the speaker.
      let passive = false;
      for (let k = left; k < cueStart; k++) if (/^(is|are|was|were|be|been|being|get|got)$/.test(toks[k].norm)) passive = true;
      if (passive && /ed$|^(told|written|known|seen|thought|found)$/.test(norm)) continue;
      const cue = spanOf(toks, cueStart, cueEnd)!;
      const cueText = text.slice(cue.start, cue.end);

      // --- -ing second cue: ", adding that …" (#5)
      if (ING_SECOND.test(norm) && i > 0 && isPunct(toks[i - 1], ',') && unitDrafts.length > 0) {
        const prev = unitDrafts[unitDrafts.length - 1];
        const after = contentAfterCue(toks, cueEnd, n, norm);
        const lead = !after && isPunct(toks[cueEnd], ':') && cueEnd + 1 >= n - 0 ? nextQuoteContent(u) : null;
        if (after || lead) {
          cueIdx.add(i);
          pushDraft({ unit: u, cue, cueText, source: drafts[prev].source, parts: [after ? after.content : lead!], addressee: after?.addressee ?? null, sameSourceAs: prev, contentAfter: true });
          i = Math.max(i, cueEnd - 1);
          continue;
        }
      }
      // A participle after a comma is never a main-clause cue with its own subject on the left.
      if (ING_SECOND.test(norm) && i > 0 && isPunct(toks[i - 1], ',')) continue;

      if (ING_SECOND.test(norm) && i > 0 && isPunct(toks[i - 1], ',') && unitDrafts.length === 0) {
        const subj = sentenceSubject(toks, i);
        const after = subj ? contentAfterCue(toks, cueEnd, n, norm) : null;
        if (subj && after && !after.parenthetical) {
          cueIdx.add(i);
          pushDraft({ unit: u, cue, cueText, source: subj, parts: [after.content], addressee: after.addressee, sameSourceAs: null, contentAfter: true });
          i = Math.max(i, cueEnd - 1);
          continue;
        }
      }

      // --- inverted cue after the content: "…,” said X." / "…, says X." (#3)
      const prevTok = toks[cueStart - 1];
      if (prevTok && (isPunct(prevTok, ',') || prevTok.close) && cueStart >= 2 && (strong || lemma !== norm)) {
        const srcEnd = findSourceRight(toks, cueEnd, n);
        const nextTok = toks[cueEnd];
        if (srcEnd > cueEnd && nextTok && nextTok.word && nextTok.norm !== 'that' && !/^(by|in|on|to|for|about|at|of|with|it|this)$/.test(nextTok.norm)) {
          const cEnd = prevTok.close ? cueStart : cueStart - 1;
          const cStart = firstContentIndex(toks, contentFloor(), cEnd);
          const content = spanOf(toks, cStart, cEnd);
          if (content && toks.slice(cStart, cEnd).some((x) => x.word)) {
            cueIdx.add(i);
            const src = spanOf(toks, cueEnd, contentEndIndex(toks, srcEnd))!;
            const parts = [content];
            // "…,” said X, “second part.”"
            const rest = trailingPart(toks, srcEnd, n);
            if (rest) parts.push(rest);
            pushDraft({ unit: u, cue, cueText, source: src, parts, addressee: null, sameSourceAs: null, contentAfter: false });
            i = Math.max(i, srcEnd - 1);
            continue;
          }
        }
      }

      // --- source on the left (#1, #2, #8, #9, #12, #20)
      const src = findSourceLeft(toks, left, contentFloor(), cueIdx);
      if (!src || !plausibleSource(toks, src.from, src.to, strong)) continue;
      const source = spanOf(toks, src.from, src.to)!;

      let after = contentAfterCue(toks, cueEnd, n, norm);
      const before = src.boundary === 'comma' || src.boundary === 'quote' ? precedingContent(toks, src) : null;

      let addressee: Span | null = null;
      const afterFirst = after ? toks.find((x) => x.start === after!.content.start) : undefined;
      if (before && after && !after.parenthetical && !after.marked && (wordCount(toks, after.content) <= 6 || (afterFirst && /^(at|in|on|during|after|before|from|of|about|with|while|when|as|to|via|through|outside|inside|upon|for)$/.test(afterFirst.norm)))) {
        // "“…,” he told the Meridian agency." — what follows the cue is the addressee or an adverbial.
        if (LEXICON.addresseeVerbs.has(norm)) addressee = after.content;
        after = null;
      }
      if (before && after && src.boundary === 'quote' && text[after.content.start] !== undefined && toks.some((x) => x.open && x.start === after!.content.start)) {
        // "“A,” Solano said, “B.”": one statement in two pieces (#4).
        after = { ...after, parenthetical: true };
      }
      if (before && (!after || after.parenthetical)) {
        // Content first (#1, #9); a comma after the cue continues it (#4, #9).
        const parts = [before];
        if (after && after.parenthetical) parts.push(after.content);
        cueIdx.add(i);
        pushDraft({ unit: u, cue, cueText, source, parts, addressee, sameSourceAs: null, contentAfter: false });
        i = Math.max(i, cueEnd - 1);
        continue;
      }
      if (after && !after.parenthetical) {
        if (!strong && !after.marked && !BARE_COMPLEMENT.has(lemma) && !LEXICON.derived.has(norm)) continue;
        cueIdx.add(i);
        pushDraft({ unit: u, cue, cueText, source, parts: [after.content], addressee: after.addressee, sameSourceAs: null, contentAfter: true });
        i = Math.max(i, cueEnd - 1);
        continue;
      }
      // Cue at the end of a sentence ending in ":" (colon lead-in, #6): content is the next quote.
      if (toks[cueEnd] && isPunct(toks[cueEnd], ':') && cueEnd + 1 >= contentEndIndex(toks, n)) {
        const next = nextQuoteContent(u);
        if (next) {
          cueIdx.add(i);
          pushDraft({ unit: u, cue, cueText, source, parts: [next], addressee: null, sameSourceAs: null, contentAfter: true });
        }
      }
    }

    // Dash attribution (#17): "“…” ― Sonya Herridge" — a quotation, a dash, then a name.
    for (let k = 1; k + 1 < n; k++) {
      const d = toks[k];
      if (d.word || d.region >= 0 || !/^(―|—|–|-|--)$/.test(d.norm) || !toks[k - 1].close) continue;
      let e = k + 1;
      while (e < n && toks[e].word && toks[e].cap && toks[e].region < 0) e++;
      if (e === k + 1 || e - k > 5) continue;
      if (e < n && !(isSentenceEnd(toks[e]) || isPunct(toks[e], ',') || toks[e].open)) continue;
      const reg = regions[toks[k - 1].region];
      if (cueIdx.has(k)) continue;
      cueIdx.add(k);
      pushDraft({ unit: u, cue: spanOf(toks, k, k + 1), cueText: text.slice(d.start, d.end), source: spanOf(toks, k + 1, e), parts: [{ start: reg.start, end: reg.end }], addressee: null, sameSourceAs: null, contentAfter: false });
    }

    // Sentence-level colon lead-in "…, adding:" at the end of a unit with a source already.
    const last = toks[n - 1];
    if (isPunct(last, ':') && unitDrafts.length > 0) {
      const d = drafts[unitDrafts[unitDrafts.length - 1]];
      const next = nextQuoteContent(u);
      if (next && d.parts.every((p) => p.end <= last.start)) {
        // An -ing cue right before the colon: "…, he said, adding:"
        const before = toks[n - 2];
        if (before && before.word && ING_SECOND.test(before.norm)) {
          pushDraft({ unit: u, cue: { start: before.start, end: before.end }, cueText: text.slice(before.start, before.end), source: d.source, parts: [next], addressee: null, sameSourceAs: unitDrafts[unitDrafts.length - 1], contentAfter: true });
        }
      }
    }

    function contentFloor(): number {
      // Content and sources of a new relation stay right of the previous relation's cue.
      if (unitDrafts.length === 0) return 0;
      const d = drafts[unitDrafts[unitDrafts.length - 1]];
      if (!d.contentAfter) {
        // Content-first relation: everything before its end is used.
        const end = Math.max(d.cue?.end ?? 0, d.source?.end ?? 0, ...d.parts.map((p) => p.end));
        let k = 0;
        while (k < n && toks[k].start < end) k++;
        return k;
      }
      return 0;
    }

    function pushDraft(d: Draft): void {
      unitDrafts.push(drafts.length);
      drafts.push(d);
    }
  }

  // Continuations: "“A,” she said. “B.”" — a following unit in the same paragraph that is
  // one quotation with no cue of its own joins the relation (#4).
  const byUnit = new Map<number, number[]>();
  drafts.forEach((d, k) => byUnit.set(d.unit, [...(byUnit.get(d.unit) ?? []), k]));
  for (let u = 0; u < units.length; u++) {
    const ds = byUnit.get(u);
    if (!ds) continue;
    const d = drafts[ds[ds.length - 1]];
    if (d.contentAfter || !d.parts.some((p) => quotedShare(p) > 0.5)) continue;
    for (let v = u + 1; v < units.length && units[v].paragraph === units[u].paragraph && !byUnit.has(v); v++) {
      const q = wholeQuote(units[v]);
      if (!q) break;
      if (d.parts.some((p) => p.start === q.start)) break;
      d.parts.push(q);
    }
  }

  // Multi-paragraph quotes: content that starts inside a region opened in an earlier paragraph
  // is extended back to the region's opening mark (#7).
  for (const d of drafts) {
    const p0 = d.parts[0];
    if (!p0) continue;
    const reg = regions.find((r) => r.start < p0.start && p0.start < r.end && r.paragraphs.length > 1);
    if (reg) d.parts[0] = { start: reg.start, end: p0.end };
  }

  // One relation per content: a colon lead-in and a later "…,” she said." on the same quote
  // are the same statement; keep the one whose cue follows the content.
  const out: Draft[] = [];
  for (const d of drafts) {
    const twin = out.findIndex((o) => o.parts[0] && d.parts[0] && o.parts[0].start === d.parts[0].start && o.parts[0].end === d.parts[0].end);
    if (twin < 0) out.push(d);
    else if (out[twin].contentAfter && !d.contentAfter) out[twin] = d;
  }
  // sameSourceAs indices refer to the old list: remap.
  const index = new Map(drafts.map((d, k) => [d, k] as const));
  const remap = new Map<number, number>();
  out.forEach((d, k) => remap.set(index.get(d)!, k));
  for (const d of out) if (d.sameSourceAs !== null) d.sameSourceAs = remap.get(d.sameSourceAs) ?? null;

  return { units, regions, drafts: out };

  // -------------------------------------------------------------------------

  function quotedShare(p: Span): number {
    let inside = 0;
    for (const r of regions) inside += Math.max(0, Math.min(r.end, p.end) - Math.max(r.start, p.start));
    return p.end > p.start ? inside / (p.end - p.start) : 0;
  }

  function wholeQuote(unit: Unit): Span | null {
    const toks = unit.toks;
    if (!toks.length || !toks[0].open) return null;
    const reg = toks[0].region;
    let k = 0;
    while (k < toks.length && toks[k].region === reg) k++;
    // Allow only trailing sentence punctuation after the region.
    for (let j = k; j < toks.length; j++) if (toks[j].word) return null;
    return { start: toks[0].start, end: toks[k - 1].end };
  }

  /** The quotation that opens the unit after `u` (colon lead-in), whole region. */
  function nextQuoteContent(u: number): Span | null {
    const next = units[u + 1];
    if (!next || !next.toks.length) return null;
    const t0 = next.toks[0];
    if (!t0.open) return null;
    const reg = regions[t0.region];
    return { start: reg.start, end: reg.end };
  }
}

/** The subject of a sentence as a proxy for an -ing cue's source: a leading name run or pronoun. */
function sentenceSubject(toks: Tok[], before: number): Span | null {
  let k = 0;
  while (k < before && (!toks[k].word || LEADING_DROP.has(toks[k].norm))) k++;
  if (k >= before || toks[k].region >= 0) return null;
  if (/^(he|she|they|we|i|it)$/.test(toks[k].norm)) return spanOf(toks, k, k + 1);
  let j = k;
  if (/^(the|a|an)$/.test(toks[j].norm)) j++;
  const capStart = j;
  while (j < before && toks[j].word && (toks[j].cap || /^(of|for|the)$/.test(toks[j].norm) && toks[j + 1]?.cap)) j++;
  if (j === capStart || j - k > 8) return null;
  return spanOf(toks, k, j);
}

function wordCount(toks: Tok[], span: Span): number {
  let n = 0;
  for (const t of toks) if (t.word && t.start >= span.start && t.end <= span.end) n++;
  return n;
}

/** First index ≥ from that can start content (skips leading punctuation other than quote marks). */
function firstContentIndex(toks: Tok[], from: number, to: number): number {
  let k = from;
  while (k < to && !toks[k].word && !toks[k].open && toks[k].region < 0) k++;
  return k;
}

/** Content before a source that is bounded by a comma or a closing quote mark. */
function precedingContent(toks: Tok[], src: SourceFound): Span | null {
  const b = src.boundaryAt;
  if (b < 0) return null;
  const t = toks[b];
  const end = t.region >= 0 ? b + 1 : b; // include a closing mark; drop the comma
  let from = 0;
  // Stop at an earlier cue relation? Content-first runs to the unit start.
  from = firstContentIndex(toks, from, end);
  let words = 0;
  for (let k = from; k < end; k++) if (toks[k].word) words++;
  if (words < 2) return null;
  return { start: toks[from].start, end: toks[end - 1].end };
}

/** Content after the cue; `parenthetical` when the cue is followed by a comma and more content. */
function contentAfterCue(
  toks: Tok[],
  cueEnd: number,
  n: number,
  cueNorm: string,
): { content: Span; addressee: Span | null; parenthetical: boolean; marked: boolean } | null {
  let end = contentEndIndex(toks, n);
  let k = cueEnd;
  let addressee: Span | null = null;
  if (k >= end) return null;
  // The content stops before a second cue: ", adding …", ", according to …", "and said …".
  for (let j = k + 1; j < end; j++) {
    const tj = toks[j];
    if (tj.region >= 0 || !tj.word) continue;
    const prev = toks[j - 1];
    if (isPunct(prev, ',') && (ING_SECOND.test(tj.norm) || (tj.norm === 'according' && toks[j + 1]?.norm === 'to'))) {
      end = j - 1;
      break;
    }
    if (prev.word && prev.norm === 'and' && prev.region < 0 && isCueForm(tj.norm) && LEXICON.verbForms.has(tj.norm)) {
      end = isPunct(toks[j - 2], ',') ? j - 2 : j - 1;
      break;
    }
  }
  if (k >= end) return null;
  const t = toks[k];
  // "X said, “…”" / "X said: “…”"
  if (!t.word && (t.norm === ':' || t.norm === ',') && toks[k + 1]?.open) {
    return { content: { start: toks[k + 1].start, end: toks[end - 1].end }, addressee, parenthetical: false, marked: true };
  }
  if (!t.word && t.norm === ':') {
    const c = spanOf(toks, k + 1, end);
    return c ? { content: c, addressee, parenthetical: false, marked: true } : null;
  }
  if (isPunct(t, ',')) {
    // Parenthetical: "The bridge, Vasquez said, will reopen" — the rest of the sentence.
    const c = firstContentIndex(toks, k + 1, end);
    if (c >= end) return null;
    if (ING_SECOND.test(toks[c].norm)) return null;
    if (toks[c].norm === 'according') return null;
    return { content: { start: toks[c].start, end: toks[end - 1].end }, addressee, parenthetical: true, marked: false };
  }
  if (t.open) {
    return { content: { start: t.start, end: toks[end - 1].end }, addressee, parenthetical: false, marked: true };
  }
  // Addressee after "told" (#11).
  if (LEXICON.addresseeVerbs.has(cueNorm) && t.word) {
    let a = k;
    while (a < end && a - k < 6 && toks[a].word && toks[a].norm !== 'that' && toks[a].region < 0) a++;
    if (a > k && a < end && (toks[a].norm === 'that' || isPunct(toks[a], ',') || isPunct(toks[a], ':') || toks[a].open)) {
      addressee = spanOf(toks, k, a);
      k = a;
      if (isPunct(toks[k], ',') || isPunct(toks[k], ':')) k++;
    } else if (a > k && a - k <= 3) {
      // "told Sputnik the deal was dead": take a short capitalised / pronoun object.
      const b = toks[k].cap || /^(him|her|them|me|us|reporters|journalists)$/.test(toks[k].norm) ? k + 1 : k;
      let bb = b;
      while (bb < a && toks[bb].cap) bb++;
      if (bb > k) {
        addressee = spanOf(toks, k, bb);
        k = bb;
      }
    }
  }
  // "said on Sunday that …": the complementiser within a few tokens starts the content.
  for (let j = k; j < Math.min(end, k + 8); j++) {
    const tj = toks[j];
    if (tj.region >= 0) break;
    if (tj.word && tj.norm === 'that') {
      let ok = true;
      for (let q = k; q < j; q++) if (!toks[q].word || !TIME_OR_PLACE.test(toks[q].norm) && !toks[q].cap && !/^\d/.test(toks[q].norm)) ok = false;
      if (ok) {
        const c = spanOf(toks, j, end);
        return c ? { content: c, addressee, parenthetical: false, marked: true } : null;
      }
      break;
    }
  }
  if (isSentenceEnd(toks[k])) return null;
  // Only adverbials after the cue ("said Sunday", "told reporters on Tuesday"): no content here.
  let onlyAdverbial = true;
  for (let q = k; q < end && onlyAdverbial; q++) {
    const tq = toks[q];
    if (tq.region >= 0) onlyAdverbial = false;
    else if (tq.word && !TIME_OR_PLACE.test(tq.norm) && !/^\d/.test(tq.norm) && !(tq.cap && q > k)) onlyAdverbial = false;
  }
  if (onlyAdverbial && end - k <= 8) return null;
  const c = spanOf(toks, k, end);
  return c ? { content: c, addressee, parenthetical: false, marked: false } : null;
}

/** "…,” said X, “second part.”" — a quotation after the source, up to the unit end. */
function trailingPart(toks: Tok[], from: number, n: number): Span | null {
  let k = from;
  if (isPunct(toks[k], ',')) k++;
  if (k < n && toks[k].open) {
    const end = contentEndIndex(toks, n);
    return spanOf(toks, k, end);
  }
  return null;
}
