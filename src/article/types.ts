/** What ingest produces from any source: the raw body plus metadata. */
export interface Article {
  /** Plain-text body as extracted (readability for HTML), paragraphs separated by blank lines. */
  raw: string;
  title: string | null;
  url: string | null;
  /** Site name, from metadata or URL host. */
  outlet: string | null;
  byline: string | null;
  /** ISO 8601 or null. */
  published: string | null;
  /** ISO 639-1 when known from metadata (html lang, header); detection fills it otherwise. */
  language: string | null;
  /** Where the article came from: 'text' | 'html' | 'url' | 'stdin' | 'feed' | 'jsonl'. */
  source: string;
}
