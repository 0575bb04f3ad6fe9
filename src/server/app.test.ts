import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { canonicalUrl, contentHash } from '../corpus/meta.ts';
import { createApp } from './app.ts';
import { openapi } from './openapi.ts';
import { sampleAnalysis } from './testing.ts';
import { startServer, isLoopbackHost } from './index.ts';
import type { Analysis } from '../document/types.ts';

let store: Store;
let ids: number[] = [];

async function put(a: Analysis): Promise<number> {
  const r = await store.put(a, { canonicalUrl: canonicalUrl(a.document.url), contentHash: contentHash(a.document.text), url: a.document.url, source: 'test' });
  return r.id;
}

before(async () => {
  store = await openStore(':memory:');
  ids = [];
  for (let n = 0; n < 4; n++) ids.push(await put(sampleAnalysis({ n, outlet: n % 2 ? 'lantern.example' : 'courier.example' })));
});
after(async () => store.close());

const app = () => createApp({ store });
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('GET an article returns its stored Analysis with every layer and valid offsets', async () => {
  const res = await app().request(`/api/articles/${ids[0]}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = await res.json();
  assert.equal(body.article.id, ids[0]);
  const a = body.analysis as Analysis;
  assert.equal(a.schema, 'unspin/analysis@1');
  assert.ok(a.quotes.length >= 2 && a.techniques.length >= 4 && a.entities.length >= 1);
  for (const t of a.techniques) assert.equal(a.document.text.slice(t.start, t.end), t.text);
});

test('errors are JSON with a stable code', async () => {
  const cases: [string, number, string][] = [
    ['/api/articles/999999', 404, 'not-found'],
    ['/api/articles/abc', 400, 'bad-request'],
    ['/api/nothing-here', 404, 'not-found'],
    ['/api/trends?by=colour', 400, 'bad-request'],
    ['/api/search?from=yesterday', 400, 'bad-request'],
    ['/api/speakers/Nobody%20Atall', 404, 'not-found'],
  ];
  for (const [path, status, code] of cases) {
    const res = await app().request(path);
    assert.equal(res.status, status, path);
    const body = await res.json();
    assert.equal(body.error.code, code, path);
    assert.equal(typeof body.error.message, 'string');
  }
});

test('analyse pasted text returns an Analysis, and save stores it', async () => {
  const text = 'Mayor Tilda Vorn said the bridge would open in May.\n\nShe called critics "reckless alarmists" at a press event in Osmaria.';
  const res = await app().request('/api/analyze', json({ text, outlet: 'Test Wire' }));
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.id, null);
  assert.ok(body.analysis.document.text.includes('Tilda Vorn'));
  assert.equal(body.analysis.document.outlet, 'Test Wire');

  const before = await store.count();
  const saved = await app().request('/api/analyse?save=1', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text });
  assert.equal(saved.status, 201);
  const sbody = await saved.json();
  assert.equal(typeof sbody.id, 'number');
  assert.equal(await store.count(), before + 1);
  const again = await app().request(`/api/articles/${sbody.id}`);
  assert.equal(again.status, 200);
});

test('analyse HTML keeps the text and drops the markup', async () => {
  const html = '<html><head><title>Quiet harbour</title><script>alert(1)</script></head><body><article><h1>Quiet harbour</h1><p>The harbour of Dunmere was quiet on Sunday, the port authority said in a short statement to local reporters.</p><p onclick="alert(2)">Fishing boats stayed in port because of the storm warning issued for the whole coast.</p></article></body></html>';
  const res = await app().request('/api/analyze', json({ html }));
  assert.equal(res.status, 200);
  const { analysis } = await res.json();
  assert.ok(analysis.document.text.includes('Fishing boats stayed in port'));
  assert.ok(!analysis.document.text.includes('alert('));
});

test('analyse refuses bad input with stable codes', async () => {
  const cases: [RequestInit, number, string][] = [
    [json({}), 400, 'missing-input'],
    [json({ text: 'a', url: 'https://x.example/' }), 400, 'missing-input'],
    [json({ text: '   ' }), 422, 'missing-input'],
    [json({ text: 42 }), 400, 'bad-request'],
    [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }, 400, 'bad-json'],
    [{ method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' }, 415, 'unsupported-media-type'],
    [json({ url: '/etc/passwd' }), 400, 'bad-request'],
    [json({ url: 'file:///etc/passwd' }), 400, 'bad-request'],
  ];
  for (const [init, status, code] of cases) {
    const res = await app().request('/api/analyze', init);
    assert.equal(res.status, status, String(init.body));
    assert.equal((await res.json()).error.code, code, String(init.body));
  }
});

test('URL analysis keeps the private-address refusal unless allowed', async () => {
  const res = await app().request('/api/analyze', json({ url: 'http://127.0.0.1:9/article' }));
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, 'refused-address');

  // With --allow-private the server fetches from loopback.
  const page = '<html><head><title>Local story</title></head><body><article><h1>Local story</h1><p>The council of Pellavia approved a new ferry timetable on Tuesday after a long debate among its members.</p><p>Residents said the change would help commuters who cross the bay every morning to reach the market.</p></article></body></html>';
  const origin = createServer((_, r) => r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/story`;
    const ok = await createApp({ store, allowPrivate: true }).request('/api/analyze', json({ url }));
    assert.equal(ok.status, 200);
    const { analysis } = await ok.json();
    assert.ok(analysis.document.text.includes('ferry timetable'));
    assert.equal(analysis.document.url, url);
  } finally {
    origin.close();
  }
});

