import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Article } from './types.ts';
import { DEFAULT_MAX_BYTES, decodeBytes, isBlank } from './decode.ts';
import { IngestError } from './errors.ts';
import { fetchUrl, type Resolver } from './fetch.ts';
import { articleFromHtml } from './html.ts';
import { detectLanguage } from '../language/detect.ts';

export interface IngestOptions {
  /** Fetch from loopback/private/link-local addresses too (off by default). */
  allowPrivate?: boolean;
  /** Cap on bytes read (files, stdin, decoded URL bodies). Default 20 MB. */
  maxBytes?: number;
  /** Total time for a URL fetch. Default 15,000 ms. */
  timeoutMs?: number;
  /** Redirects followed for a URL. Default 5. */
  maxRedirects?: number;
  /** The stream read for source '-' (default process.stdin). */
  stdin?: NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;
  /** Force the format instead of deciding from extension, Content-Type or content. */
  format?: 'auto' | 'html' | 'text';
  /** Fill `language` by detection when the source does not declare it (default true). */
  detectLanguage?: boolean;
  /** DNS resolver for URL fetches (tests). */
  resolve?: Resolver;
}

export interface ArticleMeta {
  title?: string | null;
  url?: string | null;
  outlet?: string | null;
  byline?: string | null;
  published?: string | null;
  language?: string | null;
  source?: string;
}

const HTML_EXT = new Set(['.html', '.htm', '.xhtml', '.shtml']);

/** True when text looks like an HTML document or fragment rather than prose. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 2048).replace(/^\uFEFF/, '');
  if (/^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b/i.test(head)) return true;
  if (/^\s*<\?xml[^>]*>\s*(?:<!doctype\s+html|<html)/i.test(head)) return true;
  // A fragment that starts with a block tag and has several tags.
  return /^\s*<(?:p|div|article|section|main|h[1-6]|meta|title)\b/i.test(head) && (head.match(/<\/?[a-z][a-z0-9]*\b[^>]*>/gi)?.length ?? 0) >= 3;
}

function withLanguage(a: Article, detect: boolean): Article {
  if (a.language || !detect) return a;
  const g = detectLanguage(a.title ? `${a.title}\n${a.raw}` : a.raw);
  return { ...a, language: g.language === 'und' ? null : g.language };
}

/** An Article from plain text already in memory (no I/O). Throws 'empty' for blank text. */
export function fromText(raw: string, meta: ArticleMeta = {}, opts: { detectLanguage?: boolean } = {}): Article {
  const body = raw.replace(/^\uFEFF/, '');
  if (isBlank(body)) throw new IngestError('empty', 'the text is empty');
  return withLanguage(
    {
      raw: body,
      title: meta.title ?? null,
      url: meta.url ?? null,
      outlet: meta.outlet ?? null,
      byline: meta.byline ?? null,
      published: meta.published ?? null,
      language: meta.language ?? null,
      source: meta.source ?? 'text',
    },
    opts.detectLanguage ?? true,
  );
}

/** An Article from an HTML page in memory (no I/O). Throws 'empty' when no text is found. */
export function fromHtml(html: string, meta: ArticleMeta & { detectLanguage?: boolean } = {}): Article {
  const a = articleFromHtml(html, { url: meta.url ?? null, source: meta.source ?? 'html' });
  if (isBlank(a.raw)) throw new IngestError('empty', `no article text found in the HTML${meta.url ? ' of ' + meta.url : ''}`);
  const article: Article = {
    raw: a.raw,
    title: meta.title ?? a.title,
    url: a.url,
    outlet: meta.outlet ?? a.outlet,
    byline: meta.byline ?? a.byline,
    published: meta.published ?? a.published,
    language: meta.language ?? a.language,
    source: a.source,
  };
  return withLanguage(article, meta.detectLanguage ?? true);
}

