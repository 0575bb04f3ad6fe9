/**
 * Descriptors the text gives a person (notes/attribution.md §4 step 5):
 *   premodifier chains   "Argentine political analyst Luciano Anzelini" → "Argentine political analyst"
 *   appositions          "Anzelini, a professor at Lakeside University," → "professor at Lakeside University"
 *   reverse appositions  "the ministry's chief economist, Ana Ruiz," → "ministry's chief economist"
 *   copulas              "Ruiz is a pollster" / "Ruiz, who is a pollster" → "pollster"
 * Every descriptor is an exact slice of the text. Only phrases headed by a
 * role noun or a (non-courtesy) title count.
 */
import type { TextSpan, Token } from '../../document/types.ts';
import { readList } from '../../models/ner/lexicon.ts';
import { entityLexicon, isNationality, isRoleNoun, titleOf } from './lexicon.ts';

const MODIFIERS = new Set(readList(new URL('./data/modifiers.txt', import.meta.url)));
const ADJ_SUFFIX = /(?:al|ic|ive|ary|ory|ent|ant|ian|ist|ish|ous|ful|less|ior|ern|ese|ite|ile|-[\p{L}]+)$/u;

/** Words that end a descriptor phrase (function words, cue verbs, pronouns). */
const STOP = new Set(
  (
    'the a an this that these those his her its their our my your and or but nor to by with from for of at in on as than ' +
    'said says say saying told tells tell added adds according asked wrote writes noted warned argued claimed explained believes ' +
    'is was are were be been being has have had will would could should may might must can not no who whom whose which when where ' +
    'while after before because if he she they we i you it him them us me also then there here now yesterday today tomorrow ' +
    'monday tuesday wednesday thursday friday saturday sunday'
  ).split(' '),
);
/** -ed words that are adjectives before a role noun. */
const ED_ADJ = new Set('retired noted respected renowned celebrated acclaimed distinguished elected appointed disgraced jailed exiled detained imprisoned self-described self-styled so-called unnamed named'.split(' '));
const DETERMINERS = new Set('the a an his her its their our'.split(' '));
const LINKS = new Set(['for', 'of', 'at', 'to', 'with', 'in', 'from', 'on', 'by']);
const COPULA = new Set(['is', 'was', 'remains', 'became', 'becomes']);
const NP_END = new Set('who whom whose which that said says told added according and but while when where because after before since'.split(' '));

export interface DescriptorContext {
  text: string;
  tokens: Token[];
  /** Token index → true when the token lies inside an ORG/LOC/MISC span. */
  inNamedSpan: Uint8Array;
  /** Token index → true when the token lies inside a person mention. */
  inPerson: Uint8Array;
  /** First and one-past-last token index of each sentence. */
  sentenceStart: (tok: number) => number;
  sentenceEnd: (tok: number) => number;
  /** Optional memo of isRoleOrTitle per token (0 unknown, 1 yes, 2 no), same length as tokens. */
  roleOrTitle?: Uint8Array;
}

const low = (t: Token) => t.norm;
const isPunct = (t: Token) => t.kind === 'punct' || t.kind === 'symbol';
const isCap = (s: string) => /^\p{Lu}/u.test(s);

function slice(ctx: DescriptorContext, a: number, b: number): TextSpan {
  const start = ctx.tokens[a].start;
  const end = ctx.tokens[b - 1].end;
  return { start, end, text: ctx.text.slice(start, end) };
}

function isRoleOrTitle(ctx: DescriptorContext, i: number): boolean {
  const memo = ctx.roleOrTitle;
  if (memo && memo[i] !== 0) return memo[i] === 1;
  const t = ctx.tokens[i];
  const w = ctx.text.slice(t.start, t.end);
  let yes = isRoleNoun(w);
  if (!yes) {
    const ti = titleOf(w);
    yes = !!ti && !ti.courtesy;
  }
  if (memo) memo[i] = yes ? 1 : 2;
  return yes;
}

/** True when a phrase over tokens [a, b) contains a role noun or a title. */
function hasHead(ctx: DescriptorContext, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (isRoleOrTitle(ctx, i)) return true;
  // Two-word roles ("political scientist").
  const { roles } = entityLexicon();
  for (let i = a; i + 1 < b; i++) if (roles.has(`${low(ctx.tokens[i])} ${low(ctx.tokens[i + 1])}`)) return true;
  return false;
}

