import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../src/store/index.ts';
import { createApp } from '../../src/server/app.ts';
import { CATALOGUE } from './catalogue.ts';
import { analysisProblems, localServer, prose, type LocalServer } from './helpers.ts';

/**
 * The server's analyse endpoint meets the same hostile URLs and bad inputs
 * as ingest: each gets a JSON error with a stable code, or an Analysis whose
 * every span is valid; the server keeps answering afterwards.
 */

let store: Store;
let target: LocalServer;
before(async () => {
  store = await openStore(':memory:');
  target = await localServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<html><body><p>${prose(6)}</p></body></html>`);
  });
});
after(async () => {
  await store.close();
  await target.close();
});

const post = (body: unknown, type = 'application/json') =>
  createApp({ store, fetchTimeoutMs: 2_000 }).request('/api/analyse', {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function errorCode(res: Response): Promise<string> {
  const j = (await res.json()) as { error?: { code: string; message: string } };
  assert.ok(j.error, `an error body, got ${JSON.stringify(j).slice(0, 200)}`);
  assert.ok(j.error.message.length > 0);
  assert.doesNotMatch(j.error.message, /\n\s+at /, 'no stack trace');
  return j.error.code;
}

test('server: hostile URLs posted to /api/analyse are refused with 403 refused-address', { timeout: 60_000 }, async () => {
  const port = new URL(target.url).port;
  const urls = [
    target.url + '/', // a live loopback server
    `http://localhost:${port}/`, // a name the system resolves to loopback
    `http://[::ffff:127.0.0.1]:${port}/`,
    'http://[::1]/',
    'http://10.0.0.1/',
    'http://192.168.1.1/',
    'http://172.16.5.4/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://2130706433/',
    'http://0.0.0.0/',
  ];
  for (const url of urls) {
    const res = await post({ url });
    assert.equal(res.status, 403, url);
    assert.equal(await errorCode(res), 'refused-address', url);
  }
  for (const url of ['file:///etc/passwd', '/etc/passwd', 'ftp://127.0.0.1/']) {
    const res = await post({ url });
    assert.equal(res.status, 400, url);
  }
});

test('server: bad inputs posted to /api/analyse get an error code or a valid Analysis, and the server still answers', { timeout: 120_000 }, async () => {
  const seen: string[] = [];
  for (const c of CATALOGUE.filter((c) => !c.heavy && c.file !== 'huge.txt')) {
    const buf = c.bytes();
    const type = c.file.endsWith('.html') ? 'text/html' : 'text/plain';
    const res = await post(buf.toString('utf8'), type);
    if (res.status === 200) {
      const { analysis } = (await res.json()) as { analysis: Parameters<typeof analysisProblems>[0] };
      assert.deepEqual(analysisProblems(analysis), [], c.name);
      seen.push(`${c.name}: 200`);
    } else {
      assert.ok(res.status >= 400 && res.status < 500, `${c.name}: ${res.status} is a client error, not a crash`);
      seen.push(`${c.name}: ${res.status} ${await errorCode(res)}`);
    }
  }
  assert.ok(seen.some((s) => s.startsWith('0 bytes: 4')), seen.join('\n'));
  const health = await createApp({ store }).request('/api/health');
  assert.equal(health.status, 200);
});

test('server: a body over the limit is 413 too-large; broken JSON is 400 bad-json', async () => {
  const big = await createApp({ store, maxBodyBytes: 1024 * 1024 }).request('/api/analyse', {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: 'x '.repeat(1024 * 1024),
  });
  assert.equal(big.status, 413);
  assert.equal(await errorCode(big), 'too-large');
  const bad = await post('{"text": "unterminated', 'application/json');
  assert.equal(bad.status, 400);
  assert.equal(await errorCode(bad), 'bad-json');
  const nul = await post({ text: `${prose(2)}\u0000\u0000${prose(2)}` });
  assert.ok(nul.status === 200 || nul.status === 422, `NUL in JSON text: ${nul.status}`);
});

test('server: an article with lone surrogates, astral and bidi characters saved through the API reads back identical, every span valid', async () => {
  const text = `Halvard Quist \ud800 said the \udfff deal was "a shameful betrayal" of Brevik 😡 \u202eevil\u202c. He added 𠜎 it would fail.\n\n${prose(4)}`;
  const app = createApp({ store });
  const res = await app.request('/api/analyse', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, save: true }) });
  assert.ok(res.status === 201 || res.status === 200, String(res.status));
  const saved = (await res.json()) as { id: number; analysis: Parameters<typeof analysisProblems>[0] };
  assert.deepEqual(analysisProblems(saved.analysis), []);
  const back = (await (await app.request(`/api/articles/${saved.id}`)).json()) as { analysis: Parameters<typeof analysisProblems>[0] };
  assert.equal(back.analysis.document.text, saved.analysis.document.text, 'the stored text is the analysed text');
  assert.deepEqual(analysisProblems(back.analysis), []);
  assert.match(back.analysis.document.text, /😡/);
});