/** Bytes (from a file, stdin or a URL) → Article. */
export function fromBytes(
  bytes: Uint8Array,
  opts: { name: string; html: boolean | 'sniff'; contentType?: string | null; meta?: ArticleMeta; detectLanguage?: boolean },
): Article {
  const sniffHtml = opts.html === 'sniff';
  const decoded = decodeBytes(bytes, { name: opts.name, contentType: opts.contentType, html: opts.html !== false });
  const isHtml = sniffHtml ? looksLikeHtml(decoded.text) : opts.html;
  if (isHtml) {
    try {
      return fromHtml(decoded.text, { ...opts.meta, detectLanguage: opts.detectLanguage });
    } catch (e) {
      if (e instanceof IngestError && e.code === 'empty') throw new IngestError('empty', `no article text found in ${opts.name}`);
      throw e;
    }
  }
  return fromText(decoded.text, opts.meta, { detectLanguage: opts.detectLanguage });
}

async function readStream(stream: NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>, maxBytes: number, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += b.length;
    if (total > maxBytes) {
      (stream as { destroy?: () => void }).destroy?.();
      throw new IngestError('too-large', `${name} is larger than the ${maxBytes}-byte limit`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

async function readFileCapped(path: string, maxBytes: number): Promise<Buffer> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const hint = /^(?:www\.[^/\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/)/i.test(path) ? ` (for a web page, write https://${path})` : '';
      throw new IngestError('not-found', `no such file: ${path}${hint}`);
    }
    if (code === 'EACCES' || code === 'EPERM') throw new IngestError('read-error', `permission denied: ${path}`);
    throw new IngestError('read-error', `cannot read ${path}: ${(e as Error).message}`);
  }
  if (st.isDirectory()) throw new IngestError('read-error', `${path} is a directory, not a file`);
  if (st.isFile() && st.size > maxBytes) throw new IngestError('too-large', `${path} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new IngestError('read-error', `permission denied: ${path}`);
    throw new IngestError('read-error', `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    // Read through a stream so FIFOs and growing files respect the cap too.
    return await readStream(fh.createReadStream({ autoClose: false }), maxBytes, path);
  } finally {
    await fh.close();
  }
}

/**
 * Any source → Article. `source` is a file path, '-' for stdin (or opts.stdin),
 * or an http(s) URL. Throws IngestError with a stable code and a one-line message.
 */
export async function ingest(source: string, opts: IngestOptions = {}): Promise<Article> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const detect = opts.detectLanguage ?? true;
  const format = opts.format ?? 'auto';
  const forced = format === 'html' ? true : format === 'text' ? false : null;
  if (source === '-') {
    const bytes = await readStream(opts.stdin ?? process.stdin, maxBytes, 'stdin');
    return fromBytes(bytes, { name: 'stdin', html: forced ?? 'sniff', meta: { source: 'stdin' }, detectLanguage: detect });
  }
  if (/^https?:\/\//i.test(source)) {
    const res = await fetchUrl(source, {
      allowPrivate: opts.allowPrivate,
      maxBytes,
      timeoutMs: opts.timeoutMs,
      maxRedirects: opts.maxRedirects,
      resolve: opts.resolve,
    });
    const html = forced ?? (res.mediaType === 'text/html' || res.mediaType === 'application/xhtml+xml' ? true : res.mediaType === 'text/plain' ? false : 'sniff');
    const article = fromBytes(res.body, { name: res.url, html, contentType: res.contentType, meta: { url: res.url, source: 'url' }, detectLanguage: detect });
    if (!article.outlet) {
      try {
        article.outlet = new URL(res.url).hostname.replace(/^www\./, '');
      } catch {
        /* keep null */
      }
    }
    return article;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    throw new IngestError('bad-url', `only http and https URLs can be fetched: ${source}`);
  }
  const bytes = await readFileCapped(source, maxBytes);
  const ext = extname(source).toLowerCase();
  const html = forced ?? (HTML_EXT.has(ext) ? true : ext === '.txt' || ext === '.text' || ext === '.md' ? false : 'sniff');
  return fromBytes(bytes, { name: source, html, meta: { source: html === true ? 'html' : 'text' }, detectLanguage: detect });
}
