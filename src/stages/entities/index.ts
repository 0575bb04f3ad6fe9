/**
 * The entities stage: named entities (persons, organisations, places, other)
 * with all their mentions, persons' gender and the descriptors the text gives
 * them.
 *
 * 1. Tag each sentence with the NER model (models/ner, PER/ORG/LOC/MISC).
 * 2. Clean the spans with the gazetteers: nationality adjectives and role
 *    words are never entities; outlets and international organisations are
 *    organisations; a title + capitalised word the tagger missed is a person.
 * 3. Give each repeated surface string its majority type.
 * 4. Cluster persons: a full name introduces a person; a later surname-only,
 *    title + surname or given-name-only mention attaches to the most recent
 *    compatible person (a title's gender must agree), so two people sharing a
 *    surname stay apart. Other entities cluster by name, with acronyms
 *    ("NATO") joined to their long form.
 * 5. Gender, strongest evidence first: Mr/Ms, gendered role nouns in the
 *    descriptors, the given-name list, a pronoun of one gender in the
 *    sentence of the full name when no other person is named there.
 * 6. Descriptors (see descriptors.ts).
 */
import type { Entity, EntityType, Mention, Segments, TextSpan, Token } from '../../document/types.ts';
import type { Stage, StageInput, StageOutput } from '../../document/stage.ts';
import { hasNerModel, nerModel, nerModelId, TAGS } from '../../models/ner/index.ts';
import { entityLexicon, givenNameGender, isNationality, isRoleNoun, roleGender, titleOf, type Gender } from './lexicon.ts';
import { readList } from '../../models/ner/lexicon.ts';
import { apposition, copula, premodifier, reverseApposition, type DescriptorContext } from './descriptors.ts';

export * from './helpers.ts';
export { isRoleNoun, roleNoun, roleGender, titleOf, isNationality, givenNameGender } from './lexicon.ts';

type Label = 'PER' | 'ORG' | 'LOC' | 'MISC';

interface RawMention {
  /** Token range [a, b). */
  a: number;
  b: number;
  label: Label;
}

const ORG_HEADS = new Set(readList(new URL('./data/org-heads.txt', import.meta.url)).map((w) => w.toLowerCase()));

/** Entity label of each tag index (TAGS: O, B-PER, I-PER, B-ORG, …). */
const TAG_LABEL = TAGS.map((t) => t.slice(2)) as Label[];
const TYPE: Record<Label, EntityType> = { PER: 'person', ORG: 'organization', LOC: 'place', MISC: 'other' };
const CONNECTORS = new Set(['of', 'the', 'and', 'for', 'de', 'du', 'la', 'le', 'von', 'van', 'der', 'al', 'bin', '&']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);
const PRONOUN_GENDER: Record<string, Gender> = { he: 'male', him: 'male', his: 'male', himself: 'male', she: 'female', her: 'female', hers: 'female', herself: 'female' };

const isCapWord = (s: string) => {
  const c = s.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  if (c < 128) return false;
  return /^\p{Lu}/u.test(s);
};
const initials = (x: string) =>
  x
    .split(' ')
    .filter((w) => w && !CONNECTORS.has(w))
    .map((w) => w[0])
    .join('');

/**
 * A common lower-case word, or the -s/-es form of one ("Calls", "Seeks", "Pushes"): headline verbs
 * in the third person that the model's list may hold only as a bare form. Used only to cut a
 * person span before a given name (a plural in a name, "United Nations", is never cut that way).
 */
function isCommonLowerForm(l: string, model: ReturnType<typeof nerModel>): boolean {
  return model.isCommonLower(l) || (/[^s]s$/.test(l) && model.isCommonLower(l.slice(0, -1))) || (/(sh|ch|x|z|ss)es$/.test(l) && model.isCommonLower(l.slice(0, -2)));
}

/**
 * Title Case headlines ("Experts Slam Western Sanctions") capitalise common
 * words; the tagger reads them as names. In a sentence where most words are
 * capitalised (but not all upper case), lower-case the words the model knows
 * as common lower-case words, unless a gazetteer lists them. In place.
 */
