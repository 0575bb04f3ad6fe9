import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { parseFeed, fromFeed, fromFolder, fromJsonl, type IngestResult } from './feed.ts';
import { IngestError } from './errors.ts';

const fx = (name: string) => fileURLToPath(new URL(`../../test/fixtures/ingest/${name}`, import.meta.url));
const read = (name: string) => readFileSync(fx(name), 'utf8');

async function collect(it: AsyncIterable<IngestResult>): Promise<IngestResult[]> {
  const out: IngestResult[] = [];
  for await (const r of it) out.push(r);
  return out;
}

test('RSS 2.0: items with absolute URLs, dates, titles and plain-text summaries', () => {
  const feed = parseFeed(read('feeds/rss2.xml'));
  assert.equal(feed.kind, 'rss');
  assert.equal(feed.title, 'The Coastal Ledger');
  assert.deepEqual(feed.items[0], {
    url: 'https://coastal-ledger.example/news/lighthouse-vote',
    title: 'Harbour town votes to rebuild its lighthouse',
    published: '2026-03-14T08:30:00.000Z',
    summary: 'The council of Port Vellan voted to rebuild the old lighthouse.',
    content: null,
  });
  // A permalink guid stands in for a missing <link>; dc:date for pubDate; entities decoded.
  assert.equal(feed.items[1].url, 'https://coastal-ledger.example/news/ferry-timetable');
  assert.equal(feed.items[1].title, 'Ferry timetable & fares change in April');
  assert.equal(feed.items[1].published, '2026-03-12T18:00:00.000Z');
  assert.equal(feed.items[2].url, 'https://coastal-ledger.example/news/relative');
  assert.equal(feed.items[2].published, null);
});

test('Atom: alternate links resolved against xml:base, published before updated, HTML titles stripped', () => {
  const feed = parseFeed(read('feeds/atom.xml'));
  assert.equal(feed.kind, 'atom');
  assert.equal(feed.title, 'Daily Meridian');
  assert.equal(feed.link, 'https://meridian.example/');
  assert.deepEqual(feed.items[0], {
    url: 'https://meridian.example/economy/port-strike-ends',
    title: 'Port strike ends after two weeks',
    published: '2026-03-13T06:15:00.000Z',
    summary: 'Dockworkers and operators signed a two-year agreement.',
    content: null,
  });
  assert.equal(feed.items[1].url, 'https://meridian.example/city/bridge-delay');
  assert.equal(feed.items[1].published, '2026-03-12T12:00:00.000Z');
  assert.equal(feed.items[1].summary, 'The new bridge will open in 2028, a year late.');
  assert.equal(feed.items[1].content, '<p>The new bridge will open in 2028, a year late.</p>');
});

test('RSS 1.0 (RDF) feeds parse too', () => {
  const feed = parseFeed(read('feeds/rdf.xml'));
  assert.equal(feed.kind, 'rdf');
  assert.deepEqual(feed.items.map((i) => [i.url, i.published]), [['https://old-gazette.example/a/1', '2026-02-01']]);
});

test('DTD entities are not expanded (no entity bomb); non-feeds are a parse error', () => {
  const feed = parseFeed(read('feeds/entity-bomb.xml'));
  assert.equal(feed.items.length, 1);
  assert.ok((feed.items[0].title ?? '').length < 100);
  assert.throws(() => parseFeed('<html><body>not a feed</body></html>'), (e: unknown) => e instanceof IngestError && e.code === 'parse');
  assert.throws(() => parseFeed('plain words, not XML at all'), (e: unknown) => e instanceof IngestError && e.code === 'parse');
  // Feeds in the wild are often slightly broken: an unclosed item still parses.
  assert.equal(parseFeed('<rss><channel><item><title>x</title><link>https://a.example/1</link></channel>').items[0]?.url, 'https://a.example/1');
});

test('a folder yields one result per .txt/.html file, errors included, in name order', async () => {
  const results = await collect(fromFolder(fx('folder')));
  assert.deepEqual(results.map((r) => r.ref.replace(/^.*[\\/]/, '')), ['01-wire.txt', '02-page.html', '03-empty.txt']);
  assert.ok(results[0].ok && results[0].article.raw.startsWith('KELSMOUTH'));
  assert.ok(results[1].ok && results[1].article.outlet === 'The Coastal Ledger');
  assert.ok(!results[2].ok && results[2].error.code === 'empty');
  const missing = await collect(fromFolder(fx('no-such-folder')));
  assert.equal(missing.length, 1);
  assert.ok(!missing[0].ok && missing[0].error.code === 'not-found');
});

