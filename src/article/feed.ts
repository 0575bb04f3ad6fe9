import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { createInterface } from 'node:readline';
import { XMLParser } from 'fast-xml-parser';
import type { Article } from './types.ts';
import { IngestError } from './errors.ts';
import { decodeBytes, DEFAULT_MAX_BYTES } from './decode.ts';
import { fetchUrl, FEED_CONTENT_TYPES } from './fetch.ts';
import { normaliseDate, stripTags } from './html.ts';
import { fromHtml, fromText, ingest, type IngestOptions } from './ingest.ts';

/**
 * Feeds (RSS 2.0, RSS 1.0/RDF, Atom), folders and JSONL files as sources of
 * many articles. The enumerators are async iterators that yield one result per
 * item: an error on one item is yielded, never thrown, so a batch goes on.
 */

export interface FeedItem {
  /** Absolute URL of the article (null when the item has none). */
  url: string | null;
  title: string | null;
  /** ISO 8601 or null. */
  published: string | null;
  /** Summary as plain text (HTML stripped), or null. */
  summary: string | null;
  /** Full content as the feed gives it (HTML of content:encoded or Atom <content>), or null. */
  content: string | null;
}

export interface Feed {
  kind: 'rss' | 'rdf' | 'atom';
  title: string | null;
  /** The site the feed belongs to. */
  link: string | null;
  items: FeedItem[];
}

/** One item of a batch: an Article or the error that stopped it. `ref` says which item (path, path:line, URL). */
export type IngestResult = { ok: true; ref: string; article: Article } | { ok: false; ref: string; error: IngestError };

/* eslint-disable @typescript-eslint/no-explicit-any */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link' || name === 'category',
});

function textOf(v: any): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number') return String(v).trim() || null;
  if (Array.isArray(v)) return textOf(v[0]);
  if (typeof v === 'object') return textOf(v['#text']);
  return null;
}

function plain(v: any): string | null {
  const t = textOf(v);
  if (!t) return null;
  const s = /[<&]/.test(t) ? stripTags(t) : t.replace(/\s+/g, ' ').trim();
  return s || null;
}

function absolute(href: string | null, base: string | null | undefined): string | null {
  if (!href) return null;
  try {
    return new URL(href.trim(), base ?? undefined).href;
  } catch {
    return null;
  }
}

function atomLink(links: any[] | undefined, base: string | null | undefined): string | null {
  if (!links?.length) return null;
  const pick =
    links.find((l) => typeof l === 'object' && (!l['@_rel'] || l['@_rel'] === 'alternate') && (!l['@_type'] || /html/i.test(l['@_type']))) ??
    links.find((l) => typeof l === 'object' && (!l['@_rel'] || l['@_rel'] === 'alternate')) ??
    links[0];
  return absolute(typeof pick === 'string' ? pick : pick?.['@_href'] ?? null, base);
}

/** Parse an RSS 2.0, RSS 1.0 (RDF) or Atom document. Throws IngestError 'parse' for anything else. */
export function parseFeed(xml: string, opts: { baseUrl?: string | null } = {}): Feed {
  // No DTDs: internal entity declarations are how XML bombs are built.
  const body = xml.replace(/^\uFEFF/, '').replace(/<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>/i, '');
  let doc: any;
  try {
    doc = parser.parse(body);
  } catch (e) {
    throw new IngestError('parse', `not a valid feed: ${(e as Error).message.split('\n')[0]}`);
  }
  const base = opts.baseUrl ?? null;
  if (doc?.rss?.channel || doc?.channel) {
    const ch = Array.isArray(doc.rss?.channel ?? doc.channel) ? (doc.rss?.channel ?? doc.channel)[0] : (doc.rss?.channel ?? doc.channel);
    const link = absolute(textOf(ch.link), base);
    const items: FeedItem[] = (ch.item ?? []).map((it: any) => {
      const guid = it.guid;
      const guidLink = guid && (typeof guid !== 'object' || guid['@_isPermaLink'] !== 'false') ? textOf(guid) : null;
      const href = textOf(it.link) ?? (guidLink && /^https?:/i.test(guidLink) ? guidLink : null);
      return {
        url: absolute(href, base ?? link),
        title: plain(it.title),
        published: normaliseDate(textOf(it.pubDate) ?? textOf(it['dc:date'])),
        summary: plain(it.description) ?? plain(it['content:encoded']),
        content: textOf(it['content:encoded']),
      };
    });
    return { kind: 'rss', title: plain(ch.title), link, items };
  }
  const rdf = doc?.['rdf:RDF'];
  if (rdf) {
    const ch = rdf.channel ?? {};
    const link = absolute(textOf(ch.link), base);
    const items: FeedItem[] = (rdf.item ?? []).map((it: any) => ({
      url: absolute(textOf(it.link) ?? it['@_rdf:about'] ?? null, base ?? link),
      title: plain(it.title),
      published: normaliseDate(textOf(it['dc:date'])),
      summary: plain(it.description),
      content: textOf(it['content:encoded']),
    }));
    return { kind: 'rdf', title: plain(ch.title), link, items };
  }
  const feed = doc?.feed;
  if (feed) {
    const feedBase = absolute(feed['@_xml:base'] ?? null, base) ?? base;
    const link = atomLink(feed.link, feedBase);
    const items: FeedItem[] = (feed.entry ?? []).map((e: any) => {
      const entryBase = absolute(e['@_xml:base'] ?? null, feedBase) ?? feedBase;
      return {
        url: atomLink(e.link, entryBase) ?? (/^https?:/i.test(textOf(e.id) ?? '') ? textOf(e.id) : null),
        title: plain(e.title),
        published: normaliseDate(textOf(e.published) ?? textOf(e.updated) ?? textOf(e['dc:date'])),
        summary: plain(e.summary) ?? plain(e.content),
        content: textOf(e.content),
      };
    });
    return { kind: 'atom', title: plain(feed.title), link, items };
  }
  throw new IngestError('parse', 'not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed> root)');
}

