/**
 * One ingest suite run against every source kind: the same invented article
 * delivered as a text file, an HTML file, stdin, a URL, a JSONL line, a folder
 * entry and a feed item must come out as the same Article body; empty and
 * binary input must fail the same way everywhere.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Article } from './types.ts';
import { ingest } from './ingest.ts';
import { fromFeed, fromFolder, fromJsonl, type IngestResult } from './feed.ts';
import { IngestError } from './errors.ts';

const TITLE = 'Quarry expansion divides the village of Hollin';
const PARAS = [
  'Residents of Hollin packed the school hall on Wednesday evening to hear plans to double the size of the limestone quarry above the village.',
  'The operator, Greystone Aggregates, says the expansion would secure forty jobs for another twenty years. "Without it, the site closes in 2031," its manager, Petra Lindqvist, told the meeting.',
  'Opponents fear more lorries on the narrow lane past the primary school and say the blasting already cracks their walls.',
];
const TEXT = `${TITLE}\n\n${PARAS.join('\n\n')}\n`;
const HTML = `<!doctype html><html lang="en"><head><title>${TITLE}</title><meta property="og:title" content="${TITLE}"></head>
<body><nav><a href="/">Home</a> <a href="/local">Local</a></nav><article><h1>${TITLE}</h1>${PARAS.map((p) => `<p>${p.replace(/"/g, '&quot;')}</p>`).join('\n')}</article>
<div class="comments"><p>A reader comment that must not appear.</p></div></body></html>`;
const BINARY = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0x00, 0x01, 0x02]);

let dir = '';
let server: http.Server;
let base = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unspin-suite-'));
  writeFileSync(join(dir, 'story.txt'), TEXT);
  writeFileSync(join(dir, 'story.html'), HTML);
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(join(dir, 'doc.txt'), BINARY);
  mkdirSync(join(dir, 'folder'));
  writeFileSync(join(dir, 'folder', 'a.txt'), TEXT);
  writeFileSync(join(dir, 'folder', 'b.html'), HTML);
  server = http.createServer((req, res) => {
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    if (req.url === '/story.html') return send('text/html; charset=utf-8', HTML);
    if (req.url === '/story.txt') return send('text/plain; charset=utf-8', TEXT);
    if (req.url === '/empty') return send('text/plain', '  \n ');
    if (req.url === '/binary') return send('text/plain', BINARY);
    if (req.url === '/feed.xml') {
      return send('application/rss+xml', `<?xml version="1.0"?><rss version="2.0"><channel><title>Hollin Herald</title><link>${base}/</link>
        <item><title>${TITLE}</title><link>${base}/story.html</link></item>
        <item><title>${TITLE}</title><link>${base}/story.txt</link></item></channel></rss>`);
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
  server.closeAllConnections();
  server.close();
});

async function one(it: AsyncIterable<IngestResult>): Promise<Article[]> {
  const out: Article[] = [];
  for await (const r of it) {
    if (!r.ok) throw r.error;
    out.push(r.article);
  }
  return out;
}

const stdin = (s: string | Buffer) => ({ stdin: Readable.from([typeof s === 'string' ? Buffer.from(s) : s]) });

/** Every source kind → the Articles it produces for the test article. */
const KINDS: [string, () => Promise<Article[]>][] = [
  ['text file', async () => [await ingest(join(dir, 'story.txt'))]],
  ['html file', async () => [await ingest(join(dir, 'story.html'))]],
  ['stdin text', async () => [await ingest('-', stdin(TEXT))]],
  ['stdin html', async () => [await ingest('-', stdin(HTML))]],
  ['url html', async () => [await ingest(`${base}/story.html`, { allowPrivate: true })]],
  ['url text', async () => [await ingest(`${base}/story.txt`, { allowPrivate: true })]],
  ['jsonl', () => one(fromJsonl(Readable.from([JSON.stringify({ text: TEXT }) + '\n' + JSON.stringify({ html: HTML, url: 'https://hollin-herald.test/q' }) + '\n']) as unknown as NodeJS.ReadableStream))],
  ['folder', () => one(fromFolder(join(dir, 'folder')))],
  ['feed', () => one(fromFeed(`${base}/feed.xml`, { allowPrivate: true }))],
];

for (const [kind, load] of KINDS) {
  test(`${kind}: the same body, paragraphs and language`, async () => {
    const articles = await load();
    assert.ok(articles.length > 0);
    for (const a of articles) {
      const paras = a.raw.split('\n\n').map((p) => p.trim());
      // The text variants keep the headline as their first line; HTML gives it as the title.
      const body = paras[0] === TITLE ? paras.slice(1) : paras;
      assert.deepEqual(body, PARAS, `${kind} (${a.source})`);
      assert.equal(a.language, 'en');
      if (paras[0] !== TITLE) assert.equal(a.title, TITLE);
      assert.ok(!a.raw.includes('reader comment'));
      assert.ok(!a.raw.includes('Home'));
    }
  });
}

const code = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof IngestError, String(e));
    return e.code;
  }
};

test('empty input is "empty" from every source kind', async () => {
  assert.equal(await code(ingest(join(dir, 'empty.txt'))), 'empty');
  assert.equal(await code(ingest('-', stdin(''))), 'empty');
  assert.equal(await code(ingest(`${base}/empty`, { allowPrivate: true })), 'empty');
  assert.equal(await code(one(fromJsonl(Readable.from(['{"text": " "}\n']) as unknown as NodeJS.ReadableStream))), 'empty');
});

test('binary input is "binary" from every byte source', async () => {
  assert.equal(await code(ingest(join(dir, 'doc.txt'))), 'binary');
  assert.equal(await code(ingest('-', stdin(BINARY))), 'binary');
  assert.equal(await code(ingest(`${base}/binary`, { allowPrivate: true })), 'binary');
});
