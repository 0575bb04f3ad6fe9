import { createHash } from 'node:crypto';

/**
 * Article identity and metadata helpers used before storing: the canonical
 * URL and content hash that make ingest idempotent, and the outlet and
 * publication time recovered from a URL when the page did not say.
 */

/** Query parameters that only track the click, never change the article. */
const TRACKING = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|yclid|igshid|ref|ref_src|cmpid|at_medium|at_campaign|ocid|_ga)$/i;

/**
 * The form of a URL under which the same article is recognised: lower-case
 * host without `www.`, no fragment, no tracking parameters, remaining
 * parameters sorted, no trailing slash, default port dropped, http == https.
 * Returns null for a missing or unparseable URL.
 */
export function canonicalUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.href;
  const host = u.hostname.toLowerCase().replace(/^www\d*\./, '');
  const params = [...u.searchParams.entries()].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length ? '?' + new URLSearchParams(params).toString() : '';
  let path = u.pathname.replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const port = u.port && u.port !== '80' && u.port !== '443' ? ':' + u.port : '';
  return `https://${host}${port}${path === '/' ? '' : path}${query}`;
}

/** sha256 (hex) of the text with Unicode NFC, case kept, and all whitespace runs collapsed. */
export function contentHash(text: string): string {
  const norm = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(norm).digest('hex');
}

/** The site a URL belongs to: its host without `www.` ("www.example.com" → "example.com"). */
export function outletFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/^www\d*\./, '');
    return host || null;
  } catch {
    return null;
  }
}

/**
 * A publication date written in the URL path: /2024/03/05/, /2024-03-05/,
 * /20240305/ (only with a plausible year, month and day). Returns 'YYYY-MM-DD' or null.
 */
export function publishedFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const m =
    /(?:^|\/)((?:19|20)\d\d)\/(\d{1,2})\/(\d{1,2})(?:\/|$)/.exec(path) ??
    /(?:^|[\/_-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[\/_.-]|$)/.exec(path) ??
    /(?:^|\/)((?:19|20)\d\d)(\d\d)(\d\d)(?:\/|$|[_-])/.exec(path);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A publication time in one sortable form: full ISO 8601 in UTC
 * ("2024-03-05T10:00:00.000Z"). Date-only values become midnight UTC.
 * Returns null for a missing or unparseable value.
 */
export function normalizePublished(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d{4}-\d\d-\d\d$/.test(v)) {
    const t = Date.parse(v + 'T00:00:00Z');
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  const year = new Date(t).getUTCFullYear();
  if (year < 1800 || year > 2200) return null;
  return new Date(t).toISOString();
}

/** A bound given by a user (`--from 2024-03-01`, `--to 2024-03`) as an ISO instant; `end` widens a bare date to its last millisecond. */
export function dateBound(value: string | undefined, end: boolean): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(v))) return end ? `${m[1]}-12-31T23:59:59.999Z` : `${m[1]}-01-01T00:00:00.000Z`;
  if ((m = /^(\d{4})-(\d\d)$/.exec(v))) {
    if (!end) return `${v}-01T00:00:00.000Z`;
    const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
    return `${v}-${String(last).padStart(2, '0')}T23:59:59.999Z`;
  }
  if (/^\d{4}-\d\d-\d\d$/.test(v)) return end ? `${v}T23:59:59.999Z` : `${v}T00:00:00.000Z`;
  const n = normalizePublished(v);
  if (!n) throw new RangeError(`not a date: ${value}`);
  return n;
}