function headlineCase(words: string[], model: ReturnType<typeof nerModel>): boolean {
  let letters = 0;
  let caps = 0;
  let upper = 0;
  for (const w of words) {
    const c = w.charCodeAt(0);
    if (!(c >= 65 && c <= 90) && !(c >= 97 && c <= 122) && !(c > 127 && /^\p{L}/u.test(w))) continue;
    letters++;
    if (w.length > 1 && w === w.toUpperCase()) upper++;
    else if (isCapWord(w)) caps++;
  }
  if (letters < 2 || upper / letters > 0.5 || caps / letters < 0.6) return false;
  const lx = entityLexicon();
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!isCapWord(w) || (w.length > 1 && w === w.toUpperCase())) continue;
    const l = w.toLowerCase();
    if (!model.isCommonLower(l)) continue;
    if (lx.nationalities.has(l) || lx.countries.has(l) || lx.capitals.has(l) || lx.organizations.has(l) || lx.outlets.has(l) || lx.givenNames.has(l)) continue;
    words[i] = l;
  }
  return true;
}

/** Find the entities of a text given its tokens (the pure core of the stage). */
export function findEntities(text: string, tokens: readonly Token[], segments?: Segments, language = 'en'): Entity[] {
  const toks = tokens as Token[];
  const n = toks.length;
  if (n === 0) return [];
  // Surface words, sliced once.
  const W: string[] = new Array(n);
  for (let i = 0; i < n; i++) W[i] = text.slice(toks[i].start, toks[i].end);
  const word = (i: number) => W[i];
  const lx = entityLexicon();

  // Sentence bounds per token.
  const sStart = new Int32Array(n);
  const sEnd = new Int32Array(n);
  const sentences: [number, number][] = [];
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && toks[j].sentence === toks[i].sentence) j++;
    sentences.push([i, j]);
    for (let k = i; k < j; k++) {
      sStart[k] = i;
      sEnd[k] = j;
    }
    i = j;
  }

  // 1. Tag.
  const model = nerModel(modelLanguage(language));
  let raw: RawMention[] = [];
  // Title and heading lines (from the segments) written in Title Case.
  const headlineTok = new Uint8Array(n);
  const firstParagraphOneSentence = !!segments && segments.sentences.filter((x) => x.paragraph === 0).length === 1;
  for (const [a, b] of sentences) {
    const words = W.slice(a, b);
    const sent = segments?.sentences[toks[a].sentence];
    const role = sent ? segments!.paragraphs[sent.paragraph]?.role : undefined;
    // The first paragraph, when it is one sentence, is a headline the segmenter may not have marked
    // (a title line that ends in a full stop the metadata title lacks); headlineCase still asks for
    // a Title Case majority.
    const firstLine = !!sent && sent.paragraph === 0 && firstParagraphOneSentence;
    if ((role === 'title' || role === 'heading' || role === 'subtitle' || firstLine) && headlineCase(words, model)) {
      for (let i = a; i < b; i++) headlineTok[i] = 1;
    }
    // Chunks as chunks() reads them (an I-X that does not continue an X chunk starts one), on tag indices:
    // 0 is O, 2k+1 is B-X and 2k+2 is I-X of the k-th type.
    const tags = model.tagIndices(words);
    let cur: RawMention | null = null;
    for (let i = 0; i < tags.length; i++) {
      const t = tags[i];
      if (t === 0) {
        if (cur) raw.push(cur);
        cur = null;
        continue;
      }
      const label = TAG_LABEL[t];
      if ((t & 1) === 1 || !cur || cur.label !== label) {
        if (cur) raw.push(cur);
        cur = { a: a + i, b: a + i + 1, label };
      } else cur.b = a + i + 1;
    }
    if (cur) raw.push(cur);
  }

  // 1b. Our tokenizer splits an initial from its dot ("F" "."), CoNLL does not: join
  // person chunks that the dot after an initial cut in two ("John F. Kennedy").
  const joinInitials = () => {
    raw.sort((x, y) => x.a - y.a);
    for (let k = 0; k + 1 < raw.length; k++) {
      const m1 = raw[k];
      const m2 = raw[k + 1];
      if (m1.label !== 'PER' || m2.label !== 'PER') continue;
      const initial = (i: number) => i + 1 < n && /^\p{Lu}$/u.test(word(i)) && toks[i + 1].norm === '.';
      let j = m1.b;
      if (initial(m1.b - 1)) j = m1.b + 1; // "F" tagged, its dot not
      while (initial(j)) j += 2; // untagged initials in between ("T .")
      if (j > m1.b && m2.a === j && toks[j - 1].norm === '.') {
        m1.b = m2.b;
        raw.splice(k + 1, 1);
        k--;
      }
    }
  };
  joinInitials();

  // 2. Clean with the gazetteers.
  const phrase = (a: number, b: number) => {
    const ws: string[] = [];
    for (let i = a; i < b; i++) ws.push(toks[i].norm);
    return ws.join(' ');
  };
  // Per token: 0 not computed, 1 role-ish, 2 not.
  const roleish = new Uint8Array(n);
  const isRoleish = (i: number) => {
    const r = roleish[i];
    if (r !== 0) return r === 1;
    const w = word(i);
    const yes = w === '.' || ((isCapWord(w) || toks[i].kind === 'word') && (isRoleNoun(w) || !!titleOf(w) || isNationality(w)));
    roleish[i] = yes ? 1 : 2;
    return yes;
  };
  // A name in a Title Case headline counts only when the body repeats it (as a whole word
  // sequence), or repeats its last word (a surname).
  const bodyHas = (a: number, b: number): boolean => {
    const len = b - a;
    for (let i = 0; i + len <= n; i++) {
      if (headlineTok[i] || toks[i].norm !== toks[a].norm) continue;
      let ok = true;
      for (let k = 1; k < len; k++) if (headlineTok[i + k] || toks[i + k].norm !== toks[a + k].norm) { ok = false; break; }
      if (ok && isCapWord(word(i))) return true;
    }
    return false;
  };
  const inBody = (a: number, b: number) => bodyHas(a, b) || (b - a > 1 && !isRoleish(b - 1) && bodyHas(b - 1, b));
  // A Title Case headline runs two names together through a capitalised verb ("Ann Roe Calls Tom
  // Vale …"): a person span is cut at a word whose lower-case form (or its -s/-es stem) is a common
  // lower-case word when a given name follows it.
  const commonLower = (w: string) => isCommonLowerForm(w.toLowerCase(), model);
  for (let k = 0; k < raw.length; k++) {
    const m = raw[k];
    if (m.label !== 'PER' || !headlineTok[m.a] || m.b - m.a < 4) continue;
    for (let i = m.a + 2; i < m.b - 1; i++) {
      if (!isCapWord(word(i)) || !commonLower(word(i)) || !lx.givenNames.has(toks[i + 1].norm) || lx.givenNames.has(toks[i].norm)) continue;
      raw.splice(k + 1, 0, { a: i + 1, b: m.b, label: 'PER' });
      m.b = i;
      break;
    }
  }
  const cleaned: RawMention[] = [];
  for (const m of raw) {
    let { a, b } = m;
    while (b > a && (toks[b - 1].norm === "'s" || toks[b - 1].norm === "'" || toks[b - 1].kind === 'punct')) b--;
    // Names do not end in a lower-case word ("Luciano later"): particles sit inside ("de Kok").
    while (b - a > 1 && /^\p{Ll}/u.test(word(b - 1))) b--;
    if (m.label === 'PER') while (a < b - 1 && isRoleish(a)) a++;
    if (b <= a) continue;
    const p = phrase(a, b);
    if (isNationality(p)) continue;
    let all = true;
    for (let i = a; i < b; i++) if (!isRoleish(i)) all = false;
    if (all) continue;
    if (!/\p{L}/u.test(text.slice(toks[a].start, toks[b - 1].end))) continue;
    // Hyphenated adjectives ("Berlin-based", "pro-Russian") are not names of their own.
    if (b - a === 1 && /^(anti|pro)-/i.test(word(a))) continue;
    if (m.label === 'MISC' && b - a === 1 && /\p{L}-\p{L}/u.test(word(a)) && /^(pro|anti|non|ex|post|pre)-|-(based|backed|born|led|made|speaking|owned|run|style|bound|funded|linked|aligned|sponsored|controlled)$/i.test(word(a))) continue;
    let label = m.label;
    if (label === 'PER' && b - a === 1 && ORG_HEADS.has(p)) continue;
    if (lx.outlets.has(p) || lx.organizations.has(p)) label = 'ORG';
    else if ((lx.countries.has(p) || lx.capitals.has(p)) && label !== 'ORG') label = 'LOC';
    else if (label === 'LOC' && b - a > 1) {
      for (let i = a + 1; i < b; i++) if (ORG_HEADS.has(toks[i].norm)) label = 'ORG';
    } else if (b - a > 1 && ORG_HEADS.has(toks[b - 1].norm)) label = 'ORG';
    if (headlineTok[a] && !lx.countries.has(p) && !lx.capitals.has(p) && !lx.organizations.has(p) && !lx.outlets.has(p) && !inBody(a, b)) continue;
    cleaned.push({ a, b, label });
  }
  raw = cleaned;

  // 2a. A person named in full elsewhere (a given name first), with a title or an employer run into
  // the span ("U.S. Special Envoy Ann Roe", "Keldra News colleague Ann Roe" read as one
  // organisation): the span ending in that full name is the person.
  const fullPersons = new Set<string>();
  for (const m of raw) if (m.label === 'PER' && m.b - m.a >= 2 && lx.givenNames.has(toks[m.a].norm)) fullPersons.add(phrase(m.a, m.b));
  if (fullPersons.size) {
    for (const m of raw) {
      if (m.label === 'PER' || m.b - m.a < 3) continue;
      for (let k = m.a + 1; k <= m.b - 2; k++) {
        if (!fullPersons.has(phrase(k, m.b)) || lx.givenNames.has(toks[k - 1].norm)) continue;
        m.a = k;
        m.label = 'PER';
        break;
      }
    }
  }

  // 2b. Persons the tagger missed after a title ("Mr Anzelini", "Dr. Vale").
  const covered = new Uint8Array(n);
  for (const m of raw) for (let i = m.a; i < m.b; i++) covered[i] = 1;
  for (let i = 0; i < n; i++) {
    if (covered[i] || toks[i].kind !== 'word') continue;
    const w = word(i);
    if (!isCapWord(w)) continue;
    const ti = titleOf(w);
    if (!ti) continue;
    let j = i + 1;
    if (j < sEnd[i] && toks[j].norm === '.') j++;
    let k = j;
    while (k < sEnd[i] && k - j < 3 && !covered[k] && toks[k].kind === 'word' && isCapWord(word(k)) && !isRoleish(k) && !ORG_HEADS.has(toks[k].norm) && toks[k].norm !== "'s") k++;
    if (k > j) {
      raw.push({ a: j, b: k, label: 'PER' });
      for (let x = j; x < k; x++) covered[x] = 1;
    }
  }
  raw.sort((x, y) => x.a - y.a);

  // 3. Majority type per surface string.
  const votes = new Map<string, Record<string, number>>();
  for (const m of raw) {
    const p = phrase(m.a, m.b);
    const v = votes.get(p) ?? {};
    v[m.label] = (v[m.label] ?? 0) + 1;
    votes.set(p, v);
  }
  const personParts = new Set<string>();
  const personSingles = new Set<string>();
  for (const m of raw) if (m.label === 'PER' && m.b - m.a === 1) personSingles.add(toks[m.a].norm);
  // Surnames of the full names, also multi-word ones ("dijkhuis", "van dijkhuis").
  const personSuffixes = new Set<string>();
  for (const m of raw) {
    if (m.label !== 'PER' || m.b - m.a < 2) continue;
    for (let i = m.a; i < m.b; i++) personParts.add(toks[i].norm);
    for (let i = m.a + 1; i < m.b; i++) personSuffixes.add(phrase(i, m.b));
  }
  // Document-level consistency: a capitalised word the tagger left out in one
  // sentence but tagged elsewhere (a surname, a one-word place) gets that label.
  const single = new Map<string, Label>();
  for (const m of raw) if (m.b - m.a === 1 && m.label !== 'PER') single.set(phrase(m.a, m.b), m.label);
  for (let i = 0; i < n; i++) {
    if (covered[i] || toks[i].kind !== 'word' || toks[i].end - toks[i].start < 2 || !isCapWord(word(i)) || isRoleish(i)) continue;
    const w = toks[i].norm;
    const label: Label | undefined = personParts.has(w) ? 'PER' : single.get(w);
    if (!label) continue;
    raw.push({ a: i, b: i + 1, label });
    covered[i] = 1;
  }
  joinInitials();
  for (const m of raw) {
    const p = phrase(m.a, m.b);
    if (m.b - m.a === 1 && personParts.has(p) && !lx.countries.has(p) && !lx.organizations.has(p) && !lx.outlets.has(p)) {
      m.label = 'PER';
      continue;
    }
    // "Reneé Hall" typed as an organisation while "Hall" alone is a person: a short run of
    // capitalised words ending in a one-word person name is that person.
    if (m.label !== 'PER' && m.b - m.a <= 3 && personSingles.has(toks[m.b - 1].norm) && !lx.organizations.has(p) && !lx.outlets.has(p)) {
      let names = true;
      for (let i = m.a; i < m.b; i++) if (!isCapWord(word(i)) || ORG_HEADS.has(toks[i].norm) || isRoleish(i)) names = false;
      if (names) {
        m.label = 'PER';
        continue;
      }
    }
    // A surname of a person named in full elsewhere, alone or after another name ("Piet Van Dijkhuis").
    if (m.b - m.a > 1 && (personSuffixes.has(p) || (toks[m.a].kind === 'word' && !ORG_HEADS.has(toks[m.a].norm) && !isRoleish(m.a) && personSuffixes.has(phrase(m.a + 1, m.b))))) {
      m.label = 'PER';
      continue;
    }
    const v = votes.get(p) ?? { [m.label]: 1 };
    let best = m.label;
    for (const [l, c] of Object.entries(v)) if (c > (v[best] ?? 0)) best = l as Label;
    m.label = best;
  }

  // 4. Cluster.
  interface Draft {
    type: EntityType;
    name: string;
    /** Lower-case name words (persons: the parts of the full name). */
    parts: string[];
    full: boolean;
    mentions: (Mention & { a: number; b: number })[];
    titleGender: Gender | null;
    last: number;
    /** Organisations: initials of the name words, and the name without dots. */
    initials?: string;
    acronym?: string;
  }
  const drafts: Draft[] = [];
  const personDrafts: Draft[] = [];
  const byKey = new Map<string, Draft>();
  const span = (a: number, b: number): TextSpan => ({ start: toks[a].start, end: toks[b - 1].end, text: text.slice(toks[a].start, toks[b - 1].end) });
  const titleBefore = (a: number) => {
    let i = a - 1;
    if (i >= sStart[a] && toks[i].norm === '.') i--;
    return i >= sStart[a] ? titleOf(word(i)) : undefined;
  };

  for (let mi = 0; mi < raw.length; mi++) {
    const m = raw[mi];
    const s = span(m.a, m.b);
    if (m.label === 'PER') {
      const parts: string[] = [];
      for (let i = m.a; i < m.b; i++) if (toks[i].kind === 'word') parts.push(toks[i].norm);
      // Generational suffixes do not take part in matching ("Kennedy Jr." is Kennedy).
      while (parts.length > 1 && SUFFIXES.has(parts[parts.length - 1])) parts.pop();
      if (!parts.length) continue;
      const tGender = titleBefore(m.a)?.gender ?? null;
      const persons = personDrafts;
      const known = (d: Draft) => d.titleGender ?? (d.full && d.parts[0].length > 1 ? givenNameGender(d.parts[0]) : null);
      const compatible = (d: Draft) => {
        const g = tGender && known(d);
        return !g || g === tGender;
      };
      let target: Draft | undefined;
      let kind: Mention['kind'] = 'name';
      if (parts.length >= 2) {
        const key = parts.join(' ');
        target = persons.find((d) => d.full && d.parts.join(' ') === key);
        if (!target) {
          // A multi-word surname alone ("De Kok" after "Maarten de Kok"), or the same first and last name
          // with a middle name or initial added or dropped ("John F. Kennedy" / "John Kennedy").
          const ends = (d: Draft) => d.parts.length > parts.length && d.parts.slice(-parts.length).join(' ') === key;
          const sameEnds = (d: Draft) =>
            d.full && d.parts.length !== parts.length && d.parts[0] === parts[0] && d.parts[d.parts.length - 1] === parts[parts.length - 1];
          const bySuffix = persons.filter((d) => ends(d) && compatible(d)).sort((x, y) => y.last - x.last)[0];
          const byEnds = persons.filter((d) => sameEnds(d) && compatible(d)).sort((x, y) => y.last - x.last)[0];
          if (bySuffix) {
            target = bySuffix;
            kind = 'surname';
          } else if (byEnds) target = byEnds;
        }
        if (!target) {
          // A person first named by surname only ("Putin says …" in a headline) gets the full name now;
          // not one the text has already named four times or more by surname alone ("President
          // Obama" … "Michelle Obama" is someone else).
          const sur = parts[parts.length - 1];
          const lone = persons.filter((d) => !d.full && d.parts[0] === sur && compatible(d) && d.mentions.length <= 3).sort((x, y) => y.last - x.last)[0];
          if (lone) {
            lone.full = true;
            lone.parts = parts;
            lone.name = s.text;
            target = lone;
          }
        }
        if (!target) {
          // A surname with a particle met first ("De Blasio says …" in a headline) is the person a later
          // full name ending in it introduces ("Bill de Blasio"): that person, now with the full name.
          const early = persons
            .filter((d) => d.parts.length >= 2 && d.parts.length < parts.length && CONNECTORS.has(d.parts[0]) && parts.slice(-d.parts.length).join(' ') === d.parts.join(' ') && compatible(d))
            .sort((x, y) => y.last - x.last)[0];
          if (early) {
            for (const x of early.mentions) x.kind = 'surname';
            early.parts = parts;
            early.name = s.text;
            target = early;
          }
        }
      } else {
        const w = parts[0];
        const bySurname = persons.filter((d) => d.parts.length > 1 && d.parts[d.parts.length - 1] === w && compatible(d));
        const byOther = persons.filter((d) => d.parts.includes(w) && compatible(d) && !bySurname.includes(d));
        const pick = (xs: Draft[]) => xs.sort((x, y) => y.last - x.last)[0];
        if (bySurname.length) {
          target = pick(bySurname);
          kind = 'surname';
        } else if (byOther.length) {
          target = pick(byOther);
          kind = target.parts[0] === w && target.parts.length > 1 ? 'other' : 'surname';
          if (!target.full) kind = 'name';
        }
      }
      if (!target) {
        target = { type: 'person', name: s.text, parts, full: parts.length >= 2, mentions: [], titleGender: null, last: -1 };
        drafts.push(target);
        personDrafts.push(target);
      }
      if (tGender && !target.titleGender) target.titleGender = tGender;
      target.mentions.push({ start: s.start, end: s.end, text: s.text, kind, a: m.a, b: m.b });
      target.last = mi;
      continue;
    }
    const p = phrase(m.a, m.b).replace(/^the /, '');
    const type = TYPE[m.label];
    const key = `${type}:${p}`;
    let target = byKey.get(key);
    if (!target && type === 'organization') {
      // Acronym ↔ long form ("NATO" and "North Atlantic Treaty Organization").
      const single = m.b - m.a === 1;
      const compact = p.replace(/\./g, '');
      const mine = initials(p);
      for (const d of drafts) {
        if (d.type !== 'organization' || d.initials === undefined) continue;
        if ((single && compact.length >= 2 && d.initials === compact) || (d.parts.length === 1 && (d.acronym ?? '').length >= 2 && mine === d.acronym)) {
          target = d;
          break;
        }
      }
    }
    if (!target) {
      target = { type, name: s.text.replace(/^the\s+/i, ''), parts: p.split(' '), full: true, mentions: [], titleGender: null, last: -1 };
      if (type === 'organization') {
        target.initials = initials(p);
        target.acronym = p.replace(/\./g, '');
      }
      if (target.name.length === 0) target.name = s.text;
      drafts.push(target);
      byKey.set(key, target);
    }
    target.mentions.push({ start: s.start, end: s.end, text: s.text, kind: 'name', a: m.a, b: m.b });
    target.last = mi;
  }

  // "the Post" and "the Washington Post": a one-word organisation that is the last word of
  // exactly one longer organisation name is that organisation.
  for (let i = drafts.length - 1; i >= 0; i--) {
    const d = drafts[i];
    if (d.type !== 'organization' || d.parts.length !== 1) continue;
    const longer = drafts.filter((x) => x.type === 'organization' && x.parts.length > 1 && x.parts[x.parts.length - 1] === d.parts[0]);
    if (longer.length !== 1) continue;
    longer[0].mentions.push(...d.mentions.map((m) => ({ ...m, kind: 'other' as const })));
    longer[0].mentions.sort((x, y) => x.start - y.start);
    drafts.splice(i, 1);
  }

  // 6. Descriptors (before gender: gendered role nouns are evidence).
  const inNamedSpan = new Uint8Array(n);
  const inPerson = new Uint8Array(n);
  for (const m of raw) for (let i = m.a; i < m.b; i++) (m.label === 'PER' ? inPerson : inNamedSpan)[i] = 1;
  const ctx: DescriptorContext = { text, tokens: toks, inNamedSpan, inPerson, sentenceStart: (i) => sStart[Math.min(i, n - 1)], sentenceEnd: (i) => (i >= n ? n : sEnd[i]), roleOrTitle: new Uint8Array(n) };

  const entities: Entity[] = [];
  drafts.sort((x, y) => x.mentions[0].start - y.mentions[0].start);
  for (const d of drafts) {
    const e: Entity = {
      id: `e${entities.length + 1}`,
      type: d.type,
      name: d.name,
      descriptors: [],
      mentions: d.mentions.map((m) => ({ start: m.start, end: m.end, text: m.text, kind: m.kind })),
    };
    if (d.type === 'person') {
      const spans: TextSpan[] = [];
      for (const m of d.mentions) {
        for (const f of [premodifier(ctx, m.a), reverseApposition(ctx, m.a), apposition(ctx, m.b), copula(ctx, m.b)]) {
          if (f && !spans.some((x) => x.start === f.start && x.end === f.end)) spans.push(f);
        }
      }
      spans.sort((x, y) => x.start - y.start);
      e.descriptors = [...new Set(spans.map((x) => x.text))];
      e.descriptorSpans = spans;
      e.gender = genderOf(d, spans);
    }
    entities.push(e);
  }
  return entities;

  function genderOf(d: Draft, descriptorSpans: TextSpan[]): Gender | 'unknown' {
    if (d.titleGender) return d.titleGender;
    for (const s of descriptorSpans) {
      for (const w of s.text.split(/[\s,]+/)) {
        const g = roleGender(w) ?? titleOf(w)?.gender ?? null;
        if (g) return g;
      }
    }
    if (d.full && d.parts.length >= 2 && d.parts[0].length > 1) {
      const g = givenNameGender(d.parts[0]);
      if (g) return g;
    }
    // A pronoun of one gender after the full name, in a sentence that names no other person.
    for (const m of d.mentions) {
      if (m.kind !== 'name') continue;
      const a = sStart[m.a];
      const b = sEnd[m.a];
      let other = false;
      for (let i = a; i < b; i++) if (inPerson[i] && (i < m.a || i >= m.b)) other = true;
      if (other) continue;
      let found: Gender | null = null;
      let mixed = false;
      for (let i = m.b; i < b; i++) {
        const g = PRONOUN_GENDER[toks[i].norm];
        if (!g) continue;
        if (found && found !== g) mixed = true;
        found = g;
      }
      if (found && !mixed) return found;
    }
    return 'unknown';
  }
}

/** The language whose model tags `language` text: its own when committed, else English. */
export function modelLanguage(language: string): string {
  return language !== 'en' && hasNerModel(language) ? language : 'en';
}

export const entitiesStage: Stage = {
  name: 'entities',
  requires: ['segments'],
  assigns: ['entities'],
  run(input: StageInput): StageOutput {
    const lang = modelLanguage(input.language);
    const entities = findEntities(input.text, input.tokens, input.segments, input.language);
    const diagnostics =
      lang !== input.language && input.language !== 'und'
        ? [{ code: 'model-language', severity: 'info' as const, stage: 'entities', message: `no NER model for '${input.language}'; the English model tagged this text, so entities are approximate` }]
        : [];
    return { layers: { entities }, model: nerModelId(lang), diagnostics };
  },
};

export default entitiesStage;
