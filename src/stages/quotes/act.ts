/**
 * What an attribution reports: something said, something thought (a belief, a feeling, an
 * intention), or something shown (a poll, a study, figures). News attribution corpora such as
 * PolNeAR count all three as attributions, so the quote finder finds all three; a reader asking
 * "who said what" wants to tell them apart. Word lists: data/acts.txt, data/document-nouns.txt (lexicon.ts).
 */
import type { QuoteAct, QuoteKind, Speaker, TextSpan } from '../../document/types.ts';
import { LEXICON } from './lexicon.ts';

const SPEAKING_PRONOUNS = new Set(['he', 'she', 'they', 'we', 'i', 'you', 'it']);

const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}'’-]+/gu) ?? [];

export interface ActInput {
  kind: QuoteKind;
  cue: TextSpan | null;
  /** The source phrase, or null. */
  source?: TextSpan | null;
  speaker: Speaker;
}

/** The source is a document or a body of data ("the report", "a new poll", "official figures"). */
function documentSource(q: ActInput): boolean {
  if (q.speaker.resolved && q.speaker.type === 'person') return false;
  const phrase = q.source?.text ?? q.speaker.mention?.text ?? '';
  // The head of the first comma-separated part: "a poll by the Harlow Institute, released …" → "a poll".
  const head = phrase.split(',')[0].split(/\s+(?:by|of|from|for|at|in|on)\s+/i)[0];
  // The noun ends the head, or only participles follow it ("a study conducted", "figures released").
  const ws = words(head);
  const at = ws.findIndex((w) => LEXICON.documentNouns.has(w));
  return at >= 0 && ws.slice(at + 1).every((w) => /(?:ed|en)$/.test(w));
}

/** A source that can speak: a named or described person, an organisation, a group, a pronoun. */
function speakingSource(q: ActInput): boolean {
  const t = q.speaker.type;
  if (t === 'person' || t === 'organization' || t === 'group') return true;
  const ws = words(q.speaker.mention?.text ?? q.source?.text ?? '');
  if (ws.length === 0) return false;
  if (ws.length === 1 && SPEAKING_PRONOUNS.has(ws[0])) return true;
  const last = ws[ws.length - 1];
  return LEXICON.roleNouns.has(last) || LEXICON.groupNouns.has(last) || LEXICON.orgNouns.has(last);
}

/**
 * The act of an attribution. Quotation marks mean words were uttered (speech); a document source
 * is evidence whatever the verb ("the study says"); otherwise the cue decides: a speech word,
 * "according to" or a colon is speech (also beside a word of thought: "said he believes" reports
 * what was said); else a verb of thinking, feeling or wanting is a thought; a verb of showing or
 * finding is evidence unless a speaker does it ("she revealed that" is speech). A cue that is none
 * of these ("sings", "in <a poll>") is 'other'.
 */
export function actOf(q: ActInput): QuoteAct {
  if (documentSource(q)) return 'evidence';
  if (q.kind !== 'indirect') return 'speech';
  if (!q.cue) return 'other';
  const ws = words(q.cue.text);
  if (ws.length === 0) return /[:—–-]/.test(q.cue.text) ? 'speech' : 'other';
  let speech = false;
  let thought = false;
  let shown = false;
  for (const w of ws) {
    const act = LEXICON.acts.get(w);
    if (act === 'speech') speech = true;
    else if (act === 'thought') thought = true;
    else if (act === 'evidence') shown = true;
    else if (LEXICON.verbForms.has(w) || LEXICON.particles.has(w) || w === 'according') speech = true;
  }
  // "made it clear", "went on": speech without a speech verb.
  if (!speech && /\b(?:make|makes|made|making)\b.*\bclear\b|\b(?:went|goes|go) on\b/i.test(q.cue.text)) speech = true;
  if (speech) return 'speech';
  if (thought) return 'thought';
  if (shown) return speakingSource(q) ? 'speech' : 'evidence';
  return 'other';
}