test('request bodies over the limit are refused with 413', async () => {
  const small = createApp({ store, maxBodyBytes: 1000 });
  const res = await small.request('/api/analyze', { method: 'POST', headers: { 'content-type': 'text/plain', 'content-length': '5000' }, body: 'x'.repeat(5000) });
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, 'too-large');
});

test('write endpoints need the bearer token when one is required', async () => {
  const token = 'a-long-enough-test-token';
  const guarded = createApp({ store, token, requireToken: true });
  const body = json({ text: 'The ferry to Karsland left on time this morning, the harbour office said.' });
  const none = await guarded.request('/api/analyze', body);
  assert.equal(none.status, 401);
  assert.equal((await none.json()).error.code, 'unauthorized');
  const wrong = await guarded.request('/api/analyze', { ...body, headers: { ...body.headers, authorization: 'Bearer nope' } });
  assert.equal(wrong.status, 401);
  const right = await guarded.request('/api/analyze', { ...body, headers: { ...body.headers, authorization: `Bearer ${token}` } });
  assert.equal(right.status, 200);
  // Reads stay open.
  assert.equal((await guarded.request(`/api/articles/${ids[0]}`)).status, 200);
  // Required but never configured: every write is refused.
  const misconfigured = createApp({ store, requireToken: true });
  assert.equal((await misconfigured.request('/api/analyze', body)).status, 401);
});

test('cross-origin writes are refused', async () => {
  const res = await app().request('http://127.0.0.1:8787/api/analyze', {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: 'https://evil.example', host: '127.0.0.1:8787' },
    body: 'Some text about the harbour of Osmaria and its new cranes.',
  });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, 'forbidden-origin');
});

test('a loopback server answers only for loopback host names', async () => {
  const guarded = createApp({ store, allowedHosts: ['127.0.0.1:8787'] });
  const res = await guarded.request('http://rebind.example/api/health', { headers: { host: 'rebind.example' } });
  assert.equal(res.status, 421);
  assert.equal((await res.json()).error.code, 'bad-host');
  const ok = await guarded.request('http://127.0.0.1:8787/api/health', { headers: { host: '127.0.0.1:8787' } });
  assert.equal(ok.status, 200);
});

test('every response carries a strict CSP and nosniff', async () => {
  for (const path of ['/api/health', '/api/articles/999999']) {
    const res = await app().request(path);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  }
});

