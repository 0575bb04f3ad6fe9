import { createRequire } from 'node:module';
import type { Readability as ReadabilityClass } from '@mozilla/readability';
import type { parseHTML as ParseHTML } from 'linkedom';

// linkedom and Readability take most of a cold start to load; plain-text
// articles never need them, so they are loaded on the first HTML page.
const require = createRequire(import.meta.url);
let dom: { parseHTML: typeof ParseHTML; Readability: typeof ReadabilityClass } | null = null;
function htmlLibs() {
  dom ??= {
    parseHTML: (require('linkedom') as { parseHTML: typeof ParseHTML }).parseHTML,
    Readability: (require('@mozilla/readability') as { Readability: typeof ReadabilityClass }).Readability,
  };
  return dom;
}
import type { Article } from './types.ts';

/**
 * HTML → Article: metadata from <meta>, JSON-LD and <time>; body through
 * Mozilla Readability on a linkedom DOM (scripts are never run: linkedom has
 * no script engine, and script elements are removed before extraction).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type El = any;

export interface HtmlMeta {
  title: string | null;
  byline: string | null;
  published: string | null;
  outlet: string | null;
  language: string | null;
}

/** Elements that never hold article prose. */
const DROP_TAGS = 'script, style, noscript, template, iframe, object, embed, svg, canvas, form, nav, aside, button, select, input, textarea, dialog, figcaption';
const DROP_ROLES = '[role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"], [role="search"], [role="dialog"], [role="alert"], [aria-hidden="true"], [hidden]';
/** class/id words of comment sections, ads, share bars and cookie banners (whole dash/underscore-separated words). */
const JUNK_WORD = /(?:^|[\s_-])(?:comments?|comment-list|commentlist|disqus|replies|respond|ad|ads|adslot|advert|adverts|advertisement|advertising|sponsored|sponsor|promo|promoted|outbrain|taboola|share|sharing|social|newsletter|subscribe|cookie|cookies|consent|gdpr|paywall|related|recommended|most-read|trending|breadcrumbs?|skip-link)(?:$|[\s_-])/i;

const BLOCK_TAGS = new Set([
  'P', 'DIV', 'SECTION', 'ARTICLE', 'MAIN', 'HEADER', 'FOOTER', 'BLOCKQUOTE', 'LI', 'UL', 'OL', 'DL', 'DT', 'DD',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'PRE', 'FIGURE', 'TABLE', 'TR', 'TBODY', 'THEAD', 'TFOOT', 'CAPTION',
  'ADDRESS', 'HR', 'CENTER', 'DETAILS', 'SUMMARY', 'HGROUP',
]);

function text(el: El | null | undefined): string | null {
  if (!el) return null;
  const t = String(el.textContent ?? '').replace(/\s+/g, ' ').trim();
  return t || null;
}

function attr(doc: El, selector: string, name = 'content'): string | null {
  const el = doc.querySelector(selector);
  const v = el?.getAttribute(name);
  return v && v.trim() ? v.trim() : null;
}

function wrapIfFragment(html: string): string {
  return /<html[\s>]/i.test(html) || /<body[\s>]/i.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
}

/** ISO 8601 for a date string, or null. Dates without a time stay date-only. */
export function normaliseDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  if (!/\d{4}/.test(v)) return null;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  const year = new Date(t).getUTCFullYear();
  if (year < 1800 || year > 2200) return null;
  return new Date(t).toISOString();
}

/** Primary language subtag of a BCP 47 tag or locale ('fr-CA', 'de_DE' → 'fr', 'de'). */
export function primaryLanguage(tag: string | null | undefined): string | null {
  if (!tag) return null;
  const m = /^\s*([a-zA-Z]{2,3})(?:[-_]|$)/.exec(tag);
  if (!m) return null;
  const code = m[1].toLowerCase();
  return code === 'und' ? null : code;
}

function jsonLdObjects(doc: El): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  const visit = (v: any, depth: number) => {
    if (!v || typeof v !== 'object' || depth > 6) return;
    if (Array.isArray(v)) return v.forEach((x) => visit(x, depth + 1));
    out.push(v);
    if (v['@graph']) visit(v['@graph'], depth + 1);
    if (v.mainEntity) visit(v.mainEntity, depth + 1);
  };
  for (const s of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(String(s.textContent ?? '')), 0);
    } catch {
      // Broken JSON-LD is common; ignore it.
    }
  }
  return out;
}

function ldName(v: any): string | null {
  if (!v) return null;
  if (typeof v === 'string') return v.trim() || null;
  if (Array.isArray(v)) {
    const names = v.map(ldName).filter((x): x is string => !!x);
    return names.length ? names.join(', ') : null;
  }
  if (typeof v === 'object' && typeof v.name === 'string') return v.name.trim() || null;
  return null;
}

function isArticleType(o: Record<string, any>): boolean {
  const t = o['@type'];
  const types: string[] = Array.isArray(t) ? t : [t];
  return types.some((x) => typeof x === 'string' && /Article|Posting|Report|BlogPosting|NewsArticle/i.test(x));
}