test('JSONL: text and html records become Articles; bad lines are yielded as errors with their line number', async () => {
  const results = await collect(fromJsonl(fx('articles.jsonl')));
  const byLine = new Map(results.map((r) => [Number(r.ref.split(':').pop()), r]));
  assert.deepEqual([...byLine.keys()], [1, 2, 4, 5, 6, 7, 8]);
  const first = byLine.get(1)!;
  assert.ok(first.ok);
  assert.equal(first.article.source, 'jsonl');
  assert.equal(first.article.title, 'Harbour reopens');
  assert.equal(first.article.outlet, 'Daily Meridian');
  assert.equal(first.article.published, '2026-03-13T06:15:00.000Z');
  const second = byLine.get(2)!;
  assert.ok(second.ok && second.article.language === 'fr' && second.article.outlet === 'gazette-exemple.example');
  assert.ok(second.ok && second.article.raw.startsWith('La bibliothèque'));
  const codes = [4, 5, 6, 7].map((n) => {
    const r = byLine.get(n)!;
    return r.ok ? 'ok' : r.error.code;
  });
  assert.deepEqual(codes, ['parse', 'empty', 'empty', 'parse']);
  const last = byLine.get(8)!;
  assert.ok(last.ok && last.article.language === 'de' && last.article.published === null);
  // A stream works as well as a path.
  const fromStream = await collect(fromJsonl(Readable.from(['{"text": "One line of text about the harbour and the ships."}\n'])));
  assert.equal(fromStream.length, 1);
  assert.ok(fromStream[0].ok);
});

test('a feed URL: each item page is fetched; a failing item is yielded as an error', async () => {
  let base = '';
  const page = (title: string) =>
    `<html lang="en"><head><title>${title}</title></head><body><article><p>${title} was reported on Thursday by the town council, which met for three hours to discuss the harbour budget and the ferry service.</p></article></body></html>`;
  const server = http.createServer((req, res) => {
    if (req.url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Local Feed</title><link>${base}/</link>
        <item><title>First story</title><link>/a1</link><pubDate>Fri, 13 Mar 2026 10:00:00 GMT</pubDate></item>
        <item><title>Gone story</title><link>/gone</link></item>
        <item><title>Summary only</title><description>Only a summary of a story about the lighthouse vote.</description></item>
      </channel></rss>`);
    } else if (req.url === '/a1') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page('First story'));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('gone');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const refused = await collect(fromFeed(`${base}/feed.xml`));
    assert.equal(refused.length, 1);
    assert.ok(!refused[0].ok && refused[0].error.code === 'refused-address');

    const results = await collect(fromFeed(`${base}/feed.xml`, { allowPrivate: true }));
    assert.equal(results.length, 3);
    const [a, b, c] = results;
    assert.ok(a.ok);
    assert.equal(a.article.source, 'feed');
    assert.equal(a.article.url, `${base}/a1`);
    assert.equal(a.article.title, 'First story');
    assert.equal(a.article.published, '2026-03-13T10:00:00.000Z');
    assert.equal(a.article.outlet, '127.0.0.1');
    assert.ok(a.article.raw.startsWith('First story was reported'));
    assert.ok(!b.ok && b.error.code === 'http-status' && b.ref === `${base}/gone`);
    assert.ok(c.ok && c.article.raw.startsWith('Only a summary') && c.article.outlet === 'Local Feed');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('a feed file without fetching items uses the summaries', async () => {
  const results = await collect(fromFeed(fx('feeds/atom.xml'), { fetchItems: false }));
  assert.equal(results.length, 2);
  assert.ok(results.every((r) => r.ok));
  const first = results[0];
  assert.ok(first.ok && first.article.title === 'Port strike ends after two weeks' && first.article.outlet === 'Daily Meridian');
  assert.ok(first.ok && first.article.url === 'https://meridian.example/economy/port-strike-ends');
  // The second entry has full HTML content: it becomes the body, markup removed.
  const second = results[1];
  assert.ok(second.ok && second.article.raw === 'The new bridge will open in 2028, a year late.');
});
