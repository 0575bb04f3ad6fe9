import type { Store } from '../store/types.ts';

/** Corpus export over HTTP, streamed page by page so a large corpus never sits in memory. */

export const EXPORT_FORMATS = {
  jsonl: { type: 'application/x-ndjson; charset=utf-8', filename: 'analyses.jsonl' },
  'quotes.csv': { type: 'text/csv; charset=utf-8', filename: 'quotes.csv' },
  'techniques.csv': { type: 'text/csv; charset=utf-8', filename: 'techniques.csv' },
} as const;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

const PAGE = 200;

/** RFC 4180 field; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvLine = (fields: unknown[]) => fields.map(csvField).join(',') + '\r\n';

async function* lines(store: Store, format: ExportFormat): AsyncGenerator<string> {
  if (format === 'jsonl') {
    let afterId = 0;
    for (;;) {
      const page = await store.articles({ afterId, limit: PAGE });
      if (!page.length) return;
      for (const a of page) {
        const analysis = await store.get(a.id);
        if (analysis) yield JSON.stringify({ id: a.id, ...analysis }) + '\n';
      }
      afterId = page[page.length - 1].id;
    }
  }
  if (format === 'quotes.csv') {
    yield csvLine(['article_id', 'outlet', 'published', 'url', 'quote_id', 'kind', 'start', 'end', 'text', 'cue', 'speaker', 'person']);
    for await (const r of byArticle((o) => store.quoteRows(o))) {
      yield csvLine([r.articleId, r.outlet, r.published, r.url, r.quoteId, r.kind, r.start, r.end, r.text, r.cue, r.speaker, r.person]);
    }
  }
  if (format === 'techniques.csv') {
    yield csvLine(['article_id', 'outlet', 'published', 'url', 'technique', 'start', 'end', 'text', 'confidence', 'voice']);
    for await (const r of byArticle((o) => store.techniqueRows(o))) {
      yield csvLine([r.articleId, r.outlet, r.published, r.url, r.technique, r.start, r.end, r.text, r.confidence, r.voice]);
    }
  }
}

/**
 * Rows ordered by article, paged with `afterId` (an article id) and a row
 * limit: a page that fills up may end inside an article, so its last article
 * is fetched again with the next page (a larger page when one article alone
 * fills it).
 */
export async function* byArticle<R extends { articleId: number }>(
  fetch: (o: { afterId: number; limit: number }) => Promise<R[]>,
): AsyncGenerator<R> {
  let afterId = 0;
  let size = PAGE;
  for (;;) {
    const rows = await fetch({ afterId, limit: size });
    if (rows.length < size) {
      yield* rows;
      return;
    }
    const last = rows[rows.length - 1].articleId;
    const complete = rows.filter((r) => r.articleId !== last);
    if (!complete.length) {
      size *= 2;
      continue;
    }
    yield* complete;
    afterId = complete[complete.length - 1].articleId;
    size = PAGE;
  }
}

export function exportStream(store: Store, format: ExportFormat): ReadableStream<Uint8Array> {
  const it = lines(store, format);
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await it.next();
        if (done) controller.close();
        else controller.enqueue(enc.encode(value));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}
