/**
 * Turns an Analysis into flat highlight spans and cuts the text into
 * segments at every span boundary, each segment carrying the set of spans
 * over it. Overlapping spans therefore never hide each other: a segment under
 * two techniques simply lists both. Pure (no DOM), so it is unit-tested in Node.
 */

export type Layer = 'techniques' | 'quotes' | 'entities' | 'narratives' | 'roles' | 'other';

export interface Highlight {
  /** Unique within the article, e.g. "t3", "q1", "e2.0". */
  id: string;
  layer: Layer;
  /** Technique name, "quote", entity type, or the label of a later layer. */
  label: string;
  start: number;
  end: number;
  text: string;
  confidence?: number;
  voice?: string;
  /** For quotes: who said it. For entity mentions: the entity's name. */
  speaker?: string | null;
  /** Quote kind (direct/indirect/mixed) or mention kind (name/pronoun/…). */
  kind?: string;
  /** For quotes: how the speaker is referred to at this quote ("he", "the pundit"). */
  mention?: string | null;
  /** For quotes: whether the speaker was resolved to a named person. */
  person?: boolean;
  /** Name of a later layer (narratives, roles …) for layer "other". */
  source?: string;
}

export interface Segment {
  start: number;
  end: number;
  /** Indices into the highlight list, in list order. */
  spans: number[];
}

interface SpanLike {
  start: number;
  end: number;
  text?: string;
}

interface AnalysisLike {
  document: { text: string };
  techniques?: (SpanLike & { technique: string; confidence?: number; voice?: string })[];
  quotes?: (SpanLike & { id: string; kind?: string; act?: string; parts?: SpanLike[]; speaker?: { name?: string | null; mention?: SpanLike | null; type?: string; resolved?: boolean } | null })[];
  entities?: { id: string; type: string; name: string; mentions?: (SpanLike & { kind?: string })[] }[];
  [layer: string]: unknown;
}

interface NarrativeLike {
  narrative: string;
  confidence?: number;
  evidence?: SpanLike[];
  subnarratives?: { subnarrative: string; confidence?: number }[];
}

interface RolesLike {
  entity: string;
  name: string;
  mentions?: (SpanLike & { main: string; mainConfidence?: number; fine?: { role: string; confidence?: number }[] })[];
}

const KNOWN = new Set(['schema', 'document', 'segments', 'entities', 'quotes', 'techniques', 'paragraphTechniques', 'frames', 'genre', 'models', 'diagnostics', 'narratives', 'roles']);

const valid = (s: SpanLike, len: number) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= len && s.start < s.end;

export function highlights(a: AnalysisLike): Highlight[] {
  const text = a.document.text;
  const len = text.length;
  const out: Highlight[] = [];
  (a.techniques ?? []).forEach((t, i) => {
    if (!valid(t, len)) return;
    out.push({ id: `t${i}`, layer: 'techniques', label: t.technique, start: t.start, end: t.end, text: text.slice(t.start, t.end), confidence: t.confidence, voice: t.voice });
  });
  for (const q of a.quotes ?? []) {
    const parts = q.parts && q.parts.length ? q.parts : [q];
    parts.forEach((p, j) => {
      if (!valid(p, len)) return;
      out.push({
        id: parts.length > 1 ? `${q.id}.${j}` : q.id,
        layer: 'quotes',
        label: 'quote',
        start: p.start,
        end: p.end,
        text: text.slice(p.start, p.end),
        speaker: q.speaker?.name ?? q.speaker?.mention?.text ?? null,
        mention: q.speaker?.mention?.text ?? null,
        person: Boolean(q.speaker?.name) && q.speaker?.type === 'person',
        // A belief or a finding is an attribution but not a quote of anyone's words: say so.
        kind: q.act && q.act !== 'speech' && q.kind ? `${q.kind} · ${q.act}` : q.kind,
      });
    });
  }
  for (const e of a.entities ?? []) {
    (e.mentions ?? []).forEach((m, j) => {
      if (!valid(m, len)) return;
      out.push({ id: `${e.id}.${j}`, layer: 'entities', label: e.type, start: m.start, end: m.end, text: text.slice(m.start, m.end), speaker: e.name, kind: m.kind });
    });
  }
  // Narratives are article-level labels: their evidence sentences are the spans.
  if (Array.isArray(a.narratives)) {
    (a.narratives as NarrativeLike[]).forEach((n, i) => {
      (n.evidence ?? []).forEach((e, j) => {
        if (!valid(e, len)) return;
        const sub = n.subnarratives?.[0]?.subnarrative;
        out.push({ id: `n${i}.${j}`, layer: 'narratives', label: n.narrative, start: e.start, end: e.end, text: text.slice(e.start, e.end), confidence: n.confidence, kind: sub });
      });
    });
  }
  // Entity roles (protagonist, antagonist, innocent) on each mention.
  if (Array.isArray(a.roles)) {
    (a.roles as RolesLike[]).forEach((r, i) => {
      (r.mentions ?? []).forEach((m, j) => {
        if (!valid(m, len)) return;
        out.push({ id: `r${i}.${j}`, layer: 'roles', label: m.main, start: m.start, end: m.end, text: text.slice(m.start, m.end), confidence: m.mainConfidence, speaker: r.name, kind: m.fine?.[0]?.role });
      });
    });
  }
  // Later layers (claims …): any array of objects with offsets.
  for (const [key, value] of Object.entries(a)) {
    if (KNOWN.has(key) || !Array.isArray(value)) continue;
    value.forEach((item, i) => {
      if (!item || typeof item !== 'object') return;
      const s = item as SpanLike & Record<string, unknown>;
      if (!valid(s, len)) return;
      const label = [s.label, s.narrative, s.role, s.name, s.claim].find((v) => typeof v === 'string') as string | undefined;
      out.push({
        id: `${key}${i}`,
        layer: 'other',
        label: label ?? key,
        source: key,
        start: s.start,
        end: s.end,
        text: text.slice(s.start, s.end),
        confidence: typeof s.confidence === 'number' ? s.confidence : undefined,
      });
    });
  }
  return out;
}

/**
 * Cuts [0, length) at every start and end of the given spans. Every segment
 * lists the spans that cover it completely; consecutive segments with the
 * same set are not merged, so a span always starts and ends on a segment edge.
 */
export function cutSegments(length: number, spans: readonly { start: number; end: number }[]): Segment[] {
  const cuts = new Set<number>([0, length]);
  for (const s of spans) {
    cuts.add(Math.max(0, Math.min(length, s.start)));
    cuts.add(Math.max(0, Math.min(length, s.end)));
  }
  const points = [...cuts].sort((x, y) => x - y);
  // Sweep: open spans by start, close by end.
  const starts = new Map<number, number[]>();
  const ends = new Map<number, number[]>();
  spans.forEach((s, i) => {
    if (s.end <= s.start) return;
    (starts.get(s.start) ?? starts.set(s.start, []).get(s.start)!).push(i);
    (ends.get(s.end) ?? ends.set(s.end, []).get(s.end)!).push(i);
  });
  const open = new Set<number>();
  const out: Segment[] = [];
  for (let k = 0; k < points.length - 1; k++) {
    const at = points[k];
    for (const i of ends.get(at) ?? []) open.delete(i);
    for (const i of starts.get(at) ?? []) open.add(i);
    const end = points[k + 1];
    if (end > at) out.push({ start: at, end, spans: [...open].sort((x, y) => x - y) });
  }
  return out;
}
