import type { Store } from './types.ts';

/**
 * Corpus export, shared by `unspin export` and the server's /api/export:
 * the same formats and columns, streamed a batch of articles at a time so a
 * large corpus never sits in memory.
 */

export const EXPORT_FORMATS = {
  jsonl: { type: 'application/x-ndjson; charset=utf-8', filename: 'analyses.jsonl' },
  'quotes-csv': { type: 'text/csv; charset=utf-8', filename: 'quotes.csv' },
  'techniques-csv': { type: 'text/csv; charset=utf-8', filename: 'techniques.csv' },
  'speakers-csv': { type: 'text/csv; charset=utf-8', filename: 'speakers.csv' },
  'narratives-csv': { type: 'text/csv; charset=utf-8', filename: 'narratives.csv' },
  'roles-csv': { type: 'text/csv; charset=utf-8', filename: 'roles.csv' },
} as const;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

const BATCH = 200;

/** RFC 4180 field; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}


/** Article id windows (afterId, throughId] of BATCH articles each. */
async function* windows(store: Store): AsyncGenerator<{ afterId: number; throughId: number; ids: number[] }> {
  for (let after = 0; ; ) {
    const batch = await store.articles({ afterId: after, limit: BATCH });
    if (!batch.length) return;
    const last = batch[batch.length - 1].id;
    yield { afterId: after, throughId: last, ids: batch.map((a) => a.id) };
    after = last;
  }
}

/**
 * The lines of an export, header first for the CSV formats, each ending in `eol` (RFC 4180's
 * CRLF by default; `unspin export` writes LF), a batch of articles at a time.
 */
export async function* exportLines(store: Store, format: ExportFormat, eol = '\r\n'): AsyncGenerator<string> {
  const csvLine = (fields: unknown[]) => fields.map(csvField).join(',') + eol;
  if (format === 'jsonl') {
    for await (const w of windows(store)) {
      for (const id of w.ids) {
        const analysis = await store.get(id);
        if (analysis) yield JSON.stringify(analysis) + '\n';
      }
    }
  } else if (format === 'quotes-csv') {
    yield csvLine(['article_id', 'outlet', 'published', 'url', 'quote_id', 'kind', 'start', 'end', 'text', 'cue', 'speaker', 'person', 'act']);
    for await (const w of windows(store)) {
      for (const r of await store.quoteRows({ afterId: w.afterId, throughId: w.throughId })) {
        yield csvLine([r.articleId, r.outlet, r.published, r.url, r.quoteId, r.kind, r.start, r.end, r.text, r.cue, r.speaker, r.person, r.act]);
      }
    }
  } else if (format === 'techniques-csv') {
    yield csvLine(['article_id', 'outlet', 'published', 'url', 'technique', 'start', 'end', 'text', 'confidence', 'voice']);
    for await (const w of windows(store)) {
      for (const r of await store.techniqueRows({ afterId: w.afterId, throughId: w.throughId })) {
        yield csvLine([r.articleId, r.outlet, r.published, r.url, r.technique, r.start, r.end, r.text, r.confidence, r.voice]);
      }
    }
  } else if (format === 'narratives-csv') {
    yield csvLine(['article_id', 'outlet', 'published', 'url', 'narrative', 'parent', 'source', 'taxonomy', 'confidence', 'evidence']);
    for await (const w of windows(store)) {
      for (const r of await store.narrativeRows({ afterId: w.afterId, throughId: w.throughId })) {
        yield csvLine([r.articleId, r.outlet, r.published, r.url, r.narrative, r.parent, r.source, r.taxonomy, r.confidence, r.evidence]);
      }
    }
  } else if (format === 'roles-csv') {
    yield csvLine(['article_id', 'outlet', 'published', 'url', 'entity', 'name', 'main', 'main_confidence', 'fine', 'fine_confidence', 'mentions']);
    for await (const w of windows(store)) {
      for (const r of await store.roleRows({ afterId: w.afterId, throughId: w.throughId })) {
        yield csvLine([r.articleId, r.outlet, r.published, r.url, r.entity, r.name, r.main, r.mainConfidence, r.fine, r.fineConfidence, r.mentions]);
      }
    }
  } else {
    yield csvLine(['name', 'variants', 'articles', 'quotes', 'outlets', 'first_seen', 'last_seen']);
    for (const r of await store.speakers({ limit: 1_000_000 })) {
      yield csvLine([r.name, r.variants.join('; '), r.articles, r.quotes, r.outlets, r.firstSeen, r.lastSeen]);
    }
  }
}