function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/** Metadata of an HTML document (before any extraction mutates it). */
export function extractMeta(doc: El, url?: string | null): HtmlMeta {
  const ld = jsonLdObjects(doc);
  const ldArticle = ld.find(isArticleType) ?? ld.find((o) => o.datePublished || o.headline) ?? null;

  const title =
    attr(doc, 'meta[property="og:title"]') ??
    attr(doc, 'meta[name="twitter:title"]') ??
    (typeof ldArticle?.headline === 'string' ? ldArticle.headline.trim() : null) ??
    text(doc.querySelector('h1')) ??
    text(doc.querySelector('title'));

  const byline =
    attr(doc, 'meta[name="author"]') ??
    attr(doc, 'meta[property="article:author"]') ??
    ldName(ldArticle?.author) ??
    text(doc.querySelector('[rel="author"], .byline, [itemprop="author"]'));

  const published =
    normaliseDate(attr(doc, 'meta[property="article:published_time"]')) ??
    normaliseDate(typeof ldArticle?.datePublished === 'string' ? ldArticle.datePublished : null) ??
    normaliseDate(attr(doc, 'meta[itemprop="datePublished"]')) ??
    normaliseDate(attr(doc, '[itemprop="datePublished"]', 'datetime')) ??
    normaliseDate(attr(doc, 'meta[name="pubdate"]')) ??
    normaliseDate(attr(doc, 'meta[name="publishdate"]')) ??
    normaliseDate(attr(doc, 'meta[name="date"]')) ??
    normaliseDate(attr(doc, 'meta[name="dc.date"]')) ??
    normaliseDate(attr(doc, 'meta[name="DC.date.issued"]')) ??
    normaliseDate(attr(doc, 'meta[name="parsely-pub-date"]')) ??
    normaliseDate(attr(doc, 'article time[datetime]', 'datetime')) ??
    normaliseDate(attr(doc, 'time[datetime]', 'datetime'));

  const outlet =
    attr(doc, 'meta[property="og:site_name"]') ??
    ldName(ldArticle?.publisher) ??
    ldName(ld.find((o) => o['@type'] === 'NewsMediaOrganization' || o['@type'] === 'Organization')) ??
    attr(doc, 'meta[name="application-name"]') ??
    hostOf(url);

  const language =
    primaryLanguage(doc.documentElement?.getAttribute?.('lang')) ??
    primaryLanguage(doc.documentElement?.getAttribute?.('xml:lang')) ??
    primaryLanguage(attr(doc, 'meta[http-equiv="content-language" i]')) ??
    primaryLanguage(attr(doc, 'meta[property="og:locale"]')) ??
    primaryLanguage(typeof ldArticle?.inLanguage === 'string' ? ldArticle.inLanguage : null);

  return { title, byline, published, outlet, language };
}

/** True when an inline element sits inside a sentence (non-blank text right before or after it). */
function inRunningText(el: El): boolean {
  const near = [el.previousSibling, el.nextSibling];
  return near.some((n: El) => n && n.nodeType === 3 && String(n.data ?? '').trim() !== '');
}

/** Remove what never belongs to the article body (scripts, navigation, ads, comments, share bars). */
function stripJunk(doc: El): void {
  for (const el of [...doc.querySelectorAll(DROP_TAGS)]) el.remove();
  for (const el of [...doc.querySelectorAll(DROP_ROLES)]) el.remove();
  for (const el of [...doc.querySelectorAll('[class], [id]')]) {
    const tag = String(el.tagName).toUpperCase();
    if (tag === 'BODY' || tag === 'HTML' || tag === 'MAIN' || tag === 'ARTICLE') continue;
    const label = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (!JUNK_WORD.test(label)) continue;
    // A wrapper named after a feature ('post has-comments') may hold the article itself: keep it.
    if (el.querySelector('main, h1, [itemprop="articleBody"]')) continue;
    el.remove();
  }
  // Byline and date lines standing on their own: metadata, not prose. An inline
  // <time> inside a sentence stays.
  for (const el of [...doc.querySelectorAll('.byline, .author, .authors, [rel="author"], [itemprop="author"], .dateline, .date, .published, .timestamp, time')]) {
    const t = text(el);
    if (!el.isConnected || !t || t.length > 120) continue;
    let block = el;
    while (block.parentElement && !['BODY', 'ARTICLE', 'MAIN', 'HTML'].includes(String(block.parentElement.tagName).toUpperCase()) && text(block.parentElement) === t) block = block.parentElement;
    if (BLOCK_TAGS.has(String(block.tagName).toUpperCase()) || !inRunningText(block)) block.remove();
  }
  // A <footer> or <header> outside the article is site chrome.
  for (const el of [...doc.querySelectorAll('body > header, body > footer')]) el.remove();
  // HTML comments.
  const walk = (node: El) => {
    for (const child of [...(node.childNodes ?? [])]) {
      if (child.nodeType === 8) child.remove();
      else if (child.nodeType === 1) walk(child);
    }
  };
  walk(doc);
}

