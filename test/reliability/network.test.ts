import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { ingest, isIngestError, fetchUrl, classifyAddress, type IngestErrorCode } from '../../src/article/index.ts';
import { analyze } from '../../src/pipeline.ts';
import { analysisProblems, localServer, prose } from './helpers.ts';

/**
 * Network faults against servers on 127.0.0.1 (allowPrivate: true, so the
 * loopback guard lets the test reach them). Each must end in an analysis or
 * an IngestError with a stable code before its deadline: the node:test
 * timeout turns a hang into a failure.
 */

const page = `<html><head><title>Brevik tolls</title></head><body><article><p>${prose(12)}</p><p>${prose(9, 7)}</p></article></body></html>`;

async function fails(p: Promise<unknown>, code: IngestErrorCode): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(isIngestError(err), `a plain ${(err as Error)?.name} escaped: ${(err as Error)?.message}`);
    assert.equal(err.code, code, err.message);
    return err.message;
  }
  assert.fail(`expected IngestError '${code}', got a result`);
}

const servers: { close(): Promise<void> }[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

const srv = await localServer((req, res) => {
  const path = req.url ?? '/';
  if (path === '/ok') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  } else if (path === '/gzip-bomb') {
    // ~100 MB of zeros inside ~100 KB of gzip
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
    res.end(BOMB);
  } else if (path === '/br-bomb') {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br' });
    res.end(BR_BOMB);
  } else if (path === '/endless') {
    // never ends, as fast as the socket takes it
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, '<p>more and more words</p>');
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  } else if (path === '/endless-slow') {
    // never ends, one small chunk every 50 ms
    res.writeHead(200, { 'content-type': 'text/html' });
    const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('<p>drip</p>')), 50);
    res.on('close', () => clearInterval(t));
  } else if (path === '/silent') {
    // accepts, never answers
    req.socket.setTimeout(0);
  } else if (path === '/slow-ok') {
    // a whole page, dribbled in 40 pieces over ~1 s: slow but inside the deadline
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const buf = Buffer.from(page);
    const step = Math.ceil(buf.length / 40);
    let i = 0;
    const t = setInterval(() => {
      if (res.destroyed) return clearInterval(t);
      res.write(buf.subarray(i, i + step));
      i += step;
      if (i >= buf.length) {
        clearInterval(t);
        res.end();
      }
    }, 25);
  } else if (path === '/loop-a' || path === '/loop-b') {
    res.writeHead(302, { location: path === '/loop-a' ? '/loop-b' : '/loop-a' });
    res.end();
  } else if (path === '/self') {
    res.writeHead(301, { location: '/self' });
    res.end();
  } else if (path.startsWith('/to-private/')) {
    res.writeHead(302, { location: decodeURIComponent(path.slice('/to-private/'.length)) });
    res.end();
  } else if (path === '/lying-length') {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': '10' });
    res.end(page.slice(0, 10));
  } else if (path === '/cut') {
    // promises more than it sends, then hangs up
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(page.length * 2) });
    res.write(page);
    setTimeout(() => res.socket?.destroy(), 20);
  } else if (path === '/bad-gzip') {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
    res.end(Buffer.from('this is not gzip at all'));
  } else if (path === '/binary') {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  } else {
    res.writeHead(404);
    res.end();
  }
});
servers.push(srv);
const BOMB = zlib.gzipSync(Buffer.alloc(100 * 1024 * 1024), { level: 9 });
const BR_BOMB = zlib.brotliCompressSync(Buffer.alloc(100 * 1024 * 1024));
const local = { allowPrivate: true, timeoutMs: 3_000 };

test('network: a normal page from the local server analyses (the control case)', async () => {
  const a = analyze(await ingest(`${srv.url}/ok`, local));
  assert.deepEqual(analysisProblems(a), []);
  assert.match(a.document.text, /canal tolls in Brevik/);
});

test('network: a gzip bomb (100 MB in ~100 KB) stops at the size cap with too-large', { timeout: 30_000 }, async () => {
  assert.ok(BOMB.length < 200_000);
  await fails(ingest(`${srv.url}/gzip-bomb`, { ...local, maxBytes: 5 * 1024 * 1024 }), 'too-large');
  await fails(ingest(`${srv.url}/gzip-bomb`, local), 'too-large'); // the default 20 MB cap
});

test('network: a brotli bomb stops at the size cap with too-large', { timeout: 30_000 }, async () => {
  await fails(ingest(`${srv.url}/br-bomb`, { ...local, maxBytes: 5 * 1024 * 1024 }), 'too-large');
});

test('network: a never-ending fast response stops at the size cap', { timeout: 30_000 }, async () => {
  await fails(ingest(`${srv.url}/endless`, { ...local, maxBytes: 2 * 1024 * 1024 }), 'too-large');
});

test('network: a never-ending slow response stops at the deadline with timeout', { timeout: 30_000 }, async () => {
  const t0 = Date.now();
  await fails(ingest(`${srv.url}/endless-slow`, { ...local, timeoutMs: 1_500 }), 'timeout');
  assert.ok(Date.now() - t0 < 1_500 + 10_000, 'it gave up near its deadline, not much later');
});

test('network: a server that never answers stops at the deadline with timeout', { timeout: 30_000 }, async () => {
  await fails(ingest(`${srv.url}/silent`, { ...local, timeoutMs: 1_500 }), 'timeout');
});