/** Read a feed from a file path or an http(s) URL. */
export async function loadFeed(source: string, opts: IngestOptions = {}): Promise<Feed> {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetchUrl(source, {
      allowPrivate: opts.allowPrivate,
      maxBytes: opts.maxBytes,
      timeoutMs: opts.timeoutMs,
      maxRedirects: opts.maxRedirects,
      resolve: opts.resolve,
      accept: [...FEED_CONTENT_TYPES, 'text/html', 'text/plain'],
    });
    const text = decodeBytes(res.body, { name: res.url, contentType: res.contentType }).text;
    return parseFeed(text, { baseUrl: res.url });
  }
  const bytes = await readCapped(source, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  return parseFeed(decodeBytes(bytes, { name: source }).text);
}

async function readCapped(path: string, maxBytes: number): Promise<Buffer> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new IngestError(code === 'ENOENT' ? 'not-found' : 'read-error', code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const st = await fh.stat();
    if (st.size > maxBytes) throw new IngestError('too-large', `${path} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

function asIngestError(e: unknown): IngestError {
  if (e instanceof IngestError) return e;
  return new IngestError('read-error', (e as Error)?.message ?? String(e), { cause: e });
}

export interface FeedIngestOptions extends IngestOptions {
  /** Fetch each item's page (default true). When false, or an item has no URL, the summary is the body. */
  fetchItems?: boolean;
  /** Stop after this many items. */
  limit?: number;
}

/**
 * Every item of a feed as an Article: each item's page is fetched and
 * extracted; the feed's title and date fill what the page lacks. Source 'feed'.
 */
export async function* fromFeed(source: string, opts: FeedIngestOptions = {}): AsyncGenerator<IngestResult> {
  let feed: Feed;
  try {
    feed = await loadFeed(source, opts);
  } catch (e) {
    yield { ok: false, ref: source, error: asIngestError(e) };
    return;
  }
  const items = opts.limit !== undefined ? feed.items.slice(0, opts.limit) : feed.items;
  for (const [i, item] of items.entries()) {
    const ref = item.url ?? `${source}#${i + 1}`;
    try {
      let article: Article;
      if (item.url && (opts.fetchItems ?? true)) {
        const a = await ingest(item.url, opts);
        article = { ...a, title: a.title ?? item.title, published: a.published ?? item.published, outlet: a.outlet ?? feed.title, source: 'feed' };
      } else if (item.content && (item.content.length > (item.summary?.length ?? 0))) {
        const meta = { title: item.title ?? undefined, url: item.url, published: item.published ?? undefined, outlet: feed.title ?? undefined, source: 'feed' };
        article = /[<&]/.test(item.content) ? fromHtml(item.content, { ...meta, detectLanguage: opts.detectLanguage }) : fromText(item.content, meta, { detectLanguage: opts.detectLanguage });
      } else {
        if (!item.summary) throw new IngestError('empty', `feed item ${i + 1} has no URL, content or summary`);
        article = fromText(item.summary, { title: item.title, url: item.url, published: item.published, outlet: feed.title, source: 'feed' }, { detectLanguage: opts.detectLanguage });
      }
      yield { ok: true, ref, article };
    } catch (e) {
      yield { ok: false, ref, error: asIngestError(e) };
    }
  }
}

