import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Article } from '../article/types.ts';
import { fromHtml, fromText, ingest, type IngestOptions } from '../article/index.ts';
import { IngestError } from '../article/errors.ts';
import type { Feed } from '../article/feed.ts';

/**
 * What `unspin ingest` can take, turned into a list of items to load one by
 * one: files, folders (walked recursively), JSONL files (one article per
 * line), lists of URLs (a .txt file whose lines are all URLs), single URLs,
 * stdin, and feeds.
 */

export interface Item {
  /** How the item is named in progress and error messages. */
  label: string;
  /** The article's URL when known before loading (lets a rerun skip it without fetching). */
  url?: string | null;
  load(): Promise<Article>;
}

const ARTICLE_EXT = new Set(['.txt', '.text', '.md', '.html', '.htm', '.xhtml', '.shtml']);
export const JSONL_EXT = new Set(['.jsonl', '.ndjson']);
const URL_LINE = /^https?:\/\/\S+$/i;

/** Fields a JSONL line may carry, under the names common dumps use. */
export function fromJson(o: Record<string, unknown>, label: string): Article {
  const str = (...keys: string[]) => {
    for (const k of keys) if (typeof o[k] === 'string' && (o[k] as string).trim()) return o[k] as string;
    return null;
  };
  const meta = {
    title: str('title', 'headline'),
    url: str('url', 'link', 'canonical_url'),
    outlet: str('outlet', 'site', 'source_name', 'publisher'),
    byline: str('byline', 'author'),
    published: str('published', 'date', 'published_at', 'pubDate', 'datetime'),
    language: str('language', 'lang'),
    source: 'jsonl',
  };
  const html = str('html');
  if (html) return fromHtml(html, meta);
  const body = str('text', 'raw', 'body', 'content', 'article');
  if (!body) throw new IngestError('empty', `${label}: no text, raw, body, content or html field`);
  return fromText(body, meta);
}

async function* jsonlItems(path: string): AsyncGenerator<Item> {
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const label = `${path}:${i + 1}`;
    let url: string | null = null;
    let parsed: Record<string, unknown> | null = null;
    let error: string | null = null;
    try {
      const v = JSON.parse(line);
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        parsed = v;
        url = typeof v.url === 'string' ? v.url : typeof v.link === 'string' ? v.link : null;
      } else error = 'the line is not a JSON object';
    } catch (e) {
      error = `invalid JSON (${(e as Error).message})`;
    }
    yield {
      label,
      url,
      load: async () => {
        if (!parsed) throw new IngestError('parse', error!);
        return fromJson(parsed, label);
      },
    };
  }
}

export async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && (ARTICLE_EXT.has(extname(e.name).toLowerCase()) || JSONL_EXT.has(extname(e.name).toLowerCase()))) out.push(p);
  }
  return out;
}

/** A .txt file whose non-empty, non-comment lines are all URLs is a list of URLs. */
export async function urlList(path: string): Promise<string[] | null> {
  if (extname(path).toLowerCase() !== '.txt') return null;
  const st = await stat(path);
  if (st.size > 50 * 1024 * 1024) return null;
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return lines.length && lines.every((l) => URL_LINE.test(l)) ? lines : null;
}

function urlItem(url: string, opts: IngestOptions): Item {
  return { label: url, url, load: () => ingest(url, opts) };
}

function fileItem(path: string, opts: IngestOptions): Item {
  return { label: path, load: () => ingest(path, opts) };
}

/** Items from the command line's inputs, in order. Unknown paths become items that fail with a clear message. */
export async function* inputItems(inputs: string[], opts: IngestOptions = {}): AsyncGenerator<Item> {
  for (const input of inputs) {
    if (input === '-') {
      yield { label: 'stdin', load: () => ingest('-', opts) };
      continue;
    }
    if (/^https?:\/\//i.test(input)) {
      yield urlItem(input, opts);
      continue;
    }
    let st;
    try {
      st = await stat(input);
    } catch {
      yield { label: input, load: async () => { throw new IngestError('not-found', `no such file or folder: ${input}`); } };
      continue;
    }
    const files = st.isDirectory() ? await walk(input) : [input];
    for (const f of files) {
      const ext = extname(f).toLowerCase();
      if (JSONL_EXT.has(ext)) {
        yield* jsonlItems(f);
        continue;
      }
      const urls = await urlList(f).catch(() => null);
      if (urls) for (const u of urls) yield urlItem(u, opts);
      else yield fileItem(f, opts);
    }
  }
}

/** HTML from a feed (often a bare fragment): through readability, or as plain text when that finds nothing. */
function feedHtml(html: string, meta: Parameters<typeof fromHtml>[1]): Article {
  try {
    return fromHtml(html, meta);
  } catch (e) {
    if (!(e instanceof IngestError) || e.code !== 'empty') throw e;
    const plain = html.replace(/<\/(p|div|h[1-6]|li|blockquote)>/gi, '\n\n').replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '');
    return fromText(plain.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'"), meta);
  }
}

/** Shortest body a feed item's own content must have to be used instead of fetching its page. */
const FULL_CONTENT_CHARS = 600;

/** Items of a parsed feed: its full content when it carries the article, otherwise its link to fetch. */
export function feedItems(feed: Feed, feedUrl: string, opts: IngestOptions = {}): Item[] {
  const out: Item[] = [];
  for (const [i, it] of feed.items.entries()) {
    const label = it.url ?? `${feedUrl} item ${i + 1}`;
    const meta = { title: it.title, url: it.url, published: it.published, source: 'feed' };
    const content = it.content ?? null;
    if (content && content.replace(/<[^>]+>/g, '').length >= FULL_CONTENT_CHARS) {
      out.push({ label, url: it.url, load: async () => feedHtml(content, meta) });
    } else if (it.url) {
      const link = it.url;
      out.push({
        label,
        url: link,
        load: async () => {
          const a = await ingest(link, opts);
          return { ...a, title: a.title ?? it.title, published: a.published ?? it.published, source: 'feed' };
        },
      });
    } else if (content) {
      out.push({ label, url: null, load: async () => feedHtml(content, meta) });
    } else if (it.summary) {
      const summary = it.summary;
      out.push({ label, url: null, load: async () => fromText(summary, meta) });
    }
  }
  return out;
}