test('network: a slow server that dribbles a page inside the deadline gives the whole page', { timeout: 30_000 }, async () => {
  const a = analyze(await ingest(`${srv.url}/slow-ok`, { allowPrivate: true, timeoutMs: 20_000 }));
  assert.deepEqual(analysisProblems(a), []);
  const full = analyze(await ingest(`${srv.url}/ok`, local));
  assert.equal(a.document.text, full.document.text, 'nothing lost between the dribbled pieces');
});

test('network: redirect loops end with too-many-redirects', { timeout: 30_000 }, async () => {
  await fails(ingest(`${srv.url}/loop-a`, local), 'too-many-redirects');
  await fails(ingest(`${srv.url}/self`, local), 'too-many-redirects');
});

test('network: a truncated body, a bad gzip body and a binary type are clear errors', { timeout: 30_000 }, async () => {
  for (const path of ['/cut', '/bad-gzip', '/binary']) {
    try {
      const a = analyze(await ingest(`${srv.url}${path}`, local));
      assert.deepEqual(analysisProblems(a), [], path);
    } catch (err) {
      assert.ok(isIngestError(err), `${path}: a plain ${(err as Error)?.name} escaped: ${(err as Error)?.message}`);
    }
  }
  await fails(ingest(`${srv.url}/binary`, local), 'bad-content-type');
});

// ---- hostile URLs: refused before any connection ----

const HOSTILE = [
  'http://127.0.0.1/',
  'http://127.8.9.10/',
  'http://127.1/',
  'http://2130706433/',
  'http://0x7f000001/',
  'http://0177.0.0.1/',
  'http://localhost/',
  'http://[::1]/',
  'http://0.0.0.0/',
  'http://10.1.2.3/',
  'http://172.16.0.1/',
  'http://172.31.255.254/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fe80::1]/',
  'http://[fd00::1]/',
  'http://[fc00::abcd]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://[::ffff:10.0.0.1]/',
  'http://[::ffff:169.254.169.254]/',
  'http://[::127.0.0.1]/',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://[2002:7f00:1::]/',
  'http://[::]/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
];

test('hostile URLs: loopback, private, link-local, unique-local, IPv4-mapped and friends are refused by ingest', { timeout: 60_000 }, async () => {
  for (const url of HOSTILE) {
    const msg = await fails(ingest(url, { timeoutMs: 2_000 }), 'refused-address').catch((e: Error) => assert.fail(`${url}: ${e.message}`));
    assert.ok(msg.length > 0, url);
  }
});

const RESOLVES_TO = ['127.0.0.1', '10.0.0.7', '192.168.0.2', '172.20.1.1', '169.254.169.254', '100.100.100.100', '::1', 'fe80::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:a00:1', '0.0.0.0'];

test('hostile URLs: a host name that resolves to a refused address is refused (injected resolver)', { timeout: 60_000 }, async () => {
  for (const address of RESOLVES_TO) {
    const resolve = async () => [{ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }];
    await fails(ingest('http://news.example.test/story', { resolve, timeoutMs: 2_000 }), 'refused-address').catch((e: Error) => assert.fail(`${address}: ${e.message}`));
  }
  // one public and one private answer: refused (the private one could be picked)
  const mixed = async () => [
    { address: '93.184.216.34', family: 4 as const },
    { address: '10.0.0.1', family: 4 as const },
  ];
  await fails(ingest('http://news.example.test/story', { resolve: mixed, timeoutMs: 2_000 }), 'refused-address');
});

test('hostile URLs: a redirect from an allowed server to a refused address is re-checked and refused', { timeout: 60_000 }, async () => {
  // Treat only 127.0.0.1 as public, so the first hop reaches the local server and every target stays refused.
  const classify = (ip: string) => (ip === '127.0.0.1' ? { kind: 'public' as const, blocked: false } : classifyAddress(ip));
  const targets = ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://[::1]/', 'http://[::ffff:192.168.0.1]/', 'http://[fd00::2]/', 'http://internal.example.test/'];
  const resolve = async (host: string) => (host === 'internal.example.test' ? [{ address: '192.168.7.7', family: 4 as const }] : [{ address: host, family: 4 as const }]);
  for (const target of targets) {
    await fails(fetchUrl(`${srv.url}/to-private/${encodeURIComponent(target)}`, { classify, resolve, timeoutMs: 2_000 }), 'refused-address').catch((e: Error) => assert.fail(`${target}: ${e.message}`));
  }
  // and the same redirect with the real policy through ingest: refused at the first hop already
  await fails(ingest(`${srv.url}/to-private/${encodeURIComponent('http://10.0.0.1/')}`, { timeoutMs: 2_000 }), 'refused-address');
});

test('hostile URLs: only http and https are fetched', async () => {
  for (const url of ['file:///etc/passwd', 'ftp://example.test/x', 'gopher://127.0.0.1:70/', 'data:text/html,<p>x</p>']) {
    try {
      await ingest(url, { timeoutMs: 2_000 });
      assert.fail(`${url} was read`);
    } catch (err) {
      assert.ok(isIngestError(err), `${url}: ${(err as Error).message}`);
      assert.ok(['bad-url', 'not-found', 'read-error'].includes(err.code), `${url}: ${err.code}`);
    }
  }
});

export { HOSTILE, RESOLVES_TO };