/** Premodifier chain ending right before token `nameStart`. */
export function premodifier(ctx: DescriptorContext, nameStart: number): TextSpan | null {
  const { tokens, text } = ctx;
  const s0 = ctx.sentenceStart(nameStart);
  let i = nameStart - 1;
  // A title's abbreviation dot ("Sen .") belongs to the descriptor; a courtesy title ("Mr") does not.
  let last = i;
  if (i >= s0 && low(tokens[i]) === '.') i--;
  if (i >= s0 && titleOf(text.slice(tokens[i].start, tokens[i].end))?.courtesy) last = i = i - 1;
  if (i >= s0 && low(tokens[i]) === '.') last = i = i - 1;
  if (i < s0) return null;
  // Multi-word titles ("Secretary of State") end right before the name.
  let first = i;
  const { titles } = entityLexicon();
  let multi = false;
  for (let len = 4; len >= 2 && !multi; len--) {
    if (i - len + 1 < s0) continue;
    const words: string[] = [];
    for (let j = i - len + 1; j <= i; j++) words.push(low(tokens[j]));
    if (titles.has(words.join(' '))) {
      first = i - len + 1;
      i = first;
      multi = true;
    }
  }
  if (!multi && !isRoleOrTitle(ctx, i)) return null;
  let loose = 0;
  for (let j = first - 1; j >= s0 && last - j < 12; j--) {
    const t = tokens[j];
    const w = text.slice(t.start, t.end);
    const l = low(t);
    if (l === "'s" && j > s0) {
      // possessor: "Russia's", "the ministry's"
      const p = tokens[j - 1];
      if (isPunct(p) || STOP.has(low(p))) break;
      first = j - 1;
      j--;
      continue;
    }
    if (isPunct(t)) break;
    if (STOP.has(l)) break;
    if (ctx.inPerson[j]) break;
    if (isRoleOrTitle(ctx, j) || isNationality(w) || /^\d+-year-old$/.test(l) || ctx.inNamedSpan[j]) {
      first = j;
      continue;
    }
    if (t.kind !== 'word' || l.endsWith('ly')) break;
    if (!MODIFIERS.has(l) && !ED_ADJ.has(l) && !ADJ_SUFFIX.test(l)) break;
    if (++loose > 3) break;
    first = j;
  }
  const title = titleOf(text.slice(tokens[first].start, tokens[first].end));
  if (first === last && title?.courtesy) return null;
  if (low(tokens[first]) === '.') return null;
  return slice(ctx, first, last + 1);
}

/** Noun phrase starting at token i, up to punctuation or a clause word; null when it has no role head. */
function phraseAfter(ctx: DescriptorContext, i: number): TextSpan | null {
  const { tokens } = ctx;
  const end = ctx.sentenceEnd(i);
  if (i >= end) return null;
  if (DETERMINERS.has(low(tokens[i])) && low(tokens[i]) !== 'his' && low(tokens[i]) !== 'her') i++;
  let j = i;
  let linked = false;
  while (j < end && j - i < 15) {
    const t = tokens[j];
    if (isPunct(t) && low(t) !== '-' && low(t) !== '&') break;
    if (NP_END.has(low(t))) break;
    // Another person ends the phrase, unless a preposition links them ("spokesman for X", "adviser to Prime Minister X").
    if (ctx.inPerson[j] && !linked) break;
    if (LINKS.has(low(t))) linked = true;
    j++;
  }
  while (j > i && (LINKS.has(low(tokens[j - 1])) || DETERMINERS.has(low(tokens[j - 1])))) j--;
  if (j === i || !hasHead(ctx, i, j)) return null;
  return slice(ctx, i, j);
}

