import { XMLParser } from 'fast-xml-parser';

/**
 * A small RSS 2.0 / RSS 1.0 (RDF) / Atom reader for the bulk-ingest loop:
 * the items' links, titles, dates and any full content the feed carries.
 * (If src/article grows its own feed parser, this one can give way to it.)
 */

export interface FeedItem {
  title: string | null;
  /** Absolute URL of the article, or null when the item has none. */
  link: string | null;
  /** ISO 8601 or the feed's own date string; null when absent. */
  published: string | null;
  /** Full HTML content when the feed carries it (content:encoded, Atom content), else null. */
  content: string | null;
  summary: string | null;
  author: string | null;
}

export interface Feed {
  title: string | null;
  /** The site the feed belongs to (channel link / Atom alternate link). */
  link: string | null;
  items: FeedItem[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  removeNSPrefix: false,
  processEntities: true,
  htmlEntities: true,
  trimValues: true,
  parseTagValue: false,
  isArray: (name) => ['item', 'entry', 'link', 'category'].includes(name),
});

function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('#text' in o) return text(o['#text']);
    if ('@href' in o) return text(o['@href']);
  }
  return null;
}

function resolve(link: string | null, base: string | null): string | null {
  if (!link) return null;
  try {
    return new URL(link, base ?? undefined).href;
  } catch {
    return null;
  }
}

function atomLink(links: unknown): string | null {
  const list = (Array.isArray(links) ? links : [links]).filter(Boolean) as Record<string, unknown>[];
  const alt = list.find((l) => typeof l === 'object' && (!l['@rel'] || l['@rel'] === 'alternate'));
  return text(alt ?? list[0]);
}

export class FeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedError';
  }
}

/** Parses a feed document; `base` resolves relative links. Throws FeedError when it is not RSS or Atom. */
export function parseFeed(xml: string, base: string | null = null): Feed {
  let doc: Record<string, any>;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new FeedError(`not a feed: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc.rss?.channel || doc['rdf:RDF']) {
    const channel = doc.rss?.channel ?? doc['rdf:RDF'].channel ?? {};
    const ch = Array.isArray(channel) ? channel[0] : channel;
    const items = (doc.rss ? ch.item : doc['rdf:RDF'].item) ?? [];
    const site = resolve(text(ch.link), base);
    return {
      title: text(ch.title),
      link: site,
      items: items.map((it: any) => {
        const guid = text(it.guid);
        const permalink = it.guid && typeof it.guid === 'object' && it.guid['@isPermaLink'] !== 'false' ? guid : null;
        return {
          title: text(it.title),
          link: resolve(text(it.link) ?? permalink ?? it['@rdf:about'] ?? null, base ?? site),
          published: text(it.pubDate) ?? text(it['dc:date']),
          content: text(it['content:encoded']),
          summary: text(it.description),
          author: text(it['dc:creator']) ?? text(it.author),
        };
      }),
    };
  }
  if (doc.feed) {
    const f = doc.feed;
    const site = resolve(atomLink(f.link), base);
    return {
      title: text(f.title),
      link: site,
      items: (f.entry ?? []).map((e: any) => ({
        title: text(e.title),
        link: resolve(atomLink(e.link), base ?? site),
        published: text(e.published) ?? text(e.updated),
        content: text(e.content),
        summary: text(e.summary),
        author: text(e.author?.name),
      })),
    };
  }
  throw new FeedError('not an RSS or Atom feed');
}