const FOLDER_EXT = new Set(['.txt', '.text', '.md', '.html', '.htm', '.xhtml']);

/** Every .txt/.md/.html file of a folder (sorted by name; `recursive` walks sub-folders) as an Article. */
export async function* fromFolder(dir: string, opts: IngestOptions & { recursive?: boolean } = {}): AsyncGenerator<IngestResult> {
  let names: string[];
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) throw new IngestError('read-error', `${dir} is not a folder`);
    names = (await readdir(dir, { recursive: opts.recursive ?? false })).map(String);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    yield { ok: false, ref: dir, error: code === 'ENOENT' ? new IngestError('not-found', `no such folder: ${dir}`) : asIngestError(e) };
    return;
  }
  names = names.filter((n) => FOLDER_EXT.has(extname(n).toLowerCase()) && !n.split(/[\\/]/).some((part) => part.startsWith('.'))).sort();
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = await stat(path);
      if (!st.isFile()) continue;
      yield { ok: true, ref: path, article: await ingest(path, opts) };
    } catch (e) {
      yield { ok: false, ref: path, error: asIngestError(e) };
    }
  }
}

/** A JSONL record: one article per line. */
export interface JsonlRecord {
  text?: string;
  html?: string;
  url?: string | null;
  title?: string | null;
  outlet?: string | null;
  published?: string | null;
  byline?: string | null;
  language?: string | null;
}

/** One parsed JSONL line → Article (throws IngestError). */
export function fromJsonlRecord(record: unknown, opts: { detectLanguage?: boolean; ref?: string } = {}): Article {
  const where = opts.ref ? `${opts.ref}: ` : '';
  if (!record || typeof record !== 'object' || Array.isArray(record)) throw new IngestError('parse', `${where}expected a JSON object`);
  const r = record as JsonlRecord;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const meta = {
    url: str(r.url),
    title: str(r.title),
    outlet: str(r.outlet),
    published: normaliseDate(str(r.published)) ?? null,
    byline: str(r.byline),
    language: str(r.language),
    source: 'jsonl',
  };
  if (typeof r.html === 'string' && r.html.trim()) {
    const a = fromHtml(r.html, { ...meta, title: meta.title ?? undefined, outlet: meta.outlet ?? undefined, published: meta.published ?? undefined, byline: meta.byline ?? undefined, language: meta.language ?? undefined, detectLanguage: opts.detectLanguage });
    return { ...a, outlet: a.outlet ?? (meta.url ? safeHost(meta.url) : null) };
  }
  if (typeof r.text === 'string') {
    try {
      return fromText(r.text, meta, { detectLanguage: opts.detectLanguage });
    } catch (e) {
      if (e instanceof IngestError && e.code === 'empty') throw new IngestError('empty', `${where}the text is empty`);
      throw e;
    }
  }
  throw new IngestError('empty', `${where}record has neither "text" nor "html"`);
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/**
 * Each line of a JSONL file (`{text|html, url?, title?, outlet?, published?}`)
 * as an Article; `ref` is `path:line`. Blank lines are skipped.
 */
export async function* fromJsonl(source: string | NodeJS.ReadableStream, opts: IngestOptions = {}): AsyncGenerator<IngestResult> {
  const name = typeof source === 'string' ? source : 'stdin';
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let input: NodeJS.ReadableStream;
  if (typeof source === 'string') {
    try {
      const st = await stat(source);
      if (!st.isFile()) throw new IngestError('read-error', `${source} is not a file`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      yield { ok: false, ref: source, error: code === 'ENOENT' ? new IngestError('not-found', `no such file: ${source}`) : asIngestError(e) };
      return;
    }
    input = createReadStream(source, { encoding: 'utf8' });
  } else {
    input = source;
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      const ref = `${name}:${n}`;
      if (!line.trim()) continue;
      if (line.length > maxBytes) {
        yield { ok: false, ref, error: new IngestError('too-large', `${ref}: line is longer than the ${maxBytes}-byte limit`) };
        continue;
      }
      let record: unknown;
      try {
        record = JSON.parse(line.replace(/^\uFEFF/, ''));
      } catch (e) {
        yield { ok: false, ref, error: new IngestError('parse', `${ref}: invalid JSON (${(e as Error).message})`) };
        continue;
      }
      try {
        yield { ok: true, ref, article: fromJsonlRecord(record, { detectLanguage: opts.detectLanguage, ref }) };
      } catch (e) {
        yield { ok: false, ref, error: asIngestError(e) };
      }
    }
  } finally {
    lines.close();
  }
}