/** "Name, a professor at Y," → "professor at Y" (nameEnd is one past the name's last token). */
export function apposition(ctx: DescriptorContext, nameEnd: number): TextSpan | null {
  const { tokens } = ctx;
  const end = ctx.sentenceEnd(nameEnd);
  let i = nameEnd;
  if (i < end && low(tokens[i]) === "'s") return null;
  if (i >= end || low(tokens[i]) !== ',') return null;
  i++;
  if (i < end && (low(tokens[i]) === 'who' || low(tokens[i]) === 'a' || low(tokens[i]) === 'an' || low(tokens[i]) === 'the')) {
    if (low(tokens[i]) === 'who') return null;
  }
  // Skip an age: "Leah Cole, 41, a teacher,".
  if (i + 1 < end && tokens[i].kind === 'number' && low(tokens[i + 1]) === ',') i += 2;
  // An apposition opens like a noun phrase, not like a clause ("X, informing the press, …").
  if (i < end) {
    const t = tokens[i];
    const l = low(t);
    const w = ctx.text.slice(t.start, t.end);
    const nominal =
      DETERMINERS.has(l) || isCap(w) || t.kind === 'number' || isRoleOrTitle(ctx, i) || isNationality(w) ||
      MODIFIERS.has(l) || ED_ADJ.has(l) || /^\d+-year-old$/.test(l) || (ADJ_SUFFIX.test(l) && !l.endsWith('ing'));
    if (!nominal) return null;
  }
  const np = phraseAfter(ctx, i);
  if (!np) return null;
  // The phrase must be closed: by a comma, the sentence end, or a clause word. A determiner phrase
  // that runs on into a speech verb of its own is the subject of a new clause, not an apposition
  // ("At a briefing in Northgate, the mayor also said …" gives Northgate no descriptor); a bare
  // role phrase cannot be a subject ("Name, acting head of the branch said" keeps it).
  let k = i;
  while (k < end && tokens[k].end <= np.end) k++;
  if (k < end && DETERMINERS.has(low(tokens[i])) && (SPEECH_END.has(low(tokens[k])) || (low(tokens[k - 1]) === 'also' && k + 1 < end && SPEECH_END.has(low(tokens[k + 1]))))) return null;
  if (k < end && low(tokens[k - 1]) === 'also') return null;
  return np;
}

/** Verbs that end a phrase as its predicate rather than closing an apposition. */
const SPEECH_END = new Set('said says told tells added adds according'.split(' '));

/** "Name is a pollster", "Name, who is a pollster," → "pollster". */
export function copula(ctx: DescriptorContext, nameEnd: number): TextSpan | null {
  const { tokens } = ctx;
  const end = ctx.sentenceEnd(nameEnd);
  let i = nameEnd;
  if (i < end && low(tokens[i]) === ',' && i + 1 < end && low(tokens[i + 1]) === 'who') i += 2;
  if (i >= end) return null;
  if (COPULA.has(low(tokens[i]))) i++;
  else if ((low(tokens[i]) === 'has' || low(tokens[i]) === 'had') && i + 1 < end && low(tokens[i + 1]) === 'been') i += 2;
  else return null;
  if (i < end && (low(tokens[i]) === 'also' || low(tokens[i]) === 'now')) i++;
  if (i >= end || !['a', 'an', 'the'].includes(low(tokens[i]))) return null;
  return phraseAfter(ctx, i);
}

/** "the ministry's chief economist, Name," → "ministry's chief economist". */
export function reverseApposition(ctx: DescriptorContext, nameStart: number): TextSpan | null {
  const { tokens, text } = ctx;
  const s0 = ctx.sentenceStart(nameStart);
  const comma = nameStart - 1;
  if (comma <= s0 || low(tokens[comma]) !== ',') return null;
  const head = comma - 1;
  if (!isRoleOrTitle(ctx, head)) return null;
  let first = head;
  for (let j = head - 1; j >= s0 && head - j < 10; j--) {
    const t = tokens[j];
    const l = low(t);
    if (DETERMINERS.has(l)) break;
    if (l === "'s") {
      first = j;
      continue;
    }
    if (isPunct(t) || STOP.has(l) || ctx.inPerson[j]) return null;
    const w = text.slice(t.start, t.end);
    if (l.endsWith('ly') || (l.endsWith('ed') && !ED_ADJ.has(l) && !isCap(w))) return null;
    first = j;
  }
  // The phrase must begin the sentence or follow a determiner.
  const before = first - 1;
  if (before >= s0 && !DETERMINERS.has(low(tokens[before]))) {
    if (!(before === s0 - 1)) return null;
  }
  return slice(ctx, first, head + 1);
}
