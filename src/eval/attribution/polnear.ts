/**
 * Loading PolNeAR-format JSONL: one annotation file per line with `text` and
 * `attributions[{source[], cue[], content[]}]`, character offsets into `text`
 * (UTF-16 safe: the corpus has no astral characters).
 */
import { readFileSync } from 'node:fs';

export interface GoldSpan {
  start: number;
  end: number;
}

export interface GoldRelation {
  id: string;
  source: GoldSpan[];
  cue: GoldSpan[];
  content: GoldSpan[];
}

export interface PolnearDoc {
  id: string;
  annotator: string | null;
  title: string | null;
  text: string;
  attributions: GoldRelation[];
}

/** A PolNeAR file that is not one JSON document per line (commands show it as a user error). */
export class PolnearFormatError extends Error {}

export function loadPolnear(path: string, limit = Infinity): PolnearDoc[] {
  const out: PolnearDoc[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const [n, line] of lines.entries()) {
    if (out.length >= limit) break;
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new PolnearFormatError(`${path}:${n + 1}: not a JSON object (PolNeAR .jsonl files hold one document per line)`);
    }
    const o = parsed as {
      doc_id?: string;
      annotator?: string;
      title?: string;
      text: string;
      attributions?: { id?: string; source?: GoldSpan[]; cue?: GoldSpan[]; content?: GoldSpan[] }[];
    };
    if (typeof o.text !== 'string') continue;
    const span = (s: GoldSpan[] | undefined) => (s ?? []).map((x) => ({ start: x.start, end: x.end })).filter((x) => x.end > x.start);
    out.push({
      id: o.doc_id ?? String(out.length),
      annotator: o.annotator ?? null,
      title: o.title ?? null,
      text: o.text,
      attributions: (o.attributions ?? []).map((a, i) => ({
        id: a.id ?? `R${i + 1}`,
        source: span(a.source),
        cue: span(a.cue),
        content: span(a.content),
      })),
    });
  }
  return out;
}