test('search filters by text, outlet, technique and speaker', async () => {
  const get = async (qs: string) => (await (await app().request(`/api/search?${qs}`)).json()).hits as { id: number; outlet: string }[];
  const all = await get('q=harbour');
  assert.ok(all.length >= 4);
  const lantern = await get('q=harbour&outlet=lantern.example');
  assert.ok(lantern.length >= 2 && lantern.every((h) => h.outlet === 'lantern.example'));
  assert.ok((await get('technique=Loaded_Language')).length >= 4);
  assert.equal((await get('technique=Flag_Waving')).length, 0);
  assert.ok((await get('speaker=Oskar%20Brandt')).length >= 4);
  assert.equal((await get('q=zeppelinography')).length, 0);
});

test('speakers, dossier, outlets, outlet profile, trends', async () => {
  const { speakers } = await (await app().request('/api/speakers')).json();
  assert.equal(speakers[0].name, 'Oskar Brandt');
  const { dossier } = await (await app().request('/api/speakers/Oskar%20Brandt')).json();
  assert.ok(dossier.quotesList.length >= 8);
  assert.ok(dossier.descriptorsByOutlet.some((d: { descriptors: { text: string }[] }) => d.descriptors.some((x) => /economist/.test(x.text))));
  const { outlets } = await (await app().request('/api/outlets')).json();
  assert.deepEqual(outlets.map((o: { outlet: string }) => o.outlet).sort().slice(0, 2), ['courier.example', 'lantern.example']);
  const { outlet } = await (await app().request('/api/outlets/lantern.example')).json();
  assert.equal(outlet.articles, 2);
  assert.equal(outlet.techniques.find((t: { technique: string }) => t.technique === 'Loaded_Language').spans, 2);
  assert.equal(outlet.frames[0].frame, 'Economic');
  assert.equal(outlet.speakers[0].name, 'Oskar Brandt');
  assert.equal((await app().request('/api/outlets/Nowhere%20Times')).status, 404);
  const trends = await (await app().request('/api/trends?by=technique&period=month')).json();
  assert.ok(trends.rows.some((r: { key: string; count: number }) => r.key === 'Loaded_Language' && r.count >= 1));
  // limit keeps the top keys, each with every one of its periods.
  const top2 = await (await app().request('/api/trends?by=technique&period=month&limit=2')).json();
  assert.equal(new Set(top2.rows.map((r: { key: string }) => r.key)).size, 2);
  assert.equal(new Set(top2.rows.map((r: { period: string }) => r.period)).size, 4);
});

test('copies groups near-duplicate articles with the earliest first', async () => {
  const s = await openStore(':memory:');
  try {
    const base = sampleAnalysis({ n: 7, published: '2024-05-01', outlet: 'First Wire', url: 'https://first.example/a' });
    const copy = sampleAnalysis({ n: 7, published: '2024-05-03', outlet: 'Copy Desk', url: 'https://copy.example/b', extra: ['Additional reporting by the copy desk.'] });
    for (const a of [copy, base]) await s.put(a, { canonicalUrl: canonicalUrl(a.document.url), contentHash: contentHash(a.document.text), url: a.document.url });
    const body = await (await createApp({ store: s }).request('/api/copies')).json();
    assert.equal(body.groups.length, 1);
    assert.equal(body.groups[0].original.outlet, 'First Wire');
    assert.equal(body.groups[0].members[1].article.outlet, 'Copy Desk');
  } finally {
    await s.close();
  }
});

test('export streams JSONL of Analyses and CSV of quotes and techniques', async () => {
  const jsonl = await (await app().request('/api/export?format=jsonl')).text();
  const lines = jsonl.trim().split('\n');
  assert.equal(lines.length, await store.count());
  assert.equal(JSON.parse(lines[0]).schema, 'unspin/analysis@1');
  const quotes = await app().request('/api/export?format=quotes-csv');
  assert.match(quotes.headers.get('content-type') ?? '', /text\/csv/);
  const qtext = await quotes.text();
  assert.match(qtext.split('\r\n')[0], /^article_id,/);
  assert.ok(qtext.includes('Oskar Brandt'));
  const tech = await (await app().request('/api/export?format=techniques.csv')).text();
  // The four hand-built articles carry one Loaded_Language span each (articles analysed by earlier tests may add more).
  const ours = new Set(ids.map(String));
  const rows = tech.split('\r\n').filter((l) => ours.has(l.split(',')[0]));
  assert.equal(rows.filter((l) => l.split(',')[4] === 'Loaded_Language').length, 4);
  assert.equal(rows.length, 16);
  const speakers = await (await app().request('/api/export?format=speakers-csv')).text();
  assert.match(speakers.split('\r\n')[1], /^Oskar Brandt,/);
  assert.equal((await app().request('/api/export?format=xlsx')).status, 400);
});

