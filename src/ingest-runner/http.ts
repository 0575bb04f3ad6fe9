import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isBlockedAddress } from '../article/address.ts';

/**
 * Fetches a feed with a conditional GET: the ETag and Last-Modified of the
 * previous poll go out as If-None-Match / If-Modified-Since, and a 304 answer
 * means nothing changed. Every redirect hop is checked against the same
 * address policy as article fetches (no loopback or private addresses unless
 * allowed).
 */

export interface ConditionalState {
  etag: string | null;
  lastModified: string | null;
}

export type FeedFetch =
  | { notModified: true; url: string }
  | { notModified: false; url: string; body: string; contentType: string | null; etag: string | null; lastModified: string | null };

export interface FeedFetchOptions {
  allowPrivate?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  signal?: AbortSignal;
}

export class FetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchError';
  }
}

async function checkHost(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true }).catch(() => [])).map((a) => a.address);
  if (!addresses.length) throw new FetchError(`cannot resolve ${url.hostname}`);
  const bad = addresses.find((a) => isBlockedAddress(a));
  if (bad) throw new FetchError(`refused to fetch ${url.href}: ${url.hostname} resolves to a private or loopback address (${bad}); use --allow-private to allow it`);
}

export async function fetchConditional(url: string, state: ConditionalState | null, opts: FeedFetchOptions = {}): Promise<FeedFetch> {
  const maxBytes = opts.maxBytes ?? 20 * 1024 * 1024;
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 15000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new FetchError(`not a URL: ${url}`);
  }
  for (let hop = 0; hop <= 5; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') throw new FetchError(`only http and https feeds can be fetched: ${current.href}`);
    await checkHost(current, opts.allowPrivate ?? false);
    const headers: Record<string, string> = {
      accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
      'user-agent': 'unspin (+https://github.com/unspin)',
    };
    if (state?.etag) headers['if-none-match'] = state.etag;
    if (state?.lastModified) headers['if-modified-since'] = state.lastModified;
    let res: Response;
    try {
      res = await fetch(current, { headers, redirect: 'manual', signal });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const e = err as Error & { cause?: Error };
      throw new FetchError(timeout.aborted ? `timed out fetching ${current.href}` : `could not fetch ${current.href}: ${e.cause?.message ?? e.message}`);
    }
    if (res.status >= 300 && res.status < 400 && res.status !== 304 && res.headers.get('location')) {
      await res.body?.cancel();
      current = new URL(res.headers.get('location')!, current);
      continue;
    }
    if (res.status === 304) {
      await res.body?.cancel();
      return { notModified: true, url: current.href };
    }
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel();
      throw new FetchError(`HTTP ${res.status} from ${current.href}`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new FetchError(`${current.href} is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
    return {
      notModified: false,
      url: current.href,
      body: Buffer.concat(chunks).toString('utf8'),
      contentType: res.headers.get('content-type'),
      etag: res.headers.get('etag'),
      lastModified: res.headers.get('last-modified'),
    };
  }
  throw new FetchError(`too many redirects from ${url}`);
}
