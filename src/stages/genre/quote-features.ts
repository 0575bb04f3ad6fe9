/**
 * Article features from the project's own quotes and entities layers: how
 * much of the text the outlet hands to attributed speakers, how many
 * distinct speakers it quotes, how often it names people and organisations.
 * Reporting leans on sources; a column speaks in the outlet's own voice.
 * Exploratory (explore.ts): the genre stage does not use them (see the model card).
 */
import type { Analysis } from '../../document/types.ts';

export const QUOTE_FEATURES = [
  'q_quotes_per100',
  'q_direct_per100',
  'q_quoted_char_share',
  'q_sentences_with_quote',
  'q_log_speakers',
  'q_resolved_share',
  'q_person_per100',
  'q_org_per100',
  'q_place_per100',
  'q_log_entities',
] as const;

/** One value per name in QUOTE_FEATURES, from an analysis with the quotes and entities layers. */
export function quoteFeatures(a: Pick<Analysis, 'document' | 'segments' | 'quotes' | 'entities'>): number[] {
  const text = a.document.text;
  const words = Math.max(1, (text.match(/[\p{L}\p{N}]+/gu) ?? []).length);
  const per100 = (x: number) => (100 * x) / words;
  const quotes = a.quotes ?? [];
  const entities = a.entities ?? [];
  const sentences = a.segments?.sentences ?? [];
  // characters of the body inside quote content (overlaps counted once)
  const covered = new Uint8Array(text.length);
  for (const q of quotes) for (const p of q.parts) covered.fill(1, p.start, p.end);
  let inQuotes = 0;
  for (let i = 0; i < covered.length; i++) inQuotes += covered[i];
  let withQuote = 0;
  let qi = 0;
  const starts = quotes.map((q) => q.start).sort((x, y) => x - y);
  for (const s of sentences) {
    while (qi < starts.length && starts[qi] < s.start) qi++;
    if (qi < starts.length && starts[qi] < s.end) withQuote++;
  }
  const speakers = new Set(quotes.map((q) => q.speaker.entity ?? q.speaker.name).filter((x) => x != null));
  const resolved = quotes.filter((q) => q.speaker.resolved).length;
  const mentions = (type: string) => entities.filter((e) => e.type === type).reduce((n, e) => n + e.mentions.filter((m) => m.kind === 'name' || m.kind === 'surname').length, 0);
  return [
    per100(quotes.length),
    per100(quotes.filter((q) => q.kind !== 'indirect').length),
    inQuotes / Math.max(1, text.length),
    withQuote / Math.max(1, sentences.length),
    Math.log(1 + speakers.size),
    quotes.length ? resolved / quotes.length : 0,
    per100(mentions('person')),
    per100(mentions('organization')),
    per100(mentions('place')),
    Math.log(1 + entities.length),
  ];
}