test('the OpenAPI document describes every API route, and each described GET answers', async () => {
  const res = await app().request('/api/openapi.json');
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.equal(doc.openapi, '3.1.0');
  const paths = Object.keys(openapi.paths);
  for (const p of ['/api/analyze', '/api/articles/{id}', '/api/search', '/api/speakers', '/api/speakers/{name}', '/api/outlets', '/api/outlets/{name}', '/api/trends', '/api/copies', '/api/export']) {
    assert.ok(paths.includes(p), p);
  }
  for (const p of paths) {
    const ops = doc.paths[p];
    if (!ops.get) continue;
    const concrete = p.replace('{id}', String(ids[0])).replace('{name}', p.includes('outlets') ? 'lantern.example' : 'Oskar%20Brandt');
    const r = await app().request(concrete);
    assert.equal(r.status, 200, concrete);
  }
});

test('startServer binds loopback by default and refuses a public bind without a token', async () => {
  assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('::1') && isLoopbackHost('localhost'));
  assert.ok(!isLoopbackHost('0.0.0.0') && !isLoopbackHost('192.168.1.4'));
  await assert.rejects(startServer({ store, host: '0.0.0.0', port: 0, web: null }), /without a token/);
  const running = await startServer({ store, port: 0, web: null });
  try {
    assert.equal(running.host, '127.0.0.1');
    const res = await fetch(`${running.url}/api/articles/${ids[0]}`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).article.id, ids[0]);
  } finally {
    await running.close();
  }
});

test('an outlet named by its site name (capitals, spaces) has a profile', async () => {
  const s = await openStore(':memory:');
  try {
    const a = sampleAnalysis({ n: 3, outlet: 'Daily Lantern' });
    await s.put(a, { canonicalUrl: canonicalUrl(a.document.url), contentHash: contentHash(a.document.text), url: a.document.url });
    const own = createApp({ store: s });
    const { outlets } = await (await own.request('/api/outlets')).json();
    assert.deepEqual(outlets.map((o: { outlet: string }) => o.outlet), ['Daily Lantern']);
    const res = await own.request('/api/outlets/Daily%20Lantern');
    assert.equal(res.status, 200);
    assert.equal((await res.json()).outlet.techniques.length, 4);
  } finally {
    await s.close();
  }
});

