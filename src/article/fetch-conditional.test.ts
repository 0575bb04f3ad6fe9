import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchUrl } from './fetch.ts';

test('conditional GET: validators come back, and a 304 is answered without a body', async () => {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304, { etag: '"v1"' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Tue, 03 Mar 2026 10:00:00 GMT' });
    res.end('<rss version="2.0"><channel><title>Test</title></channel></rss>');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
  try {
    const first = await fetchUrl(url, { allowPrivate: true, accept: ['application/rss+xml'] });
    assert.equal(first.status, 200);
    assert.equal(first.etag, '"v1"');
    assert.equal(first.lastModified, 'Tue, 03 Mar 2026 10:00:00 GMT');
    assert.match(first.body.toString(), /<rss/);
    const second = await fetchUrl(url, { allowPrivate: true, accept: ['application/rss+xml'], headers: { 'if-none-match': first.etag! } });
    assert.equal(second.status, 304);
    assert.equal(second.body.length, 0);
    assert.equal(requests, 2);
  } finally {
    server.close();
  }
});
