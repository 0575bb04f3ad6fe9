import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing.ts';
import { generateArticle } from '../../ingest-runner/testing.ts';

const run = (...argv: string[]) => runCli(argv);

const tmp = mkdtempSync(join(tmpdir(), 'unspin-cli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const db = join(tmp, 'corpus.db');
const N = 12;
const generated = Array.from({ length: N }, (_, i) => generateArticle(i, { outlets: 3, people: 5, paragraphs: 3 }));

test('ingest a JSONL file, then search, rank speakers, open a dossier, trends and export', { timeout: 120_000 }, async () => {
  const jsonl = join(tmp, 'batch.jsonl');
  writeFileSync(jsonl, generated.map((a) => JSON.stringify({ title: a.title, text: a.text, url: a.url, published: a.published })).join('\n') + '\n');

  const first = await run('ingest', jsonl, '--db', db);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, new RegExp(`${N} stored, 0 updated, 0 already stored, 0 failed`));
  const again = await run('ingest', jsonl, '--db', db, '--json');
  assert.equal(again.code, 0);
  assert.equal(JSON.parse(again.stdout).skipped, N);

  // Search with a filter: the outlet comes from the URL host without www.
  const outlet = generated[0].outlet;
  const expected = generated.filter((a) => a.outlet === outlet && /harbour/.test(a.text)).length;
  const hits = JSON.parse((await run('search', 'harbour', '--outlet', outlet, '--json', '--db', db)).stdout);
  assert.equal(hits.length, expected);
  assert.ok(hits.every((h: { outlet: string }) => h.outlet === outlet), 'every hit is from the outlet asked for');
  const text = await run('search', generated[3].title.split(' ')[0], '--db', db);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /#\d+\s+2024-\d\d-\d\d\s+outlet\d\.example/);
  assert.equal((await run('search', 'zzzqqq', '--db', db)).stdout, 'no articles match\n');

  // Speakers: the generated experts, ranked; a dossier by surname only.
  const ranked = JSON.parse((await run('speakers', '--json', '--db', db)).stdout);
  assert.ok(ranked.length > 0, 'some speakers were found');
  for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1].articles >= ranked[i].articles, 'ranked by articles');
  const top = ranked[0];
  const surname = top.name.split(' ').at(-1);
  const dossier = await run('speaker', surname, '--db', db);
  assert.equal(dossier.code, 0, dossier.stderr);
  assert.match(dossier.stdout, new RegExp(`^${top.name}`));
  assert.match(dossier.stdout, new RegExp(`${top.quotes} quotes? in ${top.articles} articles?`));
  const nobody = await run('speaker', 'Nobody Atall', '--db', db);
  assert.equal(nobody.code, 1);

  // Trends as CSV: every dated article counted once per month.
  const csv = (await run('trends', '--by', 'outlet', '--period', 'month', '--csv', '--db', db)).stdout.trim().split('\n');
  assert.equal(csv[0], 'period,outlet,articles');
  assert.equal(csv.slice(1).reduce((s, l) => s + Number(l.split(',').at(-1)), 0), N);

  // Export: one Analysis per line.
  const out = join(tmp, 'all.jsonl');
  const exp = await run('export', '--format', 'jsonl', '--out', out, '--db', db);
  assert.equal(exp.code, 0);
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, N);
  assert.ok(lines.every((a) => a.schema === 'unspin/analysis@1' && a.document.text.length > 0), 'every line is an Analysis');
  const quotes = (await run('export', '--format', 'quotes-csv', '--db', db)).stdout.split('\n');
  assert.equal(quotes[0], 'article_id,outlet,published,url,quote_id,kind,start,end,text,cue,speaker,person,act');
  assert.ok(quotes.slice(1, -1).every((l) => /,(speech|thought|evidence|other)$/.test(l)), 'every quote row ends in its act');
  assert.ok(quotes.length > N, `quotes exported: ${quotes.length - 2}`);
});

test('ingest reports a bad item and carries on; usage errors exit 2; no database is an error', async () => {
  const dir = join(tmp, 'mixed');
  mkdirSync(dir);
  writeFileSync(join(dir, 'good.txt'), `${generated[0].title}\n\n${generated[0].text}\n`);
  writeFileSync(join(dir, 'empty.txt'), '   \n');
  const r = await run('ingest', dir, join(tmp, 'missing.txt'), '--db', join(tmp, 'mixed.db'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /1 stored, 0 updated, 0 already stored, 2 failed/);
  assert.match(r.stderr, /empty\.txt: /);
  assert.match(r.stderr, /missing\.txt: no such file or folder/);
  assert.equal((await run('ingest', '--db', db)).code, 2);
  assert.equal((await run('trends', '--by', 'colour', '--db', db)).code, 2);
  assert.equal((await run('search', 'x', '--from', 'last week', '--db', db)).code, 2);
  assert.equal((await run('export', '--format', 'xml', '--db', db)).code, 2);
  const none = await run('speakers', '--db', join(tmp, 'nothing-here.db'));
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no database at/);
});