test('narratives and roles: search parameters, trends, dossier and outlet panels', async () => {
  const s = await openStore(':memory:');
  try {
    const stored: number[] = [];
    for (let n = 0; n < 3; n++) {
      // Articles 0 and 1 carry the narratives and roles layers; article 2 has neither.
      const a = sampleAnalysis({ n, outlet: 'Daily Lantern', published: `2024-02-1${n}`, narratives: n < 2 });
      stored.push((await s.put(a, { canonicalUrl: canonicalUrl(a.document.url), contentHash: contentHash(a.document.text), url: a.document.url })).id);
    }
    const own = createApp({ store: s });
    const hits = async (qs: string) => ((await (await own.request(`/api/search?${qs}`)).json()).hits as { id: number }[]).map((h) => h.id).sort((x, y) => x - y);
    const narrative = 'URW: Discrediting the West, Diplomacy';
    assert.deepEqual(await hits(`narrative=${encodeURIComponent(narrative)}`), stored.slice(0, 2));
    assert.deepEqual(await hits(`narrative=${encodeURIComponent(narrative)}&q=Veltrania`), [stored[0]]);
    assert.deepEqual(await hits('role=Antagonist&entity=Oskar%20Brandt'), stored.slice(0, 2));
    assert.deepEqual(await hits('role=Antagonist&entity=Brandt'), stored.slice(0, 2), 'a surname finds the person');
    assert.deepEqual(await hits('role=Victim&entity=Osmaria'), [stored[1]]);
    assert.deepEqual(await hits('role=Innocent&entity=Oskar%20Brandt'), []);

    const trends = await (await own.request('/api/trends?by=narrative&period=month')).json();
    assert.deepEqual(trends.rows, [{ period: '2024-02', key: narrative, count: 2 }]);
    const roles = await (await own.request('/api/trends?by=role&period=month')).json();
    assert.ok(roles.rows.some((r: { key: string; count: number }) => r.key === 'Oskar Brandt: Antagonist' && r.count === 2));

    const { dossier } = await (await own.request('/api/speakers/Brandt')).json();
    // Each article's first quote lies in the sentence cited for the narrative; the second does not.
    assert.deepEqual(dossier.narratives, [{ narrative, articles: 2, quotes: 2 }]);
    assert.deepEqual(dossier.roles, [{ main: 'Antagonist', fine: 'Instigator', articles: 2, outlets: 1 }]);

    const { outlet } = await (await own.request('/api/outlets/daily%20lantern')).json();
    assert.equal(outlet.outlet, 'Daily Lantern');
    assert.equal(outlet.articles, 3);
    assert.deepEqual(outlet.narratives, [{ narrative, articles: 2 }]);
    assert.deepEqual(outlet.roles.map((r: { name: string; main: string; articles: number }) => [r.name, r.main, r.articles]), [
      ['Oskar Brandt', 'Antagonist', 2],
      ['Osmaria', 'Innocent', 1],
      ['Veltrania', 'Innocent', 1],
    ]);
    assert.deepEqual(outlet.genres, [{ genre: 'reporting', articles: 3 }]);
    assert.equal('sampled' in outlet, false, 'counts cover every article, not a sample');

    const narrCsv = (await (await own.request('/api/export?format=narratives-csv')).text()).trim().split('\r\n');
    assert.equal(narrCsv[0], 'article_id,outlet,published,url,narrative,parent,source,taxonomy,confidence,evidence');
    assert.equal(narrCsv.length, 1 + 2 * 2, 'a narrative and a subnarrative for each of the two articles');
    assert.match(narrCsv[1], new RegExp(`^${stored[0]},Daily Lantern,.*,"${narrative}",,model,semeval2025,0.52,\\d+-\\d+;\\d+-\\d+$`));
    const rolesCsv = (await (await own.request('/api/export?format=roles.csv')).text()).trim().split('\r\n');
    assert.equal(rolesCsv[0], 'article_id,outlet,published,url,entity,name,main,main_confidence,fine,fine_confidence,mentions');
    assert.deepEqual(rolesCsv.slice(1).map((l) => l.split(',').slice(4, 7)), [['e1', 'Oskar Brandt', 'Antagonist'], ['e2', 'Veltrania', 'Innocent'], ['e1', 'Oskar Brandt', 'Antagonist'], ['e2', 'Osmaria', 'Innocent']]);
  } finally {
    await s.close();
  }
});

test('with analysis workers, POST /api/analyze gives the same Analysis as the pipeline in process', async () => {
  const running = await startServer({ store, port: 0, web: null, workers: 2 });
  try {
    assert.equal(running.workers, 2);
    const texts = [
      'Mayor Tilda Vorn said the bridge would open in May.\n\n"It is a disgrace," said Petra Lind, an engineer. She added that costs had doubled.',
      'The ferry to Karsland left on time this morning, the harbour office said in a short statement.',
      'Fishing crews in Osmaria staged a protest on Friday. "We were never asked," one captain told reporters.',
    ];
    const replies = await Promise.all(
      texts.map(async (text) => {
        const res = await fetch(`${running.url}/api/analyze`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
        assert.equal(res.status, 200);
        return (await res.json()).analysis as Analysis;
      }),
    );
    const local = await createApp({ store }).request('/api/analyze', json({ text: texts[0] }));
    const expected = (await local.json()).analysis as Analysis;
    assert.deepEqual(replies[0], expected);
    assert.ok(replies[2].document.text.includes('staged a protest'));
  } finally {
    await running.close();
  }
});
