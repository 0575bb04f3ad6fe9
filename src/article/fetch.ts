import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { classifyAddress, type AddressClass } from './address.ts';
import { DEFAULT_MAX_BYTES } from './decode.ts';
import { IngestError } from './errors.ts';

/** Content types an article fetch accepts by default. */
export const ARTICLE_CONTENT_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain'];
/** Content types of RSS/Atom feeds. */
export const FEED_CONTENT_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/xml', 'text/xml', 'application/rdf+xml', 'application/feed+json'];

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to addresses (tests inject one; default: the system resolver). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface FetchOptions {
  /** Total time for the whole fetch, redirects and body included. Default 15,000 ms. */
  timeoutMs?: number;
  /** Cap on body bytes after decompression. Default 20 MB. */
  maxBytes?: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  /** Allow loopback, private, link-local… addresses (off by default). */
  allowPrivate?: boolean;
  /** Accepted media types (lower case, no parameters). Default: HTML, XHTML, plain text. */
  accept?: string[];
  userAgent?: string;
  resolve?: Resolver;
  /** Extra certificate authorities to trust for https (PEM), e.g. a private CA. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Address policy (tests); default classifyAddress. */
  classify?: (address: string) => AddressClass;
  /** Extra request headers, e.g. If-None-Match / If-Modified-Since for conditional GET. */
  headers?: Record<string, string>;
}

export interface FetchResult {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  /** The Content-Type header as sent (null when absent). */
  contentType: string | null;
  /** Media type without parameters, lower case (null when absent). */
  mediaType: string | null;
  body: Buffer;
  /** Every URL visited before the final one. */
  redirects: string[];
  /** Validators for a later conditional GET. */
  etag: string | null;
  lastModified: string | null;
}

