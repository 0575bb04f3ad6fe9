import { fetchUrl, FEED_CONTENT_TYPES } from '../article/fetch.ts';

/**
 * Fetches a feed with a conditional GET through ingest's guarded fetch (no
 * loopback or private addresses unless allowed, size and time caps): the ETag
 * and Last-Modified of the previous poll go out as If-None-Match /
 * If-Modified-Since, and a 304 answer means nothing changed.
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
  /** Gives up waiting (Ctrl-C); the request itself ends with its timeout. */
  signal?: AbortSignal;
}

export async function fetchConditional(url: string, state: ConditionalState | null, opts: FeedFetchOptions = {}): Promise<FeedFetch> {
  const headers: Record<string, string> = {};
  if (state?.etag) headers['if-none-match'] = state.etag;
  if (state?.lastModified) headers['if-modified-since'] = state.lastModified;
  const request = fetchUrl(url, {
    allowPrivate: opts.allowPrivate,
    timeoutMs: opts.timeoutMs,
    maxBytes: opts.maxBytes,
    accept: [...FEED_CONTENT_TYPES, 'text/html', 'text/plain'],
    headers,
  });
  let res: Awaited<typeof request>;
  if (opts.signal) {
    const signal = opts.signal;
    if (signal.aborted) throw signal.reason ?? new Error('aborted');
    request.catch(() => {});
    res = await new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason ?? new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      request.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  } else {
    res = await request;
  }
  if (res.status === 304) return { notModified: true, url: res.url };
  return { notModified: false, url: res.url, body: res.body.toString('utf8'), contentType: res.contentType, etag: res.etag, lastModified: res.lastModified };
}
