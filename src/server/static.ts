import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { createHash } from 'node:crypto';

/**
 * The built web UI (dist/web), read once at start-up and kept in memory with
 * gzip and brotli copies, so each request is a map lookup. Hashed files under
 * /assets/ are cached for a year; index.html is revalidated every time.
 */

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface Asset {
  type: string;
  etag: string;
  identity: Bytes;
  gzip: Bytes | null;
  br: Bytes | null;
  immutable: boolean;
}

export interface WebAssets {
  root: string;
  paths(): string[];
  /** Bytes sent for a path with the given encoding ('identity' | 'gzip' | 'br'), or null. */
  size(path: string, encoding: 'identity' | 'gzip' | 'br'): number | null;
  respond(path: string, acceptEncoding: string, ifNoneMatch?: string): Response;
}

type Bytes = Uint8Array<ArrayBuffer>;
/** A copy on its own ArrayBuffer (what Response accepts as a body). */
const own = (b: Buffer): Bytes => {
  const u = new Uint8Array(new ArrayBuffer(b.byteLength));
  u.set(b);
  return u;
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Loads a built UI, or returns null when `root/index.html` is missing. */
export function loadWebAssets(root: string = DEFAULT_WEB_ROOT): WebAssets | null {
  if (!existsSync(join(root, 'index.html'))) return null;
  const assets = new Map<string, Asset>();
  for (const file of walk(root)) {
    const url = '/' + relative(root, file).split(sep).join('/');
    const identity = own(readFileSync(file));
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && identity.length > 256;
    assets.set(url, {
      type,
      etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`,
      identity,
      gzip: compressible ? own(gzipSync(identity, { level: 9 })) : null,
      br: compressible ? own(brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } })) : null,
      immutable: url.startsWith('/assets/'),
    });
  }
  const accepts = (header: string, enc: string) =>
    header.split(',').some((part) => {
      const [name, ...params] = part.trim().split(';');
      if (name.trim().toLowerCase() !== enc) return false;
      const q = params.find((p) => p.trim().startsWith('q='));
      return !q || Number(q.trim().slice(2)) > 0;
    });
  return {
    root,
    paths: () => [...assets.keys()],
    size(path, encoding) {
      const a = assets.get(path);
      if (!a) return null;
      return (encoding === 'identity' ? a.identity : a[encoding] ?? a.identity).length;
    },
    respond(path, acceptEncoding, ifNoneMatch) {
      const a = assets.get(path);
      if (!a) {
        return new Response(JSON.stringify({ error: { code: 'not-found', message: `no file ${path}` } }), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        });
      }
      const headers = new Headers({
        'content-type': a.type,
        etag: a.etag,
        vary: 'Accept-Encoding',
        'cache-control': a.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === a.etag)) return new Response(null, { status: 304, headers });
      let body = a.identity;
      if (a.br && accepts(acceptEncoding, 'br')) {
        body = a.br;
        headers.set('content-encoding', 'br');
      } else if (a.gzip && accepts(acceptEncoding, 'gzip')) {
        body = a.gzip;
        headers.set('content-encoding', 'gzip');
      }
      headers.set('content-length', String(body.length));
      return new Response(body, { headers });
    },
  };
}
