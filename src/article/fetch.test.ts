import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { fetchUrl, type FetchOptions } from './fetch.ts';
import { ingest } from './ingest.ts';
import { classifyAddress } from './address.ts';
import { IngestError, type IngestErrorCode } from './errors.ts';

// A local server with one route per behaviour. Only 127.0.0.1 is ever contacted.
let server: http.Server;
let base = '';
let hits = 0;
const PAGE = `<!doctype html><html lang="en"><head><title>Lighthouse vote</title><meta property="og:site_name" content="Local Ledger"></head>
<body><nav>MENU-LINKS</nav><article><h1>Lighthouse vote</h1><p>The council voted on Thursday to rebuild the old stone lighthouse that fell in the winter storms, after months of debate in the town.</p>
<p>The mayor said work would start before the summer season and be paid for partly by a regional heritage fund.</p></article></body></html>`;

before(async () => {
  server = http.createServer((req, res) => {
    hits++;
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, type: string | null, body: Buffer | string, extra: Record<string, string> = {}) => {
      const headers: Record<string, string> = { ...extra };
      if (type) headers['content-type'] = type;
      res.writeHead(status, headers);
      res.end(body);
    };
    switch (url.pathname) {
      case '/article':
        return send(200, 'text/html; charset=utf-8', PAGE);
      case '/plain':
        return send(200, 'text/plain', 'Plain text article about the harbour and the ships that returned on Monday morning.');
      case '/latin':
        return send(200, 'text/plain; charset=windows-1252', iconv.encode('Le café rouvre après deux ans, dit le propriétaire, Frédéric Aubé.', 'windows-1252'));
      case '/loop':
        return send(302, null, '', { location: '/loop' });
      case '/hop': {
        const n = Number(url.searchParams.get('n') ?? 0);
        return n > 0 ? send(301, null, '', { location: `/hop?n=${n - 1}` }) : send(200, 'text/plain', 'Arrived after the redirects, with text long enough to be an article body.');
      }
      case '/to-file':
        return send(302, null, '', { location: 'file:///etc/passwd' });
      case '/to-other-loopback':
        return send(302, null, '', { location: `http://127.0.0.2:${(server.address() as AddressInfo).port}/article` });
      case '/hang':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html><body><p>never ends');
        return; // never ends
      case '/big':
        return send(200, 'text/plain', Buffer.alloc(200_000, 0x61));
      case '/big-chunked':
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 20; i++) res.write(Buffer.alloc(10_000, 0x62));
        return res.end();
      case '/image':
        return send(200, 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      case '/json':
        return send(200, 'application/json', '{"a":1}');
      case '/missing':
        return send(404, 'text/html', '<p>not here</p>');
      case '/gzip':
        return send(200, 'text/html; charset=utf-8', zlib.gzipSync(PAGE), { 'content-encoding': 'gzip' });
      case '/deflate':
        return send(200, 'text/html; charset=utf-8', zlib.deflateSync(PAGE), { 'content-encoding': 'deflate' });
      case '/br':
        return send(200, 'text/html; charset=utf-8', zlib.brotliCompressSync(PAGE), { 'content-encoding': 'br' });
      case '/gzip-bomb':
        // 24 MB of zeros, about 24 KB on the wire.
        return send(200, 'text/html', bomb, { 'content-encoding': 'gzip' });
      default:
        return send(404, 'text/plain', 'no');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

const bomb = zlib.gzipSync(Buffer.alloc(24 * 1024 * 1024), { level: 9 });

after(() => {
  server.closeAllConnections();
  server.close();
});

async function rejectsWith(p: Promise<unknown>, code: IngestErrorCode): Promise<IngestError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof IngestError, `expected IngestError, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.ok(!e.message.includes('\n'));
    return e;
  }
  assert.fail(`expected IngestError ${code}`);
}

const local: FetchOptions = { allowPrivate: true };

test('loopback is refused without allowPrivate, before any request is sent', async () => {
  const before = hits;
  const e = await rejectsWith(fetchUrl(`${base}/article`), 'refused-address');
  assert.match(e.message, /loopback/);
  await rejectsWith(ingest(`${base}/article`), 'refused-address');
  await rejectsWith(fetchUrl(`http://[::1]:1/`), 'refused-address');
  await rejectsWith(fetchUrl(`http://[::ffff:127.0.0.1]:1/`), 'refused-address');
  await rejectsWith(fetchUrl(`http://0x7f.0.0.1:1/`), 'refused-address');
  assert.equal(hits, before, 'the server must not have been contacted');
});

test('a host name resolving to a private address is refused on the resolved address', async () => {
  const before = hits;
  const resolve = async () => [{ address: '127.0.0.1', family: 4 as const }];
  const port = (server.address() as AddressInfo).port;
  const e = await rejectsWith(fetchUrl(`http://news.example.test:${port}/article`, { resolve }), 'refused-address');
  assert.match(e.message, /news\.example\.test \(127\.0\.0\.1\)/);
  // One blocked address among several is enough to refuse.
  const mixed = async () => [{ address: '93.184.216.34', family: 4 as const }, { address: '10.0.0.5', family: 4 as const }];
  await rejectsWith(fetchUrl(`http://mixed.example.test:${port}/`, { resolve: mixed }), 'refused-address');
  assert.equal(hits, before);
});

test('the socket connects to the address that was checked (no second resolution)', async () => {
  const port = (server.address() as AddressInfo).port;
  let calls = 0;
  // A rebinding resolver: the first answer passes the policy, any later one would not.
  const resolve = async () => (calls++ === 0 ? [{ address: '127.0.0.1', family: 4 as const }] : [{ address: '10.9.9.9', family: 4 as const }]);
  const classify = (ip: string) => (ip === '127.0.0.1' ? { kind: 'public' as const, blocked: false } : classifyAddress(ip));
  const res = await fetchUrl(`http://rebind.example.test:${port}/plain`, { resolve, classify });
  assert.equal(res.status, 200);
  assert.equal(calls, 1);
});

test('every redirect is checked again', async () => {
  const classify = (ip: string) => (ip === '127.0.0.1' ? { kind: 'public' as const, blocked: false } : classifyAddress(ip));
  await rejectsWith(fetchUrl(`${base}/to-other-loopback`, { classify }), 'refused-address');
  await rejectsWith(fetchUrl(`${base}/to-file`, local), 'bad-url');
});

test('served with allowPrivate: an HTML page becomes an Article', async () => {
  const a = await ingest(`${base}/article`, { allowPrivate: true });
  assert.equal(a.source, 'url');
  assert.equal(a.url, `${base}/article`);
  assert.equal(a.outlet, 'Local Ledger');
  assert.equal(a.title, 'Lighthouse vote');
  assert.equal(a.language, 'en');
  assert.ok(a.raw.startsWith('The council voted on Thursday'));
  assert.ok(!a.raw.includes('MENU-LINKS'));
  const t = await ingest(`${base}/plain`, { allowPrivate: true });
  assert.ok(t.raw.startsWith('Plain text article'));
  assert.equal(t.outlet, '127.0.0.1');
});

test('charset from the Content-Type header', async () => {
  const a = await ingest(`${base}/latin`, { allowPrivate: true });
  assert.equal(a.raw, 'Le café rouvre après deux ans, dit le propriétaire, Frédéric Aubé.');
});

test('redirects are followed up to the cap, and a loop is stopped', async () => {
  const ok = await fetchUrl(`${base}/hop?n=5`, local);
  assert.equal(ok.url, `${base}/hop?n=0`);
  assert.equal(ok.redirects.length, 5);
  await rejectsWith(fetchUrl(`${base}/hop?n=6`, local), 'too-many-redirects');
  await rejectsWith(fetchUrl(`${base}/loop`, local), 'too-many-redirects');
  await rejectsWith(fetchUrl(`${base}/hop?n=2`, { ...local, maxRedirects: 1 }), 'too-many-redirects');
});

test('a response that never ends times out', async () => {
  const e = await rejectsWith(fetchUrl(`${base}/hang`, { ...local, timeoutMs: 300 }), 'timeout');
  assert.match(e.message, /timed out/);
});

test('the size cap stops reading, with or without Content-Length', async () => {
  await rejectsWith(fetchUrl(`${base}/big`, { ...local, maxBytes: 50_000 }), 'too-large');
  await rejectsWith(fetchUrl(`${base}/big-chunked`, { ...local, maxBytes: 50_000 }), 'too-large');
  const ok = await fetchUrl(`${base}/big`, { ...local, maxBytes: 300_000 });
  assert.equal(ok.body.length, 200_000);
});

test('a wrong content type is refused', async () => {
  const e = await rejectsWith(fetchUrl(`${base}/image`, local), 'bad-content-type');
  assert.match(e.message, /image\/png/);
  await rejectsWith(fetchUrl(`${base}/json`, local), 'bad-content-type');
});

test('an HTTP error status is reported', async () => {
  const e = await rejectsWith(fetchUrl(`${base}/missing`, local), 'http-status');
  assert.match(e.message, /404/);
});

test('gzip, deflate and br bodies are decoded', async () => {
  for (const path of ['/gzip', '/deflate', '/br']) {
    const res = await fetchUrl(`${base}${path}`, local);
    assert.equal(res.body.toString('utf8'), PAGE, path);
  }
});

test('a gzip bomb is stopped at the cap on decoded bytes', async () => {
  assert.ok(bomb.length < 1_000_000);
  const e = await rejectsWith(fetchUrl(`${base}/gzip-bomb`, { ...local, maxBytes: 2_000_000 }), 'too-large');
  assert.match(e.message, /2000000-byte limit/);
});

test('a closed port is a network error', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await rejectsWith(fetchUrl(`http://127.0.0.1:${port}/`, local), 'network');
});

test('bad URLs are rejected', async () => {
  await rejectsWith(fetchUrl('not a url'), 'bad-url');
  await rejectsWith(fetchUrl('javascript:alert(1)'), 'bad-url');
  await rejectsWith(fetchUrl('ftp://127.0.0.1/x'), 'bad-url');
});

function selfSignedCert(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'unspin-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('https: certificates are verified against the host name, through the checked address', async (t) => {
  const tls = selfSignedCert();
  if (!tls) return t.skip('openssl not available to make a test certificate');
  const srv = https.createServer(tls, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('Served over TLS to the checked address, with enough words to count as text.');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  const resolve = async () => [{ address: '127.0.0.1', family: 4 as const }];
  try {
    // Untrusted (self-signed) certificate: refused, not ignored.
    const e = await rejectsWith(fetchUrl(`https://localhost:${port}/`, { allowPrivate: true, resolve }), 'network');
    assert.match(e.message, /certificate/i);
    // Trusted, and the name matches: served.
    const ok = await fetchUrl(`https://localhost:${port}/`, { allowPrivate: true, resolve, ca: tls.cert });
    assert.match(ok.body.toString('utf8'), /^Served over TLS/);
    // Trusted, but the certificate is for another name than the URL's host.
    await rejectsWith(fetchUrl(`https://127.0.0.1:${port}/`, { allowPrivate: true, ca: tls.cert }), 'network');
  } finally {
    srv.closeAllConnections();
    srv.close();
  }
});
