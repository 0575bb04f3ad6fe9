import { SCHEMA, type Analysis, type Entity, type Quote, type TechniqueSpan, type TextSpan } from '../document/types.ts';
import { segment } from '../segment/index.ts';

/**
 * Hand-built Analyses for the server's tests, the browser tests and the
 * bench: invented text (no corpus text), with entities, quotes and
 * overlapping technique spans placed by searching the text, so the UI and the
 * API can be tested whatever the stages find today.
 */

export interface SampleOptions {
  /** Varies names and wording so many samples are distinct articles. */
  n?: number;
  title?: string;
  outlet?: string | null;
  published?: string | null;
  url?: string | null;
  speaker?: string;
  /** Extra paragraphs appended to the body (used by the hostile-article test). */
  extra?: string[];
  /**
   * Adds a narratives layer (a taxonomy narrative whose evidence is the
   * speaker's quote, with one subnarrative) and a roles layer (the speaker as
   * Antagonist/Instigator, the place as Innocent/Victim).
   */
  narratives?: boolean;
}

const PLACES = ['Veltrania', 'Osmaria', 'Karsland', 'Dunmere', 'Pellavia'];

export function sampleAnalysis(opts: SampleOptions = {}): Analysis {
  const n = opts.n ?? 0;
  const place = PLACES[n % PLACES.length];
  const speaker = opts.speaker ?? 'Oskar Brandt';
  const surname = speaker.split(/\s+/).at(-1)!;
  const title = opts.title ?? `Harbour deal sparks row in ${place} (${n})`;
  const paras = [
    title,
    `The government of ${place} signed a sweeping harbour deal on Monday, a move critics called a shameful betrayal of the coast.`,
    `"This is the worst deal in our history," said ${speaker}, a maritime economist. He added that the port would never recover.`,
    `${surname} told the Coastal Herald that ministers had ignored every warning from the fishing towns.`,
    ...(opts.extra ?? []),
  ];
  const text = paras.join('\n\n');
  const at = (needle: string, from = 0): TextSpan => {
    const start = text.indexOf(needle, from);
    if (start < 0) throw new Error(`sample: ${needle} not in text`);
    return { start, end: start + needle.length, text: needle };
  };
  const p2 = text.indexOf(`"This is`);
  const p3 = text.indexOf(`${surname} told`);
  const full = at(speaker, p2);
  const he = at('He', full.end);
  const sur = at(surname, p3);
  const entities: Entity[] = [
    {
      id: 'e1',
      type: 'person',
      name: speaker,
      descriptors: ['maritime economist'],
      descriptorSpans: [at('maritime economist')],
      mentions: [
        { ...full, kind: 'name' },
        { ...he, kind: 'pronoun' },
        { ...sur, kind: 'surname' },
      ],
      gender: 'male',
    },
    { id: 'e2', type: 'place', name: place, descriptors: [], mentions: [{ ...at(place, text.indexOf('government')), kind: 'name' }] },
    { id: 'e3', type: 'organization', name: 'Coastal Herald', descriptors: [], mentions: [{ ...at('Coastal Herald'), kind: 'name' }] },
  ];
  const q1content = at('This is the worst deal in our history,');
  const q2content = at('ministers had ignored every warning from the fishing towns');
  const quotes: Quote[] = [
    {
      id: 'q1',
      kind: 'direct',
      ...q1content,
      parts: [q1content],
      cue: at('said', p2),
      speaker: { name: speaker, entity: 'e1', mention: full, type: 'person', resolved: true },
    },
    {
      id: 'q2',
      kind: 'indirect',
      ...q2content,
      parts: [q2content],
      cue: at('told', p3),
      speaker: { name: speaker, entity: 'e1', mention: sur, type: 'person', resolved: true },
      addressee: at('the Coastal Herald'),
    },
  ];
  const { segments } = segment(text, { title });
  const paraOf = (start: number) => Math.max(0, segments.paragraphs.findIndex((p) => p.start <= start && start < p.end));
  const tech = (technique: string, span: TextSpan, confidence: number, voice: TechniqueSpan['voice'], quote: string | null = null): TechniqueSpan => ({
    technique,
    ...span,
    confidence,
    voice,
    quote,
    paragraph: paraOf(span.start),
  });
  const techniques: TechniqueSpan[] = [
    tech('Loaded_Language', at('shameful betrayal'), 0.91, 'outlet'),
    // Overlaps the Loaded_Language span: both must stay visible.
    tech('Name_Calling-Labeling', at('a move critics called a shameful betrayal of the coast'), 0.55, 'outlet'),
    tech('Exaggeration-Minimisation', at('the worst deal in our history'), 0.78, 'direct_quote', 'q1'),
    tech('Appeal_to_Fear-Prejudice', at('the port would never recover'), 0.62, 'reported_speech', null),
  ];
  const layers: Record<string, unknown> = {};
  if (opts.narratives) {
    const s2 = segments.sentences.findIndex((x) => x.start <= q1content.start && q1content.start < x.end);
    const s1 = segments.sentences.findIndex((x) => x.text.includes('shameful betrayal'));
    const cite = (i: number, weight: number) => ({ start: segments.sentences[i].start, end: segments.sentences[i].end, text: segments.sentences[i].text, sentence: i, weight });
    layers.narratives = [
      {
        narrative: 'URW: Discrediting the West, Diplomacy', source: 'model', taxonomy: 'semeval2025', domain: 'URW', confidence: 0.52,
        evidence: [cite(s2, 1), cite(s1, 0.6)],
        subnarratives: [{ subnarrative: 'URW: Discrediting the West, Diplomacy: Other', confidence: 0.31, evidence: [cite(s2, 1)] }],
      },
    ];
    const mention = (m: TextSpan, main: string, fine: string) => {
      const sent = segments.sentences.find((x) => x.start <= m.start && m.start < x.end)!;
      return { ...m, main, mainConfidence: 0.7, fine: [{ role: fine, confidence: 0.5 }], evidence: { start: sent.start, end: sent.end, text: sent.text } };
    };
    layers.roles = [
      { entity: 'e1', name: speaker, main: 'Antagonist', mainConfidence: 0.7, fine: [{ role: 'Instigator', confidence: 0.5 }], mentions: [mention(full, 'Antagonist', 'Instigator')] },
      { entity: 'e2', name: place, main: 'Innocent', mainConfidence: 0.6, fine: [{ role: 'Victim', confidence: 0.4 }], mentions: [mention(entities[1].mentions[0], 'Innocent', 'Victim')] },
    ];
  }
  return {
    schema: SCHEMA,
    document: {
      id: `sample-${n}`,
      title,
      url: opts.url === undefined ? `https://news.example/${place.toLowerCase()}/harbour-${n}` : opts.url,
      outlet: opts.outlet === undefined ? 'Example Courier' : opts.outlet,
      byline: null,
      published: opts.published === undefined ? `2024-0${1 + (n % 6)}-1${n % 10}` : opts.published,
      language: 'en',
      text,
    },
    segments,
    entities,
    quotes,
    techniques,
    paragraphTechniques: [],
    frames: [
      { frame: 'Economic', confidence: 0.81, evidence: [] },
      { frame: 'Political', confidence: 0.44, evidence: [] },
    ],
    genre: { label: 'reporting', confidence: 0.7, evidence: [] },
    models: { sample: 'hand-built@1' },
    diagnostics: [],
    ...layers,
  };
}