test('watch polls a feed with conditional GET and stores each article once', { timeout: 120_000 }, async () => {
  const seen: { path: string; ifNoneMatch: string | undefined }[] = [];
  const pages = generated.slice(0, 3);
  const server = createServer((req, res) => {
    seen.push({ path: req.url!, ifNoneMatch: req.headers['if-none-match'] });
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    if (req.url === '/feed.xml') {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title><link>${base}/</link>${pages
        .map((p, i) => `<item><title>${p.title}</title><link>${base}/a/${i}</link><pubDate>${new Date(p.published).toUTCString()}</pubDate></item>`)
        .join('')}</channel></rss>`);
      return;
    }
    const m = /^\/a\/(\d+)$/.exec(req.url!);
    if (m) {
      const p = pages[Number(m[1])];
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><title>${p.title}</title></head><body><article><h1>${p.title}</h1>${p.text
        .split('\n\n')
        .map((t) => `<p>${t.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)
        .join('')}</article></body></html>`);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/feed.xml`;
    const wdb = join(tmp, 'watch.db');
    const first = await run('watch', '--feed', url, '--once', '--allow-private', '--db', wdb);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /3 items, 3 new, 0 updated, 0 already stored, 0 failed/);
    const second = await run('watch', '--feed', url, '--once', '--allow-private', '--db', wdb);
    assert.match(second.stderr, /not modified/);
    const feedHits = seen.filter((s) => s.path === '/feed.xml');
    assert.deepEqual(feedHits.map((s) => s.ifNoneMatch), [undefined, '"v1"']);
    assert.equal(seen.filter((s) => s.path.startsWith('/a/')).length, 3, 'each article page fetched once');
    const hits = JSON.parse((await run('search', '--outlet', '127.0.0.1', '--json', '--db', wdb)).stdout);
    assert.equal(hits.length, 3);
    // The feed's dates reached the store.
    assert.deepEqual(hits.map((h: { published: string }) => h.published.slice(0, 10)).sort(), pages.map((p) => p.published.slice(0, 10)).sort());
    // `ingest --feed` takes the same feed in one go.
    const once = await run('ingest', '--feed', url, '--allow-private', '--db', join(tmp, 'feed-once.db'));
    assert.equal(once.code, 0, once.stderr);
    assert.match(once.stderr, /3 stored, 0 updated, 0 already stored, 0 failed/);
    // A feed on a private address is refused unless allowed.
    const refused = await run('watch', '--feed', url, '--once', '--db', wdb);
    assert.match(refused.stderr, /refused to fetch .*loopback address/);
  } finally {
    server.close();
  }
});

test('export writes the SemEval-2023 task 3 formats from stored layers', async () => {
  const { openStore } = await import('../../store/index.ts');
  const { fakeAnalysis } = await import('../../store/testing.ts');
  const sdb = join(tmp, 'semeval.db');
  const store = await openStore(sdb);
  const a = fakeAnalysis({
    title: 'Tide report 🌊',
    paragraphs: ['The tide rose.', 'A truly shameful flood, they said.'],
    techniques: [{ technique: 'Loaded_Language', text: 'truly shameful' }],
    frames: ['Economic', 'Morality'],
    genre: 'opinion',
  });
  const { id } = await store.put(a, { canonicalUrl: null, contentHash: 'h-semeval' });
  await store.close();
  const get = async (f: string) => (await run('export', '--format', f, '--db', sdb)).stdout;
  assert.equal(await get('semeval-genre'), `${id}\topinion\n`);
  assert.equal(await get('semeval-frames'), `${id}\tEconomic,Morality\n`);
  // Lines 1, 3, 5 (blank lines between paragraphs are skipped, as the organisers number them).
  assert.equal(await get('semeval-paragraphs'), `${id}\t1\t\n${id}\t3\t\n${id}\t5\tLoaded_Language\n`);
  // The wave emoji is two UTF-16 units but one code point.
  const start = [...a.document.text.slice(0, a.techniques[0].start)].length;
  assert.equal(await get('semeval-spans'), `${id}\tLoaded_Language\t${start}\t${start + 'truly shameful'.length}\n`);
});
