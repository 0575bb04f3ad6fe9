/**
 * Speaker resolution (notes/attribution.md §4): each source phrase becomes a
 * Speaker — a named entity when the phrase names one, or when a pronoun,
 * definite description ("the pundit") or relative pronoun can be resolved to
 * one; a group or organisation in its own right; otherwise `name: null` with
 * the unresolved mention. A guess is never shown as certain.
 */
import type { Entity, EntityType, Mention, Span, Speaker, TextSpan } from '../../document/types.ts';
import { LEXICON } from './lexicon.ts';
import type { Draft, Unit } from './extract.ts';

interface MentionRef {
  entity: Entity;
  mention: Mention;
  /** Unit index the mention lies in. */
  unit: number;
  possessive: boolean;
  /** The name modifies a noun after it ("the Varga farm rules", "the Okafor administration"). */
  modifier: boolean;
  inQuote: boolean;
  /** First person mention of its unit (subject proxy). */
  firstInUnit: boolean;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;
const DETERMINERS = /^(the|this|that|these|those|a|an|another|one|his|her|their|its|our|my)$/;
/**
 * Words that may follow a subject name directly without making it a noun modifier:
 * auxiliaries, modals and adverbs that sit between a subject and its verb.
 */
const AFTER_SUBJECT = /^(is|was|were|are|be|been|has|had|have|will|would|could|can|may|might|must|shall|should|does|did|do|also|never|still|then|now|just|later|again|already|first|once|alone|himself|herself|only|even|too|who|which|whose|and|or|but|nor|of|in|on|at|to|for|from|with|by|as|than|that|after|before|during|since|until|when|while|if|because|though|although|about|over|under|into|against|said|says|told|met|went|began|took|made|gave|came|saw|won|left|lost|got|held|led|kept|felt|thought|knew|spoke|wrote|brought|bought|ran|sat|stood|heard|found|sent|spent|built|hit|put|set|cut|let|became|chose|drove|fought|flew|grew|rose|sought|sold|shot|struck|swore|taught|threw|understood|broke|fell|meant|paid|read|withdrew|oversaw|undertook|tried|denied|replied|cried|applied|vowed|hopes|hope|want|wants|need|needs|one|two|three|four|five|six|seven|eight|nine|ten|last|next|this|earlier|once|twice|yesterday|today|tonight|early|late|long|soon|both|all|each|himself|herself)$/;
/** Prepositions and subordinators that open a fronted phrase or clause ("In the weeks since Harvest Day, Quell said …"). */
const FRONTED = /^(in|on|at|during|after|before|since|with|without|for|from|despite|following|amid|unlike|like|under|over|as|when|while|although|though|because|if|once|until|upon|by|throughout|ahead|speaking|asked|addressing|responding)$/;
/** Head nouns of documents whose owner is the source ("the agency's report", "Harbourline's annual report"). */
const DOCUMENT_NOUNS = /^(report|reports|statement|statements|study|studies|survey|surveys|analysis|analyses|database|data|website|site|post|posts|letter|filing|filings|poll|polls|tweet|tweets|account|release|memo|paper|review|audit|assessment|investigation|figures|estimate|estimates|research|publication|newsletter|blog|document|documents|records|findings|communique|communiqué|declaration|announcement|bulletin|briefing)$/;
/** Classes whose nouns are near-synonyms that stand for each other both ways ("the pundit" for an analyst). */
const SYMMETRIC_CLASSES = new Set(['expert', 'official']);
const QUANTIFIERS = /^(some|many|several|most|few|all|both|other|others|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds|thousands|numerous|various|certain|\d+)$/;

function words(text: string, span: Span): { start: number; end: number; w: string }[] {
  const out: { start: number; end: number; w: string }[] = [];
  const s = text.slice(span.start, span.end);
  for (const m of s.matchAll(WORD)) out.push({ start: span.start + m.index!, end: span.start + m.index! + m[0].length, w: m[0] });
  return out;
}

const ts = (text: string, s: Span): TextSpan => ({ start: s.start, end: s.end, text: text.slice(s.start, s.end) });

export interface ResolveInput {
  text: string;
  units: Unit[];
  drafts: Draft[];
  entities: readonly Entity[];
  regions: readonly Span[];
}

/** The head phrase of a source: its first comma-separated part ("Tom Ridley" of "Tom Ridley, an analyst,"). */
function headPart(text: string, source: Span): Span {
  const s = text.slice(source.start, source.end);
  const comma = s.indexOf(',');
  let end = comma > 0 ? source.start + comma : source.end;
  while (end > source.start && /[\s,.;:]/.test(text[end - 1])) end--;
  let start = source.start;
  while (start < end && /[\s"“”'‘’]/.test(text[start])) start++;
  return { start, end };
}

/** Index of the last item starting at or before pos in items sorted by start, or -1. */
function lastAtOrBefore(items: readonly { start: number }[], pos: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start <= pos) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at;
}

export function resolveSpeakers(input: ResolveInput): Speaker[] {
  const { text, units, drafts, entities, regions } = input;
  const unitOf = (pos: number): number => Math.max(0, lastAtOrBefore(units, pos));
  /** Inside a quotation: regions are sorted and do not overlap (marks.ts), so the last one starting at or before pos decides. */
  const inQuote = (pos: number): boolean => {
    const at = lastAtOrBefore(regions, pos);
    return at >= 0 && pos < regions[at].end;
  };
  /** A name directly followed by a lower-case word that cannot start a predicate modifies that word. */
  function isModifier(end: number): boolean {
    const m = /^ ([a-z][a-z-]*)\b/.exec(text.slice(end, end + 40));
    if (!m) return false;
    const w = m[1];
    return !AFTER_SUBJECT.test(w) && !LEXICON.verbForms.has(w) && !/(s|ed|ly|ing)$/.test(w);
  }
  /** A subject pronoun (he, she, they) outside quotation marks and fronted phrases comes earlier in the unit ("She says Varga …"). */
  function afterSubjectPronoun(u: number, pos: number): boolean {
    for (const t of units[u].toks) {
      if (t.start >= pos) return false;
      if (t.region === -1 && /^(he|she|they)$/.test(t.norm) && !inFrontedPhrase(u, t.start)) return true;
    }
    return false;
  }
  /** End of a fronted phrase of the unit (sentence-initial preposition or subordinator up to its first comma), or -1. */
  const frontedEnd = new Map<number, number>();
  function inFrontedPhrase(u: number, pos: number): boolean {
    let end = frontedEnd.get(u);
    if (end === undefined) {
      end = -1;
      const unit = units[u];
      const s = text.slice(unit.start, Math.min(unit.end, unit.start + 200));
      const first = /^[\s"“‘'(]*([A-Za-z]+)/.exec(s);
      if (first && FRONTED.test(first[1].toLowerCase()) && !/^according$/i.test(first[1])) {
        const comma = s.indexOf(',');
        if (comma > 0) end = unit.start + comma;
      }
      frontedEnd.set(u, end);
    }
    return pos < end;
  }

  // All name mentions of persons, organisations and groups, in text order.
  const refs: MentionRef[] = [];
  for (const e of entities) {
    for (const m of e.mentions) {
      if (m.kind === 'pronoun') continue;
      refs.push({
        entity: e,
        mention: m,
        unit: unitOf(m.start),
        possessive: /^['’]s\b/.test(text.slice(m.end, m.end + 3)),
        // A name after a possessive determiner sits inside a noun phrase ("her Keldra clips").
        modifier: isModifier(m.end) || /\b(his|her|their|its|our|my|your)\s+$/i.test(text.slice(Math.max(0, m.start - 8), m.start)),
        inQuote: inQuote(m.start),
        firstInUnit: false,
      });
    }
  }
  refs.sort((a, b) => a.mention.start - b.mention.start);
  // The subject proxy: the first person name of its sentence that is not a possessor ("Odo Varga's
  // envoy, Lin Marsh, …"), a noun modifier ("other Varga farm rules") or inside a fronted
  // prepositional phrase or clause ("In the weeks since Harvest Day, Mara Quell has …").
  const seenUnit = new Set<number>();
  for (const r of refs) {
    if (r.entity.type !== 'person') continue;
    if (r.possessive || r.modifier || inFrontedPhrase(r.unit, r.mention.start) || afterSubjectPronoun(r.unit, r.mention.start)) continue;
    if (!seenUnit.has(r.unit)) {
      r.firstInUnit = true;
      seenUnit.add(r.unit);
    }
  }

  const namedSources = new Set<string>();
  const speakers: Speaker[] = [];
  let lastNamed: { entity: Entity | null; name: string; type: EntityType; unit: number } | null = null;
  /** The last document a resolved source named ("The Harbourline report shows …") and its unit. */
  let lastDocument: { speaker: Speaker; unit: number } | null = null;

  for (let d = 0; d < drafts.length; d++) {
    const draft = drafts[d];
    let sp: Speaker;
    if (draft.sameSourceAs !== null && speakers[draft.sameSourceAs]) sp = { ...speakers[draft.sameSourceAs] };
    else if (!draft.source) sp = { name: null, entity: null, mention: null, type: 'unknown', resolved: false };
    else sp = speakerInContent(draft) ?? resolveOne(draft.source);
    if (draft.source && draft.sameSourceAs === null) {
      const head = headPart(text, draft.source);
      const hw = words(text, head);
      const lw = hw.map((w) => w.w.toLowerCase());
      const noun = lastHeadNoun(lw);
      // "a report by the Harbourline Institute": the document noun may come before its author.
      if (noun && (DOCUMENT_NOUNS.test(noun) || lw.slice(0, 4).some((w) => DOCUMENT_NOUNS.test(w)))) {
        // Document anaphora: "The study found …" after "The Harbourline report shows …" is the same
        // document, so the same source, when no owner is named and the first one is a few sentences back.
        const bare = /^(the|this|that|these|those)$/.test(lw[0]) && !refs.some((r) => r.mention.start >= head.start && r.mention.end <= head.end);
        if (!sp.resolved && bare && DOCUMENT_NOUNS.test(noun) && lastDocument && draft.unit - lastDocument.unit <= 5) sp = { ...lastDocument.speaker, mention: ts(text, head) };
        // Only an author is remembered: "Harbourline’s report", "the Harbourline report", "a report by
        // Harbourline", not the place a document was filed or printed ("the filing in the Keldra court").
        const docWord = hw.find((_, i) => DOCUMENT_NOUNS.test(lw[i]));
        const m = sp.mention;
        const author = !!m && !!docWord && (m.start < docWord.start || /^\s+(by|from|of)\s+(the\s+)?$/i.test(text.slice(docWord.end, m.start)));
        if (sp.resolved && sp.entity && author) lastDocument = { speaker: sp, unit: draft.unit };
      }
    }
    speakers.push(sp);
    if (sp.resolved && sp.name && (sp.type === 'person' || sp.type === 'organization')) {
      if (sp.entity) namedSources.add(sp.entity);
      lastNamed = { entity: entities.find((e) => e.id === sp.entity) ?? null, name: sp.name, type: sp.type, unit: draft.unit };
    }
  }
  return speakers;

  /**
   * "“…,” Vale continued, according to Keldra Press": the agency reports the quotation, but the
   * person named with a speech verb of his own right after its closing mark said it.
   */
  function speakerInContent(draft: Draft): Speaker | null {
    if (!draft.cue || !/^according to$/i.test(text.slice(draft.cue.start, draft.cue.end).trim())) return null;
    for (const r of refs) {
      if (r.entity.type !== 'person' || !draft.parts.some((p) => p.start <= r.mention.start && r.mention.end <= p.end)) continue;
      if (!/[”"’],?\s+$|,[”"’]\s+$/.test(text.slice(Math.max(0, r.mention.start - 4), r.mention.start))) continue;
      const next = /^\s+([a-z]+)\b/.exec(text.slice(r.mention.end, r.mention.end + 20));
      if (next && LEXICON.verbForms.has(next[1])) return fromEntity(r.entity, r.mention);
    }
    return null;
  }

  function fromEntity(e: Entity, mention: Span): Speaker {
    return { name: e.name, entity: e.id, mention: ts(text, mention), type: e.type, resolved: e.type === 'person' || e.type === 'organization' };
  }

  function resolveOne(source: Span): Speaker {
    const head = headPart(text, source);
    const ws = words(text, head);
    if (ws.length === 0) return { name: null, entity: null, mention: ts(text, source), type: 'unknown', resolved: false };
    const lower = ws.map((w) => w.w.toLowerCase());

    // 1. A pronoun source.
    if (ws.length === 1 && LEXICON.pronouns.has(lower[0])) {
      return resolvePronoun(lower[0], { start: ws[0].start, end: ws[0].end });
    }

    // 2. An entity mention inside the source (not a possessor: "Ridley's spokesman").
    const inside = refs.filter((r) => r.mention.start >= source.start && r.mention.end <= source.end);
    const headNoun = lastHeadNoun(lower);
    // The owner of a document is its source: "Harbourline's annual report", "the ministry's statement".
    if (headNoun && DOCUMENT_NOUNS.test(headNoun)) {
      const owner = inside.find((r) => r.possessive && r.mention.start < head.end && r.entity.type !== 'place');
      if (owner) return fromEntity(owner.entity, owner.mention);
    }
    const possessorOnly = (r: MentionRef) => r.possessive && r.mention.end < head.end - 3;
    const headRefs = inside.filter((r) => r.mention.start < head.end && !possessorOnly(r));
    // Coordinated names ("Mr. Varga and Mr. Okafor") speak together: a group, not the first of them.
    const persons = headRefs.filter((r) => r.entity.type === 'person');
    if (persons.length >= 2 && persons.some((r) => r.entity.id !== persons[0].entity.id && /\s(and|&)\s/.test(text.slice(persons[0].mention.end, r.mention.start)))) {
      return { name: text.slice(head.start, head.end), entity: null, mention: ts(text, head), type: 'group', resolved: false };
    }
    // A person name that modifies a noun of the phrase is not the speaker: "a senior Varga
    // administration official" is not Varga, "Quell spokeswoman Ines Dorr" is Dorr.
    // A person named after a lower-case role noun and "for"/"of"/"to" is whom the role serves, not
    // the speaker: "a spokesperson for Quell", "an aide to Quell" (a title stays: "Secretary of State X").
    const servedFrom = servedComplement(ws, lower);
    const speaksHimself = (r: MentionRef) => servedFrom < 0 || r.mention.start < servedFrom;
    // Inside the source phrase, a name followed by a lower-case word of the same phrase modifies
    // it ("Scientists and Keldra developers"): the phrase boundary says the word is no verb.
    // (A word in -ed, -ly or -ing may still be a verb the phrase took in: "Scott beamed and".)
    const modifiesInHead = (r: MentionRef) => {
      const m = /^ ([a-z][a-z-]*)\b/.exec(text.slice(r.mention.end, head.end));
      return !!m && !AFTER_SUBJECT.test(m[1]) && !LEXICON.verbForms.has(m[1]) && !/(ed|ly|ing)$/.test(m[1]);
    };
    // The source phrase ends before its verb, so a contraction after a name there is that verb
    // ("Attorney General Ivo Marek isn’t saying"), not a noun the name modifies.
    const beforeContraction = (r: MentionRef) => /^ [a-z]+['’]t\b/.test(text.slice(r.mention.end, r.mention.end + 12));
    let pick = headRefs.find((r) => r.entity.type === 'person' && (!r.modifier || beforeContraction(r)) && !modifiesInHead(r) && speaksHimself(r)) ?? headRefs.find((r) => r.entity.type === 'organization' || r.entity.type === 'group') ?? null;
    const roleHead = !!headNoun && (LEXICON.roleNouns.has(headNoun) || LEXICON.roleNouns.has(lower.slice(-2).join(' ')));
    if (roleHead && pick && pick.entity.type !== 'person') {
      // "the deputy director of the Corvale Water Council": the organisation is the person's affiliation.
      // When a name stands right before the phrase ("Nell Ambrose, the deputy director of …, told"),
      // the phrase is an apposition of that name, and the name is the speaker.
      const left = leftApposition(source.start);
      if (left) return fromEntity(left.entity, left.mention);
    }
    if (roleHead && pick && pick.entity.type !== 'person' && /^(the|this|that)$/.test(lower[0]) && pick.mention.start > ws[lower.indexOf(headNoun!)]?.start) {
      // "the Keldran ambassador to the UN": a definite description of a person whose organisation
      // follows the role noun names the holder the text introduced, when there is one whose
      // descriptor names that organisation too.
      const holder = resolveDescription(lower, head, ws.map((w) => w.w));
      const org = pick.mention.text.toLowerCase();
      if (holder && holder.entity.descriptors.some((d) => d.toLowerCase().includes(org))) return fromEntity(holder.entity, head);
    }
    const wholeSource = /^[\s,]*$/.test(text.slice(head.end, source.end));
    const closedByComma = /,\s*$/.test(text.slice(source.start, source.end)) || /^\s*,/.test(text.slice(source.end, source.end + 3));
    if (!pick && (roleHead || DETERMINERS.test(lower[0]) || /['’]s$/.test(lower[0])) && wholeSource && closedByComma) {
      // "Roy Vance (D), Ward's opponent in the race, called …": a description between commas right
      // after a name is an apposition of that name (the source span may have left the name out).
      const left = leftApposition(source.start);
      if (left) return fromEntity(left.entity, left.mention);
    }
    if (!pick && (roleHead || DETERMINERS.test(lower[0]) || /['’]s$/.test(lower[0])) && !(headNoun && DOCUMENT_NOUNS.test(headNoun))) {
      // "The city's housing chief, Dara Pell, said", "Ward’s rival in the race, former Governor Roy
      // Vance, said": a description followed by the name it describes (a title may stand before it:
      // capitalised words or "former", "acting" …; not "published in Keldra").
      const comma = text.indexOf(',', head.end);
      const titleWords = (s: string) => s.trim() === '' || s.trim().split(/\s+/).every((w) => /^\p{Lu}/u.test(w) || /^(former|current|acting|then|deputy|interim|late|retired)$/.test(w));
      const named =
        comma >= 0 && comma < source.end
          ? inside.find((r) => r.entity.type === 'person' && r.mention.start > comma && /^\s*(?:[\p{L}.-]+\s+){0,3}$/u.test(text.slice(comma + 1, r.mention.start)) && titleWords(text.slice(comma + 1, r.mention.start)))
          : undefined;
      if (named) pick = named;
    }
    if (pick && !(headNoun && (LEXICON.groupNouns.has(headNoun)) && pick.entity.type !== 'group' && !/^\p{Lu}/u.test(ws[ws.length - 1].w))) {
      return fromEntity(pick.entity, pick.mention);
    }

    // 3. Groups ("experts", "some economists", "Latin American and Middle Eastern experts").
    if (headNoun && (LEXICON.groupNouns.has(headNoun) || (QUANTIFIERS.test(lower[0]) && headNoun.endsWith('s')))) {
      return { name: text.slice(head.start, head.end), entity: null, mention: ts(text, head), type: 'group', resolved: false };
    }

    // 4. Definite descriptions: "the pundit", "the Argentine analyst", "the ministry".
    // A bare role noun ("Minister pledges …" in a headline) is a description too.
    const bareRole = !!headNoun && ws.length <= 3 && (LEXICON.roleNouns.has(headNoun) || LEXICON.orgNouns.has(headNoun)) && !hasProperName(ws.slice(0, -1));
    if ((DETERMINERS.test(lower[0]) || bareRole) && headNoun) {
      if (LEXICON.roleNouns.has(headNoun) || LEXICON.roleNouns.has(lower.slice(-2).join(' ')) || /^\d+-year-old$/.test(headNoun)) {
        // An indefinite description ("a spokeswoman for …", "an analyst") introduces someone new:
        // it never goes back to an earlier holder of the noun.
        const e = /^(a|an|another|one)$/.test(lower[0]) ? null : resolveDescription(lower, head, ws.map((w) => w.w));
        if (e) return fromEntity(e.entity, head);
        return { name: null, entity: null, mention: ts(text, head), type: 'person', resolved: false };
      }
      if (LEXICON.orgNouns.has(headNoun)) {
        const org = resolveOrgDescription(headNoun, head.start);
        if (org) return fromEntity(org, head);
        return { name: null, entity: null, mention: ts(text, head), type: 'organization', resolved: false };
      }
      return { name: null, entity: null, mention: ts(text, head), type: 'unknown', resolved: false };
    }

    // 5. A capitalised name the entities layer did not list: the name is on the page, but unlinked.
    const caps = ws.filter((w) => /^\p{Lu}/u.test(w.w));
    if (caps.length > 0 && caps.length === ws.filter((w) => !/^(of|the|de|van|von|al|bin|da|di|del|la|le)$/.test(w.w)).length) {
      const surname = caps[caps.length - 1].w;
      const byName = [...refs].reverse().find((r) => r.mention.start < source.start && r.entity.type === 'person' && r.entity.name.split(/\s+/).includes(surname));
      if (byName) return fromEntity(byName.entity, head);
      return { name: text.slice(head.start, head.end), entity: null, mention: ts(text, head), type: 'unknown', resolved: false };
    }
    return { name: null, entity: null, mention: ts(text, head), type: 'unknown', resolved: false };
  }

  /** A person name ending right before `pos`, separated from it by a comma alone ("Name, the director …"). */
  function leftApposition(pos: number): MentionRef | null {
    // The name may carry a parenthetical tag before the comma ("Roy Vance (D),").
    const m = /\s*(\([^()]{1,24}\))?\s*,\s*$/.exec(text.slice(Math.max(0, pos - 40), pos));
    if (!m) return null;
    const k = pos - m[0].length;
    return [...refs].reverse().find((r) => r.entity.type === 'person' && r.mention.end === k) ?? null;
  }

  function hasProperName(xs: { w: string }[]): boolean {
    return xs.some((x) => /^\p{Lu}/u.test(x.w) && !LEXICON.roleNouns.has(x.w.toLowerCase()));
  }

  /** Start of the "for/of/to …" complement of a lower-case role noun ("a spokesperson for …"), or -1. */
  function servedComplement(ws: { start: number; w: string }[], lower: string[]): number {
    for (let k = 1; k + 1 < lower.length; k++) {
      if (!/^(for|of|to)$/.test(lower[k])) continue;
      const noun = lower[k - 1];
      const sg = noun.replace(/(?<=[^s])s$/, ''); // "advisers to Patriot", "aides to Quell"
      if (ws[k - 1].w === noun && (LEXICON.roleNouns.has(noun) || LEXICON.roleNouns.has(sg) || /^(wife|husband|son|daughter|mother|father|brother|sister|friend)s?$/.test(noun))) return ws[k + 1].start;
      return -1;
    }
    return -1;
  }

  function lastHeadNoun(lower: string[]): string | null {
    // The head is the last word before "of"/"for"/"at"/"from"/"in" ("a spokesman for the ministry").
    let end = lower.length;
    for (let k = 1; k < lower.length; k++) {
      if (/^(of|for|to|at|from|in|with|on|who|which|that)$/.test(lower[k])) {
        end = k;
        break;
      }
    }
    return end > 0 ? lower[end - 1].replace(/['’]s$/, '') : null;
  }

  /** The role noun heading a descriptor ("president" of "Keldra’s President", "prime minister", "editor-in-chief"). */
  function descriptorHead(d: string): string | null {
    const dw = d.toLowerCase().split(/[^\p{L}\p{N}-]+/u).filter(Boolean);
    const hn = lastHeadNoun(dw);
    if (!hn) return null;
    const k = dw.indexOf(hn);
    const two = k > 0 ? `${dw[k - 1]} ${hn}` : '';
    return LEXICON.roleClass.has(two) ? two : hn;
  }

  /**
   * A capitalised premodifier of a description ("the Ohio senator", "the Keldran leader") agrees
   * with a person when the person's descriptors, or the sentence around one of the person's
   * earlier mentions ("Senator Ann Roe of Ohio"), hold the same word or its country/nationality
   * form (a shared stem: Keldra / Keldran).
   */
  function properModifierAgrees(m: string, descWords: Set<string>, r: MentionRef, before: number): boolean {
    const stem = (a: string, b: string) => {
      let k = 0;
      while (k < a.length && k < b.length && a[k] === b[k]) k++;
      return k >= 4 && k >= Math.min(a.length, b.length) - 2;
    };
    if ([...descWords].some((w) => w === m || stem(w, m))) return true;
    for (const x of r.entity.mentions) {
      if (x.kind === 'pronoun' || x.start >= before) continue;
      // The words attached to this mention: back to a comma or "and", and on to one ("Ohio Senator
      // Ann Roe", "Ann Roe of Ohio", "Ann Roe (R-Ohio)"), never a coordinated neighbour's place.
      const u = units[unitOf(x.start)];
      const left = text.slice(Math.max(u.start, x.start - 40), x.start).split(/[,;]|\band\b/).pop()!;
      const right = text.slice(x.end, Math.min(u.end, x.end + 40)).split(/[;]|,(?!\s*[A-Z]{1,2}\))|\band\b/)[0];
      for (const w of `${left} ${right}`.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (w === m || stem(w, m)) return true;
    }
    return false;
  }

  /** "the 40-year-old": a person given that age in a descriptor or right after a name ("Tom Vale, 40,", "Tom Vale (40)"). */
  function hasAge(r: MentionRef, age: string, before: number): boolean {
    if (r.entity.descriptors.some((d) => d.toLowerCase().includes(`${age}-year-old`))) return true;
    return r.entity.mentions.some((x) => x.start < before && new RegExp(`^(,\\s*|\\s*\\()${age}\\b`).test(text.slice(x.end, x.end + 8)));
  }

  function resolveDescription(lower: string[], head: Span, lowerOrig: string[]): MentionRef | null {
    const noun = lastHeadNoun(lower)!;
    const twoWord = lower.slice(-2).join(' ');
    const nounKey = LEXICON.roleClass.has(twoWord) ? twoWord : noun;
    const cls = LEXICON.roleClass.get(nounKey) ?? null;
    const generic = LEXICON.genericRoles.has(nounKey);
    const modifiers = lower.slice(1, lower.indexOf(noun)).filter((w) => !DETERMINERS.test(w));
    const caps = new Set(lowerOrig.slice(1, lower.indexOf(noun)).filter((w) => /^\p{Lu}/u.test(w)).map((w) => w.toLowerCase()));
    const age = /^(\d+)-year-old$/.exec(noun)?.[1] ?? null;
    let same: MentionRef | null = null;
    let sameClass: MentionRef | null = null;
    // What depends only on the entity is worked out once per entity, not once per mention of it.
    const perEntity = new Map<Entity, { desc: string; descWords: Set<string>; disagree: boolean }>();
    for (const r of refs) {
      if (r.mention.start >= head.start) break;
      if (r.entity.type !== 'person') continue;
      let e = perEntity.get(r.entity);
      if (!e) {
        const desc = r.entity.descriptors.join(' ').toLowerCase();
        const descWords = new Set(desc.split(/[^\p{L}\p{N}-]+/u));
        // Premodifiers must agree ("the Argentine analyst" is not a Brazilian analyst); a proper
        // premodifier may also agree through the place named beside the person ("the Ohio senator").
        const disagrees = (m: string) => {
          if (descWords.has(m) || /^(political|former|veteran|leading|prominent|well-known|renowned|senior|top|chief|foreign|local)$/.test(m)) return false;
          const a = /^(\d+)-year-old$/.exec(m);
          if (a) return !hasAge(r, a[1], head.start);
          if (!/^\p{L}/u.test(m)) return false;
          return !(caps.has(m) && properModifierAgrees(m, descWords, r, head.start));
        };
        e = { desc, descWords, disagree: modifiers.some(disagrees) };
        perEntity.set(r.entity, e);
      }
      const { desc, descWords } = e;
      if (e.disagree) continue;
      if (age) {
        if (hasAge(r, age, head.start)) same = r;
        continue;
      }
      if (descWords.has(noun) || desc.includes(twoWord) || (noun.endsWith('s') && descWords.has(noun.slice(0, -1)))) same = r;
      else if (cls && SYMMETRIC_CLASSES.has(cls) && [...descWords].some((w) => LEXICON.roleClass.get(w) === cls)) sameClass = r;
      else if (cls && !SYMMETRIC_CLASSES.has(cls) && r.entity.descriptors.some((d) => { const h = descriptorHead(d); return !!h && LEXICON.roleClass.get(h) === cls && (generic || LEXICON.genericRoles.has(h)); })) sameClass = r;
    }
    // The most recent holder of the same noun, else the most recent of the same class.
    if (same || sameClass) return same ?? sameClass;
    // A headline speaks before the body introduces anyone: take the first later holder of the noun.
    if (unitOf(head.start) <= 1) {
      for (const r of refs) {
        if (r.mention.start < head.end || r.entity.type !== 'person') continue;
        const descWords = new Set(r.entity.descriptors.join(' ').toLowerCase().split(/[^\p{L}\p{N}-]+/u));
        if (descWords.has(noun)) return r;
      }
    }
    return null;
  }

  function resolveOrgDescription(noun: string, before: number): Entity | null {
    let best: Entity | null = null;
    // "the agency" names an organisation called, or once written out as, "… Agency".
    const word = new RegExp(`\\b${noun.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
    for (const r of refs) {
      if (r.mention.start >= before) break;
      if (r.entity.type !== 'organization') continue;
      if (word.test(r.entity.name.toLowerCase()) || r.entity.mentions.some((x) => x.start < before && word.test(x.text.toLowerCase())) || r.entity.descriptors.some((d) => d.toLowerCase().includes(noun))) best = r.entity;
    }
    return best;
  }

  function resolvePronoun(p: string, at: Span): Speaker {
    const info = LEXICON.pronouns.get(p)!;
    const mention = ts(text, at);
    const unresolved = (type: Speaker['type']): Speaker => ({ name: null, entity: null, mention, type, resolved: false });
    // The entities layer may already link this pronoun.
    for (const e of entities) {
      if (e.mentions.some((m) => m.kind === 'pronoun' && m.start === at.start && m.end === at.end)) return fromEntity(e, at);
    }
    if (info.kind === 'relative') {
      // The NP immediately to the left ("Ridley, who warned …").
      let k = at.start - 1;
      while (k >= 0 && /[\s,]/.test(text[k])) k--;
      const r = [...refs].reverse().find((x) => x.mention.end <= k + 1 && x.mention.end >= k - 1);
      if (r) return fromEntity(r.entity, at);
      return unresolved('unknown');
    }
    if (info.kind !== 'personal' || p === 'it') return unresolved(p === 'it' ? 'organization' : 'unknown');
    // A pronoun inside another speaker's quotation ("‘He told me …,’ she said") belongs to that
    // speaker's discourse, not the article's: the article's salience says nothing about it.
    if (inQuote(at.start)) return unresolved(p === 'they' ? 'group' : 'person');
    const u = unitOf(at.start);
    if (p === 'they') {
      // A plural pronoun points to a group or organisation speaker, never a single person.
      for (let d = speakers.length - 1; d >= 0; d--) {
        const prev = speakers[d];
        if (drafts[d].unit < u - 3) break;
        if (prev.type === 'group' || prev.type === 'organization') return { ...prev, mention, resolved: prev.resolved };
      }
      return unresolved('group');
    }
    const wanted = info.gender === 'm' ? 'male' : 'female';
    const scores = new Map<string, { e: Entity; score: number }>();
    for (const r of refs) {
      if (r.mention.start >= at.start) break;
      if (r.entity.type !== 'person') continue;
      const dist = u - r.unit;
      if (dist > 4 || dist < 0) continue;
      const g = r.entity.gender ?? 'unknown';
      if (g !== 'unknown' && g !== wanted) continue;
      const score = -1.0 * dist + (namedSources.has(r.entity.id) && !r.inQuote ? 1.0 : 0) + (r.firstInUnit ? 0.8 : 0) - (r.possessive || r.modifier ? 1.0 : 0) - (r.inQuote ? 1.5 : 0);
      const prev = scores.get(r.entity.id);
      if (!prev || score > prev.score) scores.set(r.entity.id, { e: r.entity, score });
    }
    const ranked = [...scores.values()].sort((a, b) => b.score - a.score);
    if (ranked.length === 0) {
      if (lastNamed && lastNamed.type === 'person' && lastNamed.entity) {
        const g = lastNamed.entity.gender ?? 'unknown';
        if (g === 'unknown' || g === wanted) return fromEntity(lastNamed.entity, at);
      }
      return unresolved('person');
    }
    if (ranked.length > 1 && ranked[0].score - ranked[1].score < 0.5) {
      // Too close to call: say who it might be, but do not claim it.
      return unresolved('person');
    }
    return fromEntity(ranked[0].e, at);
  }
}
