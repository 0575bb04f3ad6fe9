import { SCHEMA, type Analysis, type Entity, type Quote, type TechniqueSpan } from '../document/types.ts';

/**
 * Builds a consistent Analysis from a few strings, for tests and the bench:
 * every span is located in the text by search, so offsets are always right.
 */
export interface FakeArticle {
  id?: string;
  title?: string | null;
  url?: string | null;
  outlet?: string | null;
  published?: string | null;
  language?: string;
  paragraphs: string[];
  /** Each quote's text must occur in a paragraph; `speaker` may be null (unresolved). */
  quotes?: { text: string; speaker: string | null; kind?: Quote['kind']; cue?: string; act?: Quote['act'] }[];
  /** Person entities and the descriptors the article gives them. */
  people?: { name: string; descriptors?: string[] }[];
  techniques?: { technique: string; text: string; confidence?: number }[];
  frames?: string[];
  genre?: 'reporting' | 'opinion' | 'satire' | null;
  /** The narratives layer: each evidence string must occur in the text (its paragraph is cited). */
  narratives?: {
    narrative: string;
    source?: 'model' | 'user';
    id?: string;
    confidence?: number;
    evidence?: string[];
    subnarratives?: { subnarrative: string; evidence?: string[] }[];
  }[];
  /** The roles layer: who is cast how (the entity is one of `people` when the name matches). */
  roles?: { name: string; main: string; fine?: string }[];
}

function locate(text: string, needle: string, from = 0) {
  const start = text.indexOf(needle, from);
  if (start < 0) throw new Error(`fake article: "${needle}" is not in the text`);
  return { start, end: start + needle.length, text: needle };
}

export function fakeAnalysis(f: FakeArticle): Analysis {
  const title = f.title ?? null;
  const blocks = title ? [title, ...f.paragraphs] : f.paragraphs;
  const text = blocks.join('\n\n');
  const paragraphs: Analysis['segments']['paragraphs'] = [];
  let pos = 0;
  blocks.forEach((b, i) => {
    paragraphs.push({ start: pos, end: pos + b.length, text: b, index: i, role: title && i === 0 ? 'title' : 'body' });
    pos += b.length + 2;
  });
  const sentences = paragraphs.map((p) => ({ start: p.start, end: p.end, text: p.text, paragraph: p.index }));
  const paraOf = (at: number) => paragraphs.findIndex((p) => p.start <= at && at < p.end);
  const entities: Entity[] = (f.people ?? []).map((p, i) => {
    const mention = text.includes(p.name) ? [{ ...locate(text, p.name), kind: 'name' as const }] : [];
    return { id: `e${i + 1}`, type: 'person', name: p.name, descriptors: p.descriptors ?? [], mentions: mention };
  });
  const quotes: Quote[] = (f.quotes ?? []).map((q, i) => {
    const span = locate(text, q.text);
    const entity = entities.find((e) => e.name === q.speaker)?.id ?? null;
    return {
      id: `q${i + 1}`,
      kind: q.kind ?? 'direct',
      ...span,
      parts: [span],
      cue: q.cue ? locate(text, q.cue) : null,
      speaker: { name: q.speaker, entity, mention: null, type: q.speaker ? 'person' : 'unknown', resolved: q.speaker !== null },
      ...(q.act ? { act: q.act } : {}),
    };
  });
  const techniques: TechniqueSpan[] = (f.techniques ?? []).map((t) => {
    const span = locate(text, t.text);
    return { technique: t.technique, ...span, confidence: t.confidence ?? 0.8, voice: 'outlet', quote: null, paragraph: paraOf(span.start) };
  });
  const cite = (needles: string[] | undefined) =>
    (needles ?? []).map((n, i) => {
      const p = paraOf(locate(text, n).start);
      return { start: paragraphs[p].start, end: paragraphs[p].end, text: paragraphs[p].text, sentence: p, weight: i === 0 ? 1 : 0.5 };
    });
  const layers: Record<string, unknown> = {};
  if (f.narratives) {
    layers.narratives = f.narratives.map((n) => ({
      narrative: n.narrative,
      source: n.source ?? 'model',
      taxonomy: n.source === 'user' ? 'test topic' : 'semeval2025',
      ...(n.id ? { id: n.id } : {}),
      domain: n.source === 'user' ? null : n.narrative.startsWith('CC:') ? 'CC' : n.narrative.startsWith('URW:') ? 'URW' : null,
      confidence: n.confidence ?? 0.6,
      evidence: cite(n.evidence),
      subnarratives: (n.subnarratives ?? []).map((sn) => ({ subnarrative: sn.subnarrative, confidence: 0.4, evidence: cite(sn.evidence) })),
    }));
  }
  if (f.roles) {
    layers.roles = f.roles.map((r, i) => {
      const entity = entities.find((e) => e.name === r.name)?.id ?? `r${i + 1}`;
      const fine = [{ role: r.fine ?? 'Instigator', confidence: 0.5 }];
      const mentions = [];
      if (text.includes(r.name)) {
        const at = locate(text, r.name);
        const p = paragraphs[paraOf(at.start)];
        mentions.push({ ...at, main: r.main, mainConfidence: 0.7, fine, evidence: { start: p.start, end: p.end, text: p.text } });
      }
      return { entity, name: r.name, main: r.main, mainConfidence: 0.7, fine, mentions };
    });
  }
  return {
    schema: SCHEMA,
    document: {
      id: f.id ?? 'doc',
      title,
      url: f.url ?? null,
      outlet: f.outlet ?? null,
      byline: null,
      published: f.published ?? null,
      language: f.language ?? 'en',
      text,
    },
    segments: { title: title ? { start: 0, end: title.length, text: title } : null, lede: null, sections: [], paragraphs, sentences },
    entities,
    quotes,
    techniques,
    paragraphTechniques: [],
    frames: (f.frames ?? []).map((frame) => ({ frame, confidence: 0.7, evidence: [] })),
    genre: f.genre ? { label: f.genre, confidence: 0.9, evidence: [] } : null,
    models: {},
    diagnostics: [],
    ...layers,
  };
}