const defaultResolver: Resolver = async (hostname) => {
  const all = await dnsLookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Parse and check an http(s) URL; throws IngestError 'bad-url'. */
export function parseHttpUrl(input: string, base?: string): URL {
  let url: URL;
  try {
    url = base ? new URL(input, base) : new URL(input);
  } catch {
    throw new IngestError('bad-url', `not a valid URL: ${input}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IngestError('bad-url', `only http and https URLs can be fetched, not ${url.protocol.replace(/:$/, '')}: (${truncate(url.href)})`);
  }
  if (!url.hostname) throw new IngestError('bad-url', `URL has no host: ${input}`);
  return url;
}

function truncate(s: string, n = 120): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function refused(host: string, address: string, kind: string): IngestError {
  const shown = host === address ? address : `${host} (${address})`;
  return new IngestError('refused-address', `refused to fetch ${shown}: ${kind} address (pass --allow-private to allow it)`);
}

/** Media type of a Content-Type header value. */
export function mediaTypeOf(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const t = contentType.split(';')[0].trim().toLowerCase();
  return t || null;
}

interface Hop {
  status: number;
  headers: http.IncomingHttpHeaders;
  res: http.IncomingMessage;
}

/**
 * GET a URL with the guards an unattended fetcher needs: only http(s); the
 * host is resolved once, every address is checked, and the socket connects to
 * the checked address (a custom `lookup`, so a second DNS answer cannot swap
 * it); redirects are re-checked and capped; one deadline covers everything;
 * the body is capped after decompression (gzip, deflate, br).
 */
export async function fetchUrl(input: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? 5;
  const accept = (opts.accept ?? ARTICLE_CONTENT_TYPES).map((t) => t.toLowerCase());
  const resolve = opts.resolve ?? defaultResolver;
  const allowPrivate = opts.allowPrivate ?? false;
  const classify = opts.classify ?? classifyAddress;

  let current = parseHttpUrl(input);
  const redirects: string[] = [];
  let active: http.ClientRequest | null = null;
  let activeStream: Readable | null = null;
  let timedOut = false;

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      active?.destroy();
      activeStream?.destroy();
      reject(new IngestError('timeout', `timed out after ${Math.round(timeoutMs / 100) / 10} s fetching ${truncate(current.href)}`));
    }, timeoutMs);
  });
  deadline.catch(() => {});

  const hop = (url: URL): Promise<Hop> =>
    new Promise<Hop>((resolveHop, rejectHop) => {
      const hostname = url.hostname.replace(/^\[|\]$/g, '');
      let refusal: IngestError | null = null;
      if (isIP(hostname)) {
        const c = classify(hostname);
        if (c.blocked && !allowPrivate) return rejectHop(refused(hostname, hostname, c.kind));
      }
      // net.connect calls this for host names (never for IP literals, checked above).
      const lookup = (host: string, options: { family?: number | string; all?: boolean }, cb: (...args: any[]) => void) => {
        resolve(host).then(
          (addresses) => {
            if (!addresses.length) return cb(Object.assign(new Error(`no address for ${host}`), { code: 'ENOTFOUND' }));
            if (!allowPrivate) {
              for (const a of addresses) {
                const c = classify(a.address);
                if (c.blocked) {
                  refusal = refused(host, a.address, c.kind);
                  return cb(refusal);
                }
              }
            }
            const fam = options?.family === 'IPv4' ? 4 : options?.family === 'IPv6' ? 6 : Number(options?.family) || 0;
            const usable = fam ? addresses.filter((a) => a.family === fam) : addresses;
            if (!usable.length) return cb(Object.assign(new Error(`no IPv${fam} address for ${host}`), { code: 'ENOTFOUND' }));
            if (options?.all) cb(null, usable.map((a) => ({ address: a.address, family: a.family })));
            else cb(null, usable[0].address, usable[0].family);
          },
          (err) => cb(err),
        );
      };
      const mod = url.protocol === 'https:' ? https : http;
      let req: http.ClientRequest;
      try {
        req = mod.request({
          protocol: url.protocol,
          hostname,
          port: url.port || undefined,
          path: url.pathname + url.search,
          method: 'GET',
          agent: false,
          lookup: lookup as any,
          ...(opts.ca && url.protocol === 'https:' ? { ca: opts.ca } : {}),
          headers: {
            'user-agent': opts.userAgent ?? 'unspin/0.1 (+https://github.com/unspin)',
            accept: [...accept, '*/*;q=0.1'].join(', '),
            'accept-encoding': 'gzip, deflate, br',
            ...opts.headers,
          },
        });
      } catch (err) {
        return rejectHop(new IngestError('bad-url', `cannot request ${truncate(url.href)}: ${(err as Error).message}`));
      }
      active = req;
      req.on('response', (res) => resolveHop({ status: res.statusCode ?? 0, headers: res.headers, res }));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (timedOut) return;
        if (refusal) return rejectHop(refusal);
        if (err instanceof IngestError) return rejectHop(err);
        const why = err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? `cannot resolve ${hostname}` : err.message;
        rejectHop(new IngestError('network', `could not fetch ${truncate(url.href)}: ${why}`, { cause: err }));
      });
      req.end();
    });

  const run = async (): Promise<FetchResult> => {
    for (;;) {
      const { status, headers, res } = await hop(current);
      if (status >= 300 && status < 400 && status !== 304 && headers.location) {
        res.resume();
        res.destroy();
        if (redirects.length >= maxRedirects) {
          throw new IngestError('too-many-redirects', `more than ${maxRedirects} redirects fetching ${truncate(input)}`);
        }
        redirects.push(current.href);
        current = parseHttpUrl(headers.location, current.href);
        continue;
      }
      const validators = { etag: (headers.etag as string | undefined) ?? null, lastModified: (headers['last-modified'] as string | undefined) ?? null };
      if (status === 304) {
        // Not modified: only meaningful after a conditional request; the caller keeps what it had.
        res.resume();
        res.destroy();
        return { url: current.href, status, contentType: null, mediaType: null, body: Buffer.alloc(0), redirects, ...validators };
      }
      if (status < 200 || status >= 300) {
        res.destroy();
        throw new IngestError('http-status', `HTTP ${status}${res.statusMessage ? ' ' + res.statusMessage : ''} from ${truncate(current.href)}`);
      }
      const contentType = (headers['content-type'] as string | undefined) ?? null;
      const mediaType = mediaTypeOf(contentType);
      if (mediaType && !accept.includes(mediaType)) {
        res.destroy();
        throw new IngestError('bad-content-type', `${truncate(current.href)} is ${mediaType}, not ${accept.join(', ')}`);
      }
      const declared = Number(headers['content-length']);
      const encoding = String(headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (encoding === 'identity' && Number.isFinite(declared) && declared > maxBytes) {
        res.destroy();
        throw new IngestError('too-large', `${truncate(current.href)} is ${declared} bytes, over the ${maxBytes}-byte limit`);
      }
      const body = await readBody(res, encoding, maxBytes, current.href, (s) => (activeStream = s));
      return { url: current.href, status, contentType, mediaType, body, redirects, ...validators };
    }
  };

  try {
    return await Promise.race([run(), deadline]);
  } finally {
    clearTimeout(timer);
    (active as http.ClientRequest | null)?.destroy();
  }
}

function decoderFor(encoding: string, first: number | undefined): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress | null {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
      return first !== undefined && (first & 0x0f) === 8 ? zlib.createInflate() : zlib.createInflateRaw();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

function readBody(res: http.IncomingMessage, encoding: string, maxBytes: number, url: string, track: (s: Readable) => void): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    let decoder: Readable & NodeJS.WritableStream | null = null;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      res.destroy();
      (decoder as Readable | null)?.destroy();
      reject(err);
    };
    const tooLarge = () => new IngestError('too-large', `${truncate(url)} is larger than the ${maxBytes}-byte limit`);
    const onData = (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > maxBytes) return fail(tooLarge());
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    };
    if (encoding !== 'identity' && encoding !== '' && !['gzip', 'x-gzip', 'deflate', 'br'].includes(encoding)) {
      return fail(new IngestError('decode', `${truncate(url)} uses an unsupported content encoding: ${encoding}`));
    }
    if (encoding === 'identity' || encoding === '') {
      track(res);
      res.on('data', onData);
      res.on('end', onEnd);
      res.on('error', (e) => fail(new IngestError('network', `connection failed reading ${truncate(url)}: ${e.message}`)));
      res.on('aborted', () => fail(new IngestError('network', `connection closed early reading ${truncate(url)}`)));
      return;
    }
    // Compressed: count compressed bytes too, and the decoded bytes against the cap.
    let compressed = 0;
    res.once('readable', () => {
      const head = res.read(1) as Buffer | null;
      const first = head ? head[0] : undefined;
      decoder = decoderFor(encoding, first) as any;
      if (!decoder) return fail(new IngestError('decode', `unsupported content encoding ${encoding}`));
      track(decoder as Readable);
      if (head) res.unshift(head);
      (decoder as Readable).on('data', onData);
      (decoder as Readable).on('end', onEnd);
      (decoder as Readable).on('error', (e) => fail(new IngestError('decode', `cannot decompress ${truncate(url)} (${encoding}): ${e.message}`)));
      res.on('data', (c: Buffer) => {
        compressed += c.length;
        if (compressed > maxBytes) return fail(tooLarge());
        if (!settled) (decoder as NodeJS.WritableStream).write(c);
      });
      res.on('end', () => (decoder as NodeJS.WritableStream).end());
      res.on('error', (e) => fail(new IngestError('network', `connection failed reading ${truncate(url)}: ${e.message}`)));
    });
    res.on('end', () => {
      // An empty compressed body never becomes readable with data.
      if (!decoder && !settled) onEnd();
    });
  });
}