/**
 * Text of an element: one paragraph per block element, separated by blank
 * lines; headings on their own; a single <br> becomes a line break.
 */
export function blocksToText(root: El): string {
  const paragraphs: string[] = [];
  let buf = '';
  const flush = () => {
    // Two <br> in a row (a blank line) separate paragraphs; one is a line break.
    for (const part of buf.split(/\n[ \t\r\f\u00a0]*\n/)) {
      const t = part
        .split('\n')
        .map((l) => l.replace(/[ \t\r\f]+/g, ' ').trim())
        .filter((l) => l)
        .join('\n');
      if (t) paragraphs.push(t);
    }
    buf = '';
  };
  const walk = (node: El) => {
    for (const child of node.childNodes ?? []) {
      if (child.nodeType === 3) {
        buf += String(child.data ?? child.textContent ?? '').replace(/[\n\r\t]+/g, ' ');
      } else if (child.nodeType === 1) {
        const tag = String(child.tagName).toUpperCase();
        if (tag === 'BR') {
          buf += '\n';
          continue;
        }
        if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'NOSCRIPT' || tag === 'TEMPLATE' || tag === 'FIGCAPTION') continue;
        const block = BLOCK_TAGS.has(tag);
        if (block) flush();
        if (tag === 'PRE') {
          buf += String(child.textContent ?? '');
          flush();
          continue;
        }
        walk(child);
        if (block) flush();
      }
    }
  };
  walk(root);
  flush();
  return paragraphs.join('\n\n');
}

export interface HtmlExtraction extends HtmlMeta {
  /** Body text, paragraphs separated by blank lines. */
  text: string;
  /** True when Readability found the article; false when the whole body was used. */
  readable: boolean;
}

const MAX_READABILITY_DEPTH = 80;

function maxDepth(node: El, depth: number): number {
  if (!node) return depth;
  let best = depth;
  for (const child of node.children ?? []) {
    best = Math.max(best, maxDepth(child, depth + 1));
    if (best > MAX_READABILITY_DEPTH) break;
  }
  return best;
}

/** Parse HTML and extract metadata and the article body. Never throws on malformed HTML. */
export function extractHtml(html: string, url?: string | null): HtmlExtraction {
  const { parseHTML, Readability } = htmlLibs();
  const { document } = parseHTML(wrapIfFragment(html)) as unknown as { document: El };
  const meta = extractMeta(document, url);
  stripJunk(document);
  let body = '';
  let readable = false;
  let rTitle: string | null = null;
  let rByline: string | null = null;
  let rPublished: string | null = null;
  // Readability slows down quadratically with nesting depth; very deep pages use the fallback.
  const tooDeep = maxDepth(document.body ?? document.documentElement, 0) > MAX_READABILITY_DEPTH;
  if (!tooDeep) try {
    const result = new Readability<El>(document, { charThreshold: 250, serializer: (n: El) => n }).parse();
    if (result?.content) {
      body = blocksToText(result.content);
      readable = body.length > 0;
      rTitle = result.title?.trim() || null;
      rByline = result.byline?.trim() || null;
      rPublished = normaliseDate(result.publishedTime);
    }
  } catch {
    readable = false;
  }
  if (!readable) {
    // Readability mutates the DOM it reads: the fallback starts again from the page.
    const { document: fresh } = parseHTML(wrapIfFragment(html)) as unknown as { document: El };
    stripJunk(fresh);
    const root = fresh.querySelector('article') ?? fresh.querySelector('main') ?? fresh.body ?? fresh.documentElement;
    body = root ? blocksToText(root) : '';
  }
  return {
    text: body,
    readable,
    title: meta.title ?? rTitle,
    byline: meta.byline ?? rByline,
    published: meta.published ?? rPublished,
    outlet: meta.outlet,
    language: meta.language,
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Crude HTML → text for markup the DOM parser cannot take: block tags become paragraph breaks. */
export function stripTags(html: string): string {
  return html
    .replace(/<(script|style|noscript|template|nav|aside|footer)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|div|section|article|h[1-6]|li|blockquote|tr|table|ul|ol|main|header)\b[^>]*>/gi, '\n\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .split(/\n{2,}/)
    .map((p) => p.replace(/[ \t\r\n]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
}

/** Build an Article from an HTML page. `source` defaults to 'html'. */
export function articleFromHtml(html: string, opts: { url?: string | null; source?: string } = {}): Article & { readable: boolean } {
  let x: HtmlExtraction;
  try {
    x = extractHtml(html, opts.url ?? null);
  } catch {
    // Pathological markup (nesting deep enough to exhaust the stack): strip tags instead.
    x = { text: stripTags(html), readable: false, title: null, byline: null, published: null, outlet: hostOf(opts.url), language: null };
  }
  return {
    raw: x.text,
    title: x.title,
    url: opts.url ?? null,
    outlet: x.outlet,
    byline: x.byline,
    published: x.published,
    language: x.language,
    source: opts.source ?? 'html',
    readable: x.readable,
  };
}
