/**
 * The Analysis contract (see DESIGN.md): one immutable clean text, and layers
 * of spans over it. Offsets are UTF-16 code-unit offsets into `document.text`,
 * half-open [start, end); `text.slice(start, end) === span.text` always.
 */

export const SCHEMA = 'unspin/analysis@1' as const;

export interface Span {
  start: number;
  end: number;
}

export interface TextSpan extends Span {
  text: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem while processing, never a finding about the article. */
export interface Diagnostic {
  /** Stable code, e.g. `stage-failed`, `language-unsupported`, `span-invalid`. */
  code: string;
  message: string;
  severity: Severity;
  stage?: string;
  span?: Span;
}

export interface DocumentInfo {
  id: string;
  title: string | null;
  url: string | null;
  outlet: string | null;
  byline: string | null;
  /** ISO 8601 or null. */
  published: string | null;
  /** ISO 639-1 code, or 'und' when unknown. */
  language: string;
  text: string;
}

export interface Section extends TextSpan {
  /** The heading line of the section, or null for the part before the first heading. */
  heading: TextSpan | null;
  /** Indices into `segments.paragraphs`. */
  paragraphs: number[];
}

export interface Paragraph extends TextSpan {
  index: number;
  /** 'title' | 'subtitle' | 'heading' | 'body' */
  role: 'title' | 'subtitle' | 'heading' | 'body';
}

export interface Sentence extends TextSpan {
  paragraph: number;
}

export interface Segments {
  title: TextSpan | null;
  /** Subtitle or lede: the first body paragraph, or a standfirst line under the title. */
  lede: TextSpan | null;
  sections: Section[];
  paragraphs: Paragraph[];
  sentences: Sentence[];
}

/** Tokens are kept in memory (not in the JSON): they are cheap to recompute. */
export interface Token extends Span {
  /** Index of the sentence the token lies in. */
  sentence: number;
  /** Coarse class from the tokenizer. */
  kind: 'word' | 'number' | 'punct' | 'symbol';
  /** Lower-cased normal form with curly apostrophes and quotes made straight. */
  norm: string;
}

export type EntityType = 'person' | 'organization' | 'place' | 'group' | 'other';

export interface Mention extends TextSpan {
  /** How the entity is referred to here. */
  kind: 'name' | 'surname' | 'pronoun' | 'description' | 'other';
}

export interface Entity {
  id: string;
  type: EntityType;
  name: string;
  /** Descriptors the text gives the entity, e.g. "Argentine political analyst". */
  descriptors: string[];
  /** Where each descriptor was found. */
  descriptorSpans?: TextSpan[];
  mentions: Mention[];
  gender?: 'male' | 'female' | 'unknown';
}

export type QuoteKind = 'direct' | 'indirect' | 'mixed';

/**
 * What an attribution reports: words said or written ('speech'), a belief, feeling or intention
 * ('thought': "he believes", "they fear"), something shown by a document or data ('evidence':
 * "the poll shows", "according to the report"), or none of these ('other').
 */
export type QuoteAct = 'speech' | 'thought' | 'evidence' | 'other';

export interface Speaker {
  /** Resolved name, or null when it could not be resolved. */
  name: string | null;
  /** Entity id, or null. */
  entity: string | null;
  /** The mention that names the speaker at this quote ("he", "the pundit", "Anzelini"). */
  mention: TextSpan | null;
  type: EntityType | 'unknown';
  /** true only when the speaker was resolved to a named entity. */
  resolved: boolean;
}

export interface Quote extends TextSpan {
  id: string;
  kind: QuoteKind;
  /** What the attribution reports (optional: analyses written before it have none). */
  act?: QuoteAct;
  /** The content as one or more pieces (a cue in the middle splits it). `start`/`end` cover them all. */
  parts: TextSpan[];
  cue: TextSpan | null;
  speaker: Speaker;
  /** Who was told ("told Sputnik"), never the speaker. */
  addressee?: TextSpan | null;
  /**
   * The whole source phrase as the attribution literature marks it, appositions included
   * ("Tom Ridley, an analyst at Northgate,"); `speaker.mention` is the part that names the speaker.
   */
  source?: TextSpan | null;
}

export type Voice = 'outlet' | 'direct_quote' | 'reported_speech';

export interface TechniqueSpan extends TextSpan {
  technique: string;
  confidence: number;
  voice: Voice;
  /** The quote the span lies in, when voice is not 'outlet'. */
  quote?: string | null;
  /** Index into segments.paragraphs. */
  paragraph: number;
}

export interface ParagraphTechniques {
  paragraph: number;
  techniques: { technique: string; confidence: number }[];
}

export interface Evidence extends TextSpan {
  weight: number;
}

export interface FrameLabel {
  frame: string;
  confidence: number;
  evidence: Evidence[];
}

export interface GenreLabel {
  label: 'reporting' | 'opinion' | 'satire';
  confidence: number;
  evidence: Evidence[];
}

export interface Analysis {
  schema: typeof SCHEMA;
  document: DocumentInfo;
  segments: Segments;
  entities: Entity[];
  quotes: Quote[];
  techniques: TechniqueSpan[];
  paragraphTechniques: ParagraphTechniques[];
  frames: FrameLabel[];
  genre: GenreLabel | null;
  /** Model name@version per stage that used one. */
  models: Record<string, string>;
  diagnostics: Diagnostic[];
  /** Layers added later (narratives, roles …) live here under their own key. */
  [layer: string]: unknown;
}
